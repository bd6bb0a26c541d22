//! Events of a type the user brings: any `T: DeserializeOwned`, and [`Typed`] for an enum of the
//! user's own with an `Unknown` fallback.

use serde::de::DeserializeOwned;

use super::{
    Meta, ParseError, Unknown, WebhookEvent, deserialize_tracked, idempotency_key, raw_body,
};
use crate::verifier::Verified;

impl<T: DeserializeOwned> WebhookEvent for T {
    fn from_verified(body: &[u8], verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let value: T =
            deserialize_tracked(body).map_err(|(path, message)| ParseError::Payload {
                event_type: std::any::type_name::<T>().to_owned(),
                path,
                message,
            })?;
        let fields: BodyFields = serde_json::from_slice(body).unwrap_or_default();
        let event_type = verified
            .event_type()
            .map(str::to_owned)
            .or(fields.event_type)
            .unwrap_or_default();
        let idempotency_key = idempotency_key(verified, body, |name| match name {
            "id" => fields.id.clone(),
            "eventId" => fields.event_id.clone(),
            _ => None,
        });
        Ok((
            value,
            Meta {
                event_type,
                occurred_at: fields.timestamp.or(fields.created_at).or(fields.created),
                idempotency_key,
            },
        ))
    }
}

/// The few top-level fields the generic path reads for its metadata.
#[derive(Default, serde::Deserialize)]
struct BodyFields {
    #[serde(default, rename = "type", deserialize_with = "string_or_none")]
    event_type: Option<String>,
    #[serde(default, deserialize_with = "string_or_none")]
    id: Option<String>,
    #[serde(default, rename = "eventId", deserialize_with = "string_or_none")]
    event_id: Option<String>,
    #[serde(default, deserialize_with = "string_or_none")]
    timestamp: Option<String>,
    #[serde(default, rename = "createdAt", deserialize_with = "string_or_none")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "string_or_none")]
    created: Option<String>,
}

/// A string field, or `None` for any other JSON value: metadata never fails a parse.
fn string_or_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Your own event type with an `Unknown` fallback: typically a `#[serde(tag = "type")]` enum of
/// the events you handle. A body whose type `T` does not list becomes `Unknown` (kept raw)
/// instead of an error; a listed type whose payload does not fit is still a
/// [`ParseError::Payload`].
///
/// ```
/// use hookverify::{Typed, Scheme, Verifier};
/// use hookverify::sign::{Message, Signer};
///
/// #[derive(serde::Deserialize)]
/// #[serde(tag = "type", content = "data")]
/// enum MyEvent {
///     #[serde(rename = "invoice.paid")]
///     InvoicePaid { id: String, amount: u64 },
/// }
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let signer = Signer::new(&Scheme::standard_webhooks(), secret)?;
/// let verifier = Verifier::new(Scheme::standard_webhooks(), secret)?;
///
/// let body = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":4200}}"#;
/// let parsed = verifier.verify_and_parse::<Typed<MyEvent>>(&signer.sign(&Message::new(body))?, body)?;
/// assert!(matches!(parsed.event, Typed::Known(MyEvent::InvoicePaid { amount: 4200, .. })));
///
/// let body = br#"{"type":"invoice.voided","data":{"id":"in_2"}}"#;
/// let parsed = verifier.verify_and_parse::<Typed<MyEvent>>(&signer.sign(&Message::new(body))?, body)?;
/// assert!(matches!(parsed.event, Typed::Unknown(ref u) if u.event_type == "invoice.voided"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Typed<T> {
    /// A type `T` knows.
    Known(T),
    /// A type `T` does not list.
    Unknown(Unknown),
}

impl<T: DeserializeOwned> WebhookEvent for Typed<T> {
    fn from_verified(body: &[u8], verified: &Verified) -> Result<(Self, Meta), ParseError> {
        match T::from_verified(body, verified) {
            Ok((event, meta)) => Ok((Typed::Known(event), meta)),
            Err(ParseError::Payload { message, .. }) if message.starts_with("unknown variant") => {
                let (_, meta) = serde::de::IgnoredAny::from_verified(body, verified)?;
                let unknown = Unknown {
                    event_type: meta.event_type.clone(),
                    raw: raw_body(body)?,
                };
                Ok((Typed::Unknown(unknown), meta))
            }
            Err(err) => Err(err),
        }
    }
}
