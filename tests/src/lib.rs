//! The shared case table: one list of cases (`hookverify-samples/data/cases.json`) run through the core pipeline, the
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
use hookverify::{IdempotencyRule, Provider, Timestamp, Verifier, Verifiers};
use serde::Deserialize;

pub const BODY_LIMIT: usize = 4096;
/// The public base URL every app of the table is configured with (as behind a proxy: the
/// servers listen on 127.0.0.1, the URL-signing schemes sign this one).
pub const PUBLIC_URL: &str = "https://hooks.example.com";
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
    /// The event variant every handler call must have seen (`Misfit`, ...), when the case says.
    #[serde(default)]
    pub variant: Option<String>,
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

/// A provider's test settings from `hookverify-samples` (`data/providers/<slug>.json`).
#[derive(Debug, Deserialize)]
pub struct Settings {
    pub secret: String,
    /// The test private key, for the public-key schemes (the signer's; `secret` is the public).
    #[serde(default)]
    pub signing_secret: Option<String>,
    pub wrong_secret: String,
    pub unknown_event: Option<String>,
    pub misfit_event: Option<String>,
}

pub fn settings(provider: Provider) -> Settings {
    let json = hookverify_samples::provider_settings(provider.name())
        .unwrap_or_else(|| panic!("no data/providers/{}.json in hookverify-samples", provider));
    serde_json::from_str(json).unwrap()
}

pub fn secret(provider: Provider) -> String {
    settings(provider).secret
}

/// Providers with a typed enum (an unknown type parses as `Unknown`, a misfit as `Misfit`).
fn typed(provider: Provider) -> bool {
    settings(provider).unknown_event.is_some()
}

/// Expands the table: `*` to every provider, skipping providers a case does not apply to.
pub fn load() -> Vec<Case> {
    let table: Table = serde_json::from_str(hookverify_samples::CASES).unwrap();
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
            // A body that is not JSON cannot carry Adyen's signature (its items are JSON):
            // the signer refuses it, and no such request can verify.
            if spec.mutate.as_deref() == Some("not_json")
                && Signer::new(&provider.scheme(), &{
                    let settings = settings(provider);
                    settings.signing_secret.unwrap_or(settings.secret)
                })
                .unwrap()
                .sign(&Message::new(b"not json at all"))
                .is_err()
            {
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
    let sample = hookverify_samples::for_provider(provider.name())
        .find(|s| !s.older_shape)
        .unwrap()
        .body;
    let settings = settings(provider);
    let mut body: Vec<u8> = match mutate {
        "unknown_type" => settings.unknown_event.clone().unwrap().into_bytes(),
        "malformed_payload" => settings.misfit_event.clone().unwrap().into_bytes(),
        "not_json" => b"not json at all".to_vec(),
        _ => sample.as_bytes().to_vec(),
    };
    // Unique per case and run, so ids never collide across cases or runs against one store.
    let event_id = format!("{id}-{}", std::process::id());
    // Providers keyed on a body field (a name or a JSON pointer): make that field unique too
    // (the body is signed after).
    if let IdempotencyRule::BodyField { fields, .. } = provider.scheme().idempotency_rule()
        && let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body)
    {
        let pointer = |field: &str| {
            if field.starts_with('/') {
                field.to_owned()
            } else {
                format!("/{field}")
            }
        };
        if let Some(slot) = fields
            .iter()
            .map(|field| pointer(field))
            .find(|at| value.pointer(at).is_some_and(serde_json::Value::is_string))
            .and_then(|at| value.pointer_mut(&at))
        {
            let original = slot.as_str().unwrap_or_default().to_owned();
            *slot = serde_json::Value::String(format!("{event_id}_{original}"));
            body = serde_json::to_vec(&value).unwrap();
        }
    }
    // Providers keyed on the body's hash: a field of the case's own makes the body unique.
    // (A batch, such as HubSpot's array of notifications: in its first item.)
    if provider.scheme().idempotency_rule() == IdempotencyRule::BodyHash
        && let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body)
    {
        let object = match &mut value {
            serde_json::Value::Array(items) => items.first_mut().and_then(|v| v.as_object_mut()),
            other => other.as_object_mut(),
        };
        if let Some(object) = object {
            object.insert(
                "hookverify_case".to_owned(),
                serde_json::Value::String(event_id.clone()),
            );
            body = serde_json::to_vec(&value).unwrap();
        }
    }
    if mutate == "oversize" {
        // Valid JSON, signed, over the 4 KiB limit.
        let padding = " ".repeat(8 * 1024);
        let text = String::from_utf8(body).unwrap();
        body = format!("{}{padding}", text.trim_end()).into_bytes();
    }
    // Cases are signed here and sent later (the table takes seconds): a scheme that accepts only
    // a few seconds of age (Paddle: 5 s) is signed half its future allowance ahead instead.
    let now = match provider.scheme().default_tolerance() {
        Some(tolerance) if tolerance.past() < Duration::from_secs(60) => {
            Timestamp::now().saturating_add(tolerance.future() / 2)
        }
        _ => Timestamp::now(),
    };
    let at = match mutate {
        // Ten minutes past the scheme's window (SendGrid's is 24 hours).
        "stale" => now.saturating_sub(
            provider
                .scheme()
                .default_tolerance()
                .map_or(Duration::ZERO, |t| t.past())
                .saturating_add(Duration::from_secs(600)),
        ),
        "future" => now.saturating_add(Duration::from_secs(600)),
        _ => now,
    };
    let signing_secret = if mutate == "wrong_secret" {
        settings.wrong_secret
    } else {
        settings.signing_secret.unwrap_or(settings.secret)
    };
    let event_type = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            ["type", "eventType", "event", "sub_type"]
                .iter()
                .find_map(|k| v.get(k).and_then(|t| t.as_str()).map(str::to_owned))
        })
        .unwrap_or_else(|| "push".to_owned());
    let signed = Signer::new(&provider.scheme(), &signing_secret)
        .unwrap()
        .sign(
            &Message::new(&body)
                .id(event_id.as_str())
                .timestamp(at)
                .event_type(event_type.as_str())
                .url(format!("{PUBLIC_URL}{}", path(provider))),
        )
        .unwrap();
    // Mailgun's and Adyen's signatures travel in the body: the signer made the body to send
    // (re-serialized JSON: the oversize padding goes on after).
    if let Some(sent) = signed.body() {
        body = sent.to_vec();
        if mutate == "oversize" {
            body.extend(std::iter::repeat_n(b' ', 8 * 1024));
        }
    }
    let mut headers = signed.into_vec();
    let scheme = provider.scheme();
    match mutate {
        "tamper_body" if scheme.signs_body() => {
            let at = body.len() / 2;
            body[at] ^= 0x01;
        }
        // Mailgun signs its token, not the event; Adyen eight fields of each item: the
        // tampering that counts is of a signed field.
        "tamper_body" => body = body_value_changed(&body, signed_body_field(provider)),
        "drop_signature" if scheme.signature_in_body() => {
            let name = scheme.signature_header_name();
            let field = name.rsplit('.').next().unwrap_or(name);
            body = body_field_renamed(&body, field);
        }
        "drop_signature" => {
            let signature = scheme.signature_header_name();
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case(signature))
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

/// A signed field of the body, for schemes that do not sign the body whole.
fn signed_body_field(provider: Provider) -> &'static str {
    match provider {
        Provider::Mailgun => "token",
        Provider::Adyen => "pspReference",
        other => panic!("{other}: name a signed body field to tamper with"),
    }
}

