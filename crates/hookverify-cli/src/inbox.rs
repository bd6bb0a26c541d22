//! `hookverify inbox status|retry|purge`: operations on a Postgres or a Redis inbox.

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
    /// A Postgres inbox: `postgres://user@host:port/db` (or set DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
    /// The Postgres inbox table.
    #[arg(long, default_value = DEFAULT_INBOX_TABLE, global = true)]
    table: String,
    /// A Redis inbox: `redis://[:password@]host:port[/db]` (in place of --database-url).
    #[arg(long, global = true, conflicts_with = "database_url")]
    redis: Option<String>,
    /// The Redis inbox's key prefix.
    #[arg(long, default_value = hookverify_redis::DEFAULT_INBOX_PREFIX, global = true)]
    prefix: String,
    /// The Redis inbox's consumer group.
    #[arg(long, default_value = hookverify_redis::DEFAULT_GROUP, global = true)]
    group: String,
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Action {
    /// Depth, oldest pending age, dead and done counts (Redis: stream length, pending and
    /// retrying entries, longest idle, dead letters, consumers).
    Status,
    /// Put every dead event back in the queue (attempts reset).
    Retry,
    /// Delete processed events older than the de-duplication window (Redis: processed events
    /// leave the stream at once; this removes consumers idle that long with nothing pending).
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

#[derive(Serialize)]
struct RedisStatusReport {
    stream_length: u64,
    pending: u64,
    retrying: u64,
    dead: u64,
    oldest_pending_secs: Option<u64>,
    longest_idle_secs: Option<u64>,
    consumers: u64,
}

pub(crate) fn run(args: &InboxArgs) -> Result<ExitCode, Usage> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if let Some(url) = &args.redis {
        return runtime.block_on(redis(args, url));
    }
    let url = args.database_url.as_deref().ok_or_else(|| {
        Usage("give --database-url (or DATABASE_URL) or --redis: where the inbox is".to_owned())
    })?;
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

/// The same operations on a Redis inbox.
async fn redis(args: &InboxArgs, url: &str) -> Result<ExitCode, Usage> {
    let inbox = hookverify_redis::Inbox::builder(url)
        .prefix(&args.prefix)
        .group(&args.group)
        .timeout(Duration::from_secs(5))
        .connect()
        .await?;
    match &args.action {
        Action::Status => {
            let status = inbox.status().await?;
            let report = RedisStatusReport {
                stream_length: status.stream_length,
                pending: status.pending,
                retrying: status.retrying,
                dead: status.dead,
                oldest_pending_secs: status.oldest_pending.map(|age| age.as_secs()),
                longest_idle_secs: status.longest_idle.map(|idle| idle.as_secs()),
                consumers: status.consumers,
            };
            if args.json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                let secs = |value: Option<u64>| value.map_or("-".to_owned(), |s| format!("{s} s"));
                println!(
                    "stream:         {} (not yet processed)",
                    report.stream_length
                );
                println!(
                    "pending:        {} (delivered to a worker, not acknowledged)",
                    report.pending
                );
                println!(
                    "retrying:       {} (of those, waiting for their next attempt)",
                    report.retrying
                );
                println!("oldest pending: {}", secs(report.oldest_pending_secs));
                println!("longest idle:   {}", secs(report.longest_idle_secs));
                println!("dead:           {}", report.dead);
                println!("consumers:      {}", report.consumers);
            }
        }
        Action::Retry => {
            let replayed = inbox.retry_dead().await?;
            if args.json {
                println!("{}", serde_json::json!({ "replayed": replayed }));
            } else {
                println!("{replayed} dead letter(s) back in the stream");
            }
        }
        Action::Purge { older_than_secs } => {
            let removed = inbox
                .purge_consumers(Duration::from_secs(*older_than_secs))
                .await?;
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "purged": 0, "consumers_removed": removed })
                );
            } else {
                println!(
                    "processed events leave the stream when acknowledged: nothing to purge; \
                     {removed} idle consumer(s) removed"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
