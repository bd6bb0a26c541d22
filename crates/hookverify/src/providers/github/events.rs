//! GitHub's typed events.

use serde::Deserialize;

use crate::events::{Meta, ParseError, WebhookEvent, deserialize_tracked, idempotency_key};
use crate::verifier::Verified;

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

/// The fields most GitHub payloads share; everything else is in `extra`. Parsed by
/// [`WebhookEvent`] (type and key from the headers), not `Deserialize`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Payload {
    /// The activity (`opened`, `closed`, ...), for events that have one.
    pub action: Option<String>,
    /// The repository, for repository events.
    pub repository: Option<Repository>,
    /// Who triggered the event.
    pub sender: Option<User>,
    /// Everything else.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Repr {
    action: Option<String>,
    repository: Option<Repository>,
    sender: Option<User>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

impl WebhookEvent for Payload {
    fn from_verified(body: &[u8], verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let repr: Repr =
            deserialize_tracked(body).map_err(|(path, message)| ParseError::Envelope {
                provider: "github",
                path,
                message,
            })?;
        // GitHub sends `X-GitHub-Event` with every delivery, and a payload means nothing without
        // it: a verified request that lacks it is unprocessable (422), not a forgery (401).
        let event_type = verified
            .event_type()
            .filter(|t| !t.is_empty())
            .ok_or(ParseError::MissingEventType { provider: "github" })?;
        let meta = Meta {
            event_type: event_type.to_owned(),
            occurred_at: None,
            idempotency_key: idempotency_key(verified, body, |_| None),
        };
        let payload = Payload {
            action: repr.action,
            repository: repr.repository,
            sender: repr.sender,
            extra: repr.extra,
        };
        Ok((payload, meta))
    }
}

impl Payload {
    /// The name tools print for this event (`github::Payload`): the type has no variants.
    pub fn variant(&self) -> &'static str {
        "github::Payload"
    }
}
