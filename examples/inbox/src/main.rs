//! Durable receive on Postgres or Redis, in two subcommands:
//!
//! ```sh
//! # Verify, parse and store each event (200 only once it is stored; 503 while the store is down).
//! inbox receive --provider sendable --secret whsec_... (--database-url postgres://... | --redis redis://...) [--port 3000]
//! # Process stored events: one JSON line per attempt.
//! inbox work (--database-url postgres://... | --redis redis://...) [--fail-first N] [--handler-delay-ms MS] [--claim-idle-ms MS]
//! ```
//!
//! On Postgres the effect is counted in the table `effects` in the same transaction that marks
//! the event done (exactly once). On Redis it is `HINCRBY effects <key> 1`, then the
//! acknowledgement (at least once: a worker killed between the two counts an event twice,
//! which the counter makes visible).
//!
//! Both create what they need on start (safe when several start together) and keep retrying
//! while the store is unreachable; neither exits on an outage.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{MethodRouter, post};
use clap::{Parser, Subcommand};
use hookverify::adapter::{Backoff, HandlerError, InboxEvent};
use hookverify::{Provider, ProviderEvent, ProviderVisitor, Verifier, Verifiers};
use hookverify_axum::{InboxSink, accept_into_inbox};
use hookverify_postgres::{BoxFuture, Inbox, InboxHandler, Worker};
use sqlx::PgConnection;
use sqlx::postgres::{PgPool, PgPoolOptions};

#[derive(Parser)]
#[command(name = "inbox", version)]
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
        #[command(flatten)]
        store: Store,
        /// The port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Process stored events until stopped.
    Work {
        #[command(flatten)]
        store: Store,
        /// Fail the first N attempts of every event (to see retries).
        #[arg(long, default_value_t = 0)]
        fail_first: u32,
        /// Hold each event this long before its effect (to kill a worker mid-event).
        #[arg(long, default_value_t = 0)]
        handler_delay_ms: u64,
        /// Redis: how long a silent worker's event waits before another worker takes it.
        #[arg(long, default_value_t = 5000)]
        claim_idle_ms: u64,
    },
}

/// Where the inbox lives: exactly one of the two.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Store {
    /// Postgres: `postgres://user@host:port/db` (or set DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Redis: `redis://[:password@]host:port[/db]`.
    #[arg(long, hide_env_values = true)]
    redis: Option<String>,
}

/// The store picked on the command line.
enum Backend {
    Postgres(String),
    Redis(String),
}

impl Store {
    fn backend(self) -> Result<Backend, String> {
        match (self.database_url, self.redis) {
            (Some(url), None) => Ok(Backend::Postgres(url)),
            (None, Some(url)) => Ok(Backend::Redis(url)),
            _ => Err("give exactly one of --database-url and --redis".to_owned()),
        }
    }
}

/// How the worker retries: first retry after about a second, doubling; dead after 6 attempts.
const MAX_ATTEMPTS: u32 = 6;

fn backoff() -> Backoff {
    Backoff::new(Duration::from_secs(1), Duration::from_secs(60), 0.2)
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
    backend: Backend,
    port: u16,
) -> Result<(), String> {
    let verifier = Verifier::new(provider.scheme(), secret).map_err(|e| e.to_string())?;
    let sink = match backend {
        Backend::Postgres(url) => {
            let inbox = Inbox::new(pool(&url)?);
            // Create the table before listening when Postgres answers; when it does not within
            // a few seconds, listen anyway (answering 503 until the table exists) and keep
            // trying.
            if tokio::time::timeout(Duration::from_secs(5), migrate_until_ready(&inbox))
                .await
                .is_err()
            {
                let migrating = inbox.clone();
                tokio::spawn(async move { migrate_until_ready(&migrating).await });
            }
            InboxSink::new(inbox)
        }
        // Connects on first use: 503 within 1.5 s while Redis is down.
        Backend::Redis(url) => InboxSink::new(
            hookverify_redis::Inbox::builder(url)
                .timeout(Duration::from_millis(1500))
                .connect_lazy()
                .map_err(|e| format!("invalid --redis URL: {e}"))?,
        ),
    };
    let state = AppState {
        verifiers: Verifiers::new().with_provider(provider, verifier),
        inbox: sink,
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

/// Prints each attempt, waits, and fails the first attempts as told.
struct Attempts {
    fail_first: u32,
    delay: Duration,
}

impl Attempts {
    async fn start(&self, event: &InboxEvent) -> Result<(), HandlerError> {
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
        Ok(())
    }
}

/// Postgres: counts the effect in `effects`, in the worker's transaction.
struct PgEffects(Attempts);

impl InboxHandler for PgEffects {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        tx: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            self.0.start(event).await?;
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

/// Redis: counts the effect with `HINCRBY effects <key> 1` before the worker acknowledges.
struct RedisEffects {
    attempts: Attempts,
    redis: redis::aio::ConnectionManager,
}

impl hookverify_redis::InboxHandler for RedisEffects {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
    ) -> hookverify_redis::BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            self.attempts.start(event).await?;
            let mut conn = self.redis.clone();
            redis::cmd("HINCRBY")
                .arg("effects")
                .arg(event.idempotency_key())
                .arg(1)
                .query_async::<i64>(&mut conn)
                .await
                .map_err(|e| HandlerError::Temporary(format!("cannot write the effect: {e}")))?;
            Ok(())
        })
    }
}

async fn work(backend: Backend, attempts: Attempts, claim_idle: Duration) -> Result<(), String> {
    match backend {
        Backend::Postgres(url) => work_postgres(&url, attempts).await,
        Backend::Redis(url) => work_redis(url, attempts, claim_idle).await,
    }
}

async fn work_postgres(database_url: &str, attempts: Attempts) -> Result<(), String> {
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
    Worker::new(inbox, PgEffects(attempts))
        .backoff(backoff())
        .max_attempts(MAX_ATTEMPTS)
        .poll_interval(Duration::from_millis(500))
        .run()
        .await;
    Ok(())
}

async fn work_redis(url: String, attempts: Attempts, claim_idle: Duration) -> Result<(), String> {
    let client =
        redis::Client::open(url.as_str()).map_err(|e| format!("invalid --redis URL: {e}"))?;
    let redis = redis::aio::ConnectionManager::new_lazy_with_config(
        client,
        redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(2))),
    )
    .map_err(|e| format!("invalid --redis URL: {e}"))?;
    let inbox = hookverify_redis::Inbox::builder(url)
        .connect_lazy()
        .map_err(|e| format!("invalid --redis URL: {e}"))?;
    hookverify_redis::Worker::new(inbox, RedisEffects { attempts, redis })
        .backoff(backoff())
        .max_attempts(MAX_ATTEMPTS)
        .poll_interval(Duration::from_millis(500))
        .claim_idle(claim_idle)
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
            store,
            port,
        } => match store.backend() {
            Ok(backend) => receive(provider, &secret, backend, port).await,
            Err(message) => Err(message),
        },
        Command::Work {
            store,
            fail_first,
            handler_delay_ms,
            claim_idle_ms,
        } => {
            let attempts = Attempts {
                fail_first,
                delay: Duration::from_millis(handler_delay_ms),
            };
            match store.backend() {
                Ok(backend) => work(backend, attempts, Duration::from_millis(claim_idle_ms)).await,
                Err(message) => Err(message),
            }
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
