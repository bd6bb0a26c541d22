//! SendKit's typed events.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::macros::events;
use crate::events::{Meta, ParseError, RawBody, WebhookEvent, envelope, idempotency_key};
use crate::verifier::Verified;

events! {
    /// A SendKit webhook event.
    pub enum Event {
        /// `email.sent`.
        EmailSent(Email) = "email.sent",
        /// `email.opened`.
        EmailOpened(Email) = "email.opened",
        /// `email.clicked`.
        EmailClicked(Email) = "email.clicked",
        /// `email.replied`.
        EmailReplied(Email) = "email.replied",
        /// `email.bounced`.
        EmailBounced(Email) = "email.bounced",
        /// `email.unsubscribed`.
        EmailUnsubscribed(Email) = "email.unsubscribed",
        /// `email.positive_reply`: a reply classified as positive.
        EmailPositiveReply(Email) = "email.positive_reply",
        /// `lead.updated`.
        LeadUpdated(Lead) = "lead.updated",
        /// `test`: a test delivery from the dashboard or `POST /v1/webhooks/{id}/test`.
        Test(Test) = "test",
    }
}

/// Every `email.*` event.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Email {
    /// The lead's address.
    pub email: Option<String>,
    /// The lead.
    #[serde(alias = "lead_id")]
    pub lead_id: Option<String>,
    /// The campaign.
    #[serde(alias = "campaign_id")]
    pub campaign_id: Option<String>,
    /// Subject line.
    pub subject: Option<String>,
    /// Step of the sequence.
    #[serde(alias = "sequence_step")]
    pub sequence_step: Option<u32>,
    /// `email.clicked`: the link.
    pub url: Option<String>,
    /// Reply events: the reply text.
    #[serde(alias = "reply_text")]
    pub reply_text: Option<String>,
    /// `email.bounced`: `hard` or `soft`.
    #[serde(alias = "bounce_type")]
    pub bounce_type: Option<String>,
    /// Bounce reason.
    pub reason: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `lead.updated`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Lead {
    /// The lead.
    #[serde(alias = "lead_id")]
    pub lead_id: Option<String>,
    /// Its address.
    pub email: Option<String>,
    /// Status after the change.
    pub status: Option<String>,
    /// Status before.
    #[serde(alias = "previous_status")]
    pub previous_status: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `test`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Test {
    /// The test message.
    pub message: Option<String>,
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
    id: Option<String>,
    event_id: Option<String>,
    created_at: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let envelope: Envelope<'_> = envelope("sendkit", body.as_bytes())?;
        let event_type = envelope
            .event_type
            .or(envelope.event)
            .or_else(|| verified.event_type().map(str::to_owned))
            .ok_or(ParseError::MissingEventType {
                provider: "sendkit",
            })?;
        let (data_path, data) = match envelope.data {
            Some(data) => ("data", data.get()),
            None => (".", body.as_str()),
        };
        let event = Event::from_data(&event_type, data_path, data, body);
        let idempotency_key = idempotency_key(verified, body.as_bytes(), |field| match field {
            "id" => envelope.id.clone(),
            "eventId" => envelope.event_id.clone(),
            _ => None,
        });
        Ok((
            event,
            Meta {
                event_type,
                occurred_at: envelope.created_at.into(),
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
