//! The [`Webhook`] extractor and its [`WebhookConfig`].

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, web};
use bytes::Bytes;
use futures_util::future::LocalBoxFuture;
use hookverify::adapter::{Rejection, RequestSlot, Target, verify_parse_claim};
use hookverify::{Meta, Verified, Verifiers, WebhookEvent};

use crate::body::read_limited;
use crate::error::WebhookError;
use crate::headers::ActixHeaders;

const HOW: &str = "register one with `App::new().app_data(Verifiers::new().with::<Tag>(Verifier::new(scheme, secret)?))` \
(or as `web::Data<Verifiers>`)";

/// The body limit for [`Webhook`] extractors in a scope, like actix-web's `PayloadConfig`:
/// register it with `.app_data(WebhookConfig::default().limit(..))`. Without it, the limit
/// configured in [`Verifiers`] applies (default 1 MiB). Larger bodies are refused with 413
/// without being buffered.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebhookConfig {
    limit: Option<usize>,
}

impl WebhookConfig {
    /// The most bytes a webhook body may have.
    #[must_use]
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// A verified, de-duplicated (behind [`Idempotency`](crate::Idempotency)), parsed webhook:
/// the same contract as `hookverify-axum`'s extractor.
///
/// The verifier is the one registered for tag `T` (default: `E`) in the [`Verifiers`] found in
/// `app_data` (as `Verifiers` or `web::Data<Verifiers>`). The extractor reads the body itself,
/// within the limit, so it must be the only body extractor of the handler.
///
/// ```
/// use actix_web::{App, web};
/// use hookverify::{Scheme, Verifier, Verifiers, sendable};
/// use hookverify_actix_web::{Idempotency, Webhook};
/// use hookverify::idempotency::MemoryStore;
///
/// async fn hook(webhook: Webhook<sendable::Event>) -> &'static str {
///     if let sendable::Event::MessageReceived(message) = &webhook.event {
///         tracing::info!(id = %message.id, "inbound message");
///     }
///     "ok"
/// }
///
/// # fn main() -> Result<(), hookverify::BuildError> {
/// let verifiers = Verifiers::new()
///     .with::<sendable::Event>(Verifier::new(Scheme::sendable(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?);
/// let app = App::new()
///     .app_data(verifiers)
///     .wrap(Idempotency::new(MemoryStore::new()))
///     .route("/webhooks/sendable", web::post().to(hook));
/// # let _ = app;
/// # Ok(())
/// # }
/// ```
pub struct Webhook<E, T = E> {
    /// The typed event.
    pub event: E,
    /// What verification established.
    pub verified: Verified,
    /// The exact verified body.
    pub body: Bytes,
    meta: Meta,
    tag: PhantomData<fn() -> T>,
}

impl<E: std::fmt::Debug, T> std::fmt::Debug for Webhook<E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("event", &self.event)
            .field("verified", &self.verified)
            .field("event_type", &self.meta.event_type())
            .field("idempotency_key", &self.meta.idempotency_key())
            .finish_non_exhaustive()
    }
}

impl<E, T> Webhook<E, T> {
    /// The event type as the sender wrote it.
    pub fn event_type(&self) -> &str {
        self.meta.event_type()
    }

    /// The event time from the envelope, when it has one.
    pub fn occurred_at(&self) -> Option<&str> {
        self.meta.occurred_at()
    }

    /// The idempotency key (without the provider prefix the store key adds).
    pub fn idempotency_key(&self) -> &str {
        self.meta.idempotency_key()
    }
}

/// The app's verifiers, registered as `Verifiers` or as `web::Data<Verifiers>`.
pub(crate) fn verifiers(request: &HttpRequest) -> Option<Verifiers> {
    request.app_data::<Verifiers>().cloned().or_else(|| {
        request
            .app_data::<web::Data<Verifiers>>()
            .map(|data| data.get_ref().clone())
    })
}

async fn extract<E: WebhookEvent, T: 'static>(
    request: HttpRequest,
    mut payload: Payload,
) -> Result<Webhook<E, T>, Rejection> {
    let Some(verifiers) = verifiers(&request) else {
        return Err(Rejection::MissingVerifier {
            tag: std::any::type_name::<T>(),
            how: HOW,
        });
    };
    let limit = request
        .app_data::<WebhookConfig>()
        .and_then(|config| config.limit)
        .unwrap_or_else(|| verifiers.body_limit_for::<T>());
    let body = read_limited(&request, &mut payload, limit).await?;
    let slot = request.extensions().get::<RequestSlot>().cloned();
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let parsed = verify_parse_claim::<E, T>(
        &verifiers,
        &ActixHeaders(request.headers()),
        Target::new(request.method().as_str(), path),
        body,
        slot.as_ref(),
        HOW,
    )
    .await?;
    // The body, the event and the metadata move out of `Parsed`: nothing is copied.
    let (event, verified, meta, body) = parsed.into_parts();
    Ok(Webhook {
        event,
        verified,
        body: body.into(),
        meta,
        tag: PhantomData,
    })
}

impl<E: WebhookEvent + 'static, T: 'static> FromRequest for Webhook<E, T> {
    type Error = WebhookError;
    type Future = LocalBoxFuture<'static, Result<Self, WebhookError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let payload = payload.take();
        Box::pin(async move {
            extract::<E, T>(request, payload)
                .await
                .map_err(WebhookError::from)
        })
    }
}
