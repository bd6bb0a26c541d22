//! The `VerifyWebhooks` middleware in front of handlers that know nothing about webhooks: they
//! take `web::Json<T>` as usual, and only ever see requests that verified (and were not
//! duplicates). `POST /webhooks/events`; one JSON line per processed event on stdout.
//!
//! ```sh
//! cargo run -p actix-middleware -- --provider stripe --secret whsec_... [--port 3000]
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use actix_web::{App, HttpServer, web};
use clap::Parser;
use hookverify::idempotency::MemoryStore;
use hookverify::{Provider, Verifier};
use hookverify_actix_web::{VerifiedWebhook, VerifyWebhooks};

/// Verify webhooks in a middleware; plain `web::Json` handlers behind it.
#[derive(Parser)]
#[command(name = "actix-middleware", version)]
struct Args {
    /// The sender, by name (`stripe`, `svix`, ...; an unknown name lists every one).
    #[arg(long, value_parser = |s: &str| s.parse::<Provider>().map_err(|e| e.to_string()))]
    provider: Provider,
    /// The signing secret (or set HOOKVERIFY_SECRET).
    #[arg(long, env = "HOOKVERIFY_SECRET", hide_env_values = true)]
    secret: String,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    port: u16,
}

/// An ordinary handler: the body as JSON, plus what the middleware verified.
async fn events(verified: VerifiedWebhook, event: web::Json<serde_json::Value>) -> &'static str {
    let kind = ["type", "eventType", "event", "sub_type"]
        .iter()
        .find_map(|key| event.get(key).and_then(serde_json::Value::as_str))
        .or(verified.verified.event_type())
        .unwrap_or("unknown");
    let line = serde_json::json!({
        "provider": verified.verified.scheme(),
        "event_type": kind,
        "idempotency_key": verified.idempotency_key(),
    });
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
    "ok"
}

#[actix_web::main]
async fn main() -> ExitCode {
    // Colour only on a terminal: logs redirected to a file stay plain text.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let verifier = match Verifier::new(args.provider.scheme(), args.secret.as_str()) {
        Ok(verifier) => verifier,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let store = MemoryStore::new();
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {err}", args.port);
            return ExitCode::from(2);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let server = HttpServer::new(move || {
        App::new().service(
            web::scope("/webhooks")
                .wrap(VerifyWebhooks::new(verifier.clone()).idempotency(store.clone()))
                // Providers do not always send `Content-Type: application/json`.
                .app_data(web::JsonConfig::default().content_type_required(false))
                .route("/events", web::post().to(events)),
        )
    })
    .listen(listener);
    let server = match server {
        Ok(server) => server.run(),
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    println!("listening on {addr}");
    let _ = std::io::stdout().flush();
    match server.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
