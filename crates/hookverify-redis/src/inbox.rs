//! The inbox on Redis Streams: accept verified events into a stream (duplicates never enter
//! it), process them in a consumer group with retries, backoff and a dead-letter stream.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookverify::Parsed;
use hookverify::adapter::{
    Accepted, Backoff, EventSink, HandlerError, InboxEntry, InboxEvent, SinkFuture,
};
use hookverify::idempotency::StoreError;
use redis::aio::ConnectionManager;
use redis::{Client, Script, Value};

use crate::{ConnectError, Connection, millis};

/// The key prefix of an inbox unless told otherwise. The `{...}` hash tag puts every key of
/// the inbox in one Redis Cluster slot, as its scripts need.
pub const DEFAULT_INBOX_PREFIX: &str = "{hookverify-inbox}:";

/// The consumer group unless told otherwise.
pub const DEFAULT_GROUP: &str = "workers";

/// The consumer that holds events waiting for their next attempt (their delivery count stays
/// in the pending list; the retry schedule says when they are due).
const PARKED: &str = "hookverify:retry-scheduled";

/// Accept: set the de-duplication marker `NX` and, only when it was new, `XADD` the event
/// (ARGV: window ms, `provider:key`, provider, type, body, packed headers).
/// Returns the entry id, or nil for a duplicate. One atomic step.
const ACCEPT: &str = r"
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'key', ARGV[2], 'provider', ARGV[3], 'type', ARGV[4],
    'body', ARGV[5], 'headers', ARGV[6])
end
return false
";

/// First acknowledge and delete entry ARGV[6] when given (the event the worker just finished:
/// one round trip for "done" and "next"). Then take the next event for consumer ARGV[2]: a
/// retry whose time has come, else (when ARGV[4] is 1) an event whose consumer went silent for
/// ARGV[3] ms, else a new one. Returns `{id, fields, deliveries}` or nil.
const TAKE: &str = r"
local stream, schedule = KEYS[1], KEYS[2]
local group, me, idle, parked = ARGV[1], ARGV[2], ARGV[3], ARGV[5]
if ARGV[6] ~= '' then
  redis.call('XACK', stream, group, ARGV[6])
  redis.call('XDEL', stream, ARGV[6])
end
local function deliveries(id)
  local p = redis.call('XPENDING', stream, group, id, id, 1)
  if p[1] then return p[1][4] end
  return 1
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _ = 1, 16 do
  local due = redis.call('ZRANGEBYSCORE', schedule, '-inf', now, 'LIMIT', 0, 1)
  if not due[1] then break end
  redis.call('ZREM', schedule, due[1])
  local claimed = redis.call('XCLAIM', stream, group, me, 0, due[1])
  if claimed[1] and claimed[1][2] then
    return {claimed[1][1], claimed[1][2], deliveries(due[1])}
  end
end
if ARGV[4] == '1' then
  local consumers = redis.call('XINFO', 'CONSUMERS', stream, group)
  for _, c in ipairs(consumers) do
    local info = {}
    for i = 1, #c, 2 do info[c[i]] = c[i + 1] end
    if info['name'] ~= parked and tonumber(info['pending']) > 0 then
      local stalled = redis.call('XPENDING', stream, group, 'IDLE', idle, '-', '+', 1, info['name'])
      if stalled[1] then
        local claimed = redis.call('XCLAIM', stream, group, me, idle, stalled[1][1])
        if claimed[1] and claimed[1][2] then
          return {claimed[1][1], claimed[1][2], deliveries(stalled[1][1])}
        end
      end
    end
  end
end
local new = redis.call('XREADGROUP', 'GROUP', group, me, 'COUNT', 1, 'STREAMS', stream, '>')
if new and new[1] and new[1][2][1] then
  local entry = new[1][2][1]
  return {entry[1], entry[2], 1}
end
return false
";

/// Done: acknowledge and delete the entry (the de-duplication marker keeps duplicates out).
const DONE: &str = r"
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
";

/// Failed, when consumer ARGV[3] still holds the entry: with ARGV[6] = 1 copy it to the
/// dead-letter stream (with the error and delivery count) and acknowledge it; otherwise park it
/// and schedule it ARGV[5] ms from now. 2 = dead, 1 = scheduled, 0 = no longer ours.
const FAIL: &str = r"
local stream, schedule, dead = KEYS[1], KEYS[2], KEYS[3]
local group, id, me = ARGV[1], ARGV[2], ARGV[3]
local p = redis.call('XPENDING', stream, group, id, id, 1)
if not p[1] or p[1][2] ~= me then return 0 end
if ARGV[6] == '1' then
  local e = redis.call('XRANGE', stream, id, id)
  if e[1] then
    local fields = e[1][2]
    table.insert(fields, 'error'); table.insert(fields, ARGV[7])
    table.insert(fields, 'deliveries'); table.insert(fields, ARGV[8])
    table.insert(fields, 'origin'); table.insert(fields, id)
    redis.call('XADD', dead, '*', unpack(fields))
  end
  redis.call('XACK', stream, group, id)
  redis.call('XDEL', stream, id)
  return 2
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('XCLAIM', stream, group, ARGV[4], 0, id, 'JUSTID')
redis.call('ZADD', schedule, now + tonumber(ARGV[5]), id)
return 1
";

