//! [`HandlerFailure`]: a handler's failure and how every adapter answers it.

use crate::idempotency::Failure;

/// A handler's failure, as the adapters' `WebhookFailure` types carry it: whether retrying can
/// help, and what went wrong. The answer is the same in every adapter:
///
/// - temporary → 503 `temporary failure; retry later`, logged at `warn`: the provider retries,
///   and the idempotency middleware releases the claim (the answer is not 2xx);
/// - permanent → 200 `failed permanently; not retrying`, logged at `error`: the provider stops,
///   and the middleware completes the claim.
///
/// ```
/// use hookverify::adapter::HandlerFailure;
///
/// let failure = HandlerFailure::temporary("database unavailable");
/// assert_eq!((failure.status(), failure.body()), (503, "temporary failure; retry later"));
/// assert_eq!(failure.to_string(), "database unavailable");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerFailure(Failure<String>);

impl HandlerFailure {
    /// Retry later: answered 503, claim released.
    pub fn temporary(error: impl std::fmt::Display) -> Self {
        HandlerFailure(Failure::Temporary(error.to_string()))
    }

    /// Do not retry: answered 200, claim completed, logged.
    pub fn permanent(error: impl std::fmt::Display) -> Self {
        HandlerFailure(Failure::Permanent(error.to_string()))
    }

    /// Whether this failure is permanent.
    pub fn is_permanent(&self) -> bool {
        matches!(self.0, Failure::Permanent(_))
    }

    /// The HTTP status to answer with: 200 when permanent, 503 when temporary.
    pub fn status(&self) -> u16 {
        if self.is_permanent() { 200 } else { 503 }
    }

    /// The `Retry-After` in seconds: [`STORE_RETRY_AFTER`](super::STORE_RETRY_AFTER) for a
    /// temporary failure (every "retry later" answer says when), none for a permanent one.
    pub fn retry_after_secs(&self) -> Option<u64> {
        (!self.is_permanent()).then_some(super::STORE_RETRY_AFTER.as_secs())
    }

    /// The response body.
    pub fn body(&self) -> &'static str {
        if self.is_permanent() {
            "failed permanently; not retrying"
        } else {
            "temporary failure; retry later"
        }
    }

    /// Logs the failure with `tracing` (permanent at `error`, temporary at `warn`); adapters
    /// call it when they answer.
    pub fn trace(&self) {
        match &self.0 {
            Failure::Permanent(message) => tracing::error!(
                error = %message,
                "webhook failed permanently; acknowledged so the provider stops retrying"
            ),
            Failure::Temporary(message) => {
                tracing::warn!(error = %message, "webhook failed temporarily; the provider will retry");
            }
        }
    }
}

impl std::fmt::Display for HandlerFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Failure::Temporary(message) | Failure::Permanent(message) => f.write_str(message),
        }
    }
}
