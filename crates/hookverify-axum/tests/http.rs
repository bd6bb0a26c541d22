//! The axum adapter over real HTTP on 127.0.0.1 with a real client (reqwest), for every
//! built-in provider: valid, tampered, wrong secret, stale, future, missing header, unknown type,
//! duplicates, concurrent copies, store down, handler failures and panics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::post;
use hookverify::Verifiers;
use hookverify::idempotency::{Claim, ClaimOutcome, IdempotencyStore, MemoryStore, StoreError};
use hookverify::sign::{Message, Signer};
use hookverify::{
    Provider, ProviderEvent, ProviderVisitor, SecretEncoding, Timestamp, Typed, Verifier, sendable,
};
use hookverify_axum::{IdempotencyLayer, Webhook, WebhookFailure};
use reqwest::StatusCode;

const STD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const RAW_SECRET: &str = "whsec_8f3a1c2d4e5b6a7c8d9e0f1a2b3c4d5e";
const WRONG_STD: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const WRONG_RAW: &str = "another-raw-secret-0123456789";

/// Test private keys (64 hex digits) for the public-key schemes (Discord, SendGrid).
const PRIVATE: &str = "1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f";
const WRONG_PRIVATE: &str = "2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e";
/// Adyen's hex HMAC keys.
const RAW_HEX: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
const WRONG_HEX: &str = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";

fn public_key_scheme(provider: Provider) -> bool {
    matches!(
        provider.scheme().secret_encoding(),
        SecretEncoding::Ed25519Hex | SecretEncoding::EcdsaP256
    )
}

/// The key the test signs with.
fn secret(provider: Provider) -> &'static str {
    match provider {
        Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => STD_SECRET,
        p if public_key_scheme(p) => PRIVATE,
        // Adyen's HMAC key is hex.
        Provider::Adyen => RAW_HEX,
        _ => RAW_SECRET,
    }
}

/// The key the app verifies with: the secret, or the signing key's public key.
fn verifying_secret(provider: Provider) -> String {
    Signer::new(&provider.scheme(), secret(provider))
        .unwrap()
        .verifying_secret()
        .unwrap_or_else(|| secret(provider).to_owned())
}

fn wrong_secret(provider: Provider) -> &'static str {
    match provider {
        Provider::StandardWebhooks | Provider::Sendable | Provider::Sent => WRONG_STD,
        p if public_key_scheme(p) => WRONG_PRIVATE,
        Provider::Adyen => WRONG_HEX,
        _ => WRONG_RAW,
    }
}

/// Every handler call: (provider, variant, idempotency key).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, String, String)>>>);

impl Recorder {
    fn calls(&self) -> Vec<(String, String, String)> {
        self.0.lock().unwrap().clone()
    }

    fn count(&self, key: &str) -> usize {
        self.calls().iter().filter(|(_, _, k)| k == key).count()
    }
}

#[derive(Clone, FromRef)]
struct AppState {
    verifiers: Verifiers,
    recorder: Recorder,
}

/// The variant name a handler saw.
#[derive(serde::Deserialize, Debug)]
#[serde(tag = "type", content = "data")]
enum StandardEvents {
    #[serde(rename = "contact.created")]
    ContactCreated(serde::de::IgnoredAny),
    #[serde(rename = "invoice.paid")]
    InvoicePaid(serde::de::IgnoredAny),
}

/// What a handler records: the variant's name (`Known`/`Unknown` for the `Typed` enum).
fn describe_standard(event: &Typed<StandardEvents>) -> String {
    match event {
        Typed::Known(_) => "Known".to_owned(),
        Typed::Unknown(_) => "Unknown".to_owned(),
        _ => "?".to_owned(),
    }
}

fn push(recorder: &Recorder, verified: &hookverify::Verified, variant: String, key: &str) {
    recorder
        .0
        .lock()
        .unwrap()
        .push((verified.scheme().to_owned(), variant, key.to_owned()));
}

/// Records a built-in provider's event by its variant's name.
async fn record<E: ProviderEvent>(
    State(recorder): State<Recorder>,
    webhook: Webhook<E>,
) -> &'static str {
    let variant = webhook.event.variant().to_owned();
    push(
        &recorder,
        &webhook.verified,
        variant,
        webhook.idempotency_key(),
    );
    "processed"
}