/// Still working: reset the entry's idle time, when consumer ARGV[3] still holds it.
const TOUCH: &str = r"
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if p[1] and p[1][2] == ARGV[3] then
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
  return 1
end
return 0
";

/// Replay up to ARGV[1] dead letters into the stream as new entries (delivery count from 1),
/// without the failure fields. Returns how many.
const REPLAY: &str = r"
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1])
for _, e in ipairs(entries) do
  local f, out = e[2], {}
  for i = 1, #f, 2 do
    local name = f[i]
    if name ~= 'error' and name ~= 'deliveries' and name ~= 'origin' then
      table.insert(out, name); table.insert(out, f[i + 1])
    end
  end
  redis.call('XADD', KEYS[2], '*', unpack(out))
  redis.call('XDEL', KEYS[1], e[1])
end
return #entries
";

/// A boxed, `Send` future (what an [`InboxHandler`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

struct Scripts {
    accept: Script,
    take: Script,
    done: Script,
    fail: Script,
    touch: Script,
    replay: Script,
}

struct Keys {
    prefix: String,
    stream: String,
    schedule: String,
    dead: String,
    group: String,
}

impl Keys {
    fn new(prefix: &str, group: &str) -> Self {
        Keys {
            prefix: prefix.to_owned(),
            stream: format!("{prefix}events"),
            schedule: format!("{prefix}retry"),
            dead: format!("{prefix}dead"),
            group: group.to_owned(),
        }
    }

    fn marker(&self, provider: &str, key: &str) -> String {
        format!("{}seen:{provider}:{key}", self.prefix)
    }
}

/// Waiting for replicas after each accept (`WAIT`).
#[derive(Clone, Copy, Debug)]
struct Replicas {
    count: u32,
    timeout: Duration,
}

struct Shared {
    client: Client,
    connection: Connection,
    keys: Keys,
    scripts: Scripts,
    dedup_window: Duration,
    replicas: Option<Replicas>,
}

/// Verified events in a Redis Stream, for background processing by [`Worker`]s in a consumer
/// group.
///
/// [`Inbox::accept`] is one atomic script: it sets a de-duplication marker (`SET NX PX`, kept
/// for the de-duplication window) and only when the marker is new `XADD`s the event — provider,
/// type, key, the raw body and the headers needed to parse it again. A duplicate never enters
/// the stream. Answer the provider 2xx only after `accept` returned `Ok`.
///
/// # What "durable" means here
///
/// `accept` returns once Redis executed the script; what survives a crash depends on the
/// server's persistence:
///
/// | Redis setting | an acknowledged event survives |
/// |---|---|
/// | `appendonly yes`, `appendfsync always` | a crash of Redis or of the machine: the AOF is fsynced before Redis replies |
/// | `appendonly yes`, `appendfsync everysec` (Redis's default AOF) | a crash of Redis; a power loss can take the last second |
/// | RDB snapshots only, or no persistence | nothing is guaranteed: a restart loses what came after the last snapshot |
/// | replicas, with [`InboxBuilder::wait_for_replicas`] | the loss of the primary, once `N` replicas confirmed (`WAIT`): 503 otherwise, and the provider's retry waits again |
///
/// Cheap to clone.
#[derive(Clone)]
pub struct Inbox {
    conn: ConnectionManager,
    shared: Arc<Shared>,
}

impl fmt::Debug for Inbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inbox")
            .field("stream", &self.shared.keys.stream)
            .field("group", &self.shared.keys.group)
            .finish_non_exhaustive()
    }
}

/// Configures an [`Inbox`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `connect` is called"]
pub struct InboxBuilder {
    url: String,
    prefix: String,
    group: String,
    connection: Connection,
    dedup_window: Duration,
    replicas: Option<Replicas>,
}

impl InboxBuilder {
    /// Prefix of every key (default [`DEFAULT_INBOX_PREFIX`]): the stream is `{prefix}events`,
    /// the dead letters `{prefix}dead`, the retry schedule `{prefix}retry`, the
    /// de-duplication markers `{prefix}seen:{provider}:{key}`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The consumer group of the workers (default [`DEFAULT_GROUP`]).
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// How long a duplicate delivery is recognised (default 7 days; providers retry for up to
    /// three).
    pub fn dedup_window(mut self, window: Duration) -> Self {
        self.dedup_window = window;
        self
    }

