//! The two comparison receivers of the load benchmarks, shared by the axum and actix-web
//! servers. Both verify Standard Webhooks, parse the same typed event as hookverify's
//! `Envelope<LoadMessage>` server, and de-duplicate on `webhook-id`:
//!
//! - [`HandWritten`]: what users write today: the `svix` crate's `verify`, `serde_json` into a
//!   struct, and a `Mutex<HashMap>` of seen ids in a plain handler.
//! - [`Minimal`]: the least work that does the same job: one pre-keyed HMAC-SHA256 state cloned
//!   per request, a constant-time compare, the timestamp window, the typed parse, and an insert
//!   into a sharded set.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use subtle::ConstantTimeEq;

pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The load generator's Standard Webhooks body, typed.
#[derive(serde::Deserialize)]
pub(crate) struct LoadEvent {
    #[serde(rename = "type")]
    pub(crate) event_type: String,
    pub(crate) timestamp: Option<String>,
    pub(crate) data: LoadMessage,
}

/// `data` of the load generator's body.
#[derive(serde::Deserialize)]
pub(crate) struct LoadMessage {
    pub(crate) id: String,
    pub(crate) text: Option<LoadText>,
}

#[derive(serde::Deserialize)]
pub(crate) struct LoadText {
    pub(crate) content: String,
}

/// `svix` verify + `serde_json` + `Mutex<HashMap>`: the hand-written receiver.
pub(crate) struct HandWritten {
    webhook: svix::webhooks::Webhook,
    seen: Mutex<HashMap<String, ()>>,
}

impl HandWritten {
    pub(crate) fn new() -> Self {
        HandWritten {
            webhook: svix::webhooks::Webhook::new(SECRET).unwrap(),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// The status to answer, and the content length it read.
    pub(crate) fn handle(&self, headers: &http::HeaderMap, body: &[u8]) -> (u16, usize) {
        if self.webhook.verify(body, headers).is_err() {
            return (401, 0);
        }
        let Ok(event) = serde_json::from_slice::<LoadEvent>(body) else {
            return (422, 0);
        };
        let Some(id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) else {
            return (400, 0);
        };
        let mut seen = self.seen.lock().unwrap();
        if seen.contains_key(id) {
            return (200, 0);
        }
        seen.insert(id.to_owned(), ());
        (200, content_len(&event))
    }
}

const SHARDS: usize = 16;

/// A pre-keyed HMAC, the typed parse and a sharded set: the minimal receiver.
pub(crate) struct Minimal {
    mac: hmac::Hmac<sha2::Sha256>,
    hasher: hashbrown::DefaultHashBuilder,
    seen: [Mutex<hashbrown::HashSet<Box<str>>>; SHARDS],
}

impl Minimal {
    pub(crate) fn new() -> Self {
        let key = base64::engine::general_purpose::STANDARD
            .decode(SECRET.trim_start_matches("whsec_"))
            .unwrap();
        Minimal {
            mac: hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap(),
            hasher: hashbrown::DefaultHashBuilder::default(),
            seen: std::array::from_fn(|_| Mutex::new(hashbrown::HashSet::new())),
        }
    }

    /// The status to answer, and the content length it read.
    pub(crate) fn handle(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
    ) -> (u16, usize) {
        let Ok(sent_at) = timestamp.parse::<i64>() else {
            return (401, 0);
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        if (now - sent_at).abs() > 300 {
            return (401, 0);
        }
        let mut mac = self.mac.clone();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        let expected = mac.finalize().into_bytes();
        let mut decoded = [0u8; 48];
        let matched = signatures.split(' ').any(|entry| {
            entry.strip_prefix("v1,").is_some_and(|sig| {
                base64::engine::general_purpose::STANDARD
                    .decode_slice(sig, &mut decoded)
                    .is_ok_and(|n| n == 32 && bool::from(decoded[..32].ct_eq(expected.as_slice())))
            })
        });
        if !matched {
            return (401, 0);
        }
        let Ok(event) = serde_json::from_slice::<LoadEvent>(body) else {
            return (422, 0);
        };
        let shard = (self.hasher.hash_one(id) as usize) % SHARDS;
        if !self.seen[shard].lock().unwrap().insert(Box::from(id)) {
            return (200, 0);
        }
        (200, content_len(&event))
    }
}

fn content_len(event: &LoadEvent) -> usize {
    event.event_type.len()
        + event.timestamp.as_ref().map_or(0, String::len)
        + event.data.id.len()
        + event.data.text.as_ref().map_or(0, |t| t.content.len())
}
