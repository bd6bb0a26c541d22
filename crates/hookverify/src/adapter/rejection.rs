//! Why an adapter refuses a webhook request, and the HTTP answer for each reason.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::error::VerifyError;
use crate::idempotency::StoreError;

/// The `Retry-After` of a 503 while the idempotency store is unreachable.
pub const STORE_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Why an adapter refused a webhook request, with the [status contract](crate::adapter#the-status-contract):
///
/// | variant | status | body |
/// |---|---|---|
/// | `BodyTooLarge` | 413 | `webhook body too large` |
/// | `BodyRead` | 400 | `could not read the webhook body` |
/// | `Verify` | 401 | `invalid webhook signature` (the same for every reason) |
/// | `Parse` | 422 | what does not fit (the sender is authenticated by then) |
/// | `Duplicate` | 200 | `already processed` (the handler is not called) |
/// | `InProgress` | 409 + `Retry-After` (the claim's time left) | `already being processed; retry later` |
/// | `StoreUnavailable` | 503 + `Retry-After` | `temporarily unavailable; retry later` |
/// | `MissingVerifier` | 500 | how to register the verifier |
/// | `MissingPublicUrl` | 500 | how to set the public URL |
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// The body exceeds the limit.
    BodyTooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// The body could not be read (the client went away, a transport error): the framework's
    /// error, kept as [`Error::source`](std::error::Error::source).
    BodyRead(Box<dyn std::error::Error + Send + Sync>),
    /// The request did not verify.
    Verify(VerifyError),
    /// The request verified, but its body is not the expected event.
    Parse(crate::events::ParseError),
    /// This event was processed already.
    Duplicate {
        /// The store key.
        key: String,
    },
    /// Another delivery of this event is being processed now.
    InProgress {
        /// The store key.
        key: String,
        /// The `Retry-After` to send.
        retry_after: Duration,
    },
    /// The idempotency store could not be reached.
    StoreUnavailable(StoreError),
    /// No verifier is registered for the route.
    MissingVerifier {
        /// The tag type's name.
        tag: &'static str,
        /// How to register one, in the framework's terms.
        how: &'static str,
    },
    /// The route's scheme signs the URL the sender addressed, and the app has no public URL
    /// ([`Verifiers::public_url`](crate::Verifiers::public_url)).
    MissingPublicUrl {
        /// The scheme's name.
        scheme: String,
    },
}

