//! Sent's typed events.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::macros::string_enum;
use crate::events::{
    Meta, Misfit, ParseError, RawBody, Unknown, WebhookEvent, envelope, fit, idempotency_key,
};
use crate::verifier::Verified;

/// A Sent webhook event.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `message.status.updated`: a message's delivery status changed.
    MessageStatusUpdated(MessageStatus),
    /// `message.inbound.received`: an inbound message.
    MessageInboundReceived(InboundMessage),
    /// `template.approval.updated`: a template's approval status changed.
    TemplateApprovalUpdated(Template),
    /// `message.queued`.
    MessageQueued(MessageStatus),
    /// `message.routed`.
    MessageRouted(MessageStatus),
    /// `message.sent`.
    MessageSent(MessageStatus),
    /// `message.delivered`.
    MessageDelivered(MessageStatus),
    /// `message.read`.
    MessageRead(MessageStatus),
    /// `message.failed`.
    MessageFailed(MessageStatus),
    /// `message.received`: an inbound message.
    MessageReceived(InboundMessage),
    /// `templates`: a template status update without a subtype.
    Template(Template),
    /// `contact.opt_in`.
    ContactOptIn(Contact),
    /// `contact.opt_out`.
    ContactOptOut(Contact),
    /// `contact.help`.
    ContactHelp(Contact),
    /// `channel.*` (`channel.submitted`, `channel.activated`, ...): the list is open-ended.
    Channel(Channel),
    /// An event type this version does not know, with the verified raw body kept whole.
    Unknown(Unknown),
    /// A known event type whose payload does not fit its struct, kept raw with the error (see
    /// [`Misfit`]).
    Misfit(Misfit),
}

impl Event {
    /// Every event type with its own variant (`channel.*` types go to [`Event::Channel`]).
    pub const EVENT_TYPES: &'static [&'static str] = &[
        "message.status.updated",
        "message.inbound.received",
        "template.approval.updated",
        "message.queued",
        "message.routed",
        "message.sent",
        "message.delivered",
        "message.read",
        "message.failed",
        "message.received",
        "templates",
        "contact.opt_in",
        "contact.opt_out",
        "contact.help",
        "channel.submitted",
        "channel.activated",
    ];

    /// The event type (for [`Event::Channel`] and `Unknown`, as sent).
    pub fn event_type(&self) -> &str {
        match self {
            Event::MessageStatusUpdated(_) => "message.status.updated",
            Event::MessageInboundReceived(_) => "message.inbound.received",
            Event::TemplateApprovalUpdated(_) => "template.approval.updated",
            Event::MessageQueued(_) => "message.queued",
            Event::MessageRouted(_) => "message.routed",
            Event::MessageSent(_) => "message.sent",
            Event::MessageDelivered(_) => "message.delivered",
            Event::MessageRead(_) => "message.read",
            Event::MessageFailed(_) => "message.failed",
            Event::MessageReceived(_) => "message.received",
            Event::Template(_) => "templates",
            Event::ContactOptIn(_) => "contact.opt_in",
            Event::ContactOptOut(_) => "contact.opt_out",
            Event::ContactHelp(_) => "contact.help",
            Event::Channel(channel) => &channel.event_type,
            Event::Unknown(unknown) => &unknown.event_type,
            Event::Misfit(misfit) => &misfit.event_type,
        }
    }

    /// The variant's name (`MessageDelivered`, `Unknown`, ...), for logs and tools.
    pub fn variant(&self) -> &'static str {
        match self {
            Event::MessageStatusUpdated(_) => "MessageStatusUpdated",
            Event::MessageInboundReceived(_) => "MessageInboundReceived",
            Event::TemplateApprovalUpdated(_) => "TemplateApprovalUpdated",
            Event::MessageQueued(_) => "MessageQueued",
            Event::MessageRouted(_) => "MessageRouted",
            Event::MessageSent(_) => "MessageSent",
            Event::MessageDelivered(_) => "MessageDelivered",
            Event::MessageRead(_) => "MessageRead",
            Event::MessageFailed(_) => "MessageFailed",
            Event::MessageReceived(_) => "MessageReceived",
            Event::Template(_) => "Template",
            Event::ContactOptIn(_) => "ContactOptIn",
            Event::ContactOptOut(_) => "ContactOptOut",
            Event::ContactHelp(_) => "ContactHelp",
            Event::Channel(_) => "Channel",
            Event::Unknown(_) => "Unknown",
            Event::Misfit(_) => "Misfit",
        }
    }

    /// Whether `event_type` has a variant of its own (any `channel.*` does).
    pub fn is_known(event_type: &str) -> bool {
        Self::EVENT_TYPES.contains(&event_type) || event_type.starts_with("channel.")
    }

    /// Dispatches on the type: a known type's payload fits its struct or is a [`Misfit`].
    fn from_data(event_type: &str, data_path: &str, data: &str, body: &RawBody) -> Self {
        let d = Data {
            event_type,
            data_path,
            data,
            body,
        };
        match event_type {
            "message.status.updated" => d.fit(Event::MessageStatusUpdated),
            "message.inbound.received" => d.fit(Event::MessageInboundReceived),
            "template.approval.updated" => d.fit(Event::TemplateApprovalUpdated),
            "message.queued" => d.fit(Event::MessageQueued),
            "message.routed" => d.fit(Event::MessageRouted),
            "message.sent" => d.fit(Event::MessageSent),
            "message.delivered" => d.fit(Event::MessageDelivered),
            "message.read" => d.fit(Event::MessageRead),
            "message.failed" => d.fit(Event::MessageFailed),
            "message.received" => d.fit(Event::MessageReceived),
            "templates" => d.fit(Event::Template),
            "contact.opt_in" => d.fit(Event::ContactOptIn),
            "contact.opt_out" => d.fit(Event::ContactOptOut),
            "contact.help" => d.fit(Event::ContactHelp),
            channel if channel.starts_with("channel.") => d.fit(|mut payload: Channel| {
                payload.event_type = channel.to_owned();
                Event::Channel(payload)
            }),
            other => Event::Unknown(Unknown::new(other, body)),
        }
    }
}