    /// The longest an operation may take before it is reported as
    /// [`StoreError::Unavailable`] (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.connection.timeout = timeout;
        self
    }

    /// How long one connection attempt may take (default 1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connection.connect_timeout = timeout;
        self
    }

    /// After each accept, wait (`WAIT count timeout`) until `count` replicas have the event;
    /// when fewer confirm within `timeout`, `accept` fails with [`StoreError::Unavailable`]
    /// (the provider is answered 503 and retries; the retry, a duplicate by then, waits again
    /// before it is answered 200).
    pub fn wait_for_replicas(mut self, count: u32, timeout: Duration) -> Self {
        self.replicas = (count > 0).then_some(Replicas { count, timeout });
        self
    }

    fn inbox(self, client: Client, conn: ConnectionManager) -> Inbox {
        Inbox {
            conn,
            shared: Arc::new(Shared {
                client,
                connection: self.connection,
                keys: Keys::new(&self.prefix, &self.group),
                scripts: Scripts {
                    accept: Script::new(ACCEPT),
                    take: Script::new(TAKE),
                    done: Script::new(DONE),
                    fail: Script::new(FAIL),
                    touch: Script::new(TOUCH),
                    replay: Script::new(REPLAY),
                },
                dedup_window: self.dedup_window,
                replicas: self.replicas,
            }),
        }
    }

    /// Connects now, so a wrong URL or an unreachable Redis fails at start-up.
    ///
    /// # Errors
    ///
    /// [`ConnectError`] for an invalid URL or a failed first connection.
    pub async fn connect(self) -> Result<Inbox, ConnectError> {
        let client = crate::open_client(&self.url)?;
        let conn = ConnectionManager::new_with_config(client.clone(), self.connection.config())
            .await
            .map_err(ConnectError::Connect)?;
        Ok(self.inbox(client, conn))
    }

    /// Returns at once and connects on first use: a receiver can start while Redis is still
    /// down (its requests get 503 until Redis is up). Must be called inside a Tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ConnectError::InvalidUrl`] for an invalid URL.
    pub fn connect_lazy(self) -> Result<Inbox, ConnectError> {
        let client = crate::open_client(&self.url)?;
        let conn =
            ConnectionManager::new_lazy_with_config(client.clone(), self.connection.config())
                .map_err(ConnectError::Connect)?;
        Ok(self.inbox(client, conn))
    }
}

/// Counts for operations (`hookverify inbox status --redis URL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InboxStatus {
    /// Entries in the stream: events not yet processed (new, in progress or waiting for a
    /// retry); processed ones leave it.
    pub stream_length: u64,
    /// Entries delivered to a worker and not yet acknowledged (in progress, or waiting for a
    /// retry).
    pub pending: u64,
    /// Of those, the ones waiting for their next attempt.
    pub retrying: u64,
    /// Entries in the dead-letter stream.
    pub dead: u64,
    /// How long the oldest unprocessed event has waited since it was accepted.
    pub oldest_pending: Option<Duration>,
    /// The longest a pending entry has gone without a sign of life from its worker (or since
    /// its last failure, for one waiting for a retry).
    pub longest_idle: Option<Duration>,
    /// Workers (consumers) in the group, including stopped ones not yet purged.
    pub consumers: u64,
}

/// `XLEN` of the stream and the dead letters, `ZCARD` of the schedule, the first entry, `TIME`.
type StatusReply = (u64, u64, u64, Vec<(String, Value)>, (u64, u64));

/// `XPENDING` entries (id, consumer, idle ms, deliveries), `XINFO CONSUMERS`, `XPENDING` summary.
type GroupReply = (Vec<(String, String, u64, u64)>, Vec<Value>, Value);

/// Whether Redis answered that the stream or the consumer group does not exist (a worker
/// creates the group; Redis restarted without persistence loses it).
fn no_group(err: &redis::RedisError) -> bool {
    let text = err.to_string();
    err.code() == Some("NOGROUP") || text.contains("NOGROUP") || text.contains("no such key")
}

fn unavailable(what: &str, timeout: Duration) -> StoreError {
    StoreError::unavailable(format!("no answer from Redis within {timeout:?} ({what})"))
}

impl Inbox {
    /// Starts configuring an inbox on `url` (as for [`RedisStore::builder`](crate::RedisStore::builder)).
    pub fn builder(url: impl Into<String>) -> InboxBuilder {
        InboxBuilder {
            url: url.into(),
            prefix: DEFAULT_INBOX_PREFIX.to_owned(),
            group: DEFAULT_GROUP.to_owned(),
            connection: Connection::default(),
            dedup_window: Duration::from_secs(7 * 24 * 3600),
            replicas: None,
        }
    }

    /// The stream's key.
    pub fn stream_key(&self) -> &str {
        &self.shared.keys.stream
    }

    /// The dead-letter stream's key.
    pub fn dead_letter_key(&self) -> &str {
        &self.shared.keys.dead
    }

