//! The transactional inbox: accept verified events into a table, answer the provider at once,
//! and process them in the background with retries, backoff and dead letters.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use hookverify::Parsed;
use hookverify::adapter::{
    Accepted, Backoff, EventSink, HandlerError, InboxEntry, InboxEvent, SinkFuture,
};
use hookverify::idempotency::StoreError;
use sqlx::postgres::{PgListener, PgPool};
use sqlx::{AssertSqlSafe, PgConnection, Row};

use crate::{InvalidTableName, backend, millis, quote, valid_table};

/// The inbox table unless told otherwise.
pub const DEFAULT_INBOX_TABLE: &str = "hookverify_inbox";

/// A boxed, `Send` future (what an [`InboxHandler`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Verified events stored for background processing: one row per idempotency key, so duplicate
/// deliveries collapse at the insert.
///
/// Receivers [`accept`](Inbox::accept) (one `INSERT ... ON CONFLICT (key) DO NOTHING`, then a
/// `NOTIFY`) and answer 200 only after it returned; [`Worker`]s take due events with
/// `FOR UPDATE SKIP LOCKED`, run the handler inside the transaction that marks the event done,
/// and on failure record the attempt and when to try again; after `max_attempts` the event is
/// `dead` until [`Inbox::retry_dead`]. A killed worker's transaction dies with its connection, so
/// its event is taken again.
#[derive(Clone)]
pub struct Inbox {
    pool: PgPool,
    sql: Arc<InboxSql>,
    notify: Arc<Coalesce>,
}

/// How long accepted events wait for one shared `NOTIFY`: a `NOTIFY` takes a cluster-wide lock
/// at commit, so one per accept would serialize every receiver's inserts.
const NOTIFY_WINDOW: Duration = Duration::from_millis(2);

/// At most one `NOTIFY` in flight per inbox handle and window; accepts in between share it.
#[derive(Debug, Default)]
struct Coalesce {
    pending: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("table", &self.sql.table)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct InboxSql {
    table: String,
    channel: String,
    migrate: Vec<Arc<str>>,
    accept: Arc<str>,
    take: Arc<str>,
    done: Arc<str>,
    failed: Arc<str>,
    status: Arc<str>,
    retry_dead: Arc<str>,
    purge_done: Arc<str>,
    notify: Arc<str>,
}

fn q(sql: &Arc<str>) -> AssertSqlSafe<Arc<str>> {
    AssertSqlSafe(Arc::clone(sql))
}

impl InboxSql {
    fn new(table: &str) -> Self {
        let t = quote(table);
        let channel = format!("{}_new", table.replace('.', "_"));
        let index = quote(&format!("{}_due", table.replace('.', "_")));
        InboxSql {
            table: table.to_owned(),
            migrate: vec![
                format!(
                    "CREATE TABLE IF NOT EXISTS {t} (
                        id bigserial PRIMARY KEY,
                        key text NOT NULL UNIQUE,
                        provider text NOT NULL,
                        event_type text NOT NULL,
                        body bytea NOT NULL,
                        header_names text[] NOT NULL,
                        header_values text[] NOT NULL,
                        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                        status text NOT NULL DEFAULT 'pending',
                        attempts int NOT NULL DEFAULT 0,
                        last_error text,
                        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                        done_at timestamptz
                    )"
                )
                .into(),
                format!("CREATE INDEX IF NOT EXISTS {index} ON {t} (status, next_attempt_at)")
                    .into(),
            ],
            accept: format!(
                "WITH inserted AS (
                   INSERT INTO {t} (key, provider, event_type, body, header_names, header_values)
                   VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (key) DO NOTHING
                   RETURNING id
                 )
                 SELECT id FROM inserted"
            )
            .into(),
            take: format!(
                "SELECT id, key, provider, event_type, body, header_names, header_values, attempts
                 FROM {t}
                 WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
                 ORDER BY next_attempt_at
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED"
            )
            .into(),
            done: format!(
                "UPDATE {t} SET status = 'done', attempts = attempts + 1, done_at = clock_timestamp(),
                   last_error = NULL
                 WHERE id = $1"
            )
            .into(),
            failed: format!(
                "UPDATE {t} SET attempts = attempts + 1, last_error = $2,
                   status = CASE WHEN $4 OR attempts + 1 >= $3 THEN 'dead' ELSE 'pending' END,
                   next_attempt_at = clock_timestamp() + $5 * interval '1 millisecond'
                 WHERE id = $1"
            )
            .into(),
            status: format!(
                "SELECT
                   count(*) FILTER (WHERE status = 'pending'),
                   count(*) FILTER (WHERE status = 'dead'),
                   count(*) FILTER (WHERE status = 'done'),
                   (EXTRACT(EPOCH FROM clock_timestamp() - min(received_at) FILTER (WHERE status = 'pending')) * 1000)::bigint
                 FROM {t}"
            )
            .into(),
            retry_dead: format!(
                "UPDATE {t} SET status = 'pending', attempts = 0, next_attempt_at = clock_timestamp()
                 WHERE status = 'dead'"
            )
            .into(),
            notify: format!("SELECT pg_notify('{channel}', '')").into(),
            purge_done: format!(
                "DELETE FROM {t} WHERE status = 'done'
                   AND done_at <= clock_timestamp() - $1 * interval '1 millisecond'"
            )
            .into(),
            channel,
        }
    }
}

