//! The local receiver behind `listen` and `demo`: the axum adapter with memory (or Redis)
//! idempotency, reporting every processed event and every rejection to a sink.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use hookverify::{
    Form, Json, Meta, ParseError, Provider, ProviderEvent, ProviderVisitor, RawBody, Verified,
    Verifier, Verifiers, WebhookEvent,
};
use hookverify_axum::{IdempotencyLayer, Webhook, WebhookRejection};

use crate::common::Sender;

/// The header the demo tags its requests with, to match what the receiver saw to what it sent.
pub(crate) const TAG_HEADER: &str = "x-hookverify-tag";

/// What the receiver did with one request.
#[derive(Clone, Debug)]
pub(crate) enum Record {
    Processed {
        provider: String,
        event_type: String,
        variant: &'static str,
        idempotency_key: String,
        tag: Option<String>,
    },
    Rejected {
        provider: String,
        status: u16,
        reason: String,
        tag: Option<String>,
    },
}

/// Where records go.
pub(crate) type Sink = Arc<dyn Fn(Record) + Send + Sync>;

#[derive(Clone, FromRef)]
struct AppState {
    verifiers: Verifiers,
    sink: Sink,
    /// The custom scheme's name, for `receive_custom`'s records.
    custom: Arc<str>,
}

/// The event of a custom scheme (`--scheme-file`): a form body as a [`Form`], anything else
/// as JSON.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "the parsed value proves the body parses; listen reports its kind"
)]
pub(crate) enum CustomEvent {
    Form(Form),
    Json(serde_json::Value),
}

impl WebhookEvent for CustomEvent {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        match Form::from_verified(body, verified) {
            Ok((form, meta)) => Ok((CustomEvent::Form(form), meta)),
            Err(ParseError::NotForm) => Json::<serde_json::Value>::from_verified(body, verified)
                .map(|(Json(json), meta)| (CustomEvent::Json(json), meta)),
            Err(err) => Err(err),
        }
    }
}

impl CustomEvent {
    pub(crate) fn variant(&self) -> &'static str {
        match self {
            CustomEvent::Form(_) => "Form",
            CustomEvent::Json(_) => "serde_json::Value",
        }
    }
}

fn tag_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(TAG_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Records what became of one request, and answers it.
fn answer<E>(
    sink: &Sink,
    provider: String,
    tag: Option<String>,
    webhook: Result<Webhook<E>, WebhookRejection>,
    variant: impl Fn(&E) -> &'static str,
) -> Response {
    match webhook {
        Ok(webhook) => {
            sink(Record::Processed {
                provider,
                event_type: webhook.event_type().to_owned(),
                variant: variant(&webhook.event),
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

async fn receive<E: ProviderEvent>(
    State(sink): State<Sink>,
    headers: HeaderMap,
    webhook: Result<Webhook<E>, WebhookRejection>,
) -> Response {
    let provider = E::PROVIDER.name().to_owned();
    answer(&sink, provider, tag_of(&headers), webhook, E::variant)
}

async fn receive_custom(
    State(sink): State<Sink>,
    State(name): State<Arc<str>>,
    headers: HeaderMap,
    webhook: Result<Webhook<CustomEvent>, WebhookRejection>,
) -> Response {
    answer(
        &sink,
        name.to_string(),
        tag_of(&headers),
        webhook,
        CustomEvent::variant,
    )
}

/// The route of one provider: `receive` typed with its event.
struct Route;

impl ProviderVisitor for Route {
    type Output = MethodRouter<AppState>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> MethodRouter<AppState> {
        post(receive::<E>)
    }
}

/// A router with one route per `(path, sender, verifier)`, de-duplicating with `layer` (at most
/// one custom scheme); URL-signing providers verify against `public_url` + the path.
pub(crate) fn router(
    routes: Vec<(String, Sender, Verifier)>,
    body_limit: usize,
    public_url: Option<&str>,
    layer: IdempotencyLayer,
    sink: Sink,
) -> Router {
    let mut verifiers = Verifiers::new().body_limit(body_limit);
    if let Some(base) = public_url {
        verifiers = verifiers.public_url(base);
    }
    let mut app: Router<AppState> = Router::new();
    let mut custom: Arc<str> = Arc::from("custom");
    for (path, sender, verifier) in routes {
        match sender {
            Sender::Builtin(provider) => {
                verifiers = verifiers.with_provider(provider, verifier);
                app = app.route(&path, provider.visit(Route));
            }
            Sender::Custom(scheme) => {
                custom = Arc::from(scheme.name());
                verifiers = verifiers.with::<CustomEvent>(verifier);
                app = app.route(&path, post(receive_custom));
            }
        }
    }
    app.layer(layer).with_state(AppState {
        verifiers,
        sink,
        custom,
    })
}
