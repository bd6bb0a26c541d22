//! The local receiver behind `listen` and `demo`: the axum adapter with memory (or Redis)
//! idempotency, reporting every processed event and every rejection to a sink.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use hookverify::{
    Provider, Verifier, Verifiers, WebhookEvent, autosend, github, sendable, sendkit, sendpilot,
    sent, standard_webhooks, stripe,
};
use hookverify_axum::{IdempotencyLayer, Webhook, WebhookRejection};

/// The header the demo tags its requests with, to match what the receiver saw to what it sent.
pub(crate) const TAG_HEADER: &str = "x-hookverify-tag";

/// What the receiver did with one request.
#[derive(Clone, Debug)]
pub(crate) enum Record {
    Processed {
        provider: &'static str,
        event_type: String,
        variant: &'static str,
        idempotency_key: String,
        tag: Option<String>,
    },
    Rejected {
        provider: &'static str,
        status: u16,
        reason: String,
        tag: Option<String>,
    },
}

/// Where records go.
pub(crate) type Sink = Arc<dyn Fn(Record) + Send + Sync>;

/// The name of the typed variant (or generic envelope) an event parsed into.
pub(crate) trait Variant {
    fn variant(&self) -> &'static str;
}

macro_rules! variant_of_enum {
    ($($t:ty),*) => {$(
        impl Variant for $t {
            fn variant(&self) -> &'static str {
                <$t>::variant(self)
            }
        }
    )*};
}
variant_of_enum!(
    sendable::Event,
    sendpilot::Event,
    autosend::Event,
    sendkit::Event,
    sent::Event
);

impl Variant for standard_webhooks::Envelope {
    fn variant(&self) -> &'static str {
        "standard_webhooks::Envelope"
    }
}

impl Variant for stripe::Event {
    fn variant(&self) -> &'static str {
        "stripe::Event"
    }
}

impl Variant for github::Payload {
    fn variant(&self) -> &'static str {
        "github::Payload"
    }
}

#[derive(Clone, FromRef)]
struct AppState {
    verifiers: Verifiers,
    sink: Sink,
}

fn provider_name<E: 'static>() -> &'static str {
    use std::any::TypeId;
    let id = TypeId::of::<E>();
    [
        (TypeId::of::<sendable::Event>(), "sendable"),
        (TypeId::of::<sendpilot::Event>(), "sendpilot"),
        (TypeId::of::<autosend::Event>(), "autosend"),
        (TypeId::of::<sendkit::Event>(), "sendkit"),
        (TypeId::of::<sent::Event>(), "sent"),
        (TypeId::of::<stripe::Event>(), "stripe"),
        (TypeId::of::<github::Payload>(), "github"),
    ]
    .into_iter()
    .find_map(|(t, name)| (t == id).then_some(name))
    .unwrap_or("standard-webhooks")
}

async fn receive<E: WebhookEvent + Variant + Send + 'static>(
    State(sink): State<Sink>,
    headers: HeaderMap,
    webhook: Result<Webhook<E>, WebhookRejection>,
) -> Response {
    let tag = headers
        .get(TAG_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let provider = provider_name::<E>();
    match webhook {
        Ok(webhook) => {
            sink(Record::Processed {
                provider,
                event_type: webhook.event_type().to_owned(),
                variant: webhook.event.variant(),
                idempotency_key: webhook.idempotency_key().to_owned(),
                tag,
            });
            "processed".into_response()
        }
        Err(rejection) => {
            sink(Record::Rejected {
                provider,
                status: rejection.status().as_u16(),
                reason: rejection.reason(),
                tag,
            });
            rejection.into_response()
        }
    }
}

fn route(provider: Provider) -> MethodRouter<AppState> {
    match provider {
        Provider::Sendable => post(receive::<sendable::Event>),
        Provider::SendPilot => post(receive::<sendpilot::Event>),
        Provider::AutoSend => post(receive::<autosend::Event>),
        Provider::SendKit => post(receive::<sendkit::Event>),
        Provider::Sent => post(receive::<sent::Event>),
        Provider::Stripe => post(receive::<stripe::Event>),
        Provider::GitHub => post(receive::<github::Payload>),
        _ => post(receive::<standard_webhooks::Envelope>),
    }
}

fn register(verifiers: Verifiers, provider: Provider, verifier: Verifier) -> Verifiers {
    match provider {
        Provider::Sendable => verifiers.with::<sendable::Event>(verifier),
        Provider::SendPilot => verifiers.with::<sendpilot::Event>(verifier),
        Provider::AutoSend => verifiers.with::<autosend::Event>(verifier),
        Provider::SendKit => verifiers.with::<sendkit::Event>(verifier),
        Provider::Sent => verifiers.with::<sent::Event>(verifier),
        Provider::Stripe => verifiers.with::<stripe::Event>(verifier),
        Provider::GitHub => verifiers.with::<github::Payload>(verifier),
        _ => verifiers.with::<standard_webhooks::Envelope>(verifier),
    }
}

/// A router with one route per `(path, provider, verifier)`, de-duplicating with `layer`.
pub(crate) fn router(
    routes: Vec<(String, Provider, Verifier)>,
    body_limit: usize,
    layer: IdempotencyLayer,
    sink: Sink,
) -> Router {
    let mut verifiers = Verifiers::new().body_limit(body_limit);
    let mut app: Router<AppState> = Router::new();
    for (path, provider, verifier) in routes {
        verifiers = register(verifiers, provider, verifier);
        app = app.route(&path, route(provider));
    }
    app.layer(layer).with_state(AppState { verifiers, sink })
}
