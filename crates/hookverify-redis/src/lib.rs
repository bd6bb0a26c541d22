#![doc = include_str!("../README.md")]

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hookverify::idempotency::{Claim, ClaimOutcome, IdempotencyStore, StoreError};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Script, Value};

mod inbox;

pub use hookverify::adapter::{Accepted, Backoff, HandlerError, InboxEvent};
pub use inbox::{
    BoxFuture, DEFAULT_GROUP, DEFAULT_INBOX_PREFIX, Inbox, InboxBuilder, InboxHandler, InboxStatus,
    Worker,
};

/// Claim for servers older than Redis 7 (which cannot combine `SET ... NX GET`): take the key
/// if absent (value = token, expiring with the lease); otherwise report whether it is done or
/// held. One atomic round trip.
const CLAIM: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == 'done' then return 2 end
return 3
";

/// Complete: only the holder of the current token may turn the lease into a done-marker.
const COMPLETE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0
";

/// Release: only the holder of the current token may delete the lease.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
";

/// The default key prefix.
pub const DEFAULT_PREFIX: &str = "hookverify:idem:";

/// Why a [`RedisStore`] could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The URL is not a Redis URL (`redis://`, `rediss://` with feature `tls`, `redis+unix://`).
    #[error("invalid Redis URL")]
    InvalidUrl(#[source] redis::RedisError),
    /// The first connection failed (eager connect only).
    #[error("cannot connect to Redis")]
    Connect(#[source] redis::RedisError),
}

/// An [`IdempotencyStore`] on Redis: claims and done-markers shared by every receiver process
/// that uses the same Redis.
///
/// Each operation is one round trip, atomic on the server: a claim is `SET key token NX PX
/// lease GET` (a Lua script on servers older than 7.0), complete and release are small Lua
/// scripts that check the claim's fencing token. The connection is a
/// [`ConnectionManager`]: multiplexed and reconnecting, so a Redis restart needs no new client.
/// While Redis is unreachable every operation returns [`StoreError::Unavailable`] within the
/// configured timeout (adapters answer 503 and the provider retries), never a panic and never
/// "treat as new".
///
/// Cheap to clone.
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: Arc<str>,
    timeout: Duration,
    scripts: Arc<Scripts>,
    /// `SET key token NX PX lease GET` (Redis >= 7.0) until the server refuses it once.
    native_claim: Arc<AtomicBool>,
}

struct Scripts {
    claim: Script,
    complete: Script,
    release: Script,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Configures a [`RedisStore`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `connect` is called"]
pub struct RedisStoreBuilder {
    url: String,
    prefix: String,
    connection: Connection,
    lua_claim: bool,
}

/// Timeouts of a connection, shared by the store's and the inbox's builders.
#[derive(Debug, Clone, Copy)]
struct Connection {
    /// The longest one operation may take.
    timeout: Duration,
    /// The longest one connection attempt may take.
    connect_timeout: Duration,
}

impl Default for Connection {
    fn default() -> Self {
        Connection {
            timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(1),
        }
    }
}

impl Connection {
    /// A multiplexed, reconnecting connection with these timeouts.
    fn config(&self) -> ConnectionManagerConfig {
        ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(500))
    }
}

impl RedisStoreBuilder {
    /// Prefix for every key (default [`DEFAULT_PREFIX`]); several apps can share one Redis.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The longest an operation may take before it is reported as
    /// [`StoreError::Unavailable`] (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.connection.timeout = timeout;
        self
    }

    /// Claim with the Lua script instead of `SET ... NX GET`. The store switches by itself when
    /// the server refuses the native form (Redis older than 7.0); this forces it, for proxies
    /// that pass the command through but mishandle it.
    pub fn lua_claim(mut self, lua: bool) -> Self {
        self.lua_claim = lua;
        self
    }

