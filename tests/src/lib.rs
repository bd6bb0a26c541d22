//! The shared case table: one list of cases (`cases.json`) run through the core pipeline, the
//! axum adapter and the actix-web adapter, the adapters over real HTTP on 127.0.0.1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)] // Test support code: a panic is a failing test.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hookverify::idempotency::{Claim, ClaimOutcome, IdempotencyStore, MemoryStore, StoreError};
use hookverify::sign::{Message, Signer};
use hookverify::{
    Provider, Timestamp, Verifier, Verifiers, autosend, github, samples, sendable, sendkit,
    sendpilot, sent, standard_webhooks, stripe,
};
use serde::Deserialize;

pub const STD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
pub const RAW_SECRET: &str = "whsec_8f3a1c2d4e5b6a7c8d9e0f1a2b3c4d5e";
pub const BODY_LIMIT: usize = 4096;
/// The header naming the case (so handler calls are counted per case). Not signed: tests only.
pub const CASE_HEADER: &str = "x-test-case";
/// The header telling the handler how to behave.
pub const HANDLER_HEADER: &str = "x-test-handler";

#[derive(Debug, Deserialize)]
pub struct Table {
    pub cases: Vec<CaseSpec>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Delivery {
    pub handler: String,
    #[serde(default)]
    pub after_ms: u64,
}

#[derive(Debug, Deserialize, Clone)]
pub struct CaseSpec {
    pub name: String,
    pub provider: String,
    #[serde(default)]
    pub mutate: Option<String>,
    #[serde(default)]
    pub deliveries: Vec<Delivery>,
    #[serde(default)]
    pub concurrent: Option<usize>,
    #[serde(default)]
    pub expect: Vec<u16>,
    #[serde(default)]
    pub expect_any_of: Vec<u16>,
    pub calls: usize,
    #[serde(default)]
    pub store: Option<String>,
    #[serde(default)]
    pub timestamped_only: bool,
    #[serde(default)]
    pub typed_only: bool,
}

/// One case for one provider, with its signed request.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub spec: CaseSpec,
    pub provider: Provider,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub store_down: bool,
}

pub fn secret(provider: Provider) -> &'static str {
    match provider {
        Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => STD_SECRET,
        _ => RAW_SECRET,
    }
}

fn wrong_secret(provider: Provider) -> &'static str {
    match provider {
        Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => {
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
        }
        _ => "another-raw-secret-0123456789",
    }
}

fn typed(provider: Provider) -> bool {
    matches!(
        provider,
        Provider::Sendable
            | Provider::SendPilot
            | Provider::AutoSend
            | Provider::SendKit
            | Provider::Sent
    )
}

fn unknown_body(provider: Provider) -> &'static str {
    match provider {
        Provider::Sendable => {
            r#"{"type":"message.edited","createdAt":"2026-03-02T10:30:00Z","data":{"id":"x"}}"#
        }
        Provider::SendPilot => {
            r#"{"eventId":"evt_u","eventType":"inbox.archived","timestamp":"2024-02-24T10:30:00Z","data":{}}"#
        }
        Provider::AutoSend => {
            r#"{"type":"email.complained","createdAt":"2025-11-12T10:30:00Z","data":{"emailId":"em"}}"#
        }
        Provider::SendKit => r#"{"id":"whe_u","type":"email.snoozed","data":{}}"#,
        _ => {
            r#"{"field":"message","sub_type":"message.recalled","timestamp":"2025-10-31T10:10:42Z","payload":{}}"#
        }
    }
}

fn malformed_body(provider: Provider) -> &'static str {
    match provider {
        Provider::Sendable => r#"{"type":"message.sent","createdAt":"x","data":{"id":42}}"#,
        Provider::SendPilot => {
            r#"{"eventId":"e","eventType":"campaign.started","data":{"campaignName":"x"}}"#
        }
        Provider::AutoSend => {
            r#"{"type":"email.opened","createdAt":"x","data":{"emailId":"em","to":{"name":"x"}}}"#
        }
        Provider::SendKit => r#"{"id":"whe_m","type":"email.sent","data":{"sequenceStep":"two"}}"#,
        _ => r#"{"field":"message","sub_type":"message.delivered","payload":{"message_id":[1]}}"#,
    }
}

/// Expands the table: `*` to every provider, skipping providers a case does not apply to.
pub fn load() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/cases.json")).unwrap();
    let table: Table = serde_json::from_str(&text).unwrap();
    let mut cases = Vec::new();
    for spec in table.cases {
        let providers: Vec<Provider> = if spec.provider == "*" {
            Provider::ALL.to_vec()
        } else {
            vec![spec.provider.parse().unwrap()]
        };
        for provider in providers {
            if spec.timestamped_only && provider.scheme().default_tolerance().is_none() {
                continue;
            }
            if spec.typed_only && !typed(provider) {
                continue;
            }
            let index = cases.len();
            cases.push(build(index, spec.clone(), provider));
        }
    }
    cases
}

