//! [`IdempotencyLayer`]: process each webhook event once, for any [`IdempotencyStore`].
//!
//! Design: the layer and the extractor share the work. The layer puts a slot in the request's
//! extensions; the [`Webhook`](crate::Webhook) extractor, once it has verified and parsed the
//! request (so the idempotency key is known), *claims* the key in the layer's store and leaves
//! the claim in the slot. When the handler's response comes back, the layer *completes* the
//! claim on a 2xx answer and *releases* it otherwise; a handler that panics has its claim
//! released and is answered 500. A request already processed never reaches the handler (200),
//! one being processed right now gets 409 with `Retry-After`, and a store that cannot be reached
//! gets 503: the provider retries, and nothing is acknowledged that was not processed.
//!
//! Routes without the layer are not de-duplicated; the extractor still verifies and parses.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

use axum_core::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use hookverify::adapter::{AdapterIdempotency, HandlerFailure};
use hookverify::idempotency::IdempotencyStore;
use http::{Request, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

/// A tower layer that de-duplicates webhook deliveries with any [`IdempotencyStore`].
///
/// ```
/// use axum::{Router, routing::post};
/// use hookverify::idempotency::MemoryStore;
/// use hookverify::{Scheme, Verifier, sendpilot};
/// use hookverify_axum::{IdempotencyLayer, Webhook};
/// use hookverify::Verifiers;
///
/// async fn hook(webhook: Webhook<sendpilot::Event>) {
///     // Runs once per event, however often SendPilot delivers it.
///     let _ = webhook.event;
/// }
///
/// # fn main() -> Result<(), hookverify::BuildError> {
/// let verifiers = Verifiers::new()
///     .with::<sendpilot::Event>(Verifier::new(Scheme::sendpilot(), "sp_secret_0123456789abcdef")?);
/// let app: Router = Router::new()
///     .route("/webhooks/sendpilot", post(hook))
///     .layer(IdempotencyLayer::new(MemoryStore::new()))
///     .with_state(verifiers);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct IdempotencyLayer {
    idempotency: AdapterIdempotency,
}

impl IdempotencyLayer {
    /// De-duplicates with `store`: lease 60 s, done-markers kept 24 h, `Retry-After: 5`.
    pub fn new(store: impl IdempotencyStore + 'static) -> Self {
        IdempotencyLayer {
            idempotency: AdapterIdempotency::new(store),
        }
    }

    /// How long a claim holds an event before a crashed handler's claim expires by itself.
    #[must_use]
    pub fn lease(self, lease: Duration) -> Self {
        IdempotencyLayer {
            idempotency: self.idempotency.lease(lease),
        }
    }

    /// How long a processed event is remembered (at least the provider's retry horizon).
    #[must_use]
    pub fn keep_for(self, keep_for: Duration) -> Self {
        IdempotencyLayer {
            idempotency: self.idempotency.keep_for(keep_for),
        }
    }

    /// The `Retry-After` sent with 409 while another delivery is being processed.
    #[must_use]
    pub fn retry_after(self, retry_after: Duration) -> Self {
        IdempotencyLayer {
            idempotency: self.idempotency.retry_after(retry_after),
        }
    }
}

impl<S> Layer<S> for IdempotencyLayer {
    type Service = IdempotencyService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        IdempotencyService {
            inner,
            idempotency: self.idempotency.clone(),
        }
    }
}

/// The service of [`IdempotencyLayer`].
#[derive(Clone)]
pub struct IdempotencyService<S> {
    inner: S,
    idempotency: AdapterIdempotency,
}

impl<S> std::fmt::Debug for IdempotencyService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotencyService").finish_non_exhaustive()
    }
}

impl<S, B> Service<Request<B>> for IdempotencyService<S>
where
    S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let slot = self.idempotency.slot();
        request.extensions_mut().insert(slot.clone());
        // The service that was polled ready handles this request; a fresh clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            match AssertUnwindSafe(inner.call(request)).catch_unwind().await {
                Ok(Ok(response)) => {
                    slot.finish(response.status().is_success()).await;
                    Ok(response)
                }
                Ok(Err(err)) => {
                    slot.finish(false).await;
                    Err(err)
                }
                Err(panic) => {
                    slot.finish(false).await;
                    tracing::error!(panic = %panic_message(&panic), "webhook handler panicked; its claim was released");
                    Ok(
                        (StatusCode::INTERNAL_SERVER_ERROR, "webhook handler failed")
                            .into_response(),
                    )
                }
            }
        })
    }
}

fn panic_message(panic: &Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic)".to_owned())
}

/// A handler's failure, answered so the provider does what it should (the status contract of `hookverify::adapter`):
///
/// - [`temporary`](WebhookFailure::temporary) → 503: the provider retries, the claim is
///   released so the retry is processed;
/// - [`permanent`](WebhookFailure::permanent) → 200: retrying cannot help, so the provider is
///   told to stop, the claim is completed, and the failure is logged at `error`.
///
/// ```
/// use hookverify_axum::WebhookFailure;
///
/// async fn hook() -> Result<&'static str, WebhookFailure> {
///     let database_up = false;
///     if !database_up {
///         return Err(WebhookFailure::temporary("database unavailable"));
///     }
///     Ok("processed")
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

impl IntoResponse for WebhookFailure {
    fn into_response(self) -> Response {
        self.0.trace();
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, self.0.body()).into_response();
        if let Some(value) = self
            .0
            .retry_after_secs()
            .and_then(|secs| http::HeaderValue::from_str(&secs.to_string()).ok())
        {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, value);
        }
        response
    }
}
