//! [`Idempotency`]: the de-duplication middleware, with the axum adapter's behaviour.

use std::future::{Ready, ready};
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::time::Duration;

use actix_web::Error;
use actix_web::HttpMessage as _;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use futures_util::FutureExt as _;
use futures_util::future::LocalBoxFuture;
use hookverify::adapter::AdapterIdempotency;
use hookverify::idempotency::IdempotencyStore;

/// Middleware (`App::wrap` / `Scope::wrap`) that de-duplicates webhook deliveries with any
/// [`IdempotencyStore`]. The [`Webhook`](crate::Webhook) extractor claims each event's key once
/// it has verified and parsed the request; this middleware completes the claim when the
/// handler answers 2xx and releases it otherwise (a panicking handler: released, answered 500).
/// Duplicates of processed events get 200 without the handler, deliveries of an event being
/// processed 409 with `Retry-After`, and an unreachable store 503.
#[derive(Clone, Debug)]
pub struct Idempotency {
    idempotency: AdapterIdempotency,
}

impl Idempotency {
    /// De-duplicates with `store`: lease 60 s, done-markers kept 24 h, `Retry-After: 5`.
    pub fn new(store: impl IdempotencyStore + 'static) -> Self {
        Idempotency {
            idempotency: AdapterIdempotency::new(store),
        }
    }

    /// How long a claim holds an event before a crashed handler's claim expires by itself.
    #[must_use]
    pub fn lease(self, lease: Duration) -> Self {
        Idempotency {
            idempotency: self.idempotency.lease(lease),
        }
    }

    /// How long a processed event is remembered.
    #[must_use]
    pub fn keep_for(self, keep_for: Duration) -> Self {
        Idempotency {
            idempotency: self.idempotency.keep_for(keep_for),
        }
    }

    /// The `Retry-After` sent with 409.
    #[must_use]
    pub fn retry_after(self, retry_after: Duration) -> Self {
        Idempotency {
            idempotency: self.idempotency.retry_after(retry_after),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Idempotency
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = IdempotencyMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(IdempotencyMiddleware {
            service: Rc::new(service),
            idempotency: self.idempotency.clone(),
        }))
    }
}

/// The service of [`Idempotency`].
pub struct IdempotencyMiddleware<S> {
    service: Rc<S>,
    idempotency: AdapterIdempotency,
}

impl<S> std::fmt::Debug for IdempotencyMiddleware<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotencyMiddleware")
            .finish_non_exhaustive()
    }
}

impl<S, B> Service<ServiceRequest> for IdempotencyMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let slot = self.idempotency.slot();
        request.extensions_mut().insert(slot.clone());
        let future = self.service.call(request);
        Box::pin(async move {
            match AssertUnwindSafe(future).catch_unwind().await {
                Ok(Ok(response)) => {
                    slot.finish(response.status().is_success()).await;
                    Ok(response)
                }
                Ok(Err(err)) => {
                    slot.finish(err.as_response_error().status_code().is_success())
                        .await;
                    Err(err)
                }
                Err(_) => {
                    slot.finish(false).await;
                    tracing::error!("webhook handler panicked; its claim was released");
                    Err(actix_web::error::ErrorInternalServerError(
                        "webhook handler failed",
                    ))
                }
            }
        })
    }
}
