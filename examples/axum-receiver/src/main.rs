//! A webhook receiver on axum: `POST /` verified, de-duplicated and parsed into the provider's
//! typed event; one JSON line per processed event on stdout, logs on stderr.
//!
//! ```sh
//! cargo run -p axum-receiver -- --provider sendable --secret whsec_... [--port 3000] [--redis redis://127.0.0.1:6379]
//! ```

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::routing::{MethodRouter, post};
use clap::Parser;
use hookverify::Verifiers;
use hookverify::{Provider, ProviderEvent, ProviderVisitor, Verifier, WebhookEvent};
use hookverify_axum::{IdempotencyLayer, Webhook};

/// Receive webhooks of one provider on POST / and print each processed event as a JSON line.
#[derive(Parser)]
#[command(name = "axum-receiver", version)]
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
    /// De-duplicate in Redis instead of in memory: `redis://host:port`.
    #[arg(long)]
    redis: Option<String>,
}

async fn print_event<E: WebhookEvent>(webhook: Webhook<E>) -> &'static str {
    let line = serde_json::json!({
        "provider": webhook.verified.scheme(),
        "event_type": webhook.event_type(),
        "idempotency_key": webhook.idempotency_key(),
    });
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
    "ok"
}

/// The route for `provider`: `print_event` typed with the provider's event.
struct Route;

impl ProviderVisitor for Route {
    type Output = MethodRouter<Verifiers>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> MethodRouter<Verifiers> {
        post(print_event::<E>)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    // Colour only on a terminal: logs redirected to a file stay plain text.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let verifier =
        Verifier::new(args.provider.scheme(), args.secret.as_str()).map_err(|e| e.to_string())?;
    let layer = match &args.redis {
        Some(url) => IdempotencyLayer::new(
            hookverify_redis::RedisStore::builder(url.as_str())
                .connect_lazy()
                .map_err(|e| e.to_string())?,
        ),
        None => IdempotencyLayer::new(hookverify::idempotency::MemoryStore::new()),
    };
    let app: Router = Router::new()
        .route("/", args.provider.visit(Route))
        .layer(layer)
        .with_state(Verifiers::new().with_provider(args.provider, verifier));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port)))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {addr}");
        let _ = stdout.flush();
    }
    tracing::info!(provider = %args.provider, %addr, store = if args.redis.is_some() { "redis" } else { "memory" }, "receiving webhooks on POST /");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