impl Rejection {
    /// The HTTP status code to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Rejection::BodyTooLarge { .. } => 413,
            Rejection::BodyRead(_) => 400,
            Rejection::Verify(_) => 401,
            Rejection::Parse(_) => 422,
            Rejection::Duplicate { .. } => 200,
            Rejection::InProgress { .. } => 409,
            Rejection::StoreUnavailable(_) => 503,
            Rejection::MissingVerifier { .. } | Rejection::MissingPublicUrl { .. } => 500,
        }
    }

    /// The response body: generic for verification failures, so a forger learns nothing.
    pub fn body(&self) -> Cow<'static, str> {
        match self {
            Rejection::BodyTooLarge { .. } => Cow::Borrowed("webhook body too large"),
            Rejection::BodyRead(_) => Cow::Borrowed("could not read the webhook body"),
            Rejection::Verify(_) => Cow::Borrowed("invalid webhook signature"),
            Rejection::Parse(err) => Cow::Owned(format!("unprocessable webhook payload: {err}")),
            Rejection::Duplicate { .. } => Cow::Borrowed("already processed"),
            Rejection::InProgress { .. } => Cow::Borrowed("already being processed; retry later"),
            Rejection::StoreUnavailable(_) => Cow::Borrowed("temporarily unavailable; retry later"),
            Rejection::MissingVerifier { tag, how } => Cow::Owned(missing_verifier(tag, how)),
            Rejection::MissingPublicUrl { scheme } => Cow::Owned(missing_public_url(scheme)),
        }
    }

    /// The `Retry-After` header value in seconds: for `InProgress`, the time the other
    /// delivery's claim has left; for `StoreUnavailable`, [`STORE_RETRY_AFTER`].
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Rejection::InProgress { retry_after, .. } => Some(retry_after.as_secs().max(1)),
            Rejection::StoreUnavailable(_) => Some(STORE_RETRY_AFTER.as_secs()),
            _ => None,
        }
    }

    /// The precise reason, for logs and operators (never sent for verification failures).
    pub fn reason(&self) -> String {
        match self {
            Rejection::BodyTooLarge { limit } => format!("body over the {limit}-byte limit"),
            Rejection::BodyRead(err) => format!("could not read the body: {}", chain(&**err)),
            Rejection::Verify(err) => format!("{err} (hint: {})", err.hint()),
            Rejection::Parse(err) => err.to_string(),
            Rejection::Duplicate { key } => format!("duplicate of processed event {key}"),
            Rejection::InProgress { key, .. } => {
                format!("event {key} is being processed by another delivery")
            }
            Rejection::StoreUnavailable(err) => chain(err),
            Rejection::MissingVerifier { tag, how } => missing_verifier(tag, how),
            Rejection::MissingPublicUrl { scheme } => missing_public_url(scheme),
        }
    }

    /// Logs the rejection with its precise reason (verification failures at `warn`, an
    /// unreachable store or a missing verifier at `error`, the rest at `info`), and returns it.
    #[must_use]
    pub fn traced(self) -> Self {
        let reason = self.reason();
        let status = self.status();
        match &self {
            Rejection::Verify(_) => tracing::warn!(status, %reason, "webhook rejected"),
            Rejection::MissingVerifier { .. } | Rejection::MissingPublicUrl { .. } => {
                tracing::error!(status, %reason, "webhook not processed");
            }
            // Logged once per outage by the idempotency slot; per request only at `debug`.
            Rejection::StoreUnavailable(_) => {
                tracing::debug!(status, %reason, "webhook not processed");
            }
            _ => tracing::info!(status, %reason, "webhook not processed"),
        }
        self
    }
}

fn missing_public_url(scheme: &str) -> String {
    format!(
        "webhook verifier misconfigured: `{scheme}` signs the URL it calls; set the app's public URL with `Verifiers::public_url(\"https://your.host\")` (or `trust_forwarded_headers()` behind a proxy that sets them)"
    )
}

fn missing_verifier(tag: &str, how: &str) -> String {
    format!(
        "no webhook verifier registered for `{}`: {how}",
        public_path(tag)
    )
}

/// A type name as users write it: `hookverify::stripe::Event`, not the defining module's
/// private path (`hookverify::providers::stripe::events::Event`).
fn public_path(type_name: &str) -> String {
    let mut path = type_name.to_owned();
    for provider in crate::Provider::ALL {
        let module = provider.name().replace('-', "_");
        for private in [
            format!("hookverify::providers::{module}::events::"),
            format!("hookverify::providers::{module}::"),
        ] {
            path = path.replace(&private, &format!("hookverify::{module}::"));
        }
    }
    path
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason())
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::BodyRead(err) => Some(&**err),
            Rejection::Verify(err) => Some(err),
            Rejection::Parse(err) => Some(err),
            Rejection::StoreUnavailable(err) => Some(err),
            _ => None,
        }
    }
}

/// An error and its sources, `outer: inner: innermost`, for log lines.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(source) = next {
        text.push_str(": ");
        text.push_str(&source.to_string());
        next = source.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_missing_verifier_message_names_the_public_path() {
        let rejection = Rejection::MissingVerifier {
            tag: std::any::type_name::<crate::standard_webhooks::Envelope>(),
            how: "register it",
        };
        let body = rejection.body();
        assert!(
            body.contains("`hookverify::standard_webhooks::Envelope"),
            "{body}"
        );
        assert!(!body.contains("providers::"), "{body}");
        assert!(!body.contains("::events::"), "{body}");
        assert_eq!(
            public_path("my_app::events::Order"),
            "my_app::events::Order"
        );
    }
}
