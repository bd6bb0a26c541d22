//! GitHub: the event type comes from the `X-GitHub-Event` header and the body is that event's
//! payload. [`Payload`] reads the fields common to most events and keeps the rest;
//! [`Parsed::event_type`](crate::Parsed::event_type) is the header's value and
//! [`Parsed::idempotency_key`](crate::Parsed::idempotency_key) the `X-GitHub-Delivery` id.

use serde::Deserialize;

/// A repository, as most payloads include it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Repository {
    /// Numeric id.
    pub id: u64,
    /// `owner/name`.
    pub full_name: String,
}

/// A user or bot.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Login.
    pub login: String,
    /// Numeric id.
    pub id: u64,
}

/// The fields most GitHub payloads share; everything else is in `extra`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Payload {
    /// The activity (`opened`, `closed`, ...), for events that have one.
    pub action: Option<String>,
    /// The repository, for repository events.
    pub repository: Option<Repository>,
    /// Who triggered the event.
    pub sender: Option<User>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
