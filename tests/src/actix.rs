//! The table's actix-web app: every provider's route behind the idempotency middleware, served
//! by an actix system on its own thread.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hookverify::{
    Provider, WebhookEvent, autosend, github, sendable, sendkit, sendpilot, sent,
    standard_webhooks, stripe,
};
use hookverify_actix_web::{Idempotency, Webhook, WebhookFailure};

use crate::{Behaviour, CASE_HEADER, Calls, DownStore, HANDLER_HEADER, SLOW, path, verifiers};

async fn handle<E: WebhookEvent + 'static>(
    request: HttpRequest,
    calls: web::Data<Calls>,
    _webhook: Webhook<E>,
) -> Result<HttpResponse, WebhookFailure> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    calls.record(&header(CASE_HEADER).unwrap_or_default());
    match Behaviour::parse(header(HANDLER_HEADER).as_deref()) {
        Behaviour::Ok => Ok(HttpResponse::Ok().body("processed")),
        Behaviour::Slow => {
            actix_web::rt::time::sleep(SLOW).await;
            Ok(HttpResponse::Ok().body("processed slowly"))
        }
        Behaviour::Temporary => Err(WebhookFailure::temporary("database down")),
        Behaviour::Permanent => Err(WebhookFailure::permanent("no such account")),
        Behaviour::Error => Ok(HttpResponse::InternalServerError().body("handler error")),
        Behaviour::Panic => panic!("handler bug (test)"),
    }
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .route(
            &path(Provider::StandardWebhooks),
            web::post().to(handle::<standard_webhooks::Envelope>),
        )
        .route(
            &path(Provider::Sendable),
            web::post().to(handle::<sendable::Event>),
        )
        .route(
            &path(Provider::SendPilot),
            web::post().to(handle::<sendpilot::Event>),
        )
        .route(
            &path(Provider::AutoSend),
            web::post().to(handle::<autosend::Event>),
        )
        .route(
            &path(Provider::SendKit),
            web::post().to(handle::<sendkit::Event>),
        )
        .route(&path(Provider::Sent), web::post().to(handle::<sent::Event>))
        .route(
            &path(Provider::Stripe),
            web::post().to(handle::<stripe::Event>),
        )
        .route(
            &path(Provider::GitHub),
            web::post().to(handle::<github::Payload>),
        );
}

fn spawn(calls: Calls, down: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // One store for the whole server, shared by its workers.
    let memory = crate::memory();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                let app = App::new()
                    .app_data(verifiers())
                    .app_data(web::Data::new(calls.clone()))
                    .configure(routes);
                if down {
                    app.wrap(Idempotency::new(DownStore))
                } else {
                    app.wrap(Idempotency::new(memory.clone()))
                }
            })
            .workers(2)
            .listen(listener)
            .unwrap()
            .run()
            .await
            .unwrap();
        });
    });
    format!("http://{addr}")
}

/// Starts the two actix apps (memory store, unreachable store); returns their base URLs.
pub fn start(calls: &Calls) -> (String, String) {
    (spawn(calls.clone(), false), spawn(calls.clone(), true))
}
