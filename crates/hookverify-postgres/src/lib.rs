#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod inbox;

pub use hookverify::adapter::{Accepted, Backoff, HandlerError, InboxEvent};
pub use inbox::{BoxFuture, DEFAULT_INBOX_TABLE, Inbox, InboxHandler, InboxStatus, Worker};

use hookverify::idempotency::{Claim, ClaimOutcome, IdempotencyStore, StoreError};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};

/// The table [`PostgresStore`] uses unless told otherwise.
pub const DEFAULT_TABLE: &str = "hookverify_idempotency";

/// How long [`PostgresStore::connect_lazy`] waits for a pooled connection before an operation fails
/// with [`StoreError::Unavailable`] (sqlx's own default is 30 s, longer than providers wait).
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// A table name that is not a plain SQL identifier (`name` or `schema.name`, ASCII letters,
/// digits and `_`, not starting with a digit, at most 63 bytes a part).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a plain table name (letters, digits and `_`, optionally `schema.table`)")]
pub struct InvalidTableName(String);

/// An [`IdempotencyStore`] on Postgres (13 or newer): one row per idempotency key with its
/// fencing token, its state and when it expires.
///
/// Semantics are the memory and Redis stores' (the shared conformance suite runs against it):
/// a claim holds a lease; a claim whose lease expired can be taken by the next delivery, with a
/// new token, so the old holder's `complete` fails with [`StoreError::ClaimLost`]; a completed key
/// answers [`ClaimOutcome::Done`] until its `keep_for` runs out. Every operation is one SQL
/// statement, atomic on its own. Expired rows are deleted by [`PostgresStore::purge_expired`].
///
/// For exactly-once effects on your own tables, claim *inside your transaction* with
/// [`PostgresStore::claim_in_tx`]: the done-marker then commits or rolls back with your writes.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    sql: Arc<Sql>,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The pool's options hold the connection URL, password included: never printed.
        f.debug_struct("PostgresStore")
            .field("table", &self.sql.table)
            .finish_non_exhaustive()
    }
}

/// The statements, rendered once for the configured table.
#[derive(Debug)]
struct Sql {
    table: String,
    migrate: Vec<Arc<str>>,
    claim: Arc<str>,
    state: Arc<str>,
    complete: Arc<str>,
    release: Arc<str>,
    remaining: Arc<str>,
    purge: Arc<str>,
    claim_done: Arc<str>,
}

/// A statement of [`Sql`] for sqlx: built from a validated table name and constants only, never
/// from request data (hence the assertion), and shared, not copied, per query.
fn q(sql: &Arc<str>) -> AssertSqlSafe<Arc<str>> {
    AssertSqlSafe(Arc::clone(sql))
}

impl Sql {
    fn new(table: &str) -> Sql {
        let t = quote(table);
        let seq = quote(&format!("{table}_token"));
        Sql {
            table: table.to_owned(),
            migrate: vec![
                format!("CREATE SEQUENCE IF NOT EXISTS {seq}").into(),
                format!(
                    "CREATE TABLE IF NOT EXISTS {t} (
                        key text PRIMARY KEY,
                        token bigint NOT NULL,
                        done boolean NOT NULL,
                        expires_at timestamptz NOT NULL
                    )"
                )
                .into(),
                format!(
                    "CREATE INDEX IF NOT EXISTS {} ON {t} (expires_at)",
                    quote(&format!("{}_expires_at", table.replace('.', "_")))
                )
                .into(),
            ],
            claim: claim_sql(&t, &seq, false),
            state: format!(
                "SELECT done FROM {t} WHERE key = $1 AND expires_at > clock_timestamp()"
            )
            .into(),
            complete: format!(
                "UPDATE {t} SET done = true, expires_at = clock_timestamp() + $3 * interval '1 millisecond'
                 WHERE key = $1 AND token = $2 AND NOT done"
            )
            .into(),
            release: format!("DELETE FROM {t} WHERE key = $1 AND token = $2 AND NOT done").into(),
            remaining: format!(
                "SELECT (EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000)::bigint
                 FROM {t} WHERE key = $1 AND NOT done AND expires_at > clock_timestamp()"
            )
            .into(),
            purge: format!("DELETE FROM {t} WHERE expires_at <= clock_timestamp()").into(),
            // Inside the caller's transaction: the key is written done at once. A concurrent
            // transaction inserting the same key waits on this row's lock until we commit (then
            // it sees a done row) or roll back (then it inserts).
            claim_done: claim_sql(&t, &seq, true),
        }
    }
}

