//! [`VerifyWebhooks`]: verify before any handler runs, for apps whose handlers use plain
//! `web::Json` / `web::Bytes` extractors.

use std::future::{Ready, ready};
use std::panic::AssertUnwindSafe;
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::{Error, FromRequest, HttpMessage as _, HttpRequest};
use futures_util::FutureExt as _;
use futures_util::future::LocalBoxFuture;
use hookverify::adapter::{
    AdapterIdempotency, Rejection, SlotClaim, Target, namespaced_key, verify_with,
};
use hookverify::idempotency::IdempotencyStore;
use hookverify::{DEFAULT_BODY_LIMIT, Verified, Verifier, Verifiers};

use crate::body::read_limited;
use crate::error::WebhookError;
use crate::headers::ActixHeaders;

/// Middleware that verifies every request of the scope it wraps before any handler runs.
///
/// It reads the body (within the limit: 413 past it), verifies the exact bytes (401 when they do
/// not verify), optionally de-duplicates with any [`IdempotencyStore`] (the same behaviour as
/// the [`Idempotency`](crate::Idempotency) middleware: 200 for a duplicate without the handler,
/// 409 while another delivery is processing, 503 when the store is down; completed on a 2xx
/// answer, released otherwise), then puts the exact bytes back, so the handlers' own
/// `web::Json<T>` or `web::Bytes` extractors work, and leaves what verification established in
/// the request for [`VerifiedWebhook`].
///
/// ```
/// use actix_web::{App, web};
/// use hookverify::idempotency::MemoryStore;
/// use hookverify::{Scheme, Verifier};
/// use hookverify_actix_web::{VerifiedWebhook, VerifyWebhooks};
///
/// #[derive(serde::Deserialize)]
/// struct Event {
///     #[serde(rename = "type")]
///     kind: String,
/// }
///
/// async fn hook(verified: VerifiedWebhook, event: web::Json<Event>) -> String {
///     format!("{} {:?}", event.kind, verified.idempotency_key())
/// }
///
/// # fn main() -> Result<(), hookverify::BuildError> {
/// let verifier = Verifier::new(Scheme::standard_webhooks(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let app = App::new().service(
///     web::scope("/webhooks")
///         .wrap(VerifyWebhooks::new(verifier).idempotency(MemoryStore::new()))
///         .route("/events", web::post().to(hook)),
/// );
/// # let _ = app;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct VerifyWebhooks {
    verifier: Verifier,
    limit: usize,
    idempotency: Option<AdapterIdempotency>,
    /// Only its public URL settings are used.
    urls: Verifiers,
}

impl VerifyWebhooks {
    /// Verifies with `verifier`; body limit [`DEFAULT_BODY_LIMIT`]; no de-duplication.
    pub fn new(verifier: Verifier) -> Self {
        VerifyWebhooks {
            verifier,
            limit: DEFAULT_BODY_LIMIT,
            idempotency: None,
            urls: Verifiers::new(),
        }
    }

    /// The app's public base URL, for schemes that sign the URL (Twilio, Square, HubSpot v3);
    /// see [`Verifiers::public_url`].
    #[must_use]
    pub fn public_url(mut self, base: impl Into<String>) -> Self {
        self.urls = self.urls.public_url(base);
        self
    }

    /// Build the URL from the forwarded headers; see [`Verifiers::trust_forwarded_headers`].
    #[must_use]
    pub fn trust_forwarded_headers(mut self) -> Self {
        self.urls = self.urls.trust_forwarded_headers();
        self
    }

    /// The most bytes a body may have (413 past it).
    #[must_use]
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// De-duplicates with `store` (lease 60 s, done-markers kept 24 h).
    #[must_use]
    pub fn idempotency(mut self, store: impl IdempotencyStore + 'static) -> Self {
        self.idempotency = Some(AdapterIdempotency::new(store));
        self
    }

    /// De-duplicates with explicit settings.
    #[must_use]
    pub fn idempotency_with(mut self, idempotency: AdapterIdempotency) -> Self {
        self.idempotency = Some(idempotency);
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for VerifyWebhooks
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = VerifyWebhooksMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(VerifyWebhooksMiddleware {
            service: Rc::new(service),
            config: Rc::new(self.clone()),
        }))
    }
}

