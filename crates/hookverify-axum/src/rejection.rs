//! [`WebhookRejection`]: every way the extractor can refuse a request, as HTTP answers.

use std::time::Duration;

use axum_core::response::{IntoResponse, Response};
use hookverify::idempotency::StoreError;
use hookverify::{ParseError, VerifyError};
use http::{HeaderValue, StatusCode, header};

/// Why the [`Webhook`](crate::Webhook) extractor refused a request.
///
/// Its [`IntoResponse`] follows the status contract of DESIGN.md:
///
/// | variant | status | body |
/// |---|---|---|
/// | `BodyTooLarge` | 413 | `webhook body too large` |
/// | `BodyRead` | 400 | `could not read the webhook body` |
/// | `Verify` | 401 | `invalid webhook signature` (the same for every reason) |
/// | `Parse` | 422 | what does not fit (the sender is authenticated by then) |
/// | `Duplicate` | 200 | `already processed` (the handler is not called) |
/// | `InProgress` | 409 + `Retry-After` | `already being processed` |
/// | `StoreUnavailable` | 503 | `temporarily unavailable` |
/// | `MissingVerifier` | 500 | how to register the verifier |
///
/// The precise reason goes to `tracing` when the rejection is made (verification failures at
/// `warn`, the rest at `info`/`error`), never to the sender. To answer differently, take
/// `Result<Webhook<E>, WebhookRejection>` as the handler argument and map it yourself.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The body exceeds the body limit (the extractor's or axum's `DefaultBodyLimit`).
    BodyTooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// The body could not be read (the client went away, a transport error).
    BodyRead(String),
    /// The request did not verify.
    Verify(VerifyError),
    /// The request verified, but its body is not the expected event.
    Parse(ParseError),
    /// This event was processed already.
    Duplicate {
        /// The idempotency key.
        key: String,
    },
    /// Another delivery of this event is being processed now.
    InProgress {
        /// The idempotency key.
        key: String,
        /// The `Retry-After` to send.
        retry_after: Duration,
    },
    /// The idempotency store could not be reached.
    StoreUnavailable(StoreError),
    /// No verifier is registered for the route's tag type.
    MissingVerifier {
        /// The tag type's name.
        tag: &'static str,
    },
}

impl WebhookRejection {
    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookRejection::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookRejection::BodyRead(_) => StatusCode::BAD_REQUEST,
            WebhookRejection::Verify(_) => StatusCode::UNAUTHORIZED,
            WebhookRejection::Parse(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebhookRejection::Duplicate { .. } => StatusCode::OK,
            WebhookRejection::InProgress { .. } => StatusCode::CONFLICT,
            WebhookRejection::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebhookRejection::MissingVerifier { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The precise reason, for logs and operators (never sent for verification failures).
    pub fn reason(&self) -> String {
        match self {
            WebhookRejection::BodyTooLarge { limit } => format!("body over the {limit}-byte limit"),
            WebhookRejection::BodyRead(err) => format!("could not read the body: {err}"),
            WebhookRejection::Verify(err) => format!("{err} (hint: {})", err.hint()),
            WebhookRejection::Parse(err) => err.to_string(),
            WebhookRejection::Duplicate { key } => format!("duplicate of processed event {key}"),
            WebhookRejection::InProgress { key, .. } => {
                format!("event {key} is being processed by another delivery")
            }
            WebhookRejection::StoreUnavailable(err) => err.to_string(),
            WebhookRejection::MissingVerifier { tag } => missing_verifier_message(tag),
        }
    }

    /// Logs the rejection at a level that fits it.
    pub(crate) fn trace(self) -> Self {
        let reason = self.reason();
        let status = self.status().as_u16();
        match &self {
            WebhookRejection::Verify(_) => tracing::warn!(status, %reason, "webhook rejected"),
            WebhookRejection::MissingVerifier { .. } | WebhookRejection::StoreUnavailable(_) => {
                tracing::error!(status, %reason, "webhook not processed");
            }
            _ => tracing::info!(status, %reason, "webhook not processed"),
        }
        self
    }
}

fn missing_verifier_message(tag: &str) -> String {
    format!(
        "no webhook verifier registered for `{tag}`: add `.with::<{tag}>(Verifier::new(scheme, secret)?)` \
         to the `hookverify_axum::Verifiers` in the router's state"
    )
}

impl std::fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason())
    }
}

impl std::error::Error for WebhookRejection {}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            WebhookRejection::BodyTooLarge { .. } => {
                (status, "webhook body too large").into_response()
            }
            WebhookRejection::BodyRead(_) => {
                (status, "could not read the webhook body").into_response()
            }
            WebhookRejection::Verify(_) => (status, "invalid webhook signature").into_response(),
            WebhookRejection::Parse(err) => {
                (status, format!("unprocessable webhook payload: {err}")).into_response()
            }
            WebhookRejection::Duplicate { .. } => (status, "already processed").into_response(),
            WebhookRejection::InProgress { retry_after, .. } => {
                let seconds = retry_after.as_secs().max(1).to_string();
                let mut response = (status, "already being processed; retry later").into_response();
                if let Ok(value) = HeaderValue::from_str(&seconds) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            WebhookRejection::StoreUnavailable(_) => {
                (status, "temporarily unavailable; retry later").into_response()
            }
            WebhookRejection::MissingVerifier { tag } => {
                (status, missing_verifier_message(tag)).into_response()
            }
        }
    }
}
