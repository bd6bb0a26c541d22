//! Providers that sign the URL they call (Twilio, Square, HubSpot v3) over real HTTP: the app
//! listens on 127.0.0.1 while the senders sign its public URL, as behind a proxy or a tunnel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use axum::Router;
use axum::routing::post;
use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Verifier, Verifiers, hubspot, square, twilio};
use hookverify_axum::Webhook;
use reqwest::StatusCode;

const SECRET: &str = "an-auth-token-0123456789abcdef";
const PUBLIC: &str = "https://hooks.example.com";
const TWILIO_FORM: &str =
    "MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&MessageStatus=delivered&To=%2B15558675310";
const SQUARE_JSON: &str = r#"{"type":"payment.updated","event_id":"13b867cf-db3d","data":{}}"#;
const HUBSPOT_JSON: &str =
    r#"[{"eventId":1,"subscriptionType":"contact.creation","objectId":123}]"#;

async fn twilio_route(hook: Webhook<twilio::Payload>) -> String {
    format!("twilio {}", hook.event_type())
}
async fn square_route(hook: Webhook<square::Payload>) -> String {
    format!("square {}", hook.event_type())
}
async fn hubspot_route(hook: Webhook<hubspot::Payload>) -> String {
    format!("hubspot {}", hook.event_type())
}

fn verifiers() -> Verifiers {
    [Provider::Twilio, Provider::Square, Provider::HubSpot]
        .into_iter()
        .fold(Verifiers::new(), |verifiers, provider| {
            verifiers.with_provider(provider, Verifier::new(provider.scheme(), SECRET).unwrap())
        })
}

async fn serve(verifiers: Verifiers) -> String {
    let app = Router::new()
        .route("/hooks/twilio", post(twilio_route))
        .route("/hooks/square", post(square_route))
        .route("/api/hubspot", post(hubspot_route))
        .with_state(verifiers);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Signs `body` for `signed_url` (the URL the sender believes it calls) and posts it to
/// `base` + the path and query of `sent_path`.
async fn deliver(
    provider: Provider,
    base: &str,
    sent_path: &str,
    signed_url: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, String) {
    let headers = Signer::new(&provider.scheme(), SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()).url(signed_url))
        .unwrap();
    let content_type = if provider == Provider::Twilio {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    let mut request = reqwest::Client::new()
        .post(format!("{base}{sent_path}"))
        .header("content-type", content_type)
        .body(body.to_owned());
    for (name, value) in headers.iter().chain(extra.iter().copied()) {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_signing_providers_verify_against_the_configured_public_url() {
    let base = serve(verifiers().public_url(format!("{PUBLIC}/"))).await;
    let cases = [
        (
            Provider::Twilio,
            "/hooks/twilio?account=AC1",
            TWILIO_FORM,
            "twilio delivered",
        ),
        (
            Provider::Square,
            "/hooks/square",
            SQUARE_JSON,
            "square payment.updated",
        ),
        (
            Provider::HubSpot,
            "/api/hubspot",
            HUBSPOT_JSON,
            "hubspot contact.creation",
        ),
    ];
    for (provider, path, body, answer) in cases {
        // Signed for the public URL (query included): verified, parsed, handled.
        let (status, text) =
            deliver(provider, &base, path, &format!("{PUBLIC}{path}"), body, &[]).await;
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::OK, answer),
            "{provider}"
        );
        // Signed for the address the server listens on: not the URL the app is known by.
        let (status, _) = deliver(provider, &base, path, &format!("{base}{path}"), body, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{provider}");
        // Signed for another path of the same host.
        let (status, _) = deliver(
            provider,
            &base,
            path,
            &format!("{PUBLIC}/elsewhere"),
            body,
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{provider}");
    }
    // The query string is part of Twilio's signed URL.
    let (status, _) = deliver(
        Provider::Twilio,
        &base,
        "/hooks/twilio?account=AC2",
        &format!("{PUBLIC}/hooks/twilio?account=AC1"),
        TWILIO_FORM,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_public_url_the_route_answers_500_saying_how_to_set_it() {
    let base = serve(verifiers()).await;
    let (status, text) = deliver(
        Provider::Square,
        &base,
        "/hooks/square",
        &format!("{PUBLIC}/hooks/square"),
        SQUARE_JSON,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(text.contains("Verifiers::public_url"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_are_used_only_when_trusted() {
    let forwarded = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "hooks.example.com"),
    ];
    let signed_for = format!("{PUBLIC}/hooks/square");
    let trusting = serve(verifiers().trust_forwarded_headers()).await;
    let (status, text) = deliver(
        Provider::Square,
        &trusting,
        "/hooks/square",
        &signed_for,
        SQUARE_JSON,
        &forwarded,
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "square payment.updated")
    );
    // Trusted, but the proxy says another host: the URL differs, so the signature does.
    let (status, _) = deliver(
        Provider::Square,
        &trusting,
        "/hooks/square",
        &signed_for,
        SQUARE_JSON,
        &[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "evil.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Not trusted: the same headers do not make a URL.
    let untrusting = serve(verifiers()).await;
    let (status, _) = deliver(
        Provider::Square,
        &untrusting,
        "/hooks/square",
        &signed_for,
        SQUARE_JSON,
        &forwarded,
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

/// Twilio's JSON bodies: the signer adds `bodySHA256` to the URL; the request goes to that
/// path and query, and the body must hash to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_json_bodies_verify_through_the_urls_body_hash() {
    let base = serve(verifiers().public_url(format!("{PUBLIC}/"))).await;
    let body = r#"{"type":"com.twilio.messaging.message.delivered","data":{"messageSid":"SM1"}}"#;
    let signed = Signer::new(&Provider::Twilio.scheme(), SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()).url(format!("{PUBLIC}/hooks/twilio")))
        .unwrap();
    let signed_url = signed.url().unwrap().to_owned();
    let path = signed_url.strip_prefix(PUBLIC).unwrap().to_owned();
    assert!(path.contains("?bodySHA256="), "{path}");
    let post = |body: String| {
        let mut request = reqwest::Client::new()
            .post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in signed.iter() {
            request = request.header(name, value);
        }
        request.send()
    };
    let response = post(body.to_owned()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.text().await.unwrap(),
        "twilio com.twilio.messaging.message.delivered"
    );
    // Another body under the same signed URL: its hash differs.
    let response = post(body.replace("SM1", "SM2")).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_urls_signed_with_the_default_port_verify_and_other_ports_do_not() {
    let base = serve(verifiers().public_url(format!("{PUBLIC}/"))).await;
    let path = "/hooks/twilio?account=AC1";
    let with_port = |port: &str| format!("https://hooks.example.com:{port}{path}");
    // Twilio signs some URLs with `:443`: its SDKs accept that, and so does the scheme.
    let (status, text) = deliver(
        Provider::Twilio,
        &base,
        path,
        &with_port("443"),
        TWILIO_FORM,
        &[],
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "twilio delivered")
    );
    // Another port is another URL.
    let (status, _) = deliver(
        Provider::Twilio,
        &base,
        path,
        &with_port("8443"),
        TWILIO_FORM,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Only Twilio's scheme tries the other spelling: Square's URL is checked as given.
    let (status, _) = deliver(
        Provider::Square,
        &base,
        "/hooks/square",
        "https://hooks.example.com:443/hooks/square",
        SQUARE_JSON,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