/// Counts for operations (`hookverify inbox status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InboxStatus {
    /// Events waiting (new, or failed and due again later).
    pub pending: u64,
    /// Events that failed `max_attempts` times (or permanently).
    pub dead: u64,
    /// Processed events not yet purged.
    pub done: u64,
    /// How long the oldest pending event has waited.
    pub oldest_pending: Option<Duration>,
}

impl Inbox {
    /// An inbox on `pool`, default table ([`DEFAULT_INBOX_TABLE`]).
    pub fn new(pool: PgPool) -> Self {
        Inbox {
            pool,
            sql: Arc::new(InboxSql::new(DEFAULT_INBOX_TABLE)),
            notify: Arc::default(),
        }
    }

    /// The same inbox on table `name` (`table` or `schema.table`).
    ///
    /// # Errors
    ///
    /// [`InvalidTableName`] when `name` is not a plain identifier.
    pub fn table(self, name: &str) -> Result<Self, InvalidTableName> {
        if !valid_table(name) {
            return Err(InvalidTableName(name.to_owned()));
        }
        Ok(Inbox {
            pool: self.pool,
            sql: Arc::new(InboxSql::new(name)),
            notify: Arc::default(),
        })
    }

    /// The pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Creates the inbox table and index when missing; safe when several processes start
    /// together.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached or refuses the DDL.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        crate::migrate(&self.pool, &self.sql.table, &self.sql.migrate).await
    }

    /// Stores a verified, parsed event (its raw body and the headers needed to parse it again),
    /// unless its idempotency key is already there. Answer the provider 2xx only after this
    /// returned `Ok`. The adapters' accept-into-the-inbox routes call it through [`EventSink`].
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached: answer 503.
    pub async fn accept(&self, entry: InboxEntry<'_>) -> Result<Accepted, StoreError> {
        let (names, values): (Vec<&str>, Vec<&str>) = entry
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .unzip();
        let row = sqlx::query(q(&self.sql.accept))
            .bind(format!("{}:{}", entry.provider, entry.idempotency_key))
            .bind(entry.provider)
            .bind(entry.event_type)
            .bind(entry.body)
            .bind(names)
            .bind(values)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend("store an event in the inbox"))?;
        if row.is_none() {
            return Ok(Accepted::Duplicate);
        }
        self.wake_workers();
        Ok(Accepted::New)
    }

    /// Sends one `NOTIFY` for every event committed up to now, unless one is already on its way:
    /// the flag is checked after this event's commit and cleared before the `NOTIFY`, so the
    /// notification always follows the commit. A lost notification only delays the event to the
    /// workers' next poll.
    fn wake_workers(&self) {
        use std::sync::atomic::Ordering;
        if self.notify.pending.swap(true, Ordering::AcqRel) {
            return;
        }
        let (pool, sql, notify) = (
            self.pool.clone(),
            Arc::clone(&self.sql),
            Arc::clone(&self.notify),
        );
        tokio::spawn(async move {
            tokio::time::sleep(NOTIFY_WINDOW).await;
            notify.pending.store(false, Ordering::Release);
            if let Err(err) = sqlx::query(q(&sql.notify)).execute(&pool).await {
                tracing::debug!(error = %err, "inbox: NOTIFY failed; workers find the event on their next poll");
            }
        });
    }

    /// [`Inbox::accept`] for a [`Parsed`] event of `provider` and the request's headers.
    ///
    /// # Errors
    ///
    /// As [`Inbox::accept`].
    pub async fn accept_parsed<E>(
        &self,
        provider: &str,
        parsed: &Parsed<E>,
        headers: &[(String, String)],
    ) -> Result<Accepted, StoreError> {
        self.accept(InboxEntry::new(
            provider,
            parsed.event_type(),
            parsed.idempotency_key(),
            parsed.raw_body().as_bytes(),
            headers,
        ))
        .await
    }

    /// Depth, dead count and the oldest pending event's age.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached.
    pub async fn status(&self) -> Result<InboxStatus, StoreError> {
        let row = sqlx::query(q(&self.sql.status))
            .fetch_one(&self.pool)
            .await
            .map_err(backend("read the inbox status"))?;
        let count = |i: usize| row.try_get::<i64, _>(i).map_or(0, i64::unsigned_abs);
        Ok(InboxStatus {
            pending: count(0),
            dead: count(1),
            done: count(2),
            oldest_pending: row
                .try_get::<Option<i64>, _>(3)
                .ok()
                .flatten()
                .map(|ms| Duration::from_millis(ms.unsigned_abs())),
        })
    }

    /// Puts every dead event back in the queue (attempts reset); returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached.
    pub async fn retry_dead(&self) -> Result<u64, StoreError> {
        let done = sqlx::query(q(&self.sql.retry_dead))
            .execute(&self.pool)
            .await
            .map_err(backend("replay dead events"))?;
        sqlx::query(q(&self.sql.notify))
            .execute(&self.pool)
            .await
            .map_err(backend("notify workers"))?;
        Ok(done.rows_affected())
    }

    /// Deletes processed events older than `dedup_window` (a duplicate delivered after that is
    /// processed again); returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached.
    pub async fn purge_done(&self, dedup_window: Duration) -> Result<u64, StoreError> {
        let done = sqlx::query(q(&self.sql.purge_done))
            .bind(millis(dedup_window))
            .execute(&self.pool)
            .await
            .map_err(backend("purge processed events"))?;
        Ok(done.rows_affected())
    }
}