/// Records a Standard Webhooks event parsed into the user's own `Typed` enum.
async fn record_standard(
    State(recorder): State<Recorder>,
    webhook: Webhook<Typed<StandardEvents>>,
) -> &'static str {
    let variant = describe_standard(&webhook.event);
    push(
        &recorder,
        &webhook.verified,
        variant,
        webhook.idempotency_key(),
    );
    "processed"
}

/// The route of a built-in provider's typed event.
struct Route;

impl ProviderVisitor for Route {
    type Output = axum::routing::MethodRouter<AppState>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> Self::Output {
        post(record::<E>)
    }
}

fn path(provider: Provider) -> String {
    format!("/hooks/{}", provider.name())
}

/// The app's public URL (as behind a proxy): what Twilio, Square and HubSpot sign.
const PUBLIC_URL: &str = "https://hooks.example.com";

fn verifiers() -> Verifiers {
    let v = |p: Provider| Verifier::new(p.scheme(), verifying_secret(p)).unwrap();
    let mut verifiers =
        Verifiers::new().with::<Typed<StandardEvents>>(v(Provider::StandardWebhooks));
    for provider in Provider::ALL {
        if provider != Provider::StandardWebhooks {
            verifiers = verifiers.with_provider(provider, v(provider));
        }
    }
    verifiers.public_url(PUBLIC_URL)
}

/// Standard Webhooks into the test's own `Typed` enum; every other provider into its typed
/// event (so a provider added to the registry is routed here without a change).
fn router(recorder: Recorder) -> Router<()> {
    let mut router = Router::new().route(&path(Provider::StandardWebhooks), post(record_standard));
    for provider in Provider::ALL {
        if provider != Provider::StandardWebhooks {
            router = router.route(&path(provider), provider.visit(Route));
        }
    }
    router.with_state(AppState {
        verifiers: verifiers(),
        recorder,
    })
}

async fn serve(app: Router<()>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

struct Request {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn signed(provider: Provider, body: &[u8], id: &str, at: Timestamp, secret: &str) -> Request {
    let event_type = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            ["type", "eventType", "event", "sub_type"]
                .iter()
                .find_map(|k| v.get(k).and_then(|t| t.as_str()).map(str::to_owned))
        })
        .unwrap_or_else(|| "ping".to_owned());
    let signed = Signer::new(&provider.scheme(), secret)
        .unwrap()
        .sign(
            &Message::new(body)
                .id(id)
                .timestamp(at)
                .event_type(event_type.as_str())
                .url(format!("{PUBLIC_URL}{}", path(provider))),
        )
        .unwrap();
    // Mailgun's signature travels in the body the signer made.
    let body = signed.body().unwrap_or(body).to_vec();
    Request {
        headers: signed.into_vec(),
        body,
    }
}

/// The first character of JSON string field `field`'s value in `body`, flipped.
fn flip_field(body: &mut [u8], field: &str) {
    let opening = format!("\"{field}\":\"");
    let at = body
        .windows(opening.len())
        .position(|window| window == opening.as_bytes())
        .unwrap()
        + opening.len();
    body[at] ^= 0x01;
}

fn sample(provider: Provider) -> &'static str {
    hookverify_samples::for_provider(provider.name())
        .find(|s| !s.older_shape)
        .unwrap()
        .body
}

