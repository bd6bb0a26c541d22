//! Discord's typed event: the interaction, its numeric `type` named.

use crate::events::{Meta, ParseError, RawBody, WebhookEvent};
use crate::verifier::Verified;

/// The names of Discord's interaction types, by number.
const TYPES: [(&str, &str); 5] = [
    ("1", "PING"),
    ("2", "APPLICATION_COMMAND"),
    ("3", "MESSAGE_COMPONENT"),
    ("4", "APPLICATION_COMMAND_AUTOCOMPLETE"),
    ("5", "MODAL_SUBMIT"),
];

/// A verified Discord interaction: its JSON object, whole. The event type is the name of its
/// numeric `type` (`PING` for `1`: answer `{"type":1}`; `APPLICATION_COMMAND` for `2`, ...),
/// or the number as sent for a type this version does not name.
///
/// Verified requests parse through [`WebhookEvent`]; the type also implements `Deserialize`,
/// so a stored body reads back with serde.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct Payload {
    /// The interaction's fields (`id`, `type`, `token`, `data`, ...).
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl Payload {
    /// Whether this is Discord's endpoint check (`type` 1), to answer with `{"type":1}`.
    pub fn is_ping(&self) -> bool {
        self.fields.get("type").and_then(serde_json::Value::as_u64) == Some(1)
    }

    /// The name tools print for this event (`discord::Payload`).
    pub fn variant(&self) -> &'static str {
        "discord::Payload"
    }
}

impl WebhookEvent for Payload {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let (fields, mut meta) =
            crate::events::catalog::parse(body, verified, "discord", &["type"])?;
        if let Some((_, name)) = TYPES.iter().find(|(number, _)| *number == meta.event_type) {
            (*name).clone_into(&mut meta.event_type);
        }
        Ok((Payload { fields }, meta))
    }
}

/// An interaction has no per-type struct: never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
