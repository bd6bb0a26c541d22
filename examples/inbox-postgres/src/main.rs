//! Durable receive on Postgres, in two subcommands:
//!
//! ```sh
//! # Verify, parse and store each event (200 only after the commit; 503 while Postgres is down).
//! inbox-postgres receive --provider sendable --secret whsec_... --database-url postgres://... [--port 3000]
//! # Process stored events: one JSON line per attempt, the effect counted in `effects` in the
//! # same transaction that marks the event done.
//! inbox-postgres work --database-url postgres://... [--fail-first N] [--handler-delay-ms MS]
//! ```
//!
//! Both create their tables on start (safe when several start together) and keep retrying while
//! Postgres is unreachable; neither exits on a database outage.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{MethodRouter, post};
use clap::{Parser, Subcommand};
use hookverify::{Provider, ProviderEvent, ProviderVisitor, Verifier, Verifiers};
use hookverify_axum::{InboxSink, accept_into_inbox};
use hookverify_postgres::{
    Backoff, BoxFuture, HandlerError, Inbox, InboxEvent, InboxHandler, Worker,
};
use sqlx::PgConnection;
use sqlx::postgres::{PgPool, PgPoolOptions};

#[derive(Parser)]
#[command(name = "inbox-postgres", version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Accept verified events of one provider on `POST /` into the inbox.
    Receive {
        /// The sender, by name (`sendable`, `stripe`, ...).
        #[arg(long, value_parser = |s: &str| s.parse::<Provider>().map_err(|e| e.to_string()))]
        provider: Provider,
        /// The signing secret (or set HOOKVERIFY_SECRET).
        #[arg(long, env = "HOOKVERIFY_SECRET", hide_env_values = true)]
        secret: String,
        /// `postgres://user@host:port/db` (or set DATABASE_URL).
        #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
        database_url: String,
        /// The port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Process stored events until stopped.
    Work {
        /// `postgres://user@host:port/db` (or set DATABASE_URL).
        #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
        database_url: String,
        /// Fail the first N attempts of every event (to see retries).
        #[arg(long, default_value_t = 0)]
        fail_first: u32,
        /// Hold each event this long inside its transaction (to kill a worker mid-event).
        #[arg(long, default_value_t = 0)]
        handler_delay_ms: u64,
    },
}

#[derive(Clone, FromRef)]
struct AppState {
    verifiers: Verifiers,
    inbox: InboxSink,
}

/// The accept route typed with the provider's event.
struct Route;

impl ProviderVisitor for Route {
    type Output = MethodRouter<AppState>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> MethodRouter<AppState> {
        post(accept_into_inbox::<E>)
    }
}

/// A pool of up to 20 connections that connects lazily and gives up on a connection within
/// 1.5 s, so a request answers 503 well within 2 s while Postgres is down.
fn pool(url: &str) -> Result<PgPool, String> {
    PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(Duration::from_millis(1500))
        .connect_lazy(url)
        .map_err(|e| format!("invalid --database-url: {e}"))
}

/// Runs `migrate` until it succeeds, once a second.
async fn migrate_until_ready(inbox: &Inbox) {
    loop {
        match inbox.migrate().await {
            Ok(()) => return,
            Err(err) => {
                tracing::warn!(error = %err, "cannot create the inbox table yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn receive(
    provider: Provider,
    secret: &str,
    database_url: &str,
    port: u16,
) -> Result<(), String> {
    let verifier = Verifier::new(provider.scheme(), secret).map_err(|e| e.to_string())?;
    let inbox = Inbox::new(pool(database_url)?);
    // Create the table before listening when Postgres answers; when it does not within a few
    // seconds, listen anyway (answering 503 until the table exists) and keep trying.
    if tokio::time::timeout(Duration::from_secs(5), migrate_until_ready(&inbox))
        .await
        .is_err()
    {
        let migrating = inbox.clone();
        tokio::spawn(async move { migrate_until_ready(&migrating).await });
    }
    let state = AppState {
        verifiers: Verifiers::new().with_provider(provider, verifier),
        inbox: InboxSink::new(inbox),
    };
    let app = Router::new()
        .route("/", provider.visit(Route))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on {address}");
    let _ = std::io::stdout().flush();
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

/// Prints each attempt and counts the effect in `effects`, in the worker's transaction.
struct Effects {
    fail_first: u32,
    delay: Duration,
}

impl InboxHandler for Effects {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        tx: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            let line = serde_json::json!({
                "provider": event.provider,
                "event_type": event.event_type,
                "idempotency_key": event.idempotency_key(),
                "attempt": event.attempt,
            });
            {
                let mut stdout = std::io::stdout().lock();
                let _ = writeln!(stdout, "{line}");
                let _ = stdout.flush();
            }
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            if event.attempt <= self.fail_first {
                return Err(HandlerError::Temporary(format!(
                    "--fail-first {}: attempt {} fails",
                    self.fail_first, event.attempt
                )));
            }
            sqlx::query(
                "INSERT INTO effects (key, n) VALUES ($1, 1)
                 ON CONFLICT (key) DO UPDATE SET n = effects.n + 1",
            )
            .bind(event.idempotency_key())
            .execute(&mut *tx)
            .await
            .map_err(|e| HandlerError::Temporary(format!("cannot write the effect: {e}")))?;
            Ok(())
        })
    }
}

async fn work(database_url: &str, fail_first: u32, delay: Duration) -> Result<(), String> {
    let pool = pool(database_url)?;
    let inbox = Inbox::new(pool.clone());
    migrate_until_ready(&inbox).await;
    loop {
        let created = sqlx::query(
            "CREATE TABLE IF NOT EXISTS effects (key text PRIMARY KEY, n int NOT NULL)",
        )
        .execute(&pool)
        .await;
        match created {
            Ok(_) => break,
            // Another worker creating it at the same moment, or Postgres away: try again.
            Err(err) => {
                tracing::warn!(error = %err, "cannot create the effects table yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    // First retry after about a second, doubling; dead after 6 attempts.
    Worker::new(inbox, Effects { fail_first, delay })
        .backoff(Backoff::new(
            Duration::from_secs(1),
            Duration::from_secs(60),
            0.2,
        ))
        .max_attempts(6)
        .poll_interval(Duration::from_millis(500))
        .run()
        .await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let result = match Args::parse().command {
        Command::Receive {
            provider,
            secret,
            database_url,
            port,
        } => receive(provider, &secret, &database_url, port).await,
        Command::Work {
            database_url,
            fail_first,
            handler_delay_ms,
        } => {
            work(
                &database_url,
                fail_first,
                Duration::from_millis(handler_delay_ms),
            )
            .await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
