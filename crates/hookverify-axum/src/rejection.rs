//! [`WebhookRejection`]: every way the extractor can refuse a request, as HTTP answers.

use axum_core::response::{IntoResponse, Response};
use hookverify::adapter::Rejection;
use http::{HeaderValue, StatusCode, header};

/// Why the [`Webhook`](crate::Webhook) extractor refused a request; answers per the status
/// contract of [`Rejection`] (identical in every hookverify adapter):
///
/// | reason | status |
/// |---|---|
/// | body over the limit | 413 |
/// | body unreadable | 400 |
/// | any verification failure | 401 `invalid webhook signature` |
/// | verified, not parseable | 422 |
/// | duplicate of a processed event | 200 (handler not called) |
/// | being processed by another delivery | 409 + `Retry-After` |
/// | idempotency store unreachable | 503 |
/// | no verifier registered | 500, saying how to register it |
///
/// The precise reason goes to `tracing` when the rejection is made, never to the sender. To
/// answer differently, take `Result<Webhook<E>, WebhookRejection>` and map [`Self::kind`].
#[derive(Debug)]
pub struct WebhookRejection(pub(crate) Rejection);

impl WebhookRejection {
    /// What went wrong.
    pub fn kind(&self) -> &Rejection {
        &self.0
    }

    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The precise reason, for logs and operators.
    pub fn reason(&self) -> String {
        self.0.reason()
    }
}

impl From<Rejection> for WebhookRejection {
    fn from(rejection: Rejection) -> Self {
        WebhookRejection(rejection.traced())
    }
}

impl std::fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for WebhookRejection {}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.0.body().into_owned()).into_response();
        if let Some(seconds) = self.0.retry_after_secs()
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
