//! Typed events: every fixture through sign → verify_and_parse into the right variant with the
//! right field values; Unknown, malformed known types, both envelope generations, idempotency
//! keys, and the split between verification and parse errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use bytes::Bytes;
use hookverify::sign::{Message, SignedHeaders, Signer};
use hookverify::{
    Json, Misfit, ParseError, Parsed, Provider, ProviderEvent, ProviderVisitor, Timestamp, Typed,
    Verifier, VerifyAndParseError, VerifyError, WebhookEvent, autosend, github, sendable, sendkit,
    sendpilot, sent, standard_webhooks, stripe,
};
use serde_json::Value;

/// The fixtures of `hookverify-samples`, looked up by `Provider`.
mod samples {
    use hookverify::Provider;
    pub(crate) use hookverify_samples::Sample;

    pub(crate) fn for_provider(provider: Provider) -> impl Iterator<Item = &'static Sample> {
        hookverify_samples::for_provider(provider.name())
    }

    pub(crate) fn body(provider: Provider, event_type: &str) -> Option<&'static str> {
        hookverify_samples::body(provider.name(), event_type)
    }

    pub(crate) fn all() -> &'static [Sample] {
        hookverify_samples::SAMPLES
    }

    pub(crate) fn provider(sample: &Sample) -> Provider {
        sample.provider.parse().unwrap()
    }
}

const STD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const RAW_SECRET: &str = "whsec_8f3a1c2d4e5b6a7c8d9e0f1a2b3c4d5e";
const NOW: i64 = 1_700_000_000;

fn secret(provider: Provider) -> &'static str {
    match provider {
        Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => STD_SECRET,
        _ => RAW_SECRET,
    }
}

fn now() -> Timestamp {
    Timestamp::from_unix_seconds(NOW)
}

/// Signs as the provider would; an empty `event_type` sends no event type header.
fn sign(provider: Provider, body: &[u8], id: &str, event_type: &str) -> SignedHeaders {
    let mut message = Message::new(body).id(id).timestamp(now());
    if !event_type.is_empty() {
        message = message.event_type(event_type);
    }
    Signer::new(&provider.scheme(), secret(provider))
        .unwrap()
        .sign(&message)
        .unwrap()
}

fn parse<E: WebhookEvent>(
    provider: Provider,
    body: &[u8],
    headers: &SignedHeaders,
) -> Result<Parsed<E>, VerifyAndParseError> {
    Verifier::new(provider.scheme(), secret(provider))
        .unwrap()
        .verify_and_parse_at::<E>(headers, Bytes::copy_from_slice(body), now())
}

fn sample_parse<E: WebhookEvent>(sample: &samples::Sample) -> Parsed<E> {
    let provider = samples::provider(sample);
    let headers = sign(provider, sample.body.as_bytes(), "dlv_1", sample.event_type);
    parse::<E>(provider, sample.body.as_bytes(), &headers)
        .unwrap_or_else(|e| panic!("{}: {e}", sample.file))
}

fn json(sample: &samples::Sample) -> Value {
    serde_json::from_str(sample.body).unwrap()
}

fn s(value: &Value) -> Option<&str> {
    value.as_str()
}

/// Every event type each enum lists has a current-shape fixture, and nothing is left over.
#[test]
fn every_documented_event_type_has_a_fixture() {
    let lists: [(Provider, &[&str]); 5] = [
        (Provider::Sendable, sendable::Event::EVENT_TYPES),
        (Provider::SendPilot, sendpilot::Event::EVENT_TYPES),
        (Provider::AutoSend, autosend::Event::EVENT_TYPES),
        (Provider::SendKit, sendkit::Event::EVENT_TYPES),
        (Provider::Sent, sent::Event::EVENT_TYPES),
    ];
    for (provider, types) in lists {
        for event_type in types {
            assert!(
                samples::body(provider, event_type).is_some(),
                "{provider}: no fixture for {event_type}"
            );
        }
        for sample in samples::for_provider(provider).filter(|s| !s.older_shape) {
            assert!(
                types.contains(&sample.event_type),
                "{}: fixture for a type the enum does not list",
                sample.file
            );
        }
    }
    // The documented event lists: counts per provider (with SendPilot's four older names).
    assert_eq!(sendable::Event::EVENT_TYPES.len(), 9);
    assert_eq!(sendpilot::Event::EVENT_TYPES.len(), 16);
    assert_eq!(autosend::Event::EVENT_TYPES.len(), 13);
    assert_eq!(sendkit::Event::EVENT_TYPES.len(), 9);
    assert!(sent::Event::EVENT_TYPES.len() >= 15);
}

