//! Bodies that are not JSON, over real HTTP: a Slack slash command (form) through
//! `Webhook<Form>`, and an XML body through the verify-only `VerifiedBody`, both behind the
//! idempotency layer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use axum::Router;
use axum::routing::post;
use hookverify::idempotency::MemoryStore;
use hookverify::sign::{Message, Signer};
use hookverify::{Form, Scheme, SignedPart, Verifier, Verifiers};
use hookverify_axum::{IdempotencyLayer, VerifiedBody, Webhook};

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

fn slack() -> Scheme {
    Scheme::custom("slack")
        .signature_header("X-Slack-Signature")
        .signature_prefix("v0=", true)
        .timestamp_header("X-Slack-Request-Timestamp")
        .signed_content([
            SignedPart::literal("v0:"),
            SignedPart::Timestamp,
            SignedPart::literal(":"),
            SignedPart::Body,
        ])
        .build()
        .unwrap()
}

fn acme() -> Scheme {
    Scheme::custom("acme")
        .signature_header("X-Acme-Signature")
        .id_header("X-Acme-Delivery")
        .build()
        .unwrap()
}

/// The tag of the XML route's verifier.
struct Acme;

async fn slash(webhook: Webhook<Form>) -> String {
    format!(
        "{} {}",
        webhook.event_type(),
        webhook.event.get("text").unwrap_or_default()
    )
}

async fn xml(webhook: VerifiedBody<Acme>) -> String {
    format!(
        "{} bytes, key {}",
        webhook.body.len(),
        webhook.idempotency_key()
    )
}

async fn serve() -> String {
    let verifiers = Verifiers::new()
        .with::<Form>(Verifier::new(slack(), SECRET).unwrap())
        .with::<Acme>(Verifier::new(acme(), SECRET).unwrap());
    let app: Router = Router::new()
        .route("/slack", post(slash))
        .route("/acme", post(xml))
        .layer(IdempotencyLayer::new(MemoryStore::new()))
        .with_state(verifiers);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn post_signed(
    client: &reqwest::Client,
    url: &str,
    scheme: &Scheme,
    body: &[u8],
    id: &str,
    content_type: &str,
) -> (u16, String) {
    let headers = Signer::new(scheme, SECRET)
        .unwrap()
        .sign(&Message::new(body).id(id))
        .unwrap();
    let mut request = client
        .post(url)
        .header("content-type", content_type)
        .body(body.to_vec());
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_body_reaches_the_handler_typed() {
    let base = serve().await;
    let client = reqwest::Client::new();
    let body = b"command=%2Fdeploy&text=api+v2&trigger_id=tr_42";
    let form = "application/x-www-form-urlencoded";
    let url = format!("{base}/slack");
    let (status, text) = post_signed(&client, &url, &slack(), body, "-", form).await;
    assert_eq!((status, text.as_str()), (200, "/deploy api v2"));
    // Same bytes again: a duplicate (keyed on the body's hash for this scheme).
    let (status, text) = post_signed(&client, &url, &slack(), body, "-", form).await;
    assert_eq!((status, text.as_str()), (200, "already processed"));
    // Tampered: 401, as for JSON.
    let mut tampered = body.to_vec();
    tampered[9] ^= 1;
    let headers = Signer::new(&slack(), SECRET)
        .unwrap()
        .sign(&Message::new(body))
        .unwrap();
    let mut request = client.post(&url).body(tampered);
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    assert_eq!(request.send().await.unwrap().status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_no_parser_knows_is_verified_and_handed_over_raw() {
    let base = serve().await;
    let client = reqwest::Client::new();
    let body = b"<event><type>order.paid</type></event>";
    let url = format!("{base}/acme");
    let (status, text) =
        post_signed(&client, &url, &acme(), body, "dlv_xml_1", "application/xml").await;
    assert_eq!(
        (status, text.as_str()),
        (200, format!("{} bytes, key dlv_xml_1", body.len()).as_str())
    );
    let (status, text) =
        post_signed(&client, &url, &acme(), body, "dlv_xml_1", "application/xml").await;
    assert_eq!((status, text.as_str()), (200, "already processed"));
    let response = client.post(&url).body(body.to_vec()).send().await.unwrap();
    assert_eq!(response.status(), 401, "unsigned");
}
