//! The server side of the actix-web load benchmark: `POST /`, either a plain `web::Bytes`
//! handler or the verifying `Webhook` extractor behind the memory `Idempotency` middleware.
//! One worker, so the load generator gets the other core.
//!
//! ```sh
//! target/release/examples/actix_bench_server plain 4101
//! target/release/examples/actix_bench_server webhook 4102
//! ```

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Benchmark code.

use actix_web::{App, HttpServer, web};
use hookverify::idempotency::MemoryStore;
use hookverify::{Scheme, Verifier, Verifiers, sendable, standard_webhooks};
use hookverify_actix_web::{Idempotency, Webhook};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn plain(body: web::Bytes) -> String {
    body.len().to_string()
}

async fn envelope(webhook: Webhook<standard_webhooks::Envelope>) -> String {
    webhook.body.len().to_string()
}

async fn typed(webhook: Webhook<sendable::Event>) -> String {
    webhook.body.len().to_string()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().expect("mode: plain | webhook | webhook-typed");
    let port: u16 = args.next().map_or(4100, |p| p.parse().unwrap());
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    println!("listening on {}", listener.local_addr()?);
    let verifiers = Verifiers::new()
        .with::<standard_webhooks::Envelope>(
            Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap(),
        )
        .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap());
    let idempotency = Idempotency::new(MemoryStore::builder().capacity(10_000_000).build());
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
        other => panic!("unknown mode {other}"),
    }
}