#[test]
fn the_fixture_list_matches_the_files_on_disk() {
    let root = format!("{}/fixtures", hookverify_samples::DATA_DIR);
    let mut on_disk = Vec::new();
    let mut dirs = vec![String::new()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let path = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if entry.file_type().unwrap().is_dir() {
                dirs.push(path);
            } else {
                on_disk.push(path);
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = samples::all().iter().map(|s| s.file.to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    for sample in samples::all() {
        let on_disk = std::fs::read_to_string(format!("{root}/{}", sample.file)).unwrap();
        assert_eq!(on_disk, sample.body, "{}", sample.file);
    }
}

#[test]
fn sendable_fixtures() {
    for sample in samples::for_provider(Provider::Sendable) {
        let parsed = sample_parse::<sendable::Event>(sample);
        let j = json(sample);
        assert_eq!(parsed.event_type(), sample.event_type);
        assert_eq!(parsed.event.event_type(), sample.event_type);
        assert_eq!(parsed.occurred_at(), s(&j["createdAt"]));
        // Sendable's key is the svix-id header, not anything in the body.
        assert_eq!(parsed.idempotency_key(), "dlv_1");
        let composite = sendable::composite_key(&parsed).unwrap();
        assert!(
            composite.starts_with(&format!("{}-", sample.event_type)),
            "{composite}"
        );
        let data = &j["data"];
        match (&parsed.event, sample.event_type) {
            (sendable::Event::MessageSent(m), "message.sent")
            | (sendable::Event::MessageDelivered(m), "message.delivered")
            | (sendable::Event::MessageRead(m), "message.read")
            | (sendable::Event::MessageFailed(m), "message.failed")
            | (sendable::Event::MessageReceived(m), "message.received")
            | (sendable::Event::PersonalMessageReceived(m), "message-personal.received")
            | (sendable::Event::GroupMessageReceived(m), "message-group.received") => {
                assert_eq!(m.id, s(&data["id"]).unwrap());
                assert_eq!(m.chat_id.as_deref(), s(&data["chatId"]));
                assert_eq!(
                    m.timestamp.map(time::OffsetDateTime::unix_timestamp),
                    data["timestamp"].as_i64()
                );
                assert_eq!(
                    m.status.as_ref().map(sendable::MessageStatus::as_str),
                    s(&data["status"])
                );
                assert_eq!(
                    m.text.as_ref().map(|t| t.content.as_str()),
                    s(&data["text"]["content"])
                );
                assert_eq!(
                    m.direction.as_ref().map(sendable::Direction::as_str),
                    s(&data["direction"])
                );
                assert_eq!(
                    composite,
                    format!(
                        "{}-{}-{}",
                        sample.event_type,
                        m.id,
                        s(&j["createdAt"]).unwrap()
                    )
                );
            }
            (sendable::Event::SocketConnected(session), "session.socket-connected")
            | (sendable::Event::SocketDisconnected(session), "session.socket-disconnected") => {
                assert_eq!(session.session_id.as_deref(), s(&data["sessionId"]));
                assert_eq!(session.phone_number.as_deref(), s(&data["phoneNumber"]));
            }
            (other, event_type) => panic!("{event_type} parsed as {other:?}"),
        }
    }
    // Documented status values become the enum; others are kept.
    let read = samples::body(Provider::Sendable, "message.read").unwrap();
    let parsed = sample_parse::<sendable::Event>(
        samples::for_provider(Provider::Sendable)
            .find(|s| s.body == read)
            .unwrap(),
    );
    assert!(
        matches!(parsed.event, sendable::Event::MessageRead(ref m) if m.status == Some(sendable::MessageStatus::Read))
    );
}

#[test]
fn sendpilot_fixtures_old_and_new_names() {
    for sample in samples::for_provider(Provider::SendPilot) {
        let parsed = sample_parse::<sendpilot::Event>(sample);
        let j = json(sample);
        let data = &j["data"];
        assert_eq!(parsed.event_type(), sample.event_type, "the name as sent");
        assert_eq!(parsed.idempotency_key(), s(&j["eventId"]).unwrap());
        assert_eq!(parsed.occurred_at(), s(&j["timestamp"]));
        let canonical = match sample.event_type {
            "message.received" => "reply.received",
            "connection.sent" => "connection_request.sent",
            "connection.accepted" => "connection_request.accepted",
            other => other,
        };
        assert_eq!(parsed.event.event_type(), canonical);
        match &parsed.event {
            sendpilot::Event::MessageSent(m) => {
                assert_eq!(m.lead_id, s(&data["leadId"]).unwrap());
                assert_eq!(m.message.as_deref(), s(&data["message"]));
                assert_eq!(
                    m.sequence_step.map(u64::from),
                    data["sequenceStep"].as_u64()
                );
            }
            sendpilot::Event::ReplyReceived(r) => {
                assert_eq!(r.lead_id, s(&data["leadId"]).unwrap());
                let expected = s(&data["reply"]).or(s(&data["message"]));
                assert_eq!(
                    r.text(),
                    expected,
                    "{}: reply text from reply or message",
                    sample.event_type
                );
            }
            sendpilot::Event::ConnectionRequestSent(c)
            | sendpilot::Event::ConnectionRequestAccepted(c) => {
                assert_eq!(c.linkedin_url.as_deref(), s(&data["linkedinUrl"]));
                assert_eq!(c.note.as_deref(), s(&data["note"]));
            }
            sendpilot::Event::CampaignStarted(c)
            | sendpilot::Event::CampaignPaused(c)
            | sendpilot::Event::CampaignResumed(c)
            | sendpilot::Event::CampaignFinished(c) => {
                assert_eq!(c.campaign_id, s(&data["campaignId"]).unwrap());
                assert_eq!(c.campaign_name.as_deref(), s(&data["campaignName"]));
            }
            sendpilot::Event::LeadTagUpdated(t) => {
                assert_eq!(
                    t.tags.as_ref().map(Vec::len),
                    data["tags"].as_array().map(Vec::len)
                );
            }
            sendpilot::Event::LeadUpdated(u) | sendpilot::Event::LeadStatusChanged(u) => {
                assert_eq!(u.status.as_deref(), s(&data["status"]));
                assert_eq!(u.previous_status.as_deref(), s(&data["previousStatus"]));
            }
            sendpilot::Event::LeadDatabaseSearchCompleted(search) => {
                assert_eq!(search.results_count, data["resultsCount"].as_u64());
            }
            sendpilot::Event::LeadExtractorJobCompleted(job) => {
                assert_eq!(job.leads_extracted, data["leadsExtracted"].as_u64());
            }
            other => panic!("{}: parsed as {other:?}", sample.event_type),
        }
    }
}

#[test]
fn autosend_fixtures_both_envelope_generations() {
    let mut seen_older = 0;
    for sample in samples::for_provider(Provider::AutoSend) {
        let parsed = sample_parse::<autosend::Event>(sample);
        let j = json(sample);
        let data = &j["data"];
        assert_eq!(parsed.event_type(), sample.event_type);
        assert_eq!(parsed.event.event_type(), sample.event_type);
        assert_eq!(parsed.idempotency_key(), "dlv_1", "X-Webhook-Delivery-Id");
        if sample.older_shape {
            seen_older += 1;
            assert_eq!(parsed.occurred_at(), s(&j["timestamp"]));
        } else {
            assert_eq!(parsed.occurred_at(), s(&j["createdAt"]));
        }
        match &parsed.event {
            autosend::Event::EmailSent(e)
            | autosend::Event::EmailDelivered(e)
            | autosend::Event::EmailDeferred(e)
            | autosend::Event::EmailBounced(e)
            | autosend::Event::EmailOpened(e)
            | autosend::Event::EmailClicked(e)
            | autosend::Event::EmailSpamReported(e)
            | autosend::Event::EmailUnsubscribed(e)
            | autosend::Event::EmailGroupUnsubscribed(e)
            | autosend::Event::EmailGroupResubscribed(e) => {
                assert_eq!(e.email_id, s(&data["emailId"]).unwrap());
                let to = e.to.as_ref().unwrap();
                assert_eq!(
                    Some(to.email.as_str()),
                    s(&data["to"]["email"]).or(s(&data["to"]))
                );
                assert_eq!(to.name.as_deref(), s(&data["to"]["name"]));
                assert_eq!(e.url.as_deref(), s(&data["url"]));
                assert_eq!(e.bounce_type.as_deref(), s(&data["bounceType"]));
                assert_eq!(e.group_id.as_deref(), s(&data["groupId"]));
            }
            autosend::Event::ContactCreated(c)
            | autosend::Event::ContactUpdated(c)
            | autosend::Event::ContactDeleted(c) => {
                assert_eq!(c.contact_id.as_deref(), s(&data["contactId"]));
                assert_eq!(c.email.as_deref(), s(&data["email"]));
            }
            other => panic!("{}: parsed as {other:?}", sample.file),
        }
    }
    assert!(seen_older >= 9, "the older envelope generation is covered");
}

#[test]
fn autosend_type_from_header_when_the_body_has_none() {
    let body = br#"{"data":{"emailId":"em_1"}}"#;
    let headers = sign(Provider::AutoSend, body, "dlv_9", "email.opened");
    let parsed = parse::<autosend::Event>(Provider::AutoSend, body, &headers).unwrap();
    assert!(matches!(parsed.event, autosend::Event::EmailOpened(ref e) if e.email_id == "em_1"));
}

#[test]
fn sendkit_fixtures_and_keys() {
    for sample in samples::for_provider(Provider::SendKit) {
        let parsed = sample_parse::<sendkit::Event>(sample);
        let j = json(sample);
        let data = &j["data"];
        assert_eq!(parsed.event.event_type(), sample.event_type);
        assert_eq!(parsed.idempotency_key(), s(&j["id"]).unwrap());
        match &parsed.event {
            sendkit::Event::EmailSent(e)
            | sendkit::Event::EmailOpened(e)
            | sendkit::Event::EmailClicked(e)
            | sendkit::Event::EmailReplied(e)
            | sendkit::Event::EmailBounced(e)
            | sendkit::Event::EmailUnsubscribed(e)
            | sendkit::Event::EmailPositiveReply(e) => {
                assert_eq!(e.email.as_deref(), s(&data["email"]));
                assert_eq!(e.lead_id.as_deref(), s(&data["leadId"]));
                assert_eq!(e.reply_text.as_deref(), s(&data["replyText"]));
                assert_eq!(e.url.as_deref(), s(&data["url"]));
            }
            sendkit::Event::LeadUpdated(lead) => {
                assert_eq!(lead.status.as_deref(), s(&data["status"]))
            }
            sendkit::Event::Test(test) => assert_eq!(test.message.as_deref(), s(&data["message"])),
            other => panic!("{}: parsed as {other:?}", sample.file),
        }
    }
    // No type in the body: the X-Webhook-Event header decides; no id: the body hash is the key.
    let body = br#"{"message":"ping"}"#;
    let headers = sign(Provider::SendKit, body, "ignored", "test");
    let parsed = parse::<sendkit::Event>(Provider::SendKit, body, &headers).unwrap();
    assert!(
        matches!(parsed.event, sendkit::Event::Test(ref t) if t.message.as_deref() == Some("ping"))
    );
    let expected = format!("sha256:{}", hex_sha256(body));
    assert_eq!(parsed.idempotency_key(), expected);
}

fn hex_sha256(body: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(body))
}

#[test]
fn sent_fixtures_all_shapes_and_keys() {
    for sample in samples::for_provider(Provider::Sent) {
        let parsed = sample_parse::<sent::Event>(sample);
        let j = json(sample);
        let data = if j.get("payload").is_some() {
            &j["payload"]
        } else {
            &j["data"]
        };
        let expected_type = match sample.event_type {
            "messages" => "message.status.updated",
            other => other,
        };
        assert_eq!(parsed.event.event_type(), expected_type, "{}", sample.file);
        // Body id first, else the x-webhook-event-id header ("dlv_1"); never x-webhook-id.
        let expected_key = s(&j["id"]).unwrap_or("dlv_1");
        assert_eq!(parsed.idempotency_key(), expected_key, "{}", sample.file);
        match &parsed.event {
            sent::Event::MessageStatusUpdated(m)
            | sent::Event::MessageQueued(m)
            | sent::Event::MessageRouted(m)
            | sent::Event::MessageSent(m)
            | sent::Event::MessageDelivered(m)
            | sent::Event::MessageRead(m)
            | sent::Event::MessageFailed(m) => {
                assert_eq!(m.message_id.as_deref(), s(&data["message_id"]));
                assert_eq!(
                    m.message_status.as_ref().map(sent::Status::as_str),
                    s(&data["message_status"])
                );
                assert_eq!(m.channel.as_deref(), s(&data["channel"]));
            }
            sent::Event::MessageInboundReceived(m) | sent::Event::MessageReceived(m) => {
                assert_eq!(m.message_id.as_deref(), s(&data["message_id"]));
                assert_eq!(m.text.as_deref(), s(&data["text"]));
            }
            sent::Event::TemplateApprovalUpdated(t) | sent::Event::Template(t) => {
                assert_eq!(t.template_id.as_deref(), s(&data["template_id"]));
                assert_eq!(t.status.as_deref(), s(&data["status"]));
            }
            sent::Event::ContactOptIn(c)
            | sent::Event::ContactOptOut(c)
            | sent::Event::ContactHelp(c) => {
                assert_eq!(c.keyword.as_deref(), s(&data["keyword"]));
            }
            sent::Event::Channel(c) => {
                assert_eq!(c.event_type, sample.event_type);
                assert_eq!(c.channel_id.as_deref(), s(&data["channel_id"]));
            }
            other => panic!("{}: parsed as {other:?}", sample.file),
        }
    }
    // Without a body id or an event-id header, the key is the body hash, never x-webhook-id.
    let body = samples::body(Provider::Sent, "message.delivered")
        .unwrap()
        .as_bytes();
    let headers: Vec<(String, String)> = sign(Provider::Sent, body, "dlv_x", "message")
        .into_iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("x-webhook-event-id"))
        .collect();
    let parsed = Verifier::new(Provider::Sent.scheme(), STD_SECRET)
        .unwrap()
        .verify_and_parse_at::<sent::Event>(&headers, body, now())
        .unwrap();
    let endpoint_id = headers
        .iter()
        .find(|(k, _)| k == "x-webhook-id")
        .unwrap()
        .1
        .clone();
    assert_ne!(parsed.idempotency_key(), endpoint_id);
    assert_eq!(
        parsed.idempotency_key(),
        format!("sha256:{}", hex_sha256(body))
    );
}

#[test]
fn unknown_types_keep_the_verified_raw_json() {
    let cases: [(Provider, &str); 5] = [
        (
            Provider::Sendable,
            r#"{"type":"message.edited","createdAt":"2026-03-02T10:30:00Z","data":{"id":"x"}}"#,
        ),
        (
            Provider::SendPilot,
            r#"{"eventId":"evt_9","eventType":"inbox.archived","timestamp":"2024-02-24T10:30:00Z","data":{}}"#,
        ),
        (
            Provider::AutoSend,
            r#"{"type":"email.complained","createdAt":"2025-11-12T10:30:00Z","data":{"emailId":"em"}}"#,
        ),
        (
            Provider::SendKit,
            r#"{"id":"whe_x","type":"email.snoozed","data":{}}"#,
        ),
        (
            Provider::Sent,
            r#"{"field":"message","sub_type":"message.recalled","timestamp":"2025-10-31T10:10:42Z","payload":{}}"#,
        ),
    ];
    for (provider, body) in cases {
        let headers = sign(provider, body.as_bytes(), "dlv_u", "whatever");
        let (event_type, raw) = match provider {
            Provider::Sendable => {
                match parse::<sendable::Event>(provider, body.as_bytes(), &headers)
                    .unwrap()
                    .event
                {
                    sendable::Event::Unknown(u) => (u.event_type, u.raw),
                    other => panic!("{other:?}"),
                }
            }
            Provider::SendPilot => {
                match parse::<sendpilot::Event>(provider, body.as_bytes(), &headers)
                    .unwrap()
                    .event
                {
                    sendpilot::Event::Unknown(u) => (u.event_type, u.raw),
                    other => panic!("{other:?}"),
                }
            }
            Provider::AutoSend => {
                match parse::<autosend::Event>(provider, body.as_bytes(), &headers)
                    .unwrap()
                    .event
                {
                    autosend::Event::Unknown(u) => (u.event_type, u.raw),
                    other => panic!("{other:?}"),
                }
            }
            Provider::SendKit => match parse::<sendkit::Event>(provider, body.as_bytes(), &headers)
                .unwrap()
                .event
            {
                sendkit::Event::Unknown(u) => (u.event_type, u.raw),
                other => panic!("{other:?}"),
            },
            _ => match parse::<sent::Event>(provider, body.as_bytes(), &headers)
                .unwrap()
                .event
            {
                sent::Event::Unknown(u) => (u.event_type, u.raw),
                other => panic!("{other:?}"),
            },
        };
        assert!(
            !event_type.is_empty() && body.contains(&event_type),
            "{provider}: {event_type}"
        );
        assert_eq!(
            raw.as_str(),
            body,
            "{provider}: the raw JSON is the verified body"
        );
    }
}

/// Parses `body` as `provider`'s typed event; returns the variant and the misfit, if any.
struct ParseAs<'a> {
    body: &'a [u8],
    headers: &'a SignedHeaders,
}