/// A known type's payload, on its way to its variant or a [`Misfit`].
struct Data<'a> {
    event_type: &'a str,
    data_path: &'a str,
    data: &'a str,
    body: &'a RawBody,
}

impl Data<'_> {
    fn fit<T: serde::de::DeserializeOwned>(&self, variant: impl FnOnce(T) -> Event) -> Event {
        fit(
            self.event_type,
            self.data_path,
            self.data,
            self.body,
            variant,
            Event::Misfit,
        )
    }
}

string_enum! {
    /// A message's delivery status.
    pub enum Status {
        /// Accepted and queued.
        Queued = "QUEUED",
        /// Routed to a channel.
        Routed = "ROUTED",
        /// Handed to the carrier.
        Sent = "SENT",
        /// Delivered.
        Delivered = "DELIVERED",
        /// Read.
        Read = "READ",
        /// Failed.
        Failed = "FAILED",
    }
}

/// A message status change.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MessageStatus {
    /// The message.
    #[serde(alias = "messageId")]
    pub message_id: Option<String>,
    /// Its status (`message_status`, `messageStatus` or `status`).
    #[serde(alias = "status")]
    #[serde(alias = "messageStatus")]
    pub message_status: Option<Status>,
    /// `sms`, `whatsapp`, `rcs`.
    pub channel: Option<String>,
    /// The account.
    #[serde(alias = "accountId")]
    pub account_id: Option<String>,
    /// The number it was sent from.
    #[serde(alias = "inboundNumber")]
    pub inbound_number: Option<String>,
    /// The number it was sent to.
    #[serde(alias = "outboundNumber")]
    pub outbound_number: Option<String>,
    /// The template used.
    #[serde(alias = "templateId")]
    pub template_id: Option<String>,
    /// The agent.
    #[serde(alias = "agentId")]
    pub agent_id: Option<String>,
    /// Why it failed, for `message.failed`.
    pub error: Option<serde_json::Value>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// An inbound message.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct InboundMessage {
    /// The message.
    #[serde(alias = "messageId")]
    pub message_id: Option<String>,
    /// `sms`, `whatsapp`, `rcs`.
    pub channel: Option<String>,
    /// The account.
    #[serde(alias = "accountId")]
    pub account_id: Option<String>,
    /// Your number that received it.
    #[serde(alias = "inboundNumber")]
    pub inbound_number: Option<String>,
    /// The sender's number.
    #[serde(alias = "outboundNumber")]
    pub outbound_number: Option<String>,
    /// The text.
    pub text: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A template's approval status (upper-case in newer payloads, lower-case in older ones).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Template {
    /// The template.
    #[serde(alias = "templateId")]
    pub template_id: Option<String>,
    /// `APPROVED`, `REJECTED`, ... (older: `approved`).
    pub status: Option<String>,
    /// The template's name.
    pub name: Option<String>,
    /// Its category.
    pub category: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A contact opt-in, opt-out or help request.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// The contact.
    #[serde(alias = "contactId")]
    pub contact_id: Option<String>,
    /// Their number.
    #[serde(alias = "phoneNumber")]
    pub phone_number: Option<String>,
    /// The channel.
    pub channel: Option<String>,
    /// The keyword they sent (`STOP`, `START`, `HELP`).
    pub keyword: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A channel lifecycle event.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Channel {
    /// The full event type, `channel.*`.
    #[serde(skip)]
    pub event_type: String,
    /// The channel.
    #[serde(alias = "channelId")]
    pub channel_id: Option<String>,
    /// `sms`, `whatsapp`, `rcs`.
    pub channel: Option<String>,
    /// Its status after the change.
    pub status: Option<String>,
    /// Its number.
    #[serde(alias = "phoneNumber")]
    pub phone_number: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct TypeOnly {
    #[serde(rename = "type")]
    event_type: String,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    // `{ id, event: { type }, data }`
    id: Option<String>,
    #[serde(borrow, default)]
    event: Option<&'a RawValue>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(alias = "createdAt")]
    created_at: Option<String>,
    // `{ field, sub_type | event, timestamp, payload }`
    field: Option<String>,
    #[serde(alias = "subType")]
    sub_type: Option<String>,
    timestamp: Option<String>,
    #[serde(borrow, default)]
    payload: Option<&'a RawValue>,
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let envelope: Envelope<'_> = envelope("sent", body.as_bytes())?;
        let envelope_error = |path: &str, message: String| ParseError::Envelope {
            provider: "sent",
            path: path.to_owned(),
            message,
        };
        // `event` is an object `{ "type" }` in one shape and the subtype string in the other.
        let event_field = envelope.event.map(RawValue::get);
        let (event_type, data_path, data, occurred_at) = match (&envelope.field, event_field) {
            (Some(field), event) => {
                let subtype = match event {
                    Some(text) => Some(
                        serde_json::from_str::<String>(text)
                            .map_err(|e| envelope_error("event", e.to_string()))?,
                    ),
                    None => envelope.sub_type.clone(),
                };
                let event_type = match (subtype, field.as_str()) {
                    (Some(subtype), _) => subtype,
                    (None, "message" | "messages") => "message.status.updated".to_owned(),
                    (None, other) => other.to_owned(),
                };
                let data = envelope.payload.map_or("null", RawValue::get);
                (event_type, "payload", data, envelope.timestamp.clone())
            }
            (None, Some(event)) => {
                let TypeOnly { event_type } = serde_json::from_str(event)
                    .map_err(|e| envelope_error("event", e.to_string()))?;
                let data = envelope.data.map_or("null", RawValue::get);
                (event_type, "data", data, envelope.created_at.clone())
            }
            (None, None) => return Err(ParseError::MissingEventType { provider: "sent" }),
        };
        let event = Event::from_data(&event_type, data_path, data, body);
        let idempotency_key = idempotency_key(verified, body.as_bytes(), |field| match field {
            "id" => envelope.id.clone(),
            _ => None,
        });
        Ok((
            event,
            Meta {
                event_type,
                occurred_at: occurred_at.into(),
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