    /// How long one connection attempt may take (default 1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connection.connect_timeout = timeout;
        self
    }

    fn parts(&self) -> Result<(Client, ConnectionManagerConfig), ConnectError> {
        let client = open_client(&self.url)?;
        Ok((client, self.connection.config()))
    }

    fn store(&self, conn: ConnectionManager) -> RedisStore {
        RedisStore {
            conn,
            prefix: Arc::from(self.prefix.as_str()),
            timeout: self.connection.timeout,
            scripts: Arc::new(Scripts {
                claim: Script::new(CLAIM),
                complete: Script::new(COMPLETE),
                release: Script::new(RELEASE),
            }),
            native_claim: Arc::new(AtomicBool::new(!self.lua_claim)),
        }
    }

    /// Connects now, so a wrong URL or an unreachable Redis fails at start-up.
    ///
    /// # Errors
    ///
    /// [`ConnectError`] for an invalid URL or a failed first connection.
    pub async fn connect(self) -> Result<RedisStore, ConnectError> {
        let (client, config) = self.parts()?;
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(ConnectError::Connect)?;
        Ok(self.store(conn))
    }

    /// Returns at once and connects on first use: a receiver can start while Redis is still
    /// down (its requests get 503 until Redis is up). Must be called inside a Tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ConnectError::InvalidUrl`] for an invalid URL.
    pub fn connect_lazy(self) -> Result<RedisStore, ConnectError> {
        let (client, config) = self.parts()?;
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(ConnectError::Connect)?;
        Ok(self.store(conn))
    }
}

/// A client for `url` whose TCP connections set `TCP_NODELAY` (redis-rs leaves Nagle's
/// algorithm on, which holds back small writes behind unacknowledged ones: measured here, it
/// multiplied a worker's per-event time and put 30-100 ms into the latency tail).
fn open_client(url: &str) -> Result<Client, ConnectError> {
    use redis::IntoConnectionInfo as _;
    let info = url
        .into_connection_info()
        .map_err(ConnectError::InvalidUrl)?;
    let tcp = info.tcp_settings().clone().set_nodelay(true);
    Client::open(info.set_tcp_settings(tcp)).map_err(ConnectError::InvalidUrl)
}

fn millis(duration: Duration) -> u64 {
    // `PX 0` is an error in Redis: a zero duration means "as short as possible".
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

fn random_token() -> Result<u64, StoreError> {
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::backend("the system random source failed", e))?;
    Ok(u64::from_le_bytes(bytes))
}