impl ProviderVisitor for ParseAs<'_> {
    type Output = Result<(&'static str, Option<Misfit>, String), VerifyAndParseError>;
    fn visit<E: ProviderEvent>(self, provider: Provider) -> Self::Output {
        let parsed = parse::<E>(provider, self.body, self.headers)?;
        Ok((
            parsed.event.variant(),
            parsed.event.misfit().cloned(),
            parsed.idempotency_key().to_owned(),
        ))
    }
}

/// A known type whose payload does not fit is delivered anyway, as a `Misfit` that keeps the
/// type, the raw body and the path of the failing field (it was a 422, and the event was lost
/// once the provider gave up retrying).
#[test]
fn a_misfitting_known_type_is_delivered_as_a_misfit_with_the_path() {
    let cases: [(Provider, &str, &str, &str); 5] = [
        (
            Provider::Sendable,
            r#"{"type":"message.sent","createdAt":"x","data":{"id":42}}"#,
            "message.sent",
            "data.id",
        ),
        (
            Provider::SendPilot,
            r#"{"eventId":"e","eventType":"campaign.started","data":{"campaignName":"x"}}"#,
            "campaign.started",
            "data",
        ),
        (
            Provider::AutoSend,
            r#"{"type":"email.opened","createdAt":"x","data":{"emailId":"em","to":{"name":"no email"}}}"#,
            "email.opened",
            "data.to",
        ),
        (
            Provider::SendKit,
            r#"{"type":"email.sent","data":{"sequenceStep":"two"}}"#,
            "email.sent",
            "data.sequenceStep",
        ),
        (
            Provider::Sent,
            r#"{"field":"message","sub_type":"message.delivered","payload":{"message_id":["not","a","string"]}}"#,
            "message.delivered",
            "payload.message_id",
        ),
    ];
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    for (provider, body, expected_type, expected_path) in cases {
        let headers = sign(provider, body.as_bytes(), "dlv", expected_type);
        let visitor = ParseAs {
            body: body.as_bytes(),
            headers: &headers,
        };
        let (variant, misfit, key) = provider
            .visit(visitor)
            .unwrap_or_else(|err| panic!("{provider}: a misfit is not an error: {err}"));
        assert_eq!(variant, "Misfit", "{provider}");
        let misfit = misfit.unwrap_or_else(|| panic!("{provider}: no misfit"));
        assert_eq!(misfit.event_type, expected_type, "{provider}");
        assert_eq!(
            misfit.path(),
            Some(expected_path),
            "{provider}: {}",
            misfit.error
        );
        assert_eq!(
            misfit.raw.as_str(),
            body,
            "{provider}: the raw body is kept whole"
        );
        match &misfit.error {
            ParseError::Payload {
                event_type, path, ..
            } => assert_eq!(
                (event_type.as_str(), path.as_str()),
                (expected_type, expected_path)
            ),
            other => panic!("{provider}: {other:?}"),
        }
        assert!(!key.is_empty(), "{provider}: a misfit still has its key");
        let logged = log.text();
        assert!(
            logged.contains("WARN")
                && logged.contains(&format!("event_type={expected_type}"))
                && logged.contains(&format!("path={expected_path}")),
            "{provider}: the warning names the type and the field: {logged}"
        );
    }
}

