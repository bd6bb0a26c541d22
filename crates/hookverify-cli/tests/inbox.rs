//! `hookverify inbox status|retry|purge` against a real Postgres inbox
//! (`HOOKVERIFY_DATABASE_URL`, set by `scripts/test.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

mod common;

use common::{hookverify, text};
use hookverify::adapter::InboxEntry;
use hookverify_postgres::{BoxFuture, HandlerError, Inbox, InboxEvent, InboxHandler, Worker};
use sqlx::PgConnection;

/// Succeeds for `ok`, fails permanently otherwise.
struct OnlyOk;

impl InboxHandler for OnlyOk {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        _: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            if event.idempotency_key() == "ok" {
                Ok(())
            } else {
                Err(HandlerError::Permanent("poison".into()))
            }
        })
    }
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = hookverify(args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_retry_and_purge_operate_the_inbox() {
    let url = std::env::var("HOOKVERIFY_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "HOOKVERIFY_DATABASE_URL is not set: run scripts/test.sh (it installs and starts \
             Postgres), or start one and export HOOKVERIFY_DATABASE_URL=postgres://user@127.0.0.1:PORT/db"
        )
    });
    let table = format!("cli_inbox_{}", std::process::id());
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let inbox = Inbox::new(pool).table(&table).unwrap();
    inbox.migrate().await.unwrap();
    for key in ["ok", "poison"] {
        inbox
            .accept(InboxEntry::new("sendable", "message.read", key, b"{}", &[]))
            .await
            .unwrap();
    }
    let worker = Worker::new(inbox.clone(), OnlyOk);
    assert!(worker.run_once().await.unwrap());
    assert!(worker.run_once().await.unwrap());

    let base = [
        "--database-url",
        url.as_str(),
        "--table",
        table.as_str(),
        "--json",
    ];
    let with = |action: &'static [&'static str]| {
        let mut args: Vec<&str> = vec!["inbox"];
        args.extend_from_slice(action);
        args.extend_from_slice(&base);
        json(&args)
    };
    let status = with(&["status"]);
    assert_eq!(
        (
            status["pending"].as_u64(),
            status["dead"].as_u64(),
            status["done"].as_u64()
        ),
        (Some(0), Some(1), Some(1)),
        "{status}"
    );
    assert_eq!(with(&["retry"])["replayed"], 1);
    let status = with(&["status"]);
    assert_eq!(
        (status["pending"].as_u64(), status["dead"].as_u64()),
        (Some(1), Some(0)),
        "{status}"
    );
    assert!(status["oldest_pending_secs"].is_u64(), "{status}");
    assert_eq!(with(&["purge", "--older-than-secs", "0"])["purged"], 1);
    assert_eq!(with(&["status"])["done"], 0);

    // Without a database URL: a usage error, exit 2.
    let out = hookverify(&["inbox", "status"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

/// Fails every attempt of `poison` (temporarily: it goes dead after the worker's max attempts).
struct PoisonFails;

impl hookverify_redis::InboxHandler for PoisonFails {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
    ) -> hookverify_redis::BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            if event.idempotency_key() == "poison" {
                Err(HandlerError::Temporary(format!(
                    "attempt {}",
                    event.attempt
                )))
            } else {
                Ok(())
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_retry_and_purge_operate_a_redis_inbox() {
    let url = std::env::var("HOOKVERIFY_REDIS_URL").unwrap_or_else(|_| {
        panic!(
            "HOOKVERIFY_REDIS_URL is not set: run scripts/test.sh (it installs and starts Redis), \
             or start one and export HOOKVERIFY_REDIS_URL=redis://127.0.0.1:PORT"
        )
    });
    let prefix = format!("{{cli-inbox-{}}}:", std::process::id());
    let inbox = hookverify_redis::Inbox::builder(url.as_str())
        .prefix(prefix.as_str())
        .connect()
        .await
        .unwrap();
    for key in ["ok", "poison"] {
        inbox
            .accept(InboxEntry::new("sendable", "message.read", key, b"{}", &[]))
            .await
            .unwrap();
    }
    let base = [
        "--redis",
        url.as_str(),
        "--prefix",
        prefix.as_str(),
        "--json",
    ];
    let with = |action: &'static [&'static str]| {
        let mut args: Vec<&str> = vec!["inbox"];
        args.extend_from_slice(action);
        args.extend_from_slice(&base);
        json(&args)
    };
    // Before any worker: two events waiting, no group yet.
    let status = with(&["status"]);
    assert_eq!(
        (status["stream_length"].as_u64(), status["pending"].as_u64()),
        (Some(2), Some(0)),
        "{status}"
    );
    assert!(status["oldest_pending_secs"].is_u64(), "{status}");

    // The poison event is delivered three times, then dead-lettered.
    let worker = hookverify_redis::Worker::new(inbox.clone(), PoisonFails)
        .backoff(hookverify_redis::Backoff::new(
            std::time::Duration::ZERO,
            std::time::Duration::ZERO,
            0.0,
        ))
        .max_attempts(3);
    for _ in 0..4 {
        assert!(worker.run_once().await.unwrap());
    }
    assert!(!worker.run_once().await.unwrap());
    let status = with(&["status"]);
    assert_eq!(
        (
            status["stream_length"].as_u64(),
            status["pending"].as_u64(),
            status["dead"].as_u64(),
            status["consumers"].as_u64()
        ),
        (Some(0), Some(0), Some(1), Some(1)),
        "{status}"
    );
    assert_eq!(with(&["retry"])["replayed"], 1);
    let status = with(&["status"]);
    assert_eq!(
        (status["stream_length"].as_u64(), status["dead"].as_u64()),
        (Some(1), Some(0)),
        "{status}"
    );
    // The replayed event is delivered afresh (delivery 1).
    assert!(worker.run_once().await.unwrap());
    assert_eq!(with(&["status"])["retrying"], 1);
    // The worker holds nothing (the retrying event waits with the retry schedule): purging
    // idle consumers removes it, and the retrying event stays.
    assert_eq!(
        with(&["purge", "--older-than-secs", "0"])["consumers_removed"],
        1
    );
    let status = with(&["status"]);
    assert_eq!(
        (status["consumers"].as_u64(), status["retrying"].as_u64()),
        (Some(0), Some(1)),
        "{status}"
    );

    // Both stores at once: a usage error, exit 2.
    let out = hookverify(&[
        "inbox",
        "status",
        "--redis",
        &url,
        "--database-url",
        "postgres://x",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}