    /// Runs `call` within the configured timeout; Redis's own error is left to the caller.
    async fn call_raw<T>(
        &self,
        what: &str,
        call: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<redis::RedisResult<T>, StoreError> {
        let timeout = self.shared.connection.timeout;
        tokio::time::timeout(timeout, call)
            .await
            .map_err(|_| unavailable(what, timeout))
    }

    /// Runs `call` within the configured timeout.
    async fn call<T>(
        &self,
        what: &str,
        call: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, StoreError> {
        self.call_raw(what, call)
            .await?
            .map_err(|err| StoreError::backend(format!("Redis failed to {what}"), err))
    }

    /// Stores a verified, parsed event (its raw body and the headers needed to parse it again)
    /// unless its key was accepted within the de-duplication window. Answer the provider 2xx
    /// only after this returned `Ok`. The adapters' accept-into-the-inbox routes call it
    /// through [`EventSink`].
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Redis cannot be reached or does not answer within the
    /// timeout, or fewer replicas than configured confirmed: answer 503.
    pub async fn accept(&self, entry: InboxEntry<'_>) -> Result<Accepted, StoreError> {
        let keys = &self.shared.keys;
        let mut invocation = self.shared.scripts.accept.prepare_invoke();
        invocation
            .key(keys.marker(entry.provider, entry.idempotency_key))
            .key(&keys.stream)
            .arg(millis(self.shared.dedup_window))
            .arg(format!("{}:{}", entry.provider, entry.idempotency_key))
            .arg(entry.provider)
            .arg(entry.event_type)
            .arg(entry.body)
            .arg(pack_headers(entry.headers));
        let mut conn = self.conn.clone();
        let added: Option<String> = self
            .call(
                "store an event in the inbox",
                invocation.invoke_async(&mut conn),
            )
            .await?;
        if let Some(replicas) = self.shared.replicas {
            let mut wait = redis::cmd("WAIT");
            wait.arg(replicas.count).arg(millis(replicas.timeout));
            let confirmed: u64 = self
                .call("wait for replicas", wait.query_async(&mut conn))
                .await?;
            if confirmed < u64::from(replicas.count) {
                return Err(StoreError::unavailable(format!(
                    "{confirmed} of {} replicas confirmed the event within {:?}",
                    replicas.count, replicas.timeout
                )));
            }
        }
        Ok(if added.is_some() {
            Accepted::New
        } else {
            Accepted::Duplicate
        })
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

    /// Creates the consumer group (and the stream) when missing.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Redis cannot be reached.
    pub async fn create_group(&self) -> Result<(), StoreError> {
        let mut create = redis::cmd("XGROUP");
        create
            .arg("CREATE")
            .arg(&self.shared.keys.stream)
            .arg(&self.shared.keys.group)
            .arg("0")
            .arg("MKSTREAM");
        let mut conn = self.conn.clone();
        match self
            .call_raw(
                "create the consumer group",
                create.query_async::<Value>(&mut conn),
            )
            .await?
        {
            Ok(_) => Ok(()),
            Err(err) if err.code() == Some("BUSYGROUP") => Ok(()),
            Err(err) => Err(StoreError::backend(
                "Redis failed to create the consumer group",
                err,
            )),
        }
    }

    /// Stream length, pending and retrying counts, dead letters, the oldest unprocessed event's
    /// age and the longest idle pending entry.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Redis cannot be reached.
    pub async fn status(&self) -> Result<InboxStatus, StoreError> {
        let keys = &self.shared.keys;
        let mut pipe = redis::pipe();
        pipe.cmd("XLEN").arg(&keys.stream);
        pipe.cmd("XLEN").arg(&keys.dead);
        pipe.cmd("ZCARD").arg(&keys.schedule);
        pipe.cmd("XRANGE")
            .arg(&keys.stream)
            .arg("-")
            .arg("+")
            .arg("COUNT")
            .arg(1);
        pipe.cmd("TIME");
        let mut conn = self.conn.clone();
        let (stream_length, dead, retrying, first, time): StatusReply = self
            .call("read the inbox status", pipe.query_async(&mut conn))
            .await?;
        let now_ms = time.0.saturating_mul(1000).saturating_add(time.1 / 1000);
        let oldest_pending = first
            .first()
            .and_then(|(id, _)| id.split_once('-'))
            .and_then(|(ms, _)| ms.parse::<u64>().ok())
            .map(|ms| Duration::from_millis(now_ms.saturating_sub(ms)));
        // Without a group (no worker started yet) nothing is pending.
        let (pending, longest_idle, consumers) = self.group_status().await?;
        Ok(InboxStatus {
            stream_length,
            pending,
            retrying,
            dead,
            oldest_pending,
            longest_idle,
            consumers,
        })
    }

    /// Pending count, the longest idle pending entry (among the first 1000) and the consumers.
    async fn group_status(&self) -> Result<(u64, Option<Duration>, u64), StoreError> {
        let keys = &self.shared.keys;
        let mut pipe = redis::pipe();
        pipe.cmd("XPENDING")
            .arg(&keys.stream)
            .arg(&keys.group)
            .arg("-")
            .arg("+")
            .arg(1000);
        pipe.cmd("XINFO")
            .arg("CONSUMERS")
            .arg(&keys.stream)
            .arg(&keys.group);
        pipe.cmd("XPENDING").arg(&keys.stream).arg(&keys.group);
        let mut conn = self.conn.clone();
        let (entries, consumers, summary): GroupReply = match self
            .call_raw("read the pending entries", pipe.query_async(&mut conn))
            .await?
        {
            Ok(found) => found,
            // No group yet (no worker started): nothing is pending.
            Err(err) if no_group(&err) => return Ok((0, None, 0)),
            Err(err) => {
                return Err(StoreError::backend(
                    "Redis failed to read the pending entries",
                    err,
                ));
            }
        };
        let pending = match summary {
            Value::Array(items) => match items.first() {
                Some(Value::Int(count)) => count.unsigned_abs(),
                _ => 0,
            },
            _ => 0,
        };
        let longest_idle = entries
            .iter()
            .map(|(_, _, idle, _)| *idle)
            .max()
            .map(Duration::from_millis);
        // Workers only: not the consumer that holds events waiting for a retry.
        let workers = consumers
            .iter()
            .filter(|consumer| match consumer {
                Value::Array(fields) => pairs(fields)
                    .iter()
                    .any(|(name, value)| name == "name" && value != PARKED),
                _ => false,
            })
            .count();
        Ok((
            pending,
            longest_idle,
            u64::try_from(workers).unwrap_or(u64::MAX),
        ))
    }

    /// Moves every dead letter back into the stream as a new entry (its delivery count starts
    /// again); returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Redis cannot be reached.
    pub async fn retry_dead(&self) -> Result<u64, StoreError> {
        let mut replayed = 0_u64;
        loop {
            let mut invocation = self.shared.scripts.replay.prepare_invoke();
            invocation
                .key(&self.shared.keys.dead)
                .key(&self.shared.keys.stream)
                .arg(100);
            let mut conn = self.conn.clone();
            let moved: u64 = self
                .call("replay dead letters", invocation.invoke_async(&mut conn))
                .await?;
            replayed = replayed.saturating_add(moved);
            if moved == 0 {
                return Ok(replayed);
            }
        }
    }

    /// Removes consumers that hold no events and were idle longer than `idle` (workers that
    /// stopped); returns how many. Processed events need no purge: they leave the stream when
    /// acknowledged, and their de-duplication markers expire by themselves.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Redis cannot be reached.
    pub async fn purge_consumers(&self, idle: Duration) -> Result<u64, StoreError> {
        let keys = &self.shared.keys;
        let mut info = redis::cmd("XINFO");
        info.arg("CONSUMERS").arg(&keys.stream).arg(&keys.group);
        let mut conn = self.conn.clone();
        let consumers: Vec<Vec<Value>> = match self
            .call_raw("list consumers", info.query_async(&mut conn))
            .await?
        {
            Ok(consumers) => consumers,
            Err(err) if no_group(&err) => return Ok(0),
            Err(err) => return Err(StoreError::backend("Redis failed to list consumers", err)),
        };
        let mut removed = 0_u64;
        for consumer in consumers {
            let fields = pairs(&consumer);
            let name = fields.iter().find(|(k, _)| k == "name").map(|(_, v)| v);
            let number = |field: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == field)
                    .and_then(|(_, v)| v.parse::<u64>().ok())
            };
            let (Some(name), Some(0), Some(idle_ms)) = (name, number("pending"), number("idle"))
            else {
                continue;
            };
            if name == PARKED || Duration::from_millis(idle_ms) < idle {
                continue;
            }
            let mut delete = redis::cmd("XGROUP");
            delete
                .arg("DELCONSUMER")
                .arg(&keys.stream)
                .arg(&keys.group)
                .arg(name);
            let _: i64 = self
                .call("remove a consumer", delete.query_async(&mut conn))
                .await?;
            removed = removed.saturating_add(1);
        }
        Ok(removed)
    }
}

/// The `(name, value)` pairs of a flat reply, as text.
fn pairs(items: &[Value]) -> Vec<(String, String)> {
    items
        .chunks_exact(2)
        .filter_map(|pair| match pair {
            [name, value] => Some((text(name)?, text(value)?)),
            _ => None,
        })
        .collect()
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

fn bytes(value: &Value) -> Option<&[u8]> {
    match value {
        Value::BulkString(bytes) => Some(bytes),
        _ => None,
    }
}

/// The headers as one field: `name:value` lines. HTTP allows neither a line break in a header
/// nor a `:` in a name, so this is lossless for request headers; a pair that has one anyway
/// (made up by hand) is left out rather than corrupt the others.
pub(crate) fn pack_headers(headers: &[(String, String)]) -> String {
    let mut packed = String::new();
    for (name, value) in headers {
        if name.contains([':', '\n', '\r']) || value.contains(['\n', '\r']) {
            tracing::debug!(header = %name, "inbox: a header with a line break or a ':' in its name is not stored");
            continue;
        }
        if !packed.is_empty() {
            packed.push('\n');
        }
        packed.push_str(name);
        packed.push(':');
        packed.push_str(value);
    }
    packed
}

/// The pairs of [`pack_headers`].
fn unpack_headers(packed: &str) -> Vec<(String, String)> {
    packed
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// An event from a stream entry's id and fields, attempt `attempt`; `None` when the entry does
/// not look like one of ours.
fn event_of(id: &Value, fields: &Value, attempt: u32) -> Option<InboxEvent> {
    let id = text(id)?;
    let Value::Array(fields) = fields else {
        return None;
    };
    let (mut key, mut provider, mut event_type, mut body) = (None, None, None, None);
    let mut headers = Vec::new();
    for pair in fields.chunks_exact(2) {
        let [name, value] = pair else { continue };
        let name = bytes(name)?;
        match name {
            b"key" => key = text(value),
            b"provider" => provider = text(value),
            b"type" => event_type = text(value),
            b"body" => body = bytes(value).map(<[u8]>::to_vec),
            b"headers" => headers = unpack_headers(&text(value)?),
            _ => {}
        }
    }
    Some(InboxEvent::new(
        id,
        key?,
        provider?,
        event_type?,
        body?,
        headers,
        attempt,
    ))
}

/// The code a [`Worker`] runs for each event. At least once: an event whose worker dies after
/// the handler's effect and before the acknowledgement is handled again, so make effects
/// idempotent — claim the event's key in a [`RedisStore`](crate::RedisStore) (or in your
/// database's transaction) first.
pub trait InboxHandler: Send + Sync + 'static {
    /// Handles one event.
    fn handle<'a>(&'a self, event: &'a InboxEvent) -> BoxFuture<'a, Result<(), HandlerError>>;
}

/// Takes events from an [`Inbox`]'s stream in its consumer group and runs an [`InboxHandler`]
/// on each: new events with `XREADGROUP` (blocking while there are none), failed ones again
/// after their backoff (the pending list's delivery count decides the delay and when to give
/// up), events of a worker that went silent for the claim time reclaimed with `XCLAIM`.
pub struct Worker<H> {
    inbox: Inbox,
    handler: H,
    consumer: String,
    backoff: Backoff,
    max_attempts: u32,
    poll: Duration,
    claim_idle: Duration,
    last_scan: Mutex<Option<Instant>>,
    group_ready: std::sync::atomic::AtomicBool,
}

impl<H> fmt::Debug for Worker<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker")
            .field("inbox", &self.inbox)
            .field("consumer", &self.consumer)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

/// What happened to a handled event.
enum Handled {
    Done,
    Retry,
    Dead,
}

fn consumer_name() -> String {
    let mut random = [0_u8; 4];
    let suffix = getrandom::fill(&mut random).map_or(0, |()| u32::from_le_bytes(random));
    format!("worker-{}-{suffix:08x}", std::process::id())
}

impl<H: InboxHandler> Worker<H> {
    /// A worker with [`Backoff::default`], 8 attempts before the dead letters, a 1 s poll, a
    /// 30 s claim time and a consumer name unique to it.
    pub fn new(inbox: Inbox, handler: H) -> Self {
        Worker {
            inbox,
            handler,
            consumer: consumer_name(),
            backoff: Backoff::default(),
            max_attempts: 8,
            poll: Duration::from_secs(1),
            claim_idle: Duration::from_secs(30),
            last_scan: Mutex::new(None),
            group_ready: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The consumer name in the group (default `worker-{pid}-{random}`). Reusing a name after
    /// a restart takes over that consumer's pending events at once.
    #[must_use]
    pub fn consumer(mut self, name: impl Into<String>) -> Self {
        self.consumer = name.into();
        self
    }

    /// The retry delays.
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Deliveries before an event moves to the dead-letter stream (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest [`Worker::run`] blocks waiting for a new event before it looks for due
    /// retries and silent workers again.
    #[must_use]
    pub fn poll_interval(mut self, poll: Duration) -> Self {
        self.poll = poll;
        self
    }

    /// How long an event may go without a sign of life from its worker before another takes
    /// it (default 30 s). A worker running a handler refreshes its claim every third of this,
    /// so a slow handler keeps its event; a killed worker's event moves after this long.
    #[must_use]
    pub fn claim_idle(mut self, idle: Duration) -> Self {
        self.claim_idle = idle.max(Duration::from_millis(10));
        self
    }

    /// Whether to look for silent workers' events now (at most once per poll interval).
    fn scan_due(&self) -> bool {
        let Ok(mut last) = self.last_scan.lock() else {
            return true;
        };
        let due = last.is_none_or(|at| at.elapsed() >= self.poll.min(self.claim_idle));
        if due {
            *last = Some(Instant::now());
        }
        due
    }

    /// Processes at most one event (a due retry, a silent worker's, or a new one); `Ok(false)`
    /// when there was none.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when Redis cannot be reached (an event taken stays pending
    /// and is taken again after the claim time).
    pub async fn run_once(&self) -> Result<bool, StoreError> {
        let Some(event) = self.take(None).await? else {
            return Ok(false);
        };
        self.process(event, false).await?;
        Ok(true)
    }

    /// Creates the consumer group the first time (and again after Redis lost it).
    async fn ensure_group(&self) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        if !self.group_ready.load(Ordering::Acquire) {
            self.inbox.create_group().await?;
            self.group_ready.store(true, Ordering::Release);
        }
        Ok(())
    }

    fn group_lost(&self) {
        self.group_ready
            .store(false, std::sync::atomic::Ordering::Release);
    }

    /// Takes the next event, after acknowledging `done` (an event handled successfully).
    async fn take(&self, done: Option<&str>) -> Result<Option<InboxEvent>, StoreError> {
        self.ensure_group().await?;
        let shared = &self.inbox.shared;
        let mut invocation = shared.scripts.take.prepare_invoke();
        invocation
            .key(&shared.keys.stream)
            .key(&shared.keys.schedule)
            .arg(&shared.keys.group)
            .arg(&self.consumer)
            .arg(millis(self.claim_idle))
            .arg(if self.scan_due() { "1" } else { "0" })
            .arg(PARKED)
            .arg(done.unwrap_or(""));
        let mut conn = self.inbox.conn.clone();
        let taken = match self
            .inbox
            .call_raw("take an event", invocation.invoke_async::<Value>(&mut conn))
            .await?
        {
            Ok(taken) => taken,
            Err(err) if no_group(&err) => {
                self.group_lost();
                return Ok(None);
            }
            Err(err) => return Err(StoreError::backend("Redis failed to take an event", err)),
        };
        let Value::Array(parts) = taken else {
            return Ok(None);
        };
        let [id, fields, deliveries] = parts.as_slice() else {
            return Err(StoreError::unavailable(
                "unexpected reply from the take script",
            ));
        };
        let attempt = match deliveries {
            Value::Int(n) => u32::try_from(*n).unwrap_or(u32::MAX),
            _ => 1,
        };
        match event_of(id, fields, attempt) {
            Some(event) => Ok(Some(event)),
            None => {
                // Not an event of ours: keep it out of the way.
                let id = text(id).unwrap_or_default();
                tracing::error!(%id, "inbox: stream entry without key, provider, type or body; moving it to the dead letters");
                self.finish(&id, Handled::Dead, "not an inbox entry", attempt)
                    .await?;
                Ok(None)
            }
        }
    }

    /// Runs the handler, refreshing the claim while it runs, then records the outcome. With
    /// `defer_done`, a success is not acknowledged here: its id is returned for the next
    /// [`Worker::take`] to acknowledge in the same round trip.
    async fn process(
        &self,
        event: InboxEvent,
        defer_done: bool,
    ) -> Result<Option<String>, StoreError> {
        let handling = self.handler.handle(&event);
        tokio::pin!(handling);
        // Starting a period from now: an interval's immediate first tick would wait for the
        // timer wheel's next millisecond, a millisecond per event.
        let period = self.claim_idle.div_f64(3.0);
        let start = tokio::time::Instant::now()
            .checked_add(period)
            .unwrap_or_else(tokio::time::Instant::now);
        let mut refresh = tokio::time::interval_at(start, period);
        let outcome = loop {
            tokio::select! {
                outcome = &mut handling => break outcome,
                _ = refresh.tick() => {
                    if let Err(err) = self.touch(&event.id).await {
                        tracing::debug!(error = %err, id = %event.id, "inbox worker: could not refresh the claim");
                    }
                }
            }
        };
        match outcome {
            Ok(()) if defer_done => Ok(Some(event.id.clone())),
            Ok(()) => {
                self.finish(&event.id, Handled::Done, "", event.attempt)
                    .await?;
                Ok(None)
            }
            Err(err) => {
                let (message, permanent) = err.into_parts();
                let dead = permanent || event.attempt >= self.max_attempts;
                tracing::warn!(key = %event.key, attempt = event.attempt, permanent, dead, error = %message, "inbox handler failed");
                let handled = if dead { Handled::Dead } else { Handled::Retry };
                self.finish(&event.id, handled, &message, event.attempt)
                    .await?;
                Ok(None)
            }
        }
    }

    async fn touch(&self, id: &str) -> Result<(), StoreError> {
        let shared = &self.inbox.shared;
        let mut invocation = shared.scripts.touch.prepare_invoke();
        invocation
            .key(&shared.keys.stream)
            .arg(&shared.keys.group)
            .arg(id)
            .arg(&self.consumer);
        let mut conn = self.inbox.conn.clone();
        let _: i64 = self
            .inbox
            .call("refresh a claim", invocation.invoke_async(&mut conn))
            .await?;
        Ok(())
    }

    async fn finish(
        &self,
        id: &str,
        handled: Handled,
        error: &str,
        attempt: u32,
    ) -> Result<(), StoreError> {
        let shared = &self.inbox.shared;
        let keys = &shared.keys;
        let mut conn = self.inbox.conn.clone();
        if let Handled::Done = handled {
            let mut invocation = shared.scripts.done.prepare_invoke();
            invocation.key(&keys.stream).arg(&keys.group).arg(id);
            let _: i64 = self
                .inbox
                .call("acknowledge an event", invocation.invoke_async(&mut conn))
                .await?;
            return Ok(());
        }
        let dead = matches!(handled, Handled::Dead);
        let mut invocation = shared.scripts.fail.prepare_invoke();
        invocation
            .key(&keys.stream)
            .key(&keys.schedule)
            .key(&keys.dead)
            .arg(&keys.group)
            .arg(id)
            .arg(&self.consumer)
            .arg(PARKED)
            .arg(u64::try_from(self.backoff.delay(attempt).as_millis()).unwrap_or(u64::MAX))
            .arg(if dead { "1" } else { "0" })
            .arg(error)
            .arg(attempt);
        let recorded: i64 = self
            .inbox
            .call(
                "record a failed attempt",
                invocation.invoke_async(&mut conn),
            )
            .await?;
        if recorded == 0 {
            tracing::info!(%id, "inbox worker: another worker took the event over meanwhile");
        }
        Ok(())
    }

    /// Runs until the process ends: processes events while there are any, then blocks on
    /// `XREADGROUP` (on a connection of its own) for up to the poll interval. Redis outages are
    /// logged and waited out (it reconnects by itself).
    pub async fn run(self) {
        let mut blocking: Option<ConnectionManager> = None;
        // A handled event not yet acknowledged: the next take acknowledges it.
        let mut done: Option<String> = None;
        loop {
            match self.take(done.as_deref()).await {
                Ok(taken) => {
                    done = None;
                    if let Some(event) = taken {
                        done = self.process_logged(event).await;
                        continue;
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "inbox worker: Redis unavailable, retrying");
                    tokio::time::sleep(self.poll).await;
                    continue;
                }
            }
            if blocking.is_none() {
                blocking = self.blocking_connection();
            }
            let Some(conn) = blocking.as_mut() else {
                tokio::time::sleep(self.poll).await;
                continue;
            };
            match self.wait_for_new(conn).await {
                Ok(Some(event)) => done = self.process_logged(event).await,
                Ok(None) => {}
                Err(err) => {
                    tracing::warn!(error = %err, "inbox worker: Redis unavailable, retrying");
                    tokio::time::sleep(self.poll).await;
                }
            }
        }
    }

    /// [`Worker::process`] with the acknowledgement deferred; an error is logged (the event
    /// stays pending and is taken again after the claim time).
    async fn process_logged(&self, event: InboxEvent) -> Option<String> {
        match self.process(event, true).await {
            Ok(done) => done,
            Err(err) => {
                tracing::warn!(error = %err, "inbox worker: Redis unavailable, retrying");
                None
            }
        }
    }

    /// A connection for blocking reads, whose reply timeout covers the block.
    fn blocking_connection(&self) -> Option<ConnectionManager> {
        let shared = &self.inbox.shared;
        let mut connection = shared.connection;
        connection.timeout = connection.timeout.saturating_add(self.poll);
        ConnectionManager::new_lazy_with_config(shared.client.clone(), connection.config()).ok()
    }

    /// `XREADGROUP ... BLOCK poll`: a new event, or `None` after the poll interval.
    async fn wait_for_new(
        &self,
        conn: &mut ConnectionManager,
    ) -> Result<Option<InboxEvent>, StoreError> {
        let keys = &self.inbox.shared.keys;
        let mut read = redis::cmd("XREADGROUP");
        read.arg("GROUP")
            .arg(&keys.group)
            .arg(&self.consumer)
            .arg("COUNT")
            .arg(1)
            .arg("BLOCK")
            .arg(millis(self.poll))
            .arg("STREAMS")
            .arg(&keys.stream)
            .arg(">");
        let limit = self
            .inbox
            .shared
            .connection
            .timeout
            .saturating_add(self.poll);
        let reply = match tokio::time::timeout(limit, read.query_async::<Value>(conn))
            .await
            .map_err(|_| unavailable("wait for new events", limit))?
        {
            Ok(reply) => reply,
            Err(err) if no_group(&err) => {
                self.group_lost();
                return Ok(None);
            }
            Err(err) => return Err(StoreError::backend("Redis failed to read new events", err)),
        };
        // [[stream, [[id, [field, value, ...]]]]]
        let entry = match &reply {
            Value::Array(streams) => streams.first().and_then(|stream| match stream {
                Value::Array(parts) => match parts.get(1) {
                    Some(Value::Array(entries)) => entries.first(),
                    _ => None,
                },
                _ => None,
            }),
            _ => None,
        };
        let Some(Value::Array(entry)) = entry else {
            return Ok(None);
        };
        let [id, fields] = entry.as_slice() else {
            return Ok(None);
        };
        match event_of(id, fields, 1) {
            Some(event) => Ok(Some(event)),
            None => {
                let id = text(id).unwrap_or_default();
                tracing::error!(%id, "inbox: stream entry without key, provider, type or body; moving it to the dead letters");
                self.finish(&id, Handled::Dead, "not an inbox entry", 1)
                    .await?;
                Ok(None)
            }
        }
    }
}

impl EventSink for Inbox {
    fn accept<'a>(&'a self, entry: InboxEntry<'a>) -> SinkFuture<'a, Result<Accepted, StoreError>> {
        Box::pin(Inbox::accept(self, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_pack_and_unpack_losslessly() {
        let headers = vec![
            ("svix-id".to_owned(), "msg_1".to_owned()),
            ("svix-signature".to_owned(), "v1,a:b c".to_owned()),
            ("x-empty".to_owned(), String::new()),
        ];
        assert_eq!(unpack_headers(&pack_headers(&headers)), headers);
        let odd = vec![
            ("x-a".to_owned(), "1\n2".to_owned()),
            ("x:b".to_owned(), "3".to_owned()),
            ("x-c".to_owned(), "4".to_owned()),
        ];
        assert_eq!(
            unpack_headers(&pack_headers(&odd)),
            [("x-c".to_owned(), "4".to_owned())]
        );
        assert!(unpack_headers("").is_empty());
    }
}
