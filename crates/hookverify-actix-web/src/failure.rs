//! [`WebhookFailure`]: a handler's failure, answered so the provider retries or stops.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use hookverify::adapter::HandlerFailure;

/// A handler's failure (the status contract of `hookverify::adapter`): [`temporary`](Self::temporary) → 503, the provider retries
/// and the claim is released; [`permanent`](Self::permanent) → 200, the provider stops, the
/// claim is completed and the failure logged at `error`.
///
/// ```
/// use hookverify_actix_web::WebhookFailure;
///
/// async fn hook() -> Result<&'static str, WebhookFailure> {
///     Err(WebhookFailure::temporary("database unavailable"))
/// }
/// ```
#[derive(Debug)]
pub struct WebhookFailure(HandlerFailure);

impl WebhookFailure {
    /// Retry later: answered 503, claim released.
    pub fn temporary(error: impl std::fmt::Display) -> Self {
        WebhookFailure(HandlerFailure::temporary(error))
    }

    /// Do not retry: answered 200, claim completed, logged.
    pub fn permanent(error: impl std::fmt::Display) -> Self {
        WebhookFailure(HandlerFailure::permanent(error))
    }

    /// Whether this failure is permanent.
    pub fn is_permanent(&self) -> bool {
        self.0.is_permanent()
    }
}

impl std::fmt::Display for WebhookFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for WebhookFailure {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        self.0.trace();
        let mut response = HttpResponse::build(self.status_code());
        if let Some(secs) = self.0.retry_after_secs() {
            response.insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()));
        }
        response.body(self.0.body())
    }
}