/// The code a [`Worker`] runs for each event, inside the transaction that marks it done: write
/// your effects through `tx`, and they commit together with "done" (or roll back on error).
pub trait InboxHandler: Send + Sync + 'static {
    /// Handles one event.
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        tx: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>>;
}

/// Takes due events from an [`Inbox`] and runs an [`InboxHandler`] on each, waking on
/// `NOTIFY` with a polling fallback.
pub struct Worker<H> {
    inbox: Inbox,
    handler: H,
    backoff: Backoff,
    max_attempts: u32,
    poll: Duration,
    dedup_window: Duration,
    synchronous_commit: bool,
}

/// How often a running worker purges processed events older than the de-duplication window.
const PURGE_EVERY: Duration = Duration::from_secs(60);

impl<H: InboxHandler> Worker<H> {
    /// A worker with [`Backoff::default`], 8 attempts before `dead`, a 1 s poll and a 7-day
    /// de-duplication window.
    pub fn new(inbox: Inbox, handler: H) -> Self {
        Worker {
            inbox,
            handler,
            backoff: Backoff::default(),
            max_attempts: 8,
            poll: Duration::from_secs(1),
            dedup_window: Duration::from_secs(7 * 24 * 3600),
            synchronous_commit: false,
        }
    }

    /// Whether each event's transaction waits for its WAL flush at commit (default: no).
    ///
    /// A worker's commit need not be durable before the worker moves on: if a crash loses it,
    /// it loses the handler's writes *and* the done-marker together, and the event (still
    /// pending) is processed again — your tables still see its effect exactly once. Only effects
    /// outside the database (an email sent by the handler) can repeat, as they can anyway when a
    /// crash comes before the commit. Turning it on makes a worker wait for the disk on every
    /// event. The receivers' inserts always commit synchronously: a 2xx is only sent for a
    /// durable event.
    #[must_use]
    pub fn synchronous_commit(mut self, on: bool) -> Self {
        self.synchronous_commit = on;
        self
    }

    /// How long processed events stay (a duplicate delivered within it collapses at the
    /// insert); [`Worker::run`] purges older ones every minute.
    #[must_use]
    pub fn dedup_window(mut self, window: Duration) -> Self {
        self.dedup_window = window;
        self
    }