/// Sent's `data` fields are undocumented, so its payloads read camelCase and snake_case alike:
/// the envelope a provider guide shows with camelCase data parses into the typed variant.
#[test]
fn sent_payloads_read_camel_case_and_snake_case() {
    for body in [
        r#"{"id":"evt_S1","event":{"type":"message.status.updated"},"data":{"messageId":"m1","status":"delivered"}}"#,
        r#"{"id":"evt_S1","event":{"type":"message.status.updated"},"data":{"message_id":"m1","message_status":"DELIVERED"}}"#,
    ] {
        let headers = sign(Provider::Sent, body.as_bytes(), "dlv", "");
        let parsed = parse::<sent::Event>(Provider::Sent, body.as_bytes(), &headers).unwrap();
        let sent::Event::MessageStatusUpdated(status) = &parsed.event else {
            panic!("{body}: {:?}", parsed.event);
        };
        assert_eq!(status.message_id.as_deref(), Some("m1"), "{body}");
        assert_eq!(
            status.message_status,
            Some(sent::Status::Delivered),
            "{body}"
        );
        assert_eq!(parsed.idempotency_key(), "evt_S1");
    }
    let body = r#"{"type":"email.replied","data":{"lead_id":"l1","reply_text":"yes"}}"#;
    let headers = sign(Provider::SendKit, body.as_bytes(), "dlv", "");
    let parsed = parse::<sendkit::Event>(Provider::SendKit, body.as_bytes(), &headers).unwrap();
    let sendkit::Event::EmailReplied(email) = &parsed.event else {
        panic!("{:?}", parsed.event);
    };
    assert_eq!(email.lead_id.as_deref(), Some("l1"));
    assert_eq!(email.reply_text.as_deref(), Some("yes"));
}

