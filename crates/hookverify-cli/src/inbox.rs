//! `hookverify inbox status|retry|purge`: operations on a Postgres inbox.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use hookverify_postgres::{DEFAULT_INBOX_TABLE, Inbox};
use serde::Serialize;
use sqlx::postgres::PgPoolOptions;

use crate::common::Usage;

#[derive(Args)]
pub(crate) struct InboxArgs {
    #[command(subcommand)]
    action: Action,
    /// `postgres://user@host:port/db` (or set DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
    /// The inbox table.
    #[arg(long, default_value = DEFAULT_INBOX_TABLE, global = true)]
    table: String,
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Action {
    /// Depth, oldest pending age, dead and done counts.
    Status,
    /// Put every dead event back in the queue (attempts reset).
    Retry,
    /// Delete processed events older than the de-duplication window.
    Purge {
        /// The de-duplication window in seconds: done events older than this go (a duplicate
        /// delivered later is processed again).
        #[arg(long, default_value_t = 7 * 24 * 3600)]
        older_than_secs: u64,
    },
}

#[derive(Serialize)]
struct StatusReport {
    pending: u64,
    oldest_pending_secs: Option<u64>,
    dead: u64,
    done: u64,
}

pub(crate) fn run(args: &InboxArgs) -> Result<ExitCode, Usage> {
    let url = args
        .database_url
        .as_deref()
        .ok_or_else(|| Usage("--database-url (or DATABASE_URL) is required".to_owned()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let pool = PgPoolOptions::new()
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy(url)?;
        let inbox = Inbox::new(pool).table(&args.table)?;
        match &args.action {
            Action::Status => {
                let status = inbox.status().await?;
                let report = StatusReport {
                    pending: status.pending,
                    oldest_pending_secs: status.oldest_pending.map(|age| age.as_secs()),
                    dead: status.dead,
                    done: status.done,
                };
                if args.json {
                    println!("{}", serde_json::to_string(&report)?);
                } else {
                    println!("pending: {}", report.pending);
                    match report.oldest_pending_secs {
                        Some(age) => println!("oldest pending: {age} s"),
                        None => println!("oldest pending: -"),
                    }
                    println!("dead:    {}", report.dead);
                    println!("done:    {} (not yet purged)", report.done);
                }
            }
            Action::Retry => {
                let replayed = inbox.retry_dead().await?;
                if args.json {
                    println!("{}", serde_json::json!({ "replayed": replayed }));
                } else {
                    println!("{replayed} dead event(s) back in the queue");
                }
            }
            Action::Purge { older_than_secs } => {
                let purged = inbox
                    .purge_done(Duration::from_secs(*older_than_secs))
                    .await?;
                if args.json {
                    println!("{}", serde_json::json!({ "purged": purged }));
                } else {
                    println!("{purged} processed event(s) purged");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
