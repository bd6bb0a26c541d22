//! AutoSend's typed events.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::macros::events;
use crate::events::{Meta, ParseError, RawBody, WebhookEvent, envelope, idempotency_key};
use crate::verifier::Verified;

events! {
    /// An AutoSend webhook event.
    pub enum Event {
        /// `email.sent`.
        EmailSent(Email) = "email.sent",
        /// `email.delivered`.
        EmailDelivered(Email) = "email.delivered",
        /// `email.deferred`: delivery is being retried.
        EmailDeferred(Email) = "email.deferred",
        /// `email.bounced`.
        EmailBounced(Email) = "email.bounced",
        /// `email.opened`.
        EmailOpened(Email) = "email.opened",
        /// `email.clicked`.
        EmailClicked(Email) = "email.clicked",
        /// `email.spam_reported`.
        EmailSpamReported(Email) = "email.spam_reported",
        /// `email.unsubscribed`.
        EmailUnsubscribed(Email) = "email.unsubscribed",
        /// `email.group_unsubscribed`: unsubscribed from one group.
        EmailGroupUnsubscribed(Email) = "email.group_unsubscribed",
        /// `email.group_resubscribed`.
        EmailGroupResubscribed(Email) = "email.group_resubscribed",
        /// `contact.created`.
        ContactCreated(Contact) = "contact.created",
        /// `contact.updated`.
        ContactUpdated(Contact) = "contact.updated",
        /// `contact.deleted`.
        ContactDeleted(Contact) = "contact.deleted",
    }
}

/// An email address, sent either as a plain string or as `{ "email", "name" }`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(from = "AddressRepr")]
#[non_exhaustive]
pub struct Address {
    /// The address.
    pub email: String,
    /// The display name, when given.
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AddressRepr {
    Plain(String),
    Full { email: String, name: Option<String> },
}

impl From<AddressRepr> for Address {
    fn from(repr: AddressRepr) -> Self {
        match repr {
            AddressRepr::Plain(email) => Address { email, name: None },
            AddressRepr::Full { email, name } => Address { email, name },
        }
    }
}

/// Every `email.*` event. Fields that only some types carry are `Option`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Email {
    /// The email.
    #[serde(alias = "email_id")]
    pub email_id: String,
    /// Sender.
    pub from: Option<Address>,
    /// Recipient.
    pub to: Option<Address>,
    /// Subject line.
    pub subject: Option<String>,
    /// Whether this is a test send.
    pub test: Option<bool>,
    /// The campaign it belongs to.
    #[serde(alias = "campaign_id")]
    pub campaign_id: Option<String>,
    /// The template used.
    #[serde(alias = "template_id")]
    pub template_id: Option<String>,
    /// The automation that sent it.
    #[serde(alias = "workflow_automation_id")]
    pub workflow_automation_id: Option<String>,
    /// The batch it was sent in.
    #[serde(alias = "batch_id")]
    pub batch_id: Option<String>,
    /// When it was created (older envelope generation puts the time here).
    #[serde(default, with = "crate::events::datetime::optional")]
    #[serde(alias = "created_at")]
    pub created_at: Option<time::OffsetDateTime>,
    /// `email.bounced`: `hard` or `soft`.
    #[serde(alias = "bounce_type")]
    pub bounce_type: Option<String>,
    /// Bounce, deferral or unsubscribe reason.
    pub reason: Option<String>,
    /// `email.clicked`: the link.
    pub url: Option<String>,
    /// Group events: the group.
    #[serde(alias = "group_id")]
    pub group_id: Option<String>,
    /// Group events: the group's name.
    #[serde(alias = "group_name")]
    pub group_name: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Every `contact.*` event.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contact {
    /// The contact.
    #[serde(alias = "id")]
    #[serde(alias = "contact_id")]
    pub contact_id: Option<String>,
    /// Its address.
    pub email: Option<String>,
    /// First name.
    #[serde(alias = "first_name")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(alias = "last_name")]
    pub last_name: Option<String>,
    /// Custom fields.
    #[serde(alias = "custom_fields")]
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    #[serde(rename = "type")]
    event_type: Option<String>,
    event: Option<String>,
    created_at: Option<String>,
    timestamp: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let envelope: Envelope<'_> = envelope("autosend", body.as_bytes())?;
        let event_type = envelope
            .event_type
            .or(envelope.event)
            .or_else(|| verified.event_type().map(str::to_owned))
            .ok_or(ParseError::MissingEventType {
                provider: "autosend",
            })?;
        let data = envelope.data.map_or("null", RawValue::get);
        let event = Event::from_data(&event_type, "data", data, body);
        let idempotency_key = idempotency_key(verified, body.as_bytes(), |_| None);
        Ok((
            event,
            Meta {
                event_type,
                occurred_at: envelope.created_at.or(envelope.timestamp).into(),
                idempotency_key,
            },
        ))
    }
}

pub(crate) fn misfit_of(event: &Event) -> Option<&crate::Misfit> {
    match event {
        Event::Misfit(misfit) => Some(misfit),
        _ => None,
    }
}
