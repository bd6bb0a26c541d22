//! Form bodies over real HTTP through actix-web: `Webhook<Form>`, and the `VerifyWebhooks`
//! middleware in front of a plain `web::Form` handler (a form is not refused as "not JSON").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use actix_web::{App, HttpServer, web};
use hookverify::sign::{Message, Signer};
use hookverify::{Form, Scheme, SignedPart, Verifier, Verifiers};
use hookverify_actix_web::{VerifyWebhooks, Webhook};

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

#[derive(serde::Deserialize)]
struct SlashCommand {
    command: String,
    text: String,
}

async fn typed(webhook: Webhook<Form>) -> String {
    format!(
        "{} {}",
        webhook.event_type(),
        webhook.event.get("text").unwrap_or_default()
    )
}

async fn plain(form: web::Form<SlashCommand>) -> String {
    format!("{} {}", form.command, form.text)
}

fn start() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(|| {
                let verifier = Verifier::new(slack(), SECRET).unwrap();
                App::new()
                    .app_data(Verifiers::new().with::<Form>(verifier.clone()))
                    .route("/typed", web::post().to(typed))
                    .service(
                        web::scope("/mw")
                            .wrap(VerifyWebhooks::new(verifier))
                            .route("/plain", web::post().to(plain)),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_through_the_extractor_and_the_middleware() {
    let base = start();
    let client = reqwest::Client::new();
    let body = b"command=%2Fdeploy&text=api+v2";
    let headers = Signer::new(&slack(), SECRET)
        .unwrap()
        .sign(&Message::new(body))
        .unwrap();
    for (path, expected) in [
        ("/typed", "/deploy api v2"),
        ("/mw/plain", "/deploy api v2"),
    ] {
        let mut answer = None;
        for _ in 0..200 {
            let mut request = client
                .post(format!("{base}{path}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.to_vec());
            for (name, value) in headers.iter() {
                request = request.header(name, value);
            }
            match request.send().await {
                Ok(response) => {
                    answer = Some((response.status().as_u16(), response.text().await.unwrap()));
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(25)).await,
            }
        }
        let (status, text) = answer.expect("the server answers");
        assert_eq!((status, text.as_str()), (200, expected), "{path}");
    }
}