    /// The retry delays.
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Attempts before an event is `dead` (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// How often to look for due events without a notification (retries come due silently).
    #[must_use]
    pub fn poll_interval(mut self, poll: Duration) -> Self {
        self.poll = poll;
        self
    }

    /// Processes at most one due event; `Ok(false)` when none was due.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Postgres cannot be reached (the event, if any, stays
    /// pending).
    pub async fn run_once(&self) -> Result<bool, StoreError> {
        let sql = &self.inbox.sql;
        let mut tx = self
            .inbox
            .pool
            .begin()
            .await
            .map_err(backend("begin a transaction"))?;
        if !self.synchronous_commit {
            sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut *tx)
                .await
                .map_err(backend("set synchronous_commit"))?;
        }
        let Some(row) = sqlx::query(q(&sql.take))
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend("take an event"))?
        else {
            return Ok(false);
        };
        let (id, event) = event_of(&row).map_err(backend("read an event"))?;
        // The handler's writes go in a savepoint: on failure they roll back and the attempt is
        // still recorded in the outer transaction.
        let mut handler_tx = sqlx::Acquire::begin(&mut *tx)
            .await
            .map_err(backend("open a savepoint"))?;
        let outcome = self.handler.handle(&event, &mut handler_tx).await;
        match outcome {
            Ok(()) => {
                handler_tx
                    .commit()
                    .await
                    .map_err(backend("release the savepoint"))?;
                sqlx::query(q(&sql.done))
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend("mark an event done"))?;
            }
            Err(err) => {
                handler_tx
                    .rollback()
                    .await
                    .map_err(backend("roll back the handler"))?;
                let (message, permanent) = err.into_parts();
                tracing::warn!(key = %event.key, attempt = event.attempt, permanent, error = %message, "inbox handler failed");
                sqlx::query(q(&sql.failed))
                    .bind(id)
                    .bind(message)
                    .bind(i32::try_from(self.max_attempts).unwrap_or(i32::MAX))
                    .bind(permanent)
                    .bind(millis(self.backoff.delay(event.attempt)))
                    .execute(&mut *tx)
                    .await
                    .map_err(backend("record a failed attempt"))?;
            }
        }
        tx.commit().await.map_err(backend("commit an event"))?;
        Ok(true)
    }

    /// Runs until the process ends: drains due events, then waits for a `NOTIFY` or the poll
    /// interval; purges processed events past the de-duplication window every minute. Database
    /// outages are logged and waited out (it reconnects by itself).
    pub async fn run(self) {
        let mut listener: Option<PgListener> = None;
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                match self.inbox.purge_done(self.dedup_window).await {
                    Ok(_) => last_purge = Some(std::time::Instant::now()),
                    Err(err) => {
                        tracing::warn!(error = %err, "inbox worker: could not purge processed events")
                    }
                }
            }
            match self.run_once().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(err) => {
                    tracing::warn!(error = %err, "inbox worker: database unavailable, retrying")
                }
            }
            if listener.is_none() {
                listener = self.listen().await;
            }
            match listener.as_mut() {
                Some(listening) => {
                    // A broken listener is dropped and made again on the next round.
                    if let Some(Err(_)) = tokio_timeout(self.poll, listening.recv()).await {
                        listener = None;
                    }
                }
                None => sleep(self.poll).await,
            }
        }
    }

    async fn listen(&self) -> Option<PgListener> {
        let mut listener = PgListener::connect_with(&self.inbox.pool).await.ok()?;
        listener.listen(&self.inbox.sql.channel).await.ok()?;
        Some(listener)
    }
}

async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

async fn tokio_timeout<F: Future>(duration: Duration, future: F) -> Option<F::Output> {
    tokio::time::timeout(duration, future).await.ok()
}

/// The row id and the event of a taken row.
fn event_of(row: &sqlx::postgres::PgRow) -> Result<(i64, InboxEvent), sqlx::Error> {
    let id: i64 = row.try_get(0)?;
    let names: Vec<String> = row.try_get(5)?;
    let values: Vec<String> = row.try_get(6)?;
    let attempts: i32 = row.try_get(7)?;
    let body: Vec<u8> = row.try_get(4)?;
    let event = InboxEvent::new(
        id.to_string(),
        row.try_get::<String, _>(1)?,
        row.try_get::<String, _>(2)?,
        row.try_get::<String, _>(3)?,
        body,
        names.into_iter().zip(values).collect(),
        attempts.unsigned_abs().saturating_add(1),
    );
    Ok((id, event))
}

impl EventSink for Inbox {
    fn accept<'a>(&'a self, entry: InboxEntry<'a>) -> SinkFuture<'a, Result<Accepted, StoreError>> {
        Box::pin(Inbox::accept(self, entry))
    }
}