/// Captured log output.
#[derive(Clone, Default)]
struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn verification_errors_and_parse_errors_are_different() {
    let body = samples::body(Provider::Sendable, "message.sent")
        .unwrap()
        .as_bytes();
    let headers = sign(Provider::Sendable, body, "dlv", "");
    let mut tampered = body.to_vec();
    tampered[20] ^= 1;
    match parse::<sendable::Event>(Provider::Sendable, &tampered, &headers) {
        Err(VerifyAndParseError::Verify(VerifyError::SignatureMismatch { .. })) => {}
        other => panic!("expected a verification error, got {other:?}"),
    }
    let not_json = b"definitely not json";
    let headers = sign(Provider::Sendable, not_json, "dlv", "");
    match parse::<sendable::Event>(Provider::Sendable, not_json, &headers) {
        Err(VerifyAndParseError::Parse(ParseError::NotJson { .. })) => {}
        other => panic!("expected a parse error, got {other:?}"),
    }
    let no_type = br#"{"createdAt":"x","data":{}}"#;
    let headers = sign(Provider::Sendable, no_type, "dlv", "");
    match parse::<sendable::Event>(Provider::Sendable, no_type, &headers) {
        Err(VerifyAndParseError::Parse(ParseError::Envelope {
            provider: "sendable",
            ..
        })) => {}
        other => panic!("expected an envelope error, got {other:?}"),
    }
}