/// The service of [`VerifyWebhooks`].
pub struct VerifyWebhooksMiddleware<S> {
    service: Rc<S>,
    config: Rc<VerifyWebhooks>,
}

impl<S> std::fmt::Debug for VerifyWebhooksMiddleware<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyWebhooksMiddleware")
            .finish_non_exhaustive()
    }
}

fn reject<B>(request: ServiceRequest, rejection: Rejection) -> ServiceResponse<EitherBody<B>> {
    request
        .error_response(WebhookError::from(rejection))
        .map_into_right_body()
}

impl<S, B> Service<ServiceRequest> for VerifyWebhooksMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, mut request: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let config = Rc::clone(&self.config);
        Box::pin(async move {
            let mut payload = request.take_payload();
            let body = match read_limited(request.request(), &mut payload, config.limit).await {
                Ok(body) => body,
                Err(rejection) => return Ok(reject(request, rejection)),
            };
            let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let target = Target::new(request.method().as_str(), path);
            let headers = ActixHeaders(request.headers());
            let verified =
                match verify_with(&config.urls, &config.verifier, &headers, target, &body) {
                    Ok(verified) => verified,
                    Err(rejection) => return Ok(reject(request, rejection)),
                };
            // The contract: verified but not JSON is 422, before any handler's `web::Json` would
            // answer its own 400. Form bodies (Slack, Twilio) are left to the handler's `web::Form`.
            if !is_form(request.headers())
                && let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(&body)
            {
                let rejection = Rejection::Parse(hookverify::ParseError::NotJson {
                    message: err.to_string(),
                });
                return Ok(reject(request, rejection));
            }
            let key = hookverify::idempotency_key_of(&verified, &body);
            let slot = config.idempotency.as_ref().map(AdapterIdempotency::slot);
            if let Some(slot) = &slot {
                let store_key = namespaced_key(verified.scheme(), &key);
                match slot.claim(&store_key).await {
                    Ok(SlotClaim::New) => {}
                    Ok(SlotClaim::Done) => {
                        return Ok(reject(request, Rejection::Duplicate { key: store_key }));
                    }
                    Ok(SlotClaim::InProgress { retry_after }) => {
                        return Ok(reject(
                            request,
                            Rejection::InProgress {
                                key: store_key,
                                retry_after,
                            },
                        ));
                    }
                    Err(err) => return Ok(reject(request, Rejection::StoreUnavailable(err))),
                }
            }
            request.extensions_mut().insert(VerifiedWebhook {
                verified,
                idempotency_key: key,
            });
            // The exact verified bytes, for the handlers' own body extractors.
            request.set_payload(Payload::from(body));
            let outcome = AssertUnwindSafe(service.call(request)).catch_unwind().await;
            let success = match &outcome {
                Ok(Ok(response)) => response.status().is_success(),
                Ok(Err(err)) => err.as_response_error().status_code().is_success(),
                Err(_) => false,
            };
            if let Some(slot) = &slot {
                slot.finish(success).await;
            }
            match outcome {
                Ok(result) => result.map(ServiceResponse::map_into_left_body),
                Err(_) => {
                    tracing::error!("webhook handler panicked; its claim was released");
                    Err(actix_web::error::ErrorInternalServerError(
                        "webhook handler failed",
                    ))
                }
            }
        })
    }
}

/// Whether the request declares an `application/x-www-form-urlencoded` body.
fn is_form(headers: &actix_web::http::header::HeaderMap) -> bool {
    headers
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// What [`VerifyWebhooks`] established for this request: take it as a handler argument.
/// Without the middleware, the extractor answers 500 saying how to add it.
#[derive(Clone, Debug)]
pub struct VerifiedWebhook {
    /// What verification established.
    pub verified: Verified,
    idempotency_key: String,
}

impl VerifiedWebhook {
    /// The event's idempotency key.
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }
}

impl FromRequest for VerifiedWebhook {
    type Error = WebhookError;
    type Future = Ready<Result<Self, WebhookError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions()
                .get::<VerifiedWebhook>()
                .cloned()
                .ok_or_else(|| {
                    WebhookError::from(Rejection::MissingVerifier {
                        tag: "VerifiedWebhook",
                        how: "wrap the route's scope in `VerifyWebhooks::new(verifier)`",
                    })
                }),
        )
    }
}
