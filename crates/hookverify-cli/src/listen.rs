//! `hookverify listen`: a local receiver printing each verified event and each rejection.

use std::net::SocketAddr;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use hookverify::idempotency::MemoryStore;
use hookverify::{DEFAULT_BODY_LIMIT, Verifier};
use hookverify_axum::IdempotencyLayer;

use crate::common::{SenderArgs, Usage};
use crate::receiver::{Record, Sink, router};
use crate::style::{BAD, DIM, OK, paint};

#[derive(Args)]
pub(crate) struct ListenArgs {
    #[command(flatten)]
    sender: SenderArgs,
    /// The signing secret; repeat for rotation.
    #[arg(
        long = "secret",
        required = true,
        env = "HOOKVERIFY_SECRET",
        hide_env_values = true
    )]
    secrets: Vec<String>,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The URL senders call this listener by (a tunnel's `https://….ngrok.app`), for providers
    /// that sign it: Twilio, Square, HubSpot v3. Default `http://127.0.0.1:<port>`.
    #[arg(long)]
    public_url: Option<String>,
    /// De-duplicate in Redis instead of in memory: `redis://host:port`.
    #[arg(long)]
    redis: Option<String>,
    /// One JSON object per line instead of readable text.
    #[arg(long)]
    json: bool,
}

fn print(record: &Record, json: bool) {
    match (record, json) {
        (
            Record::Processed {
                provider,
                event_type,
                variant,
                idempotency_key,
                ..
            },
            true,
        ) => anstream::println!(
            "{}",
            serde_json::json!({"outcome": "processed", "provider": provider, "event_type": event_type, "variant": variant, "idempotency_key": idempotency_key})
        ),
        (
            Record::Rejected {
                provider,
                status,
                reason,
                ..
            },
            true,
        ) => anstream::println!(
            "{}",
            serde_json::json!({"outcome": "rejected", "provider": provider, "status": status, "reason": reason})
        ),
        (
            Record::Processed {
                event_type,
                variant,
                idempotency_key,
                ..
            },
            false,
        ) => anstream::println!(
            "{} {event_type} {} {}",
            paint(OK, "✓ processed"),
            paint(DIM, format!("[{variant}]")),
            paint(DIM, format!("key={idempotency_key}"))
        ),
        (Record::Rejected { status, reason, .. }, false) => {
            let label = if *status == 200 {
                paint(DIM, "= skipped")
            } else {
                paint(BAD, format!("✗ {status}"))
            };
            anstream::println!("{label} {reason}");
        }
    }
}

pub(crate) fn run(args: &ListenArgs) -> Result<ExitCode, Usage> {
    let sender = args.sender.sender()?;
    let mut builder = Verifier::builder(sender.scheme());
    for secret in &args.secrets {
        builder = builder.secret(secret.as_str());
    }
    let verifier = builder.build()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Usage(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let layer = match &args.redis {
            Some(url) => IdempotencyLayer::new(
                hookverify_redis::RedisStore::builder(url.as_str()).connect_lazy()?,
            ),
            None => IdempotencyLayer::new(MemoryStore::new()),
        };
        let json = args.json;
        let sink: Sink = Arc::new(move |record: Record| print(&record, json));
        let local = format!("http://127.0.0.1:{}", args.port);
        let app = router(
            vec![("/".to_owned(), sender.clone(), verifier)],
            DEFAULT_BODY_LIMIT,
            Some(args.public_url.as_deref().unwrap_or(&local)),
            layer,
            sink,
        );
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port)))
            .await
            .map_err(|e| Usage(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
        let addr = listener.local_addr().map_err(|e| Usage(e.to_string()))?;
        anstream::println!("listening on {addr}");
        if !json {
            anstream::eprintln!(
                "{}",
                paint(
                    DIM,
                    format!(
                        "receiving {} webhooks on POST http://{addr}/ — Ctrl-C to stop",
                        sender
                    )
                )
            );
        }
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Usage(e.to_string()))?;
        Ok(ExitCode::SUCCESS)
    })
}
