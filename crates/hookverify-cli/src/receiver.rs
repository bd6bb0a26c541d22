//! The local receiver behind `listen` and `demo`: the axum adapter with memory (or Redis)
//! idempotency, reporting every processed event and every rejection to a sink.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use hookverify::{Provider, ProviderEvent, ProviderVisitor, Verifier, Verifiers};
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

#[derive(Clone, FromRef)]
struct AppState {
    verifiers: Verifiers,
    sink: Sink,
}

async fn receive<E: ProviderEvent>(
    State(sink): State<Sink>,
    headers: HeaderMap,
    webhook: Result<Webhook<E>, WebhookRejection>,
) -> Response {
    let tag = headers
        .get(TAG_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let provider = E::PROVIDER.name();
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

/// The route of one provider: `receive` typed with its event.
struct Route;

impl ProviderVisitor for Route {
    type Output = MethodRouter<AppState>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> MethodRouter<AppState> {
        post(receive::<E>)
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
        verifiers = verifiers.with_provider(provider, verifier);
        app = app.route(&path, provider.visit(Route));
    }
    app.layer(layer).with_state(AppState { verifiers, sink })
}
