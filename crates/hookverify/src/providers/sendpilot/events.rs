//! SendPilot's typed events.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::macros::events;
use crate::events::{Meta, ParseError, RawBody, WebhookEvent, envelope, idempotency_key};
use crate::verifier::Verified;

events! {
    /// A SendPilot webhook event.
    pub enum Event {
        /// `message.sent`: a campaign message went out.
        MessageSent(MessageSent) = "message.sent",
        /// `reply.received` (older: `message.received`): a lead replied.
        ReplyReceived(Reply) = "reply.received" | "message.received",
        /// `connection_request.sent` (older: `connection.sent`).
        ConnectionRequestSent(ConnectionRequest) = "connection_request.sent" | "connection.sent",
        /// `connection_request.accepted` (older: `connection.accepted`).
        ConnectionRequestAccepted(ConnectionRequest) = "connection_request.accepted" | "connection.accepted",
        /// `campaign.started`.
        CampaignStarted(Campaign) = "campaign.started",
        /// `campaign.paused`.
        CampaignPaused(Campaign) = "campaign.paused",
        /// `campaign.resumed`.
        CampaignResumed(Campaign) = "campaign.resumed",
        /// `campaign.finished`.
        CampaignFinished(Campaign) = "campaign.finished",
        /// `lead.tag.updated`: a lead's tags changed.
        LeadTagUpdated(LeadTags) = "lead.tag.updated",
        /// `lead.updated`: a lead's fields or status changed.
        LeadUpdated(LeadUpdate) = "lead.updated",
        /// `lead.status.changed` (older docs): a lead's status changed.
        LeadStatusChanged(LeadUpdate) = "lead.status.changed",
        /// `lead_database.search.completed`: a lead database search finished.
        LeadDatabaseSearchCompleted(SearchCompleted) = "lead_database.search.completed",
        /// `lead_extractor.job.completed`: a lead extraction job finished.
        LeadExtractorJobCompleted(ExtractorJob) = "lead_extractor.job.completed",
    }
}

/// `message.sent`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MessageSent {
    /// The lead messaged.
    pub lead_id: String,
    /// The campaign.
    pub campaign_id: Option<String>,
    /// The lead's LinkedIn profile.
    pub linkedin_url: Option<String>,
    /// The LinkedIn account that sent it.
    pub sender_id: Option<String>,
    /// The message text.
    pub message: Option<String>,
    /// The step of the campaign sequence.
    pub sequence_step: Option<u32>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `reply.received` / `message.received`. The reply text moved from `message` to `reply`
/// when the event was renamed; [`Reply::text`] reads either.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Reply {
    /// The lead who replied.
    pub lead_id: String,
    /// The campaign.
    pub campaign_id: Option<String>,
    /// The lead's LinkedIn profile.
    pub linkedin_url: Option<String>,
    /// The LinkedIn account that received it.
    pub sender_id: Option<String>,
    /// The reply text (current name).
    pub reply: Option<String>,
    /// The reply text (older name).
    pub message: Option<String>,
    /// A shortened preview.
    pub message_preview: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Reply {
    /// The reply text, whichever field carries it.
    pub fn text(&self) -> Option<&str> {
        self.reply
            .as_deref()
            .or(self.message.as_deref())
            .or(self.message_preview.as_deref())
    }
}

/// Connection request events.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConnectionRequest {
    /// The lead.
    pub lead_id: String,
    /// The campaign.
    pub campaign_id: Option<String>,
    /// The lead's LinkedIn profile.
    pub linkedin_url: Option<String>,
    /// The LinkedIn account.
    pub sender_id: Option<String>,
    /// The note sent with the request.
    pub note: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Campaign state changes.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Campaign {
    /// The campaign.
    pub campaign_id: String,
    /// Its name.
    pub campaign_name: Option<String>,
    /// Fields the documentation does not list (counts, reasons, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `lead.tag.updated`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LeadTags {
    /// The lead.
    pub lead_id: String,
    /// The campaign.
    pub campaign_id: Option<String>,
    /// The lead's tags after the change.
    pub tags: Option<Vec<String>>,
    /// Tags added.
    pub added_tags: Option<Vec<String>>,
    /// Tags removed.
    pub removed_tags: Option<Vec<String>>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `lead.updated` / `lead.status.changed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LeadUpdate {
    /// The lead.
    pub lead_id: String,
    /// The campaign.
    pub campaign_id: Option<String>,
    /// The status after the change.
    pub status: Option<String>,
    /// The status before.
    pub previous_status: Option<String>,
    /// The changed fields.
    pub changes: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `lead_database.search.completed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SearchCompleted {
    /// The search.
    pub search_id: Option<String>,
    /// How many leads it found.
    pub results_count: Option<u64>,
    /// The search's name.
    pub name: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `lead_extractor.job.completed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExtractorJob {
    /// The job.
    pub job_id: Option<String>,
    /// How many leads it extracted.
    pub leads_extracted: Option<u64>,
    /// Where it extracted from.
    pub source_url: Option<String>,
    /// Fields the documentation does not list.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    event_id: Option<String>,
    event_type: String,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let envelope: Envelope<'_> = envelope("sendpilot", body.as_bytes())?;
        let data = envelope.data.map_or("null", RawValue::get);
        let event = Event::from_data(&envelope.event_type, "data", data, body);
        let idempotency_key = idempotency_key(verified, body.as_bytes(), |field| match field {
            "eventId" => envelope.event_id.clone(),
            _ => None,
        });
        Ok((
            event,
            Meta {
                event_type: envelope.event_type,
                occurred_at: envelope.timestamp.into(),
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
