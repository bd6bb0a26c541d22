//! The Postgres inbox under load, against the database in `HOOKVERIFY_DATABASE_URL`:
//!
//! 1. accepted events/s (32 concurrent tasks on a 32-connection pool, 1 KiB bodies, every event
//!    new) against plain `INSERT`s of the same rows into a twin table (same columns and indexes)
//!    from the same client;
//! 2. worker throughput: a backlog drained by 1 and by 4 workers;
//! 3. accept-to-handled latency (p50, p99) at 1 000 events/s with four running workers woken by
//!    `LISTEN/NOTIFY` (a long poll interval, so only notifications wake them in time).
//!
//! ```sh
//! HOOKVERIFY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p hookverify-benches --example inbox_bench -- [SECONDS]
//! ```

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)] // Measurement code.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hookverify::adapter::InboxEntry;
use hookverify_postgres::{BoxFuture, HandlerError, Inbox, InboxEvent, InboxHandler, Worker};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgConnection};

#[path = "shared/inbox_load.rs"]
mod inbox_load;

use inbox_load::{Latencies, body, headers, rate};

/// Workers running during the latency measurement.
const LATENCY_WORKERS: usize = 4;

struct Noop;

impl InboxHandler for Noop {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        tx: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            sqlx::query("INSERT INTO bench_effects (key) VALUES ($1) ON CONFLICT DO NOTHING")
                .bind(event.idempotency_key())
                .execute(&mut *tx)
                .await
                .map_err(|e| HandlerError::Temporary(e.to_string()))?;
            Ok(())
        })
    }
}

/// Records when each event was handled.
struct Latency(Latencies);

impl InboxHandler for Latency {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        _: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            self.0.handled(event.idempotency_key());
            Ok(())
        })
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let url = std::env::var("HOOKVERIFY_DATABASE_URL").expect("HOOKVERIFY_DATABASE_URL");
    let seconds: u64 = std::env::args().nth(1).map_or(5, |s| s.parse().unwrap());
    let pool = PgPoolOptions::new()
        .max_connections(40)
        .connect(&url)
        .await
        .unwrap();
    let table = format!("bench_inbox_{}", std::process::id());
    let inbox = Inbox::new(pool.clone()).table(&table).unwrap();
    inbox.migrate().await.unwrap();
    let twin = format!("{table}_plain");
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TABLE {twin} (LIKE {table} INCLUDING ALL)"
    )))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_effects (key text PRIMARY KEY)")
        .execute(&pool)
        .await
        .unwrap();
    let body = Arc::new(body());
    let headers = Arc::new(headers());
    let run = std::process::id();

    // 1. Accept vs plain INSERT, alternating, twice each.
    let mut accept_rates = Vec::new();
    let mut insert_rates = Vec::new();
    for round in 0..2 {
        let (i, b, h) = (inbox.clone(), Arc::clone(&body), Arc::clone(&headers));
        accept_rates.push(
            rate(32, seconds, move |n| {
                let (i, b, h) = (i.clone(), Arc::clone(&b), Arc::clone(&h));
                async move {
                    let key = format!("r{run}_{round}_{n}");
                    i.accept(InboxEntry::new("sendable", "message.read", &key, &b, &h))
                        .await
                        .unwrap();
                }
            })
            .await,
        );
        let (p, b, h, twin) = (
            pool.clone(),
            Arc::clone(&body),
            Arc::clone(&headers),
            twin.clone(),
        );
        insert_rates.push(
            rate(32, seconds, move |n| {
                let (p, b, h) = (p.clone(), Arc::clone(&b), Arc::clone(&h));
                let sql = format!(
                    "INSERT INTO {twin} (key, provider, event_type, body, header_names, header_values)
                     VALUES ($1, $2, $3, $4, $5, $6)"
                );
                async move {
                    let (names, values): (Vec<&str>, Vec<&str>) =
                        h.iter().map(|(n, v)| (n.as_str(), v.as_str())).unzip();
                    sqlx::query(AssertSqlSafe(sql))
                        .bind(format!("sendable:r{run}_{round}_{n}"))
                        .bind("sendable")
                        .bind("message.read")
                        .bind(&b[..])
                        .bind(names)
                        .bind(values)
                        .execute(&p)
                        .await
                        .unwrap();
                }
            })
            .await,
        );
    }
    for (round, (a, p)) in accept_rates.iter().zip(&insert_rates).enumerate() {
        println!(
            "round {}: accept {a:.0} events/s, plain INSERT {p:.0} rows/s, ratio {:.2}",
            round + 1,
            a / p
        );
    }

    // The accept phase's events are not part of the worker measurements.
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {table} SET status = 'done', done_at = now()"
    )))
    .execute(&pool)
    .await
    .unwrap();

    // 2. Worker throughput: drain a backlog with 1, then 4 workers.
    for workers in [1usize, 4] {
        let backlog = 4000;
        let round = format!("w{workers}");
        for n in 0..backlog {
            let key = format!("r{run}_{round}_{n}");
            inbox
                .accept(InboxEntry::new(
                    "sendable",
                    "message.read",
                    &key,
                    &body,
                    &headers,
                ))
                .await
                .unwrap();
        }
        let started = Instant::now();
        let tasks: Vec<_> = (0..workers)
            .map(|_| {
                let worker = Worker::new(inbox.clone(), Noop);
                tokio::spawn(async move { while worker.run_once().await.unwrap() {} })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        println!(
            "{workers} worker(s): {:.0} events/s ({backlog} events in {:.2} s)",
            backlog as f64 / started.elapsed().as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }

    // 3. Latency from accept to handled at 1 000 events/s, four running workers.
    let latencies = Latencies::default();
    let running: Vec<_> = (0..LATENCY_WORKERS)
        .map(|_| {
            let worker = Worker::new(inbox.clone(), Latency(latencies.clone()))
                .poll_interval(Duration::from_secs(5));
            tokio::spawn(worker.run())
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    latencies
        .measure(run, seconds, |key| {
            let (inbox, body, headers) = (inbox.clone(), Arc::clone(&body), Arc::clone(&headers));
            async move {
                inbox
                    .accept(InboxEntry::new(
                        "sendable",
                        "message.read",
                        &key,
                        &body,
                        &headers,
                    ))
                    .await
                    .unwrap();
            }
        })
        .await;
    for worker in running {
        worker.abort();
    }
    for t in [table.clone(), twin] {
        let _ = sqlx::query(AssertSqlSafe(format!("DROP TABLE {t}")))
            .execute(&pool)
            .await;
    }
}