fn build(index: usize, spec: CaseSpec, provider: Provider) -> Case {
    let id = format!("case-{index}-{}", provider.name());
    let mutate = spec.mutate.as_deref().unwrap_or("");
    let sample = samples::for_provider(provider)
        .find(|s| !s.older_shape)
        .unwrap()
        .body;
    let mut body: Vec<u8> = match mutate {
        "unknown_type" => unknown_body(provider).as_bytes().to_vec(),
        "malformed_payload" => malformed_body(provider).as_bytes().to_vec(),
        _ => sample.as_bytes().to_vec(),
    };
    if mutate == "oversize" {
        // Valid JSON, signed, over the 4 KiB limit.
        let padding = " ".repeat(8 * 1024);
        let text = String::from_utf8(body).unwrap();
        body = format!("{}{padding}", text.trim_end()).into_bytes();
    }
    // Unique per case and run, so ids never collide across cases or runs against one store.
    let event_id = format!("{id}-{}", std::process::id());
    if provider == Provider::SendPilot
        || provider == Provider::SendKit
        || provider == Provider::Stripe
        || provider == Provider::Sent
    {
        body = String::from_utf8(body)
            .unwrap()
            .replacen("evt_", &format!("evt_{event_id}_"), 1)
            .replacen("whe_", &format!("whe_{event_id}_"), 1)
            .into_bytes();
    }
    let now = Timestamp::now();
    let at = match mutate {
        "stale" => now.saturating_sub(Duration::from_secs(600)),
        "future" => now.saturating_add(Duration::from_secs(600)),
        _ => now,
    };
    let signing_secret = if mutate == "wrong_secret" {
        wrong_secret(provider)
    } else {
        secret(provider)
    };
    let event_type = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            ["type", "eventType", "event", "sub_type"]
                .iter()
                .find_map(|k| v.get(k).and_then(|t| t.as_str()).map(str::to_owned))
        })
        .unwrap_or_else(|| "push".to_owned());
    let mut headers = Signer::new(&provider.scheme(), signing_secret)
        .unwrap()
        .sign(
            &Message::new(&body)
                .id(event_id.as_str())
                .timestamp(at)
                .event_type(event_type.as_str()),
        )
        .unwrap()
        .into_vec();
    match mutate {
        "tamper_body" => {
            let at = body.len() / 2;
            body[at] ^= 0x01;
        }
        "drop_signature" => {
            headers.retain(|(name, _)| !name.to_ascii_lowercase().contains("signature"))
        }
        _ => {}
    }
    headers.push((CASE_HEADER.to_owned(), id.clone()));
    Case {
        store_down: spec.store.as_deref() == Some("down"),
        id,
        spec,
        provider,
        headers,
        body,
    }
}

/// Handler calls per case id, shared by every server.
#[derive(Clone, Default)]
pub struct Calls(pub Arc<Mutex<HashMap<String, usize>>>);

impl Calls {
    pub fn record(&self, case: &str) {
        *self.0.lock().unwrap().entry(case.to_owned()).or_default() += 1;
    }

    pub fn get(&self, case: &str) -> usize {
        self.0.lock().unwrap().get(case).copied().unwrap_or(0)
    }
}

/// What the test handler does, from the `x-test-handler` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    Ok,
    Slow,
    Temporary,
    Permanent,
    Error,
    Panic,
}

impl Behaviour {
    pub fn parse(value: Option<&str>) -> Behaviour {
        match value {
            Some("slow") => Behaviour::Slow,
            Some("temporary") => Behaviour::Temporary,
            Some("permanent") => Behaviour::Permanent,
            Some("error") => Behaviour::Error,
            Some("panic") => Behaviour::Panic,
            _ => Behaviour::Ok,
        }
    }
}

/// How long the `slow` handler holds its claim.
pub const SLOW: Duration = Duration::from_millis(600);

/// A store that is always unreachable.
#[derive(Clone, Copy, Debug)]
pub struct DownStore;

impl IdempotencyStore for DownStore {
    async fn claim(&self, _: &str, _: Duration) -> Result<ClaimOutcome, StoreError> {
        Err(StoreError::Unavailable {
            reason: "connection refused".to_owned(),
        })
    }

    async fn complete(&self, _: &Claim, _: Duration) -> Result<(), StoreError> {
        Err(StoreError::Unavailable {
            reason: "connection refused".to_owned(),
        })
    }

    async fn release(&self, _: &Claim) -> Result<(), StoreError> {
        Err(StoreError::Unavailable {
            reason: "connection refused".to_owned(),
        })
    }
}

/// The verifiers every app of the table uses, each provider under its event type.
pub fn verifiers() -> Verifiers {
    let v = |p: Provider| Verifier::new(p.scheme(), secret(p)).unwrap();
    Verifiers::new()
        .with::<standard_webhooks::Envelope>(v(Provider::StandardWebhooks))
        .with::<sendable::Event>(v(Provider::Sendable))
        .with::<sendpilot::Event>(v(Provider::SendPilot))
        .with::<autosend::Event>(v(Provider::AutoSend))
        .with::<sendkit::Event>(v(Provider::SendKit))
        .with::<sent::Event>(v(Provider::Sent))
        .with::<stripe::Event>(v(Provider::Stripe))
        .with::<github::Payload>(v(Provider::GitHub))
        .body_limit(BODY_LIMIT)
}

pub fn path(provider: Provider) -> String {
    format!("/hooks/{}", provider.name())
}

/// The memory store every server of one framework shares, and the down store.
pub fn memory() -> MemoryStore {
    MemoryStore::new()
}

pub mod actix;
pub mod axum_app;
pub mod core_runner;
pub mod http;
