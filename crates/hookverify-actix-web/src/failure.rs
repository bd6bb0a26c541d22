//! [`WebhookFailure`]: a handler's failure, answered so the provider retries or stops.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

/// A handler's failure (DESIGN.md): [`temporary`](Self::temporary) → 503, the provider retries
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
pub struct WebhookFailure {
    permanent: bool,
    message: String,
}

impl WebhookFailure {
    /// Retry later: answered 503, claim released.
    pub fn temporary(error: impl std::fmt::Display) -> Self {
        WebhookFailure {
            permanent: false,
            message: error.to_string(),
        }
    }

    /// Do not retry: answered 200, claim completed, logged.
    pub fn permanent(error: impl std::fmt::Display) -> Self {
        WebhookFailure {
            permanent: true,
            message: error.to_string(),
        }
    }

    /// Whether this failure is permanent.
    pub fn is_permanent(&self) -> bool {
        self.permanent
    }
}

impl std::fmt::Display for WebhookFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ResponseError for WebhookFailure {
    fn status_code(&self) -> StatusCode {
        if self.permanent {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.permanent {
            tracing::error!(error = %self.message, "webhook failed permanently; acknowledged so the provider stops retrying");
            HttpResponse::Ok().body("failed permanently; not retrying")
        } else {
            tracing::warn!(error = %self.message, "webhook failed temporarily; the provider will retry");
            HttpResponse::ServiceUnavailable().body("temporary failure; retry later")
        }
    }
}
