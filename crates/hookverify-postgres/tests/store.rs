//! `PostgresStore` against a real Postgres (`HOOKVERIFY_DATABASE_URL`, set by `scripts/test.sh`):
//! the shared conformance suite, concurrent migrations, and claims inside a transaction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::time::Duration;

use hookverify::idempotency::{ClaimOutcome, IdempotencyStore, conformance};
use hookverify_postgres::{PostgresStore, TxClaim};
use sqlx::{AssertSqlSafe, Row};

fn database_url() -> String {
    std::env::var("HOOKVERIFY_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "HOOKVERIFY_DATABASE_URL is not set: run scripts/test.sh (it installs and starts \
             Postgres), or start one and export HOOKVERIFY_DATABASE_URL=postgres://user@127.0.0.1:PORT/db"
        )
    })
}

/// A store on a table of its own, migrated.
async fn store(table: &str) -> PostgresStore {
    let store = PostgresStore::connect_lazy(&database_url())
        .unwrap()
        .table(&format!("{table}_{}", std::process::id()))
        .unwrap();
    store.migrate().await.unwrap();
    store
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_passes_the_conformance_suite() {
    let store = store("conformance").await;
    conformance::run_all(&store, tokio::time::sleep).await;
    assert!(store.purge_expired().await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_processes_may_migrate_together() {
    let url = database_url();
    let table = format!("migrate_race_{}", std::process::id());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (url, table) = (url.clone(), table.clone());
            tokio::spawn(async move {
                let store = PostgresStore::connect_lazy(&url)
                    .unwrap()
                    .table(&table)
                    .unwrap();
                store.migrate().await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_in_a_transaction_commits_or_rolls_back_with_the_writes() {
    let store = store("in_tx").await;
    let effects = format!("effects_{}", std::process::id());
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TABLE IF NOT EXISTS {effects} (key text PRIMARY KEY, n int NOT NULL)"
    )))
    .execute(store.pool())
    .await
    .unwrap();
    let apply = |key: &'static str, commit: bool| {
        let (store, effects) = (store.clone(), effects.clone());
        async move {
            match store
                .claim_in_tx(key, Duration::from_secs(60))
                .await
                .unwrap()
            {
                TxClaim::New(mut tx) => {
                    sqlx::query(AssertSqlSafe(format!(
                        "INSERT INTO {effects} (key, n) VALUES ($1, 1)
                         ON CONFLICT (key) DO UPDATE SET n = {effects}.n + 1"
                    )))
                    .bind(key)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    if commit {
                        tx.commit().await.unwrap();
                    } // else: dropped, rolled back (a crash before commit)
                    true
                }
                TxClaim::Done => false,
            }
        }
    };
    let count = |key: &'static str| {
        let (store, effects) = (store.clone(), effects.clone());
        async move {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT n FROM {effects} WHERE key = $1"
            )))
            .bind(key)
            .fetch_optional(store.pool())
            .await
            .unwrap()
            .map_or(0, |row| row.get::<i32, _>(0))
        }
    };
    // Rolled back: nothing recorded, the retry processes it.
    assert!(apply("evt_1", false).await);
    assert_eq!(count("evt_1").await, 0);
    assert!(apply("evt_1", true).await);
    assert_eq!(count("evt_1").await, 1);
    // Committed: every later delivery is a duplicate, the effect stays at one.
    assert!(!apply("evt_1", true).await);
    assert_eq!(count("evt_1").await, 1);
    // The lease store sees the committed key as done.
    assert!(matches!(
        store.claim("evt_1", Duration::from_secs(5)).await.unwrap(),
        ClaimOutcome::Done
    ));

    // Ten concurrent deliveries of one event: exactly one applies it.
    let deliveries: Vec<_> = (0..10)
        .map(|_| tokio::spawn(apply("evt_2", true)))
        .collect();
    let mut applied = 0;
    for delivery in deliveries {
        applied += usize::from(delivery.await.unwrap());
    }
    assert_eq!(applied, 1);
    assert_eq!(count("evt_2").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_is_unavailable_within_the_acquire_timeout() {
    // Nothing listens on port 1.
    let store = PostgresStore::connect_lazy("postgres://nobody@127.0.0.1:1/none").unwrap();
    let started = std::time::Instant::now();
    let err = store.claim("k", Duration::from_secs(5)).await.unwrap_err();
    assert!(
        matches!(err, hookverify::idempotency::StoreError::Unavailable { .. }),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The URL (and a password in it) never shows in Debug.
    assert!(!format!("{store:?}").contains("nobody"));
}
