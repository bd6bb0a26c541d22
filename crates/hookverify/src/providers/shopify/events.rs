//! Shopify's typed events.

use serde::Deserialize;

use crate::events::{
    Meta, Occurred, ParseError, RawBody, WebhookEvent, deserialize_tracked, idempotency_key,
};
use crate::verifier::Verified;

/// The resource a Shopify webhook carries: the fields most resources share; everything else is
/// in `extra`.
///
/// Verified requests parse through [`WebhookEvent`] (the topic and key come from the headers);
/// the type also implements `Deserialize`, so a stored body reads back with serde.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Payload {
    /// The resource's numeric id (an order's, a product's), when it has one.
    pub id: Option<u64>,
    /// Its GraphQL id (`gid://shopify/Order/...`).
    pub admin_graphql_api_id: Option<String>,
    /// When the resource last changed, as sent.
    pub updated_at: Option<String>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl WebhookEvent for Payload {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let payload: Payload =
            deserialize_tracked(body.as_bytes()).map_err(|(path, message)| {
                ParseError::Envelope {
                    provider: "shopify",
                    path,
                    message,
                }
            })?;
        // Shopify sends `X-Shopify-Topic` with every delivery: without it the body cannot be
        // told apart (422, not 401).
        let event_type = verified.event_type().filter(|t| !t.is_empty()).ok_or(
            ParseError::MissingEventType {
                provider: "shopify",
            },
        )?;
        let occurred_at = payload
            .updated_at
            .clone()
            .map_or(Occurred::None, Occurred::Text);
        let meta = Meta {
            event_type: event_type.to_owned(),
            occurred_at,
            idempotency_key: idempotency_key(verified, body.as_bytes(), |_| None),
        };
        Ok((payload, meta))
    }
}

impl Payload {
    /// The name tools print for this event (`shopify::Payload`): the type has no variants.
    pub fn variant(&self) -> &'static str {
        "shopify::Payload"
    }
}

/// A resource with no per-topic struct: never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