/// `body` with the first character of JSON string field `field`'s value flipped (`^ 1`).
fn body_value_changed(body: &[u8], field: &str) -> Vec<u8> {
    let opening = format!("\"{field}\":\"");
    let text = String::from_utf8(body.to_vec()).unwrap();
    let at = text.find(&opening).unwrap() + opening.len();
    let mut bytes = text.into_bytes();
    bytes[at] ^= 0x01;
    bytes
}

/// `body` without JSON string field `field`: renamed to `_field`.
fn body_field_renamed(body: &[u8], field: &str) -> Vec<u8> {
    let opening = format!("\"{field}\":\"");
    let text = String::from_utf8(body.to_vec()).unwrap();
    text.replacen(&opening, &format!("\"_{field}\":\""), 1)
        .into_bytes()
}

/// Handler calls per case id, with the event variant each call saw, shared by every server.
#[derive(Clone, Default)]
pub struct Calls(pub Arc<Mutex<HashMap<String, Vec<&'static str>>>>);

impl Calls {
    pub fn record(&self, case: &str, variant: &'static str) {
        self.0
            .lock()
            .unwrap()
            .entry(case.to_owned())
            .or_default()
            .push(variant);
    }

    pub fn get(&self, case: &str) -> usize {
        self.0.lock().unwrap().get(case).map_or(0, Vec::len)
    }

    /// The variants the handler saw for `case`, in order.
    pub fn variants(&self, case: &str) -> Vec<&'static str> {
        self.0
            .lock()
            .unwrap()
            .get(case)
            .cloned()
            .unwrap_or_default()
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
        Err(StoreError::unavailable("connection refused"))
    }

    async fn complete(&self, _: &Claim, _: Duration) -> Result<(), StoreError> {
        Err(StoreError::unavailable("connection refused"))
    }

    async fn release(&self, _: &Claim) -> Result<(), StoreError> {
        Err(StoreError::unavailable("connection refused"))
    }
}

/// The verifiers every app of the table uses, each provider under its event type.
pub fn verifiers() -> Verifiers {
    Provider::ALL
        .into_iter()
        .fold(Verifiers::new(), |verifiers, p| {
            verifiers.with_provider(p, Verifier::new(p.scheme(), secret(p)).unwrap())
        })
        .body_limit(BODY_LIMIT)
        .public_url(PUBLIC_URL)
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
