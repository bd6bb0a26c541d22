//! [`WebhookError`]: the extractor's and middleware's refusals as actix-web responses.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};
use hookverify::adapter::Rejection;

/// Why a webhook request was refused; answers per the status contract shared by every
/// hookverify adapter ([`Rejection`]): 413, 400, 401 (one generic body for every verification
/// failure), 422, 200 for a duplicate (handler not called), 409 with `Retry-After`, 503, and 500
/// with a message saying how to register a missing verifier. The precise reason is logged with
/// `tracing` when the error is made.
#[derive(Debug)]
pub struct WebhookError(pub(crate) Rejection);

impl WebhookError {
    /// What went wrong.
    pub fn kind(&self) -> &Rejection {
        &self.0
    }
}

impl From<Rejection> for WebhookError {
    fn from(rejection: Rejection) -> Self {
        WebhookError(rejection.traced())
    }
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for WebhookError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.0.retry_after_secs()
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.insert_header((RETRY_AFTER, value));
        }
        response
            .content_type("text/plain; charset=utf-8")
            .body(self.0.body().into_owned())
    }
}
