//! HubSpot's typed event: a batch of notifications.

use serde::Deserialize;

use crate::events::{Meta, ParseError, RawBody, WebhookEvent};
use crate::verifier::Verified;

/// One notification of a batch.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Notification {
    /// The notification's id.
    pub event_id: Option<u64>,
    /// `contact.creation`, `deal.propertyChange`, ...
    pub subscription_type: Option<String>,
    /// The portal (account).
    pub portal_id: Option<u64>,
    /// The changed object.
    pub object_id: Option<u64>,
    /// When it happened, Unix milliseconds.
    pub occurred_at: Option<i64>,
    /// Everything else (`propertyName`, `propertyValue`, `attemptNumber`, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A verified HubSpot request: up to 100 notifications. The event type is the first
/// notification's `subscriptionType`.
///
/// Verified requests parse through [`WebhookEvent`]; the type also implements `Deserialize`, so
/// a stored body reads back with serde.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Payload {
    /// The notifications, in order.
    pub notifications: Vec<Notification>,
}

impl Payload {
    /// The name tools print for this event (`hubspot::Payload`).
    pub fn variant(&self) -> &'static str {
        "hubspot::Payload"
    }
}

impl WebhookEvent for Payload {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let (notifications, meta) =
            crate::events::catalog::parse_batch(body, verified, "hubspot", |n: &Notification| {
                n.subscription_type.as_ref()
            })?;
        Ok((Payload { notifications }, meta))
    }
}

/// A batch has no per-type struct: never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
