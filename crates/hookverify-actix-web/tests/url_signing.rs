//! Providers that sign the URL they call (Twilio, Square, HubSpot v3) over real HTTP, through
//! the `Webhook<E>` extractor and the `VerifyWebhooks` middleware: the app listens on 127.0.0.1
//! while senders sign its public URL, as behind a proxy or a tunnel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use actix_web::{App, HttpServer, web};
use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Verifier, Verifiers, hubspot, square, twilio};
use hookverify_actix_web::{VerifyWebhooks, Webhook};
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
async fn plain(body: web::Bytes) -> String {
    format!("plain {}", body.len())
}

fn verifier(provider: Provider) -> Verifier {
    Verifier::new(provider.scheme(), SECRET).unwrap()
}

/// The app: typed routes under `/hooks`, and `/mw/square` behind the middleware; both with
/// the public URL when `public` is set.
fn start(public: Option<&'static str>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                let mut verifiers = [Provider::Twilio, Provider::Square, Provider::HubSpot]
                    .into_iter()
                    .fold(Verifiers::new(), |v, p| v.with_provider(p, verifier(p)));
                let mut middleware = VerifyWebhooks::new(verifier(Provider::Square));
                if let Some(public) = public {
                    verifiers = verifiers.public_url(public);
                    middleware = middleware.public_url(public);
                }
                App::new()
                    .app_data(verifiers)
                    .route("/hooks/twilio", web::post().to(twilio_route))
                    .route("/hooks/square", web::post().to(square_route))
                    .route("/api/hubspot", web::post().to(hubspot_route))
                    .service(
                        web::scope("/mw")
                            .wrap(middleware)
                            .route("/square", web::post().to(plain)),
                    )
            })
            .workers(1)
            .listen(listener)
            .unwrap()
            .run()
            .await
            .unwrap();
        });
    });
    format!("http://{addr}")
}

async fn deliver(
    provider: Provider,
    base: &str,
    sent_path: &str,
    signed_url: &str,
    body: &str,
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
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[actix_web::test]
async fn url_signing_providers_verify_against_the_configured_public_url() {
    let base = start(Some(PUBLIC));
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
        (Provider::Square, "/mw/square", SQUARE_JSON, "plain 63"),
    ];
    for (provider, path, body, answer) in cases {
        let (status, text) = deliver(provider, &base, path, &format!("{PUBLIC}{path}"), body).await;
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::OK, answer),
            "{provider} {path}"
        );
        let (status, _) = deliver(provider, &base, path, &format!("{base}{path}"), body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{provider} {path}");
        let (status, _) =
            deliver(provider, &base, path, &format!("{PUBLIC}/elsewhere"), body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{provider} {path}");
    }
}

#[actix_web::test]
async fn without_a_public_url_both_paths_answer_500_saying_how_to_set_it() {
    let base = start(None);
    for path in ["/hooks/square", "/mw/square"] {
        let (status, text) = deliver(
            Provider::Square,
            &base,
            path,
            &format!("{PUBLIC}{path}"),
            SQUARE_JSON,
        )
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert!(text.contains("public_url"), "{path}: {text}");
    }
}

/// Twilio's JSON bodies: the signer adds `bodySHA256` to the URL; the request goes to that
/// path and query, and the body must hash to it.
#[actix_web::test]
async fn twilio_json_bodies_verify_through_the_urls_body_hash() {
    let base = start(Some(PUBLIC));
    let body = r#"{"type":"com.twilio.messaging.message.delivered","data":{"messageSid":"SM1"}}"#;
    let signed = Signer::new(&Provider::Twilio.scheme(), SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()).url(format!("{PUBLIC}/hooks/twilio")))
        .unwrap();
    let signed_url = signed.url().unwrap().to_owned();
    let path = signed_url.strip_prefix(PUBLIC).unwrap().to_owned();
    assert!(path.contains("?bodySHA256="), "{path}");
    for (sent, expected) in [
        (body.to_owned(), StatusCode::OK),
        // Another body under the same signed URL: its hash differs.
        (body.replace("SM1", "SM2"), StatusCode::UNAUTHORIZED),
    ] {
        let mut request = reqwest::Client::new()
            .post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(sent);
        for (name, value) in signed.iter() {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, expected, "{text}");
        if expected == StatusCode::OK {
            assert_eq!(text, "twilio com.twilio.messaging.message.delivered");
        }
    }
}

#[actix_web::test]
async fn twilio_urls_signed_with_the_default_port_verify_and_other_ports_do_not() {
    let base = start(Some(PUBLIC));
    let path = "/hooks/twilio?account=AC1";
    let with_port = |port: &str| format!("https://hooks.example.com:{port}{path}");
    // Twilio signs some URLs with `:443`: its SDKs accept that, and so does the scheme.
    let (status, text) = deliver(
        Provider::Twilio,
        &base,
        path,
        &with_port("443"),
        TWILIO_FORM,
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
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
