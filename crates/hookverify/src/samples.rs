//! Realistic sample bodies for every event type of every provider (feature `samples`).
//!
//! These are the crate's test fixtures: written from the providers' documented examples, or from
//! the documented field names where the docs give no example. The CLI's `send` and `demo` use
//! them, and so can your own tests.
//!
//! ```
//! use hookverify::{Provider, samples};
//!
//! let body = samples::body(Provider::Sendable, "message.read").unwrap();
//! assert!(body.contains(r#""type": "message.read""#));
//! assert!(samples::for_provider(Provider::SendPilot).count() >= 12);
//! ```

use crate::scheme::Provider;

/// One sample body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sample {
    /// The provider that sends it.
    pub provider: Provider,
    /// Its event type.
    pub event_type: &'static str,
    /// `true` for an older envelope generation the provider documented before the current one
    /// (AutoSend's `{ event, timestamp, data }`, Sent's `field: "messages"`).
    pub older_shape: bool,
    /// Path of the fixture under `crates/hookverify/fixtures/`.
    pub file: &'static str,
    /// The JSON body.
    pub body: &'static str,
}

static SAMPLES: &[Sample] = &[
    Sample {
        provider: Provider::StandardWebhooks,
        event_type: "contact.created",
        older_shape: false,
        file: "standard-webhooks/contact.created.json",
        body: include_str!("../fixtures/standard-webhooks/contact.created.json"),
    },
    Sample {
        provider: Provider::StandardWebhooks,
        event_type: "invoice.paid",
        older_shape: false,
        file: "standard-webhooks/invoice.paid.json",
        body: include_str!("../fixtures/standard-webhooks/invoice.paid.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message-group.received",
        older_shape: false,
        file: "sendable/message-group.received.json",
        body: include_str!("../fixtures/sendable/message-group.received.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message-personal.received",
        older_shape: false,
        file: "sendable/message-personal.received.json",
        body: include_str!("../fixtures/sendable/message-personal.received.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message.delivered",
        older_shape: false,
        file: "sendable/message.delivered.json",
        body: include_str!("../fixtures/sendable/message.delivered.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message.failed",
        older_shape: false,
        file: "sendable/message.failed.json",
        body: include_str!("../fixtures/sendable/message.failed.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message.read",
        older_shape: false,
        file: "sendable/message.read.json",
        body: include_str!("../fixtures/sendable/message.read.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message.received",
        older_shape: false,
        file: "sendable/message.received.json",
        body: include_str!("../fixtures/sendable/message.received.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "message.sent",
        older_shape: false,
        file: "sendable/message.sent.json",
        body: include_str!("../fixtures/sendable/message.sent.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "session.socket-connected",
        older_shape: false,
        file: "sendable/session.socket-connected.json",
        body: include_str!("../fixtures/sendable/session.socket-connected.json"),
    },
    Sample {
        provider: Provider::Sendable,
        event_type: "session.socket-disconnected",
        older_shape: false,
        file: "sendable/session.socket-disconnected.json",
        body: include_str!("../fixtures/sendable/session.socket-disconnected.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "campaign.finished",
        older_shape: false,
        file: "sendpilot/campaign.finished.json",
        body: include_str!("../fixtures/sendpilot/campaign.finished.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "campaign.paused",
        older_shape: false,
        file: "sendpilot/campaign.paused.json",
        body: include_str!("../fixtures/sendpilot/campaign.paused.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "campaign.resumed",
        older_shape: false,
        file: "sendpilot/campaign.resumed.json",
        body: include_str!("../fixtures/sendpilot/campaign.resumed.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "campaign.started",
        older_shape: false,
        file: "sendpilot/campaign.started.json",
        body: include_str!("../fixtures/sendpilot/campaign.started.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "connection.accepted",
        older_shape: false,
        file: "sendpilot/connection.accepted.json",
        body: include_str!("../fixtures/sendpilot/connection.accepted.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "connection.sent",
        older_shape: false,
        file: "sendpilot/connection.sent.json",
        body: include_str!("../fixtures/sendpilot/connection.sent.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "connection_request.accepted",
        older_shape: false,
        file: "sendpilot/connection_request.accepted.json",
        body: include_str!("../fixtures/sendpilot/connection_request.accepted.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "connection_request.sent",
        older_shape: false,
        file: "sendpilot/connection_request.sent.json",
        body: include_str!("../fixtures/sendpilot/connection_request.sent.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "lead.status.changed",
        older_shape: false,
        file: "sendpilot/lead.status.changed.json",
        body: include_str!("../fixtures/sendpilot/lead.status.changed.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "lead.tag.updated",
        older_shape: false,
        file: "sendpilot/lead.tag.updated.json",
        body: include_str!("../fixtures/sendpilot/lead.tag.updated.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "lead.updated",
        older_shape: false,
        file: "sendpilot/lead.updated.json",
        body: include_str!("../fixtures/sendpilot/lead.updated.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "lead_database.search.completed",
        older_shape: false,
        file: "sendpilot/lead_database.search.completed.json",
        body: include_str!("../fixtures/sendpilot/lead_database.search.completed.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "lead_extractor.job.completed",
        older_shape: false,
        file: "sendpilot/lead_extractor.job.completed.json",
        body: include_str!("../fixtures/sendpilot/lead_extractor.job.completed.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "message.received",
        older_shape: false,
        file: "sendpilot/message.received.json",
        body: include_str!("../fixtures/sendpilot/message.received.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "message.sent",
        older_shape: false,
        file: "sendpilot/message.sent.json",
        body: include_str!("../fixtures/sendpilot/message.sent.json"),
    },
    Sample {
        provider: Provider::SendPilot,
        event_type: "reply.received",
        older_shape: false,
        file: "sendpilot/reply.received.json",
        body: include_str!("../fixtures/sendpilot/reply.received.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "contact.created",
        older_shape: false,
        file: "autosend/contact.created.json",
        body: include_str!("../fixtures/autosend/contact.created.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "contact.deleted",
        older_shape: false,
        file: "autosend/contact.deleted.json",
        body: include_str!("../fixtures/autosend/contact.deleted.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "contact.updated",
        older_shape: false,
        file: "autosend/contact.updated.json",
        body: include_str!("../fixtures/autosend/contact.updated.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.bounced",
        older_shape: false,
        file: "autosend/email.bounced.json",
        body: include_str!("../fixtures/autosend/email.bounced.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.clicked",
        older_shape: false,
        file: "autosend/email.clicked.json",
        body: include_str!("../fixtures/autosend/email.clicked.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.deferred",
        older_shape: false,
        file: "autosend/email.deferred.json",
        body: include_str!("../fixtures/autosend/email.deferred.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.delivered",
        older_shape: false,
        file: "autosend/email.delivered.json",
        body: include_str!("../fixtures/autosend/email.delivered.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.group_resubscribed",
        older_shape: false,
        file: "autosend/email.group_resubscribed.json",
        body: include_str!("../fixtures/autosend/email.group_resubscribed.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.group_unsubscribed",
        older_shape: false,
        file: "autosend/email.group_unsubscribed.json",
        body: include_str!("../fixtures/autosend/email.group_unsubscribed.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.opened",
        older_shape: false,
        file: "autosend/email.opened.json",
        body: include_str!("../fixtures/autosend/email.opened.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.sent",
        older_shape: false,
        file: "autosend/email.sent.json",
        body: include_str!("../fixtures/autosend/email.sent.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.spam_reported",
        older_shape: false,
        file: "autosend/email.spam_reported.json",
        body: include_str!("../fixtures/autosend/email.spam_reported.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.unsubscribed",
        older_shape: false,
        file: "autosend/email.unsubscribed.json",
        body: include_str!("../fixtures/autosend/email.unsubscribed.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "contact.created",
        older_shape: true,
        file: "autosend-older/contact.created.json",
        body: include_str!("../fixtures/autosend-older/contact.created.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "contact.deleted",
        older_shape: true,
        file: "autosend-older/contact.deleted.json",
        body: include_str!("../fixtures/autosend-older/contact.deleted.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "contact.updated",
        older_shape: true,
        file: "autosend-older/contact.updated.json",
        body: include_str!("../fixtures/autosend-older/contact.updated.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.bounced",
        older_shape: true,
        file: "autosend-older/email.bounced.json",
        body: include_str!("../fixtures/autosend-older/email.bounced.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.clicked",
        older_shape: true,
        file: "autosend-older/email.clicked.json",
        body: include_str!("../fixtures/autosend-older/email.clicked.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.delivered",
        older_shape: true,
        file: "autosend-older/email.delivered.json",
        body: include_str!("../fixtures/autosend-older/email.delivered.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.opened",
        older_shape: true,
        file: "autosend-older/email.opened.json",
        body: include_str!("../fixtures/autosend-older/email.opened.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.sent",
        older_shape: true,
        file: "autosend-older/email.sent.json",
        body: include_str!("../fixtures/autosend-older/email.sent.json"),
    },
    Sample {
        provider: Provider::AutoSend,
        event_type: "email.unsubscribed",
        older_shape: true,
        file: "autosend-older/email.unsubscribed.json",
        body: include_str!("../fixtures/autosend-older/email.unsubscribed.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.bounced",
        older_shape: false,
        file: "sendkit/email.bounced.json",
        body: include_str!("../fixtures/sendkit/email.bounced.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.clicked",
        older_shape: false,
        file: "sendkit/email.clicked.json",
        body: include_str!("../fixtures/sendkit/email.clicked.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.opened",
        older_shape: false,
        file: "sendkit/email.opened.json",
        body: include_str!("../fixtures/sendkit/email.opened.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.positive_reply",
        older_shape: false,
        file: "sendkit/email.positive_reply.json",
        body: include_str!("../fixtures/sendkit/email.positive_reply.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.replied",
        older_shape: false,
        file: "sendkit/email.replied.json",
        body: include_str!("../fixtures/sendkit/email.replied.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.sent",
        older_shape: false,
        file: "sendkit/email.sent.json",
        body: include_str!("../fixtures/sendkit/email.sent.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "email.unsubscribed",
        older_shape: false,
        file: "sendkit/email.unsubscribed.json",
        body: include_str!("../fixtures/sendkit/email.unsubscribed.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "lead.updated",
        older_shape: false,
        file: "sendkit/lead.updated.json",
        body: include_str!("../fixtures/sendkit/lead.updated.json"),
    },
    Sample {
        provider: Provider::SendKit,
        event_type: "test",
        older_shape: false,
        file: "sendkit/test.json",
        body: include_str!("../fixtures/sendkit/test.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "channel.activated",
        older_shape: false,
        file: "sent/channel.activated.json",
        body: include_str!("../fixtures/sent/channel.activated.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "channel.submitted",
        older_shape: false,
        file: "sent/channel.submitted.json",
        body: include_str!("../fixtures/sent/channel.submitted.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "contact.help",
        older_shape: false,
        file: "sent/contact.help.json",
        body: include_str!("../fixtures/sent/contact.help.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "contact.opt_in",
        older_shape: false,
        file: "sent/contact.opt_in.json",
        body: include_str!("../fixtures/sent/contact.opt_in.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "contact.opt_out",
        older_shape: false,
        file: "sent/contact.opt_out.json",
        body: include_str!("../fixtures/sent/contact.opt_out.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.delivered",
        older_shape: false,
        file: "sent/message.delivered.json",
        body: include_str!("../fixtures/sent/message.delivered.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.failed",
        older_shape: false,
        file: "sent/message.failed.json",
        body: include_str!("../fixtures/sent/message.failed.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.inbound.received",
        older_shape: false,
        file: "sent/message.inbound.received.json",
        body: include_str!("../fixtures/sent/message.inbound.received.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.queued",
        older_shape: false,
        file: "sent/message.queued.json",
        body: include_str!("../fixtures/sent/message.queued.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.read",
        older_shape: false,
        file: "sent/message.read.json",
        body: include_str!("../fixtures/sent/message.read.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.received",
        older_shape: false,
        file: "sent/message.received.json",
        body: include_str!("../fixtures/sent/message.received.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.routed",
        older_shape: false,
        file: "sent/message.routed.json",
        body: include_str!("../fixtures/sent/message.routed.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.sent",
        older_shape: false,
        file: "sent/message.sent.json",
        body: include_str!("../fixtures/sent/message.sent.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "message.status.updated",
        older_shape: false,
        file: "sent/message.status.updated.json",
        body: include_str!("../fixtures/sent/message.status.updated.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "template.approval.updated",
        older_shape: false,
        file: "sent/template.approval.updated.json",
        body: include_str!("../fixtures/sent/template.approval.updated.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "templates",
        older_shape: false,
        file: "sent/templates.json",
        body: include_str!("../fixtures/sent/templates.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "messages",
        older_shape: true,
        file: "sent-older/messages.json",
        body: include_str!("../fixtures/sent-older/messages.json"),
    },
    Sample {
        provider: Provider::Sent,
        event_type: "templates",
        older_shape: true,
        file: "sent-older/templates.json",
        body: include_str!("../fixtures/sent-older/templates.json"),
    },
    Sample {
        provider: Provider::Stripe,
        event_type: "customer.subscription.deleted",
        older_shape: false,
        file: "stripe/customer.subscription.deleted.json",
        body: include_str!("../fixtures/stripe/customer.subscription.deleted.json"),
    },
    Sample {
        provider: Provider::Stripe,
        event_type: "payment_intent.succeeded",
        older_shape: false,
        file: "stripe/payment_intent.succeeded.json",
        body: include_str!("../fixtures/stripe/payment_intent.succeeded.json"),
    },
    Sample {
        provider: Provider::GitHub,
        event_type: "ping",
        older_shape: false,
        file: "github/ping.json",
        body: include_str!("../fixtures/github/ping.json"),
    },
    Sample {
        provider: Provider::GitHub,
        event_type: "push",
        older_shape: false,
        file: "github/push.json",
        body: include_str!("../fixtures/github/push.json"),
    },
];

/// Every sample.
pub fn all() -> &'static [Sample] {
    SAMPLES
}

/// The samples of one provider, current envelope first.
pub fn for_provider(provider: Provider) -> impl Iterator<Item = &'static Sample> {
    SAMPLES.iter().filter(move |s| s.provider == provider)
}

/// The current-shape sample body for one event type, if there is one.
pub fn body(provider: Provider, event_type: &str) -> Option<&'static str> {
    SAMPLES
        .iter()
        .find(|s| s.provider == provider && s.event_type == event_type && !s.older_shape)
        .map(|s| s.body)
}
