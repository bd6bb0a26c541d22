//! Accept into the inbox: a route that verifies, parses and stores each event for background
//! workers, with no handler of your own.

use axum_core::extract::{FromRef, FromRequest, Request};
use hookverify::adapter::{Accepted, InboxSink, kept_headers};
use hookverify::{ProviderEvent, Verifiers};

use crate::extract::extract;
use crate::rejection::WebhookRejection;

/// An extractor that verifies the request with the verifier registered for `T` (default `E`),
/// parses it into provider event `E`, and stores it in the state's [`InboxSink`] with the
/// request's headers (minus credentials) — all before the handler runs. Rejections answer as
/// [`Webhook`](crate::Webhook)'s do; a sink that cannot be reached answers 503 with
/// `Retry-After`, so nothing is acknowledged that is not stored.
///
/// Usually used through [`accept_into_inbox`].
#[derive(Debug)]
#[non_exhaustive]
pub struct IntoInbox<E, T = E> {
    /// Whether the event was new or a duplicate of a stored one.
    pub outcome: Accepted,
    /// Its idempotency key.
    pub idempotency_key: String,
    tag: std::marker::PhantomData<fn() -> (E, T)>,
}

impl<S, E, T> FromRequest<S> for IntoInbox<E, T>
where
    S: Send + Sync,
    Verifiers: FromRef<S>,
    InboxSink: FromRef<S>,
    E: ProviderEvent,
    T: 'static,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = kept_headers(
            request
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_bytes())),
        );
        let webhook = extract::<E, T>(request, &Verifiers::from_ref(state)).await?;
        let sink = InboxSink::from_ref(state);
        let outcome = sink
            .store::<E>(
                webhook.event_type(),
                webhook.idempotency_key(),
                &webhook.body,
                &headers,
            )
            .await?;
        Ok(IntoInbox {
            outcome,
            idempotency_key: webhook.idempotency_key().to_owned(),
            tag: std::marker::PhantomData,
        })
    }
}

/// The whole route handler: `post(accept_into_inbox::<sendable::Event>)`. Answers 200 once the
/// event is stored (or was already), for workers to process.
///
/// ```
/// use axum::{Router, extract::FromRef, routing::post};
/// use hookverify::{Scheme, Verifier, Verifiers, sendable};
/// use hookverify::adapter::{Accepted, EventSink, InboxEntry, SinkFuture};
/// use hookverify::idempotency::StoreError;
/// use hookverify_axum::{InboxSink, accept_into_inbox};
///
/// /// A sink for the example; use `hookverify_postgres::Inbox` in production.
/// struct Log;
/// impl EventSink for Log {
///     fn accept<'a>(&'a self, entry: InboxEntry<'a>) -> SinkFuture<'a, Result<Accepted, StoreError>> {
///         println!("stored {} {}", entry.provider, entry.idempotency_key);
///         Box::pin(async { Ok(Accepted::New) })
///     }
/// }
///
/// #[derive(Clone, FromRef)]
/// struct State { verifiers: Verifiers, inbox: InboxSink }
///
/// # fn main() -> Result<(), hookverify::BuildError> {
/// let verifiers = Verifiers::new().with::<sendable::Event>(Verifier::new(
///     Scheme::sendable(),
///     "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
/// )?);
/// let app: Router = Router::new()
///     .route("/webhooks/sendable", post(accept_into_inbox::<sendable::Event>))
///     .with_state(State { verifiers, inbox: InboxSink::new(Log) });
/// # Ok(())
/// # }
/// ```
pub async fn accept_into_inbox<E: ProviderEvent>(accepted: IntoInbox<E>) -> &'static str {
    accepted.outcome.answer()
}