/// The claim statement: a new key, or one whose lease or done-marker expired, gets a fresh token
/// (from sequence `seq`) and state `done`; a live row is left alone (no row returned).
fn claim_sql(table: &str, seq: &str, done: bool) -> Arc<str> {
    format!(
        "INSERT INTO {table} AS current (key, token, done, expires_at)
         VALUES ($1, nextval('{seq_literal}'), {done}, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE
           SET token = EXCLUDED.token, done = {done}, expires_at = EXCLUDED.expires_at
           WHERE current.expires_at <= clock_timestamp()
         RETURNING token",
        seq_literal = seq.replace('\'', "''"),
    )
    .into()
}

/// `"name"` or `"schema"."name"`: the name was validated, so quoting cannot be escaped.
fn quote(name: &str) -> String {
    name.split('.')
        .map(|part| format!("\"{part}\""))
        .collect::<Vec<_>>()
        .join(".")
}

fn valid_table(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    (1..=2).contains(&parts.len())
        && parts.iter().all(|part| {
            part.len() <= 56
                && part
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Runs `statements` (idempotent DDL) in one transaction under an advisory lock named after
/// `table`, so processes starting together do not race on `CREATE ... IF NOT EXISTS`.
async fn migrate(pool: &PgPool, table: &str, statements: &[Arc<str>]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(backend("begin a migration"))?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind(table)
        .execute(&mut *tx)
        .await
        .map_err(backend("take the migration lock"))?;
    for statement in statements {
        sqlx::query(AssertSqlSafe(Arc::clone(statement)))
            .execute(&mut *tx)
            .await
            .map_err(backend("create the tables"))?;
    }
    tx.commit().await.map_err(backend("commit the migration"))
}

/// Whole milliseconds of `duration`, saturating, for SQL intervals.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn backend(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| StoreError::backend(format!("Postgres could not {what}"), err)
}

/// What [`PostgresStore::claim_in_tx`] found.
#[derive(Debug)]
#[must_use = "commit the transaction to record the event as processed"]
pub enum TxClaim {
    /// The key is new: it is recorded as done *in this transaction*. Do your writes in it and
    /// commit; dropping it (or an error before commit) rolls everything back, and the provider's
    /// retry is processed again.
    New(Transaction<'static, Postgres>),
    /// The key was processed already (committed by an earlier delivery): skip it.
    Done,
}

impl PostgresStore {
    /// Connects a pool to `url` with a short acquire timeout ([`DEFAULT_ACQUIRE_TIMEOUT`]), on the
    /// default table. Does not create the table: call [`PostgresStore::migrate`].
    ///
    /// # Errors
    ///
    /// sqlx's error when the URL is invalid. The pool connects lazily, so an unreachable server
    /// is not an error here: operations answer [`StoreError::Unavailable`] until it is back.
    pub fn connect_lazy(url: &str) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .acquire_timeout(DEFAULT_ACQUIRE_TIMEOUT)
            .connect_lazy(url)?;
        Ok(PostgresStore::with_pool(pool))
    }

    /// A store on your own pool (share it with the rest of your application), default table.
    pub fn with_pool(pool: PgPool) -> Self {
        PostgresStore {
            pool,
            sql: Arc::new(Sql::new(DEFAULT_TABLE)),
        }
    }

    /// The same store on table `name` (`table` or `schema.table`).
    ///
    /// # Errors
    ///
    /// [`InvalidTableName`] when `name` is not a plain identifier (it goes into SQL text).
    pub fn table(self, name: &str) -> Result<Self, InvalidTableName> {
        if !valid_table(name) {
            return Err(InvalidTableName(name.to_owned()));
        }
        Ok(PostgresStore {
            pool: self.pool,
            sql: Arc::new(Sql::new(name)),
        })
    }

    /// The pool, for your own queries.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Creates the table, its token sequence and its index when missing. Idempotent, and safe
    /// when several processes start together (a transaction-scoped advisory lock serializes
    /// them).
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached or refuses the DDL.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrate(&self.pool, &self.sql.table, &self.sql.migrate).await
    }

    /// Deletes rows whose lease or done-marker has expired; returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached.
    pub async fn purge_expired(&self) -> Result<u64, StoreError> {
        let done = sqlx::query(q(&self.sql.purge))
            .execute(&self.pool)
            .await
            .map_err(backend("purge expired keys"))?;
        Ok(done.rows_affected())
    }

    /// Claims `key` inside a new transaction and records it as done there, kept for `keep_for`
    /// after the commit: the claim, your business writes and "done" commit or roll back
    /// together. A crash before commit leaves nothing recorded, so the retry processes the event
    /// again; a concurrent delivery of the same key waits for this transaction and then sees
    /// [`TxClaim::Done`].
    ///
    /// ```no_run
    /// # async fn handle(store: hookverify_postgres::PostgresStore, key: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hookverify_postgres::TxClaim;
    ///
    /// match store.claim_in_tx(key, Duration::from_secs(7 * 24 * 3600)).await? {
    ///     TxClaim::New(mut tx) => {
    ///         sqlx::query("UPDATE accounts SET credits = credits + 1 WHERE id = $1")
    ///             .bind(42_i64)
    ///             .execute(&mut *tx)
    ///             .await?;
    ///         tx.commit().await?; // the effect and the done-marker, together
    ///     }
    ///     TxClaim::Done => {} // a duplicate delivery: already applied
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached: answer 503 so the provider
    /// retries.
    pub async fn claim_in_tx(&self, key: &str, keep_for: Duration) -> Result<TxClaim, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(backend("begin a transaction"))?;
        let row = sqlx::query(q(&self.sql.claim_done))
            .bind(key)
            .bind(millis(keep_for))
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend("claim a key"))?;
        Ok(match row {
            Some(_) => TxClaim::New(tx),
            None => TxClaim::Done,
        })
    }
}

