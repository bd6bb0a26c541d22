//! What the catalog providers' [`json_payload!`](super::macros::json_payload) events share.

use super::generic::{scalar, split_field};
use super::{Meta, Occurred, ParseError, RawBody, deserialize_tracked, idempotency_key};
use crate::verifier::Verified;

/// The body as a JSON object and its metadata: the event type from the scheme's header or the
/// first of `type_at` (names or JSON pointers) holding text, the key by the scheme's rule.
///
/// # Errors
///
/// [`ParseError::Envelope`] when the body is not a JSON object, [`ParseError::MissingEventType`]
/// when no type is found.
pub(crate) fn parse(
    body: &RawBody,
    verified: &Verified,
    provider: &'static str,
    type_at: &[&str],
) -> Result<(serde_json::Map<String, serde_json::Value>, Meta), ParseError> {
    let bytes = body.as_bytes();
    let fields: serde_json::Map<String, serde_json::Value> =
        deserialize_tracked(bytes).map_err(|(path, message)| ParseError::Envelope {
            provider,
            path,
            message,
        })?;
    // Type and key come from the map just parsed, not from a second pass over the body.
    let lookup = |name: &str| {
        let (first, rest) = split_field(name);
        let value = fields.get(first)?;
        match rest {
            Some(rest) => scalar(value.pointer(&format!("/{rest}"))?),
            None => scalar(value),
        }
    };
    let event_type = verified
        .event_type()
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .or_else(|| type_at.iter().find_map(|name| lookup(name)))
        .filter(|t| !t.is_empty())
        .ok_or(ParseError::MissingEventType { provider })?;
    let key = idempotency_key(verified, bytes, lookup);
    Ok((
        fields,
        Meta {
            event_type,
            occurred_at: Occurred::None,
            idempotency_key: key,
        },
    ))
}

/// A body that is a JSON array of items (HubSpot's notifications, SendGrid's events): the items,
/// and the metadata — the event type is `type_of` the first item, the key by the scheme's rule
/// (for these batches, the body's hash).
///
/// # Errors
///
/// [`ParseError::Envelope`] when the body is not an array of such items,
/// [`ParseError::MissingEventType`] when the first item has no type.
pub(crate) fn parse_batch<T: serde::de::DeserializeOwned>(
    body: &RawBody,
    verified: &Verified,
    provider: &'static str,
    type_of: impl Fn(&T) -> Option<&String>,
) -> Result<(Vec<T>, Meta), ParseError> {
    let bytes = body.as_bytes();
    let items: Vec<T> =
        deserialize_tracked(bytes).map_err(|(path, message)| ParseError::Envelope {
            provider,
            path,
            message,
        })?;
    let event_type = items
        .first()
        .and_then(type_of)
        .filter(|t| !t.is_empty())
        .cloned()
        .ok_or(ParseError::MissingEventType { provider })?;
    let key = idempotency_key(verified, bytes, |_| None);
    Ok((
        items,
        Meta {
            event_type,
            occurred_at: Occurred::None,
            idempotency_key: key,
        },
    ))
}