async fn send(
    client: &reqwest::Client,
    base: &str,
    provider: Provider,
    request: &Request,
) -> (StatusCode, String) {
    let mut builder = client.post(format!("{base}{}", path(provider)));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.body(request.body.clone()).send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// A body for an event type the provider's enum does not know.
fn unknown_body(provider: Provider) -> Option<&'static str> {
    Some(match provider {
        Provider::StandardWebhooks => {
            r#"{"type":"invoice.voided","timestamp":"2026-01-01T00:00:00Z","data":{}}"#
        }
        Provider::Sendable => {
            r#"{"type":"message.edited","createdAt":"2026-03-02T10:30:00Z","data":{"id":"x"}}"#
        }
        Provider::SendPilot => {
            r#"{"eventId":"evt_unknown_1","eventType":"inbox.archived","timestamp":"2024-02-24T10:30:00Z","data":{}}"#
        }
        Provider::AutoSend => {
            r#"{"type":"email.complained","createdAt":"2025-11-12T10:30:00Z","data":{"emailId":"em"}}"#
        }
        Provider::SendKit => r#"{"id":"whe_unknown","type":"email.snoozed","data":{}}"#,
        Provider::Sent => {
            r#"{"field":"message","sub_type":"message.recalled","timestamp":"2025-10-31T10:10:42Z","payload":{}}"#
        }
        _ => return None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_provider_over_real_http() {
    let recorder = Recorder::default();
    let app = router(recorder.clone()).layer(IdempotencyLayer::new(MemoryStore::new()));
    let base = serve(app).await;
    let client = reqwest::Client::new();
    let now = Timestamp::now();

    for provider in Provider::ALL {
        let body = sample(provider).as_bytes();
        let before = recorder.calls().len();

        // Valid: 200, the handler ran once.
        let valid = signed(
            provider,
            body,
            &format!("dlv-{provider}-1"),
            now,
            secret(provider),
        );
        let (status, text) = send(&client, &base, provider, &valid).await;
        assert_eq!(status, StatusCode::OK, "{provider}: {text}");
        assert_eq!(text, "processed");
        assert_eq!(recorder.calls().len(), before + 1, "{provider}");
        let (_, variant, key) = recorder.calls().last().unwrap().clone();
        assert_ne!(variant, "Unknown", "{provider}");

        // The same event twice more: 200, the handler does not run again.
        for _ in 0..2 {
            let (status, text) = send(&client, &base, provider, &valid).await;
            assert_eq!(status, StatusCode::OK, "{provider}");
            assert_eq!(text, "already processed", "{provider}");
        }
        assert_eq!(
            recorder.count(&key),
            1,
            "{provider}: the handler ran once for 3 deliveries"
        );

        // Rejections: 401 with the generic body, the handler not called.
        let mut tampered = signed(
            provider,
            body,
            &format!("dlv-{provider}-t"),
            now,
            secret(provider),
        );
        if provider.scheme().signs_body() {
            let last = tampered.body.len() - 2;
            tampered.body[last] ^= 0x01;
        } else {
            // Mailgun signs its token, not the event; Adyen eight fields of each item.
            let field = match provider {
                Provider::Mailgun => "token",
                Provider::Adyen => "pspReference",
                other => panic!("{other}: name a signed body field"),
            };
            flip_field(&mut tampered.body, field);
        }
        let wrong = signed(
            provider,
            body,
            &format!("dlv-{provider}-w"),
            now,
            wrong_secret(provider),
        );
        let mut missing = signed(
            provider,
            body,
            &format!("dlv-{provider}-m"),
            now,
            secret(provider),
        );
        let scheme = provider.scheme();
        if scheme.signature_in_body() {
            // Renamed: the body has no signature field.
            let name = scheme.signature_header_name();
            let field = name.rsplit('.').next().unwrap_or(name);
            let text = String::from_utf8(missing.body.clone()).unwrap();
            missing.body = text
                .replacen(&format!("\"{field}\":\""), "\"unsigned\":\"", 1)
                .into_bytes();
        } else {
            let signature = scheme.signature_header_name();
            missing
                .headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case(signature));
        }
        let mut cases = vec![
            ("tampered body", tampered),
            ("wrong secret", wrong),
            ("missing signature header", missing),
        ];
        if provider.scheme().default_tolerance().is_some() {
            let stale = signed(
                provider,
                body,
                &format!("dlv-{provider}-s"),
                // Ten minutes past the scheme's window (SendGrid's is 24 hours).
                now.saturating_sub(
                    provider
                        .scheme()
                        .default_tolerance()
                        .map_or(Duration::ZERO, |t| t.past())
                        .saturating_add(Duration::from_secs(600)),
                ),
                secret(provider),
            );
            let future = signed(
                provider,
                body,
                &format!("dlv-{provider}-f"),
                now.saturating_add(Duration::from_secs(600)),
                secret(provider),
            );
            cases.push(("stale timestamp", stale));
            cases.push(("future timestamp", future));
        }
        let calls_before = recorder.calls().len();
        for (case, request) in &cases {
            let (status, text) = send(&client, &base, provider, request).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{provider}: {case}: {text}"
            );
            assert_eq!(text, "invalid webhook signature", "{provider}: {case}");
        }
        assert_eq!(
            recorder.calls().len(),
            calls_before,
            "{provider}: no handler call for a rejected request"
        );

        // A validly signed event of a type the enum does not know: the handler gets Unknown.
        if let Some(unknown) = unknown_body(provider) {
            let request = signed(
                provider,
                unknown.as_bytes(),
                &format!("dlv-{provider}-u"),
                now,
                secret(provider),
            );
            let (status, text) = send(&client, &base, provider, &request).await;
            assert_eq!(status, StatusCode::OK, "{provider}: {text}");
            assert_eq!(recorder.calls().last().unwrap().1, "Unknown", "{provider}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_copies_run_the_handler_once() {
    let recorder = Recorder::default();
    let app = router(recorder.clone()).layer(IdempotencyLayer::new(MemoryStore::new()));
    let base = serve(app).await;
    let client = reqwest::Client::new();
    for provider in [Provider::Sendable, Provider::SendPilot, Provider::Stripe] {
        let request = Arc::new(signed(
            provider,
            sample(provider).as_bytes(),
            "dlv-concurrent",
            Timestamp::now(),
            secret(provider),
        ));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (client, base, request) = (client.clone(), base.clone(), Arc::clone(&request));
                tokio::spawn(async move { send(&client, &base, provider, &request).await.0 })
            })
            .collect();
        let mut statuses: HashMap<u16, usize> = HashMap::new();
        for task in tasks {
            *statuses.entry(task.await.unwrap().as_u16()).or_default() += 1;
        }
        assert!(
            statuses.keys().all(|s| *s == 200 || *s == 409),
            "{provider}: {statuses:?}"
        );
        let calls: Vec<_> = recorder
            .calls()
            .into_iter()
            .filter(|(p, _, _)| p == provider.name())
            .collect();
        assert_eq!(calls.len(), 1, "{provider}: {statuses:?}");
    }
}

/// A store that is always unreachable.
#[derive(Clone)]
struct DownStore;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_down_is_503_and_the_handler_does_not_run() {
    let recorder = Recorder::default();
    let base = serve(router(recorder.clone()).layer(IdempotencyLayer::new(DownStore))).await;
    let client = reqwest::Client::new();
    for provider in Provider::ALL {
        let request = signed(
            provider,
            sample(provider).as_bytes(),
            "dlv-down",
            Timestamp::now(),
            secret(provider),
        );
        let (status, _) = send(&client, &base, provider, &request).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{provider}");
    }
    assert!(recorder.calls().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_is_503() {
    // A real RedisStore pointed at a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let store = hookverify_redis::RedisStore::builder(format!("redis://127.0.0.1:{port}"))
        .timeout(Duration::from_millis(500))
        .connect_lazy()
        .unwrap();
    let recorder = Recorder::default();
    let base = serve(router(recorder.clone()).layer(IdempotencyLayer::new(store))).await;
    let request = signed(
        Provider::Sendable,
        sample(Provider::Sendable).as_bytes(),
        "dlv-redis-down",
        Timestamp::now(),
        STD_SECRET,
    );
    let (status, _) = send(&reqwest::Client::new(), &base, Provider::Sendable, &request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(recorder.calls().is_empty());
}

#[derive(Clone, FromRef)]
struct FailState {
    verifiers: Verifiers,
    attempts: Attempts,
}

#[derive(Clone, Default)]
struct Attempts(Arc<Mutex<HashMap<String, usize>>>);

impl Attempts {
    fn bump(&self, key: &str) -> usize {
        let mut map = self.0.lock().unwrap();
        let count = map.entry(key.to_owned()).or_default();
        *count += 1;
        *count
    }
}

/// Fails the way the event's `data.text.content` says, on the first attempt only.
async fn flaky(
    State(attempts): State<Attempts>,
    webhook: Webhook<sendable::Event>,
) -> Result<&'static str, WebhookFailure> {
    let attempt = attempts.bump(webhook.idempotency_key());
    let mode = match &webhook.event {
        sendable::Event::MessageReceived(m) => m
            .text
            .as_ref()
            .map(|t| t.content.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    match (mode.as_str(), attempt) {
        ("temporary", 1) => Err(WebhookFailure::temporary("database down")),
        ("permanent", _) => Err(WebhookFailure::permanent("no such account")),
        ("panic", 1) => panic!("handler bug"),
        _ => Ok("processed"),
    }
}

async fn failing_app() -> (String, Attempts) {
    let attempts = Attempts::default();
    let verifier = Verifier::new(Provider::Sendable.scheme(), STD_SECRET).unwrap();
    let app = Router::new()
        .route("/hooks/sendable", post(flaky))
        .layer(IdempotencyLayer::new(MemoryStore::new()))
        .with_state(FailState {
            verifiers: Verifiers::new().with::<sendable::Event>(verifier),
            attempts: attempts.clone(),
        });
    (serve(app).await, attempts)
}

fn message(mode: &str, id: &str) -> Request {
    let body = format!(
        r#"{{"type":"message.received","createdAt":"2026-03-02T10:30:00Z","data":{{"id":"{id}","text":{{"content":"{mode}"}}}}}}"#
    );
    signed(
        Provider::Sendable,
        body.as_bytes(),
        id,
        Timestamp::now(),
        STD_SECRET,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn temporary_failures_and_panics_release_permanent_failures_complete() {
    let (base, attempts) = failing_app().await;
    let client = reqwest::Client::new();

    let temporary = message("temporary", "dlv-temp");
    assert_eq!(
        send(&client, &base, Provider::Sendable, &temporary).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        send(&client, &base, Provider::Sendable, &temporary).await.0,
        StatusCode::OK,
        "the retry is processed"
    );
    assert_eq!(
        send(&client, &base, Provider::Sendable, &temporary).await.1,
        "already processed"
    );
    assert_eq!(attempts.0.lock().unwrap()["dlv-temp"], 2);

    let permanent = message("permanent", "dlv-perm");
    assert_eq!(
        send(&client, &base, Provider::Sendable, &permanent).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&client, &base, Provider::Sendable, &permanent).await.1,
        "already processed",
        "no retry processing"
    );
    assert_eq!(attempts.0.lock().unwrap()["dlv-perm"], 1);

    let panics = message("panic", "dlv-panic");
    assert_eq!(
        send(&client, &base, Provider::Sendable, &panics).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        send(&client, &base, Provider::Sendable, &panics).await.0,
        StatusCode::OK,
        "the claim was released"
    );
    assert_eq!(attempts.0.lock().unwrap()["dlv-panic"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misfits_reach_the_handler_parse_errors_are_422_and_missing_verifiers_500() {
    let recorder = Recorder::default();
    let base = serve(router(recorder.clone())).await;
    let client = reqwest::Client::new();
    // A known type whose payload does not fit: the handler gets it as a Misfit, 200.
    let misfit = br#"{"type":"message.sent","createdAt":"x","data":{"id":42}}"#;
    let request = signed(
        Provider::Sendable,
        misfit,
        "dlv-misfit",
        Timestamp::now(),
        STD_SECRET,
    );
    let (status, text) = send(&client, &base, Provider::Sendable, &request).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        recorder.calls(),
        [(
            "sendable".to_owned(),
            "Misfit".to_owned(),
            "dlv-misfit".to_owned()
        )]
    );
    // Not JSON, or no event type anywhere: 422, and the handler never runs.
    for (bad, reason) in [
        (&b"not json"[..], "not valid JSON"),
        (br#"{"createdAt":"x","data":{}}"#, "envelope"),
    ] {
        let request = signed(
            Provider::Sendable,
            bad,
            "dlv-bad",
            Timestamp::now(),
            STD_SECRET,
        );
        let (status, text) = send(&client, &base, Provider::Sendable, &request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains(reason), "{text}");
    }
    assert_eq!(recorder.calls().len(), 1);
    let recorder = Recorder::default();

    // A route whose tag has no verifier.
    struct Unregistered;
    async fn orphan(_: Webhook<hookverify::Json<serde_json::Value>, Unregistered>) {}
    let app = Router::new()
        .route("/orphan", post(orphan))
        .with_state(Verifiers::new());
    let base = serve(app).await;
    let response = client
        .post(format!("{base}/orphan"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("no webhook verifier registered for") && text.contains(".with::<"),
        "{text}"
    );
    assert!(recorder.calls().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_oversized_bodies_are_413_before_reading() {
    let recorder = Recorder::default();
    let app = Router::new()
        .route("/hooks/sendable", post(record::<sendable::Event>))
        .with_state(AppState {
            verifiers: Verifiers::new()
                .with::<sendable::Event>(
                    Verifier::new(Provider::Sendable.scheme(), STD_SECRET).unwrap(),
                )
                .body_limit(1024),
            recorder,
        });
    let base = serve(app).await;
    let request = signed(
        Provider::Sendable,
        &[b' '; 2048],
        "dlv-big",
        Timestamp::now(),
        STD_SECRET,
    );
    let (status, text) = send(&reqwest::Client::new(), &base, Provider::Sendable, &request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
}