impl IdempotencyStore for PostgresStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<ClaimOutcome, StoreError> {
        let row = sqlx::query(q(&self.sql.claim))
            .bind(key)
            .bind(millis(lease))
            .fetch_optional(&self.pool)
            .await
            .map_err(backend("claim a key"))?;
        if let Some(row) = row {
            let token: i64 = row.try_get(0).map_err(backend("read a claim token"))?;
            // Tokens come from a sequence: positive, so the cast is exact.
            return Ok(ClaimOutcome::New(Claim::new(key, token.unsigned_abs())));
        }
        let state = sqlx::query(q(&self.sql.state))
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend("read a key's state"))?;
        match state {
            Some(row) if row.try_get::<bool, _>(0).unwrap_or(false) => Ok(ClaimOutcome::Done),
            // Live and not done; or it expired between the two statements, in which case the
            // provider's retry claims it.
            _ => Ok(ClaimOutcome::InProgress),
        }
    }

    async fn complete(&self, claim: &Claim, keep_for: Duration) -> Result<(), StoreError> {
        let done = sqlx::query(q(&self.sql.complete))
            .bind(claim.key())
            .bind(i64::try_from(claim.token()).unwrap_or(i64::MAX))
            .bind(millis(keep_for))
            .execute(&self.pool)
            .await
            .map_err(backend("complete a claim"))?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::ClaimLost)
        }
    }

    async fn release(&self, claim: &Claim) -> Result<(), StoreError> {
        let done = sqlx::query(q(&self.sql.release))
            .bind(claim.key())
            .bind(i64::try_from(claim.token()).unwrap_or(i64::MAX))
            .execute(&self.pool)
            .await
            .map_err(backend("release a claim"))?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::ClaimLost)
        }
    }

    async fn lease_remaining(&self, key: &str) -> Result<Option<Duration>, StoreError> {
        let row = sqlx::query(q(&self.sql.remaining))
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend("read a lease"))?;
        Ok(row
            .and_then(|row| row.try_get::<i64, _>(0).ok())
            .map(|millis| Duration::from_millis(millis.unsigned_abs())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_plain_identifiers() {
        for ok in ["hookverify_idempotency", "app.webhook_keys", "_x1"] {
            assert!(valid_table(ok), "{ok}");
        }
        for bad in [
            "",
            "1abc",
            "a;drop table x",
            "a.b.c",
            "we\"ird",
            "a b",
            "a.",
        ] {
            assert!(!valid_table(bad), "{bad}");
        }
        assert_eq!(quote("app.keys"), "\"app\".\"keys\"");
    }
}
