//! The server side of the actix-web load benchmark: `POST /`, in the same five modes as
//! `axum_bench_server` (`plain`, `webhook`, `webhook-typed`, `hand-written`, `minimal`). One
//! worker, so the load generator gets the other core.
//!
//! ```sh
//! target/release/examples/actix_bench_server plain 4101
//! target/release/examples/actix_bench_server webhook 4102
//! ```

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Benchmark code.

#[path = "shared/receivers.rs"]
mod receivers;

use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hookverify::idempotency::MemoryStore;
use hookverify::{Scheme, Verifier, Verifiers, sendable, standard_webhooks};
use hookverify_actix_web::{Idempotency, Webhook};
use receivers::{HandWritten, LoadMessage, Minimal, SECRET};

async fn plain(body: web::Bytes) -> String {
    body.len().to_string()
}

async fn envelope(webhook: Webhook<standard_webhooks::Envelope<LoadMessage>>) -> String {
    webhook.event.data.id.len().to_string()
}

async fn typed(webhook: Webhook<sendable::Event>) -> String {
    webhook.body.len().to_string()
}

fn answer((status, read): (u16, usize)) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(status).unwrap()).body(read.to_string())
}

async fn hand_written(
    receiver: web::Data<HandWritten>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    // svix takes an `http::HeaderMap`: copy the three webhook headers into one, as users do.
    let mut headers = http::HeaderMap::new();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        if let Some(value) = request.headers().get(name)
            && let Ok(value) = http::HeaderValue::from_bytes(value.as_bytes())
        {
            headers.insert(name, value);
        }
    }
    answer(receiver.handle(&headers, &body))
}

async fn minimal(
    receiver: web::Data<Minimal>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    answer(receiver.handle(
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
        &body,
    ))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mode = args
        .next()
        .expect("mode: plain | webhook | webhook-typed | hand-written | minimal");
    let port: u16 = args.next().map_or(4100, |p| p.parse().unwrap());
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    println!("listening on {}", listener.local_addr()?);
    let verifiers = Verifiers::new()
        .with::<standard_webhooks::Envelope<LoadMessage>>(
            Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap(),
        )
        .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap());
    let idempotency = Idempotency::new(MemoryStore::builder().capacity(10_000_000).build());
    let hand = web::Data::new(HandWritten::new());
    let least = web::Data::new(Minimal::new());
    match mode.as_str() {
        "plain" => {
            HttpServer::new(|| App::new().route("/", web::post().to(plain)))
                .workers(1)
                .listen(listener)?
                .run()
                .await
        }
        "webhook" => {
            HttpServer::new(move || {
                App::new()
                    .app_data(verifiers.clone())
                    .wrap(idempotency.clone())
                    .route("/", web::post().to(envelope))
            })
            .workers(1)
            .listen(listener)?
            .run()
            .await
        }
        "webhook-typed" => {
            HttpServer::new(move || {
                App::new()
                    .app_data(verifiers.clone())
                    .wrap(idempotency.clone())
                    .route("/", web::post().to(typed))
            })
            .workers(1)
            .listen(listener)?
            .run()
            .await
        }
        "hand-written" => {
            HttpServer::new(move || {
                App::new()
                    .app_data(hand.clone())
                    .route("/", web::post().to(hand_written))
            })
            .workers(1)
            .listen(listener)?
            .run()
            .await
        }
        "minimal" => {
            HttpServer::new(move || {
                App::new()
                    .app_data(least.clone())
                    .route("/", web::post().to(minimal))
            })
            .workers(1)
            .listen(listener)?
            .run()
            .await
        }
        other => panic!("unknown mode {other}"),
    }
}
