//! The table's axum app: every provider's route behind the idempotency layer.

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use hookverify::{Provider, ProviderEvent, ProviderVisitor, Verifiers};
use hookverify_axum::{IdempotencyLayer, Webhook, WebhookFailure};

use crate::{Behaviour, CASE_HEADER, Calls, DownStore, HANDLER_HEADER, SLOW, path, verifiers};

#[derive(Clone, FromRef)]
struct AppState {
    verifiers: Verifiers,
    calls: Calls,
}

async fn handle<E: ProviderEvent>(
    State(calls): State<Calls>,
    headers: HeaderMap,
    webhook: Webhook<E>,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    calls.record(
        &header(CASE_HEADER).unwrap_or_default(),
        webhook.event.variant(),
    );
    match Behaviour::parse(header(HANDLER_HEADER).as_deref()) {
        Behaviour::Ok => "processed".into_response(),
        Behaviour::Slow => {
            tokio::time::sleep(SLOW).await;
            "processed slowly".into_response()
        }
        Behaviour::Temporary => WebhookFailure::temporary("database down").into_response(),
        Behaviour::Permanent => WebhookFailure::permanent("no such account").into_response(),
        Behaviour::Error => (StatusCode::INTERNAL_SERVER_ERROR, "handler error").into_response(),
        Behaviour::Panic => panic!("handler bug (test)"),
    }
}

/// The route of one provider: `handle` typed with its event.
struct Route;

impl ProviderVisitor for Route {
    type Output = MethodRouter<AppState>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> MethodRouter<AppState> {
        post(handle::<E>)
    }
}

fn router(calls: Calls) -> Router<()> {
    Provider::ALL
        .into_iter()
        .fold(Router::new(), |app, p| app.route(&path(p), p.visit(Route)))
        .with_state(AppState {
            verifiers: verifiers(),
            calls,
        })
}

async fn serve(app: Router<()>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Starts the two axum apps (memory store, unreachable store); returns their base URLs.
pub async fn start(calls: &Calls) -> (String, String) {
    let memory = serve(router(calls.clone()).layer(IdempotencyLayer::new(crate::memory()))).await;
    let down = serve(router(calls.clone()).layer(IdempotencyLayer::new(DownStore))).await;
    (memory, down)
}