#[test]
fn generic_providers() {
    // Standard Webhooks envelope, raw and typed data.
    let body = samples::body(Provider::StandardWebhooks, "contact.created")
        .unwrap()
        .as_bytes();
    let headers = sign(Provider::StandardWebhooks, body, "msg_1", "");
    let parsed =
        parse::<standard_webhooks::Envelope>(Provider::StandardWebhooks, body, &headers).unwrap();
    assert_eq!(parsed.event.event_type, "contact.created");
    assert_eq!(parsed.event_type(), "contact.created");
    assert_eq!(parsed.idempotency_key(), "msg_1");
    assert_eq!(parsed.occurred_at(), Some("2022-11-03T20:26:10.344522Z"));

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Contact {
        id: String,
        email: String,
    }
    let parsed =
        parse::<standard_webhooks::Envelope<Contact>>(Provider::StandardWebhooks, body, &headers)
            .unwrap();
    assert_eq!(parsed.event.data.email, "jane@example.com");

    #[derive(serde::Deserialize, Debug)]
    #[serde(tag = "type", content = "data")]
    enum Mine {
        #[serde(rename = "contact.created")]
        ContactCreated(Contact),
    }
    let known = parse::<Typed<Mine>>(Provider::StandardWebhooks, body, &headers).unwrap();
    assert!(matches!(known.event, Typed::Known(Mine::ContactCreated(ref c)) if c.id == "ct_1"));
    let other = samples::body(Provider::StandardWebhooks, "invoice.paid")
        .unwrap()
        .as_bytes();
    let headers = sign(Provider::StandardWebhooks, other, "msg_2", "");
    let unknown = parse::<Typed<Mine>>(Provider::StandardWebhooks, other, &headers).unwrap();
    assert!(matches!(unknown.event, Typed::Unknown(ref u) if u.event_type == "invoice.paid"));
    // A listed type with a bad payload is a Misfit (kept raw, with the path), not Unknown.
    let bad = br#"{"type":"contact.created","data":{"id":1}}"#;
    let headers = sign(Provider::StandardWebhooks, bad, "msg_3", "");
    let misfit = parse::<Typed<Mine>>(Provider::StandardWebhooks, bad, &headers).unwrap();
    match &misfit.event {
        Typed::Misfit(m) => {
            assert_eq!(m.event_type, "contact.created");
            assert_eq!(m.raw.as_bytes(), bad);
            assert!(m.error.to_string().contains("invalid type"), "{}", m.error);
        }
        other => panic!("expected a misfit, got {other:?}"),
    }
    assert_eq!(misfit.idempotency_key(), "msg_3");
    // A body with no event type at all is still an error: nothing says what it is.
    let untyped = br#"{"data":{"id":"ct_1","email":"a@b"}}"#;
    let headers = sign(Provider::StandardWebhooks, untyped, "msg_4", "");
    assert!(matches!(
        parse::<Typed<Mine>>(Provider::StandardWebhooks, untyped, &headers),
        Err(VerifyAndParseError::Parse(ParseError::Payload { .. }))
    ));

    // Stripe: any type, key = body id.
    for event_type in ["payment_intent.succeeded", "customer.subscription.deleted"] {
        let body = samples::body(Provider::Stripe, event_type)
            .unwrap()
            .as_bytes();
        let headers = sign(Provider::Stripe, body, "ignored", "");
        let parsed = parse::<stripe::Event>(Provider::Stripe, body, &headers).unwrap();
        assert_eq!(parsed.event.event_type, event_type);
        assert_eq!(parsed.idempotency_key(), parsed.event.id);
        assert_eq!(parsed.event_type(), event_type);
        #[derive(serde::Deserialize)]
        struct Object {
            id: String,
        }
        assert!(parsed.event.object_as::<Object>().unwrap().id.contains('_'));
    }

    // GitHub: the type and key come from headers.
    let body = samples::body(Provider::GitHub, "push").unwrap().as_bytes();
    let headers = sign(
        Provider::GitHub,
        body,
        "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "push",
    );
    let parsed = parse::<github::Payload>(Provider::GitHub, body, &headers).unwrap();
    assert_eq!(parsed.event_type(), "push");
    assert_eq!(
        parsed.idempotency_key(),
        "72d3162e-cc78-11e3-81ab-4c9367dc0958"
    );
    assert_eq!(
        parsed.event.repository.unwrap().full_name,
        "octo-org/octo-repo"
    );
    // Without `X-GitHub-Event` it verifies, but a payload cannot be typed: 422, never "".
    let untyped = sign(Provider::GitHub, body, "d-2", "");
    assert!(matches!(
        parse::<github::Payload>(Provider::GitHub, body, &untyped),
        Err(VerifyAndParseError::Parse(ParseError::MissingEventType {
            provider: "github"
        }))
    ));

    // Any DeserializeOwned works directly.
    let parsed = parse::<Json<serde_json::Value>>(Provider::GitHub, body, &headers).unwrap();
    assert_eq!(parsed.event["ref"], "refs/heads/main");
}

