//! GitHub's typed events.

use serde::Deserialize;

use crate::events::{
    Meta, ParseError, RawBody, WebhookEvent, deserialize_tracked, idempotency_key,
};
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

/// The fields most GitHub payloads share; everything else is in `extra`.
///
/// Verified requests parse through [`WebhookEvent`] (the event type and key come from the
/// headers); the type also implements `Deserialize`, so a stored body reads back with serde.
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

impl WebhookEvent for Payload {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let payload: Payload =
            deserialize_tracked(body.as_bytes()).map_err(|(path, message)| {
                ParseError::Envelope {
                    provider: "github",
                    path,
                    message,
                }
            })?;
        // GitHub sends `X-GitHub-Event` with every delivery, and a payload means nothing without
        // it: a verified request that lacks it is unprocessable (422), not a forgery (401).
        let event_type = verified
            .event_type()
            .filter(|t| !t.is_empty())
            .ok_or(ParseError::MissingEventType { provider: "github" })?;
        let meta = Meta {
            event_type: event_type.to_owned(),
            occurred_at: crate::events::Occurred::None,
            idempotency_key: idempotency_key(verified, body.as_bytes(), |_| None),
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

/// An envelope with no per-type payload: never a misfit (a body that does not fit is an
/// envelope error).
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
