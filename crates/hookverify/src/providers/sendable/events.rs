//! Sendable's typed events.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::macros::{events, string_enum};
use crate::events::{Meta, ParseError, Parsed, RawBody, WebhookEvent, envelope, idempotency_key};
use crate::verifier::Verified;

events! {
    /// A Sendable webhook event.
    pub enum Event {
        /// `message.sent`: an outbound message left the session.
        MessageSent(Message) = "message.sent",
        /// `message.delivered`: an outbound message reached the recipient's device.
        MessageDelivered(Message) = "message.delivered",
        /// `message.read`: the recipient read an outbound message.
        MessageRead(Message) = "message.read",
        /// `message.failed`: an outbound message could not be delivered.
        MessageFailed(Message) = "message.failed",
        /// `message.received`: an inbound message, any chat.
        MessageReceived(Message) = "message.received",
        /// `message-personal.received`: an inbound message in a one-to-one chat.
        PersonalMessageReceived(Message) = "message-personal.received",
        /// `message-group.received`: an inbound message in a group chat.
        GroupMessageReceived(Message) = "message-group.received",
        /// `session.socket-connected`: the WhatsApp socket of a session connected.
        SocketConnected(Session) = "session.socket-connected",
        /// `session.socket-disconnected`: the WhatsApp socket of a session disconnected.
        SocketDisconnected(Session) = "session.socket-disconnected",
    }
}

string_enum! {
    /// A message's delivery status.
    pub enum MessageStatus {
        /// Accepted, not yet delivered.
        Pending = "PENDING",
        /// Delivered to the device.
        Delivered = "DELIVERED",
        /// Read by the recipient.
        Read = "READ",
        /// Not delivered.
        Failed = "FAILED",
    }
}

string_enum! {
    /// Which way a message went.
    pub enum Direction {
        /// Sent by the session.
        Outbound = "OUTBOUND",
        /// Received by the session.
        Inbound = "INBOUND",
    }
}

/// The text of a text message.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Text {
    /// The message text.
    pub content: String,
}

/// A message, as carried by every `message*` event.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Message {
    /// The WhatsApp message id (`wamid....`).
    pub id: String,
    /// The message kind (`text`, `image`, ...).
    #[serde(rename = "type")]
    pub message_type: Option<String>,
    /// When the message was sent or received (sent as Unix seconds).
    #[serde(default, with = "crate::events::datetime::optional")]
    pub timestamp: Option<time::OffsetDateTime>,
    /// `personal` or `group`.
    pub origin: Option<String>,
    /// Inbound or outbound.
    pub direction: Option<Direction>,
    /// The sender's address, for inbound messages.
    pub from: Option<String>,
    /// The recipient's address, for outbound messages.
    pub to: Option<String>,
    /// The chat the message belongs to.
    pub chat_id: Option<String>,
    /// The session that sent or received it.
    pub session_id: Option<String>,
    /// Delivery status.
    pub status: Option<MessageStatus>,
    /// The text, for text messages.
    pub text: Option<Text>,
    /// Why delivery failed, for `message.failed`.
    pub error: Option<serde_json::Value>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A session's socket state change.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Session {
    /// The session.
    pub session_id: Option<String>,
    /// The session's state after the change.
    pub status: Option<String>,
    /// The WhatsApp number the session is connected as.
    pub phone_number: Option<String>,
    /// Why the socket disconnected, when it did.
    pub reason: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    event_type: String,
    #[serde(rename = "createdAt", default)]
    created_at: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let envelope: Envelope<'_> = envelope("sendable", body.as_bytes())?;
        let data = envelope.data.map_or("null", RawValue::get);
        let event = Event::from_data(&envelope.event_type, "data", data, body);
        let idempotency_key = idempotency_key(verified, body.as_bytes(), |_| None);
        Ok((
            event,
            Meta {
                event_type: envelope.event_type,
                occurred_at: envelope.created_at.into(),
                idempotency_key,
            },
        ))
    }
}

/// Sendable's documented composite de-duplication key, `{type}-{data.id or data.sessionId}-{createdAt}`,
/// for receivers that key on the body rather than on the `svix-id` header. `None` when the event
/// has neither id nor `createdAt`.
pub fn composite_key(parsed: &Parsed<Event>) -> Option<String> {
    let id = match &parsed.event {
        Event::MessageSent(m)
        | Event::MessageDelivered(m)
        | Event::MessageRead(m)
        | Event::MessageFailed(m)
        | Event::MessageReceived(m)
        | Event::PersonalMessageReceived(m)
        | Event::GroupMessageReceived(m) => Some(m.id.clone()),
        Event::SocketConnected(s) | Event::SocketDisconnected(s) => s.session_id.clone(),
        Event::Unknown(_) | Event::Misfit(_) => None,
    }?;
    Some(format!(
        "{}-{id}-{}",
        parsed.event_type(),
        parsed.occurred_at()?
    ))
}

pub(crate) fn misfit_of(event: &Event) -> Option<&crate::Misfit> {
    match event {
        Event::Misfit(misfit) => Some(misfit),
        _ => None,
    }
}