#[test]
fn parse_never_sees_unverified_bytes() {
    // verify_and_parse refuses before parsing: a body that would parse, with a bad signature.
    let body = samples::body(Provider::SendPilot, "message.sent")
        .unwrap()
        .as_bytes();
    let mut headers = sign(Provider::SendPilot, body, "x", "").into_vec();
    headers[0].1 = headers[0].1.replace("s=", "s=0");
    let err = parse_with_vec::<sendpilot::Event>(Provider::SendPilot, body, &headers).unwrap_err();
    assert!(matches!(err, VerifyAndParseError::Verify(_)), "{err:?}");
}

fn parse_with_vec<E: WebhookEvent>(
    provider: Provider,
    body: &[u8],
    headers: &[(String, String)],
) -> Result<Parsed<E>, VerifyAndParseError> {
    Verifier::new(provider.scheme(), secret(provider))
        .unwrap()
        .verify_and_parse_at::<E>(headers, Bytes::copy_from_slice(body), now())
}

/// For a user's own `T`, the event type comes from the type header, else the body's top-level
/// `type`, `eventType` or `event`; a body that is not an object has none (a JSON array once gave
/// its first element).
#[test]
fn generic_event_type_and_key_sources() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let scheme = hookverify::Scheme::custom("acme")
        .signature_header("x-acme-signature")
        .idempotency(hookverify::IdempotencyRule::BodyField {
            fields: &["event_id"],
            then_header: false,
            then_body_hash: true,
        })
        .build()
        .unwrap();
    let signer = Signer::new(&scheme, secret).unwrap();
    let verifier = Verifier::new(scheme, secret).unwrap();
    let parse = |body: &[u8]| {
        let headers = signer.sign(&Message::new(body)).unwrap();
        verifier
            .verify_and_parse_at::<Json<Value>>(&headers, Bytes::copy_from_slice(body), now())
            .unwrap()
    };
    for (body, event_type) in [
        (&br#"{"type":"a.b"}"#[..], "a.b"),
        (br#"{"eventType":"c.d"}"#, "c.d"),
        (br#"{"event":"e.f","event_id":"Ev1"}"#, "e.f"),
        (br#"{"type":7}"#, "7"),
        (br#"[1,2]"#, ""),
        (br#""text""#, ""),
    ] {
        assert_eq!(
            parse(body).event_type(),
            event_type,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    assert_eq!(
        parse(br#"{"event":"e.f","event_id":"Ev1"}"#).idempotency_key(),
        "Ev1"
    );
    assert!(parse(br#"[1,2]"#).idempotency_key().starts_with("sha256:"));
}

/// The envelopes implement `Deserialize` themselves (no mirror structs), so a body kept in
/// storage reads back with plain serde into the same value the verified parse gave.
#[test]
fn provider_envelopes_read_back_from_storage_with_serde() {
    let body = samples::body(Provider::Stripe, "payment_intent.succeeded").unwrap();
    let headers = sign(Provider::Stripe, body.as_bytes(), "ignored", "");
    let parsed = parse::<stripe::Event>(Provider::Stripe, body.as_bytes(), &headers).unwrap();
    let stored: stripe::Event = serde_json::from_str(parsed.raw()).unwrap();
    assert_eq!(stored.id, parsed.event.id);
    assert_eq!(stored.created, parsed.event.created);
    assert_eq!(stored.data.object.get(), parsed.event.data.object.get());

    let body = samples::body(Provider::StandardWebhooks, "contact.created").unwrap();
    let stored: standard_webhooks::Envelope = serde_json::from_str(body).unwrap();
    assert_eq!(stored.event_type, "contact.created");

    let body = samples::body(Provider::GitHub, "push").unwrap();
    let stored: github::Payload = serde_json::from_str(body).unwrap();
    assert!(stored.repository.is_some());
}

/// Timestamps in typed payloads are `time::OffsetDateTime`, read as each provider writes them:
/// Stripe's Unix seconds, Standard Webhooks' RFC 3339, Sendable's Unix seconds.
#[test]
fn payload_timestamps_are_offset_date_times() {
    let body = br#"{"id":"evt_1","type":"charge.succeeded","created":1700000000,"livemode":false,"data":{"object":{}}}"#;
    let headers = sign(Provider::Stripe, body, "ignored", "");
    let parsed = parse::<stripe::Event>(Provider::Stripe, body, &headers).unwrap();
    assert_eq!(parsed.event.created.unix_timestamp(), 1_700_000_000);
    assert_eq!(parsed.occurred_at(), Some("1700000000"));
    assert_eq!(
        parsed
            .occurred_at_time()
            .map(time::OffsetDateTime::unix_timestamp),
        Some(1_700_000_000)
    );

    let body = br#"{"type":"a.b","timestamp":"2023-11-14T22:13:20.250Z","data":{}}"#;
    let headers = sign(Provider::StandardWebhooks, body, "msg_1", "");
    let parsed =
        parse::<standard_webhooks::Envelope>(Provider::StandardWebhooks, body, &headers).unwrap();
    let at = parsed.event.timestamp.unwrap();
    assert_eq!(
        (at.unix_timestamp(), at.millisecond()),
        (1_700_000_000, 250)
    );
    assert_eq!(
        Timestamp::from(at),
        Timestamp::from_unix_millis(1_700_000_000_250)
    );

    // A timestamp that is no time at all makes the envelope unfit: an error, never a guess.
    let body = br#"{"type":"a.b","timestamp":"yesterday","data":{}}"#;
    let headers = sign(Provider::StandardWebhooks, body, "msg_2", "");
    let err = parse::<standard_webhooks::Envelope>(Provider::StandardWebhooks, body, &headers)
        .unwrap_err();
    assert!(err.to_string().contains("timestamp"), "{err}");

    // Sendable's message time (Unix seconds), and the envelope's RFC 3339 createdAt.
    let body = br#"{"type":"message.read","createdAt":"2026-03-02T10:30:00.000Z","data":{"id":"wamid.1","timestamp":1700000000}}"#;
    let headers = sign(Provider::Sendable, body, "msg_3", "");
    let parsed = parse::<sendable::Event>(Provider::Sendable, body, &headers).unwrap();
    let sendable::Event::MessageRead(message) = &parsed.event else {
        panic!("{:?}", parsed.event);
    };
    assert_eq!(
        message.timestamp.map(time::OffsetDateTime::unix_timestamp),
        Some(1_700_000_000)
    );
    assert_eq!(
        parsed
            .occurred_at_time()
            .map(|at| (at.year(), at.hour(), at.minute())),
        Some((2026, 10, 30))
    );
}