impl RedisStore {
    /// Starts configuring a store for `url`: `redis://[user:password@]host:port[/db]`, or
    /// `rediss://...` with the `tls` feature. Credentials and TLS come from the URL.
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: url.into(),
            prefix: DEFAULT_PREFIX.to_owned(),
            connection: Connection::default(),
            lua_claim: false,
        }
    }

    /// Connects to `url` with the defaults.
    ///
    /// # Errors
    ///
    /// [`ConnectError`] for an invalid URL or a failed first connection.
    pub async fn connect(url: impl Into<String>) -> Result<Self, ConnectError> {
        RedisStore::builder(url).connect().await
    }

    fn full_key(&self, key: &str) -> String {
        let mut full = String::with_capacity(self.prefix.len().saturating_add(key.len()));
        full.push_str(&self.prefix);
        full.push_str(key);
        full
    }

    async fn with_timeout<T>(
        &self,
        call: impl std::future::Future<Output = redis::RedisResult<T>>,
    ) -> Result<redis::RedisResult<T>, StoreError> {
        tokio::time::timeout(self.timeout, call).await.map_err(|_| {
            StoreError::unavailable(format!("no answer from Redis within {:?}", self.timeout))
        })
    }

    /// The claim as one native command: `SET key token NX PX lease GET` answers nil when it
    /// set the key (a new claim) and the previous value otherwise (`done`, or a holder's token).
    /// Returns `None` when the server does not support the combination (Redis < 7.0).
    async fn claim_native(
        &self,
        key: &str,
        token: u64,
        lease_ms: u64,
    ) -> Result<Option<ClaimOutcome>, StoreError> {
        let mut conn = self.conn.clone();
        let mut command = redis::cmd("SET");
        command
            .arg(self.full_key(key))
            .arg(token.to_string())
            .arg("NX")
            .arg("PX")
            .arg(lease_ms)
            .arg("GET");
        match self
            .with_timeout(command.query_async::<Value>(&mut conn))
            .await?
        {
            Ok(Value::Nil) => Ok(Some(ClaimOutcome::New(Claim::new(key, token)))),
            Ok(Value::BulkString(previous)) if previous == b"done" => Ok(Some(ClaimOutcome::Done)),
            Ok(Value::BulkString(_) | Value::SimpleString(_)) => Ok(Some(ClaimOutcome::InProgress)),
            Ok(other) => Err(StoreError::unavailable(format!(
                "unexpected reply to SET NX GET: {other:?}"
            ))),
            Err(err) if err.code() == Some("ERR") => {
                tracing::info!(error = %err, "Redis refused SET NX GET (older than 7.0?): claiming with a Lua script");
                Ok(None)
            }
            Err(err) => Err(StoreError::backend("Redis refused the claim", err)),
        }
    }

    async fn eval(
        &self,
        script: &Script,
        key: &str,
        token: u64,
        ms: u64,
    ) -> Result<i64, StoreError> {
        let mut conn = self.conn.clone();
        let call = async move {
            script
                .key(self.full_key(key))
                .arg(token.to_string())
                .arg(ms)
                .invoke_async::<i64>(&mut conn)
                .await
        };
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(StoreError::backend("the Redis script failed", err)),
            Err(_) => Err(StoreError::unavailable(format!(
                "no answer from Redis within {:?}",
                self.timeout
            ))),
        }
    }
}

impl IdempotencyStore for RedisStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<ClaimOutcome, StoreError> {
        let token = random_token()?;
        if self.native_claim.load(Ordering::Relaxed) {
            match self.claim_native(key, token, millis(lease)).await? {
                Some(outcome) => return Ok(outcome),
                None => self.native_claim.store(false, Ordering::Relaxed),
            }
        }
        match self
            .eval(&self.scripts.claim, key, token, millis(lease))
            .await?
        {
            1 => Ok(ClaimOutcome::New(Claim::new(key, token))),
            2 => Ok(ClaimOutcome::Done),
            3 => Ok(ClaimOutcome::InProgress),
            other => Err(StoreError::unavailable(format!(
                "unexpected reply {other} from the claim script"
            ))),
        }
    }

    async fn complete(&self, claim: &Claim, keep_for: Duration) -> Result<(), StoreError> {
        match self
            .eval(
                &self.scripts.complete,
                claim.key(),
                claim.token(),
                millis(keep_for),
            )
            .await?
        {
            1 => Ok(()),
            _ => Err(StoreError::ClaimLost),
        }
    }

    async fn release(&self, claim: &Claim) -> Result<(), StoreError> {
        match self
            .eval(&self.scripts.release, claim.key(), claim.token(), 1)
            .await?
        {
            1 => Ok(()),
            _ => Err(StoreError::ClaimLost),
        }
    }

    /// `PTTL` of the key, unless it holds a done-marker (one round trip, only when a delivery
    /// finds its event in progress).
    async fn lease_remaining(&self, key: &str) -> Result<Option<Duration>, StoreError> {
        let mut conn = self.conn.clone();
        let mut pipe = redis::pipe();
        pipe.cmd("GET").arg(self.full_key(key));
        pipe.cmd("PTTL").arg(self.full_key(key));
        match self
            .with_timeout(pipe.query_async::<(Option<Vec<u8>>, i64)>(&mut conn))
            .await?
        {
            Ok((Some(value), ttl)) if value != b"done" && ttl > 0 => {
                Ok(Some(Duration::from_millis(ttl.unsigned_abs())))
            }
            Ok(_) => Ok(None),
            Err(err) => Err(StoreError::backend("Redis refused PTTL", err)),
        }
    }
}
