//! The [`Webhook`] and [`VerifiedBody`] extractors.

use std::marker::PhantomData;

use axum_core::RequestExt as _;
use axum_core::extract::{FromRef, FromRequest, Request};
use bytes::Bytes;
use hookverify::{Meta, Verified, WebhookEvent};
use http::header;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use crate::rejection::WebhookRejection;
use hookverify::Verifiers;
use hookverify::adapter::{Rejection, RequestSlot, Target, verify_claim, verify_parse_claim};

/// A verified, de-duplicated (with [`IdempotencyLayer`](crate::IdempotencyLayer)), parsed
/// webhook.
///
/// The extractor reads the body itself (so no JSON extractor can consume it first), within the
/// body limit, verifies the exact bytes with the verifier registered for tag `T` in the state's
/// [`Verifiers`], parses them into `E` (a provider's event enum, a generic envelope, or
/// `hookverify::Json<YourType>`), and, behind the idempotency layer, claims the event's
/// idempotency key.
/// It consumes the body, so it must be the last argument of the handler.
///
/// `T` defaults to `E`; give it a marker type when two routes parse the same event type with
/// different verifiers.
///
/// ```
/// use axum::{Router, routing::post};
/// use hookverify::{Scheme, Verifier, sendable};
/// use hookverify_axum::Webhook;
/// use hookverify::Verifiers;
///
/// async fn hook(webhook: Webhook<sendable::Event>) -> &'static str {
///     match &webhook.event {
///         sendable::Event::MessageReceived(message) => tracing::info!(id = %message.id, "inbound"),
///         sendable::Event::Unknown(unknown) => tracing::info!(kind = %unknown.event_type, "new event type"),
///         _ => {}
///     }
///     "ok"
/// }
///
/// # fn main() -> Result<(), hookverify::BuildError> {
/// let verifier = Verifier::new(Scheme::sendable(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let app: Router = Router::new()
///     .route("/webhooks/sendable", post(hook))
///     .with_state(Verifiers::new().with::<sendable::Event>(verifier));
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

    /// The idempotency key (without the provider prefix the layer adds).
    pub fn idempotency_key(&self) -> &str {
        self.meta.idempotency_key()
    }
}

/// Reads the body within `limit` (and axum's `DefaultBodyLimit`), refusing before reading when
/// `Content-Length` already says it is too large. Never buffers more than the limit.
async fn read_body(
    request: Request,
    limit: usize,
) -> Result<(http::request::Parts, Bytes), Rejection> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(Rejection::BodyTooLarge { limit });
    }
    let (parts, body) = request.with_limited_body().into_parts();
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok((parts, collected.to_bytes())),
        Err(err) => {
            let too_large = err.downcast_ref::<LengthLimitError>().is_some()
                || std::error::Error::source(&*err).is_some_and(is_length_limit)
                || is_length_limit(&*err);
            if too_large {
                Err(Rejection::BodyTooLarge { limit })
            } else {
                Err(Rejection::BodyRead(err))
            }
        }
    }
}

/// Whether `err`, or anything in its source chain, is a body length limit error (axum wraps
/// the `DefaultBodyLimit` error in its own error type).
fn is_length_limit(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(err) = current {
        if err.is::<LengthLimitError>() {
            return true;
        }
        current = err.source();
    }
    false
}

impl<S, E, T> FromRequest<S> for Webhook<E, T>
where
    S: Send + Sync,
    Verifiers: FromRef<S>,
    E: WebhookEvent + Send + 'static,
    T: 'static,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        extract::<E, T>(request, &Verifiers::from_ref(state))
            .await
            .map_err(WebhookRejection::from)
    }
}

pub(crate) async fn extract<E: WebhookEvent, T: 'static>(
    request: Request,
    verifiers: &Verifiers,
) -> Result<Webhook<E, T>, Rejection> {
    let limit = verifiers.body_limit_for::<T>();
    let (parts, body) = read_body(request, limit).await?;
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let parsed = verify_parse_claim::<E, T>(
        verifiers,
        &parts.headers,
        Target::new(parts.method.as_str(), path),
        body,
        parts.extensions.get::<RequestSlot>(),
        "add `.with::<Tag>(Verifier::new(scheme, secret)?)` to the `Verifiers` in the router's state",
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

/// A verified, de-duplicated (behind [`IdempotencyLayer`](crate::IdempotencyLayer)) request
/// whose body is handed over as raw bytes, unparsed: for bodies no parser knows (XML, a
/// vendor's binary format) or that the handler parses itself.
///
/// Like [`Webhook`], it reads the body itself within the limit and verifies it with the
/// verifier registered for tag `T` (any type; a marker works). The idempotency key follows the
/// scheme's rule, reading body fields from a JSON object or a form when the rule needs them.
///
/// ```
/// use axum::{Router, routing::post};
/// use hookverify::{Scheme, Verifier, Verifiers};
/// use hookverify_axum::VerifiedBody;
///
/// /// The tag the verifier of this route is registered under.
/// struct Acme;
///
/// async fn hook(webhook: VerifiedBody<Acme>) -> String {
///     format!("{} verified bytes, key {}", webhook.body.len(), webhook.idempotency_key())
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let scheme = Scheme::custom("acme").signature_header("X-Acme-Signature").build()?;
/// let verifier = Verifier::new(scheme, "acme-secret-0123456789")?;
/// let app: Router = Router::new()
///     .route("/webhooks/acme", post(hook))
///     .with_state(Verifiers::new().with::<Acme>(verifier));
/// # Ok(())
/// # }
/// ```
pub struct VerifiedBody<T> {
    /// What verification established.
    pub verified: Verified,
    /// The exact verified body.
    pub body: Bytes,
    idempotency_key: String,
    tag: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for VerifiedBody<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedBody")
            .field("verified", &self.verified)
            .field("len", &self.body.len())
            .field("idempotency_key", &self.idempotency_key)
            .finish_non_exhaustive()
    }
}

impl<T> VerifiedBody<T> {
    /// The idempotency key (without the provider prefix the layer adds).
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }
}

impl<S, T> FromRequest<S> for VerifiedBody<T>
where
    S: Send + Sync,
    Verifiers: FromRef<S>,
    T: 'static,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifiers = Verifiers::from_ref(state);
        let limit = verifiers.body_limit_for::<T>();
        let (parts, body) = read_body(request, limit)
            .await
            .map_err(WebhookRejection::from)?;
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let (verified, idempotency_key) = verify_claim::<T>(
            &verifiers,
            &parts.headers,
            Target::new(parts.method.as_str(), path),
            &body,
            parts.extensions.get::<RequestSlot>(),
            "add `.with::<Tag>(Verifier::new(scheme, secret)?)` to the `Verifiers` in the router's state",
        )
        .await
        .map_err(WebhookRejection::from)?;
        Ok(VerifiedBody {
            verified,
            body,
            idempotency_key,
            tag: PhantomData,
        })
    }
}
