//! The table's actix-web app: every provider's route behind the idempotency middleware, served
//! by an actix system on its own thread.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hookverify::{Provider, ProviderEvent, ProviderVisitor};
use hookverify_actix_web::{Idempotency, Webhook, WebhookFailure};

use crate::{Behaviour, CASE_HEADER, Calls, DownStore, HANDLER_HEADER, SLOW, path, verifiers};

async fn handle<E: ProviderEvent>(
    request: HttpRequest,
    calls: web::Data<Calls>,
    webhook: Webhook<E>,
) -> Result<HttpResponse, WebhookFailure> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    calls.record(
        &header(CASE_HEADER).unwrap_or_default(),
        webhook.event.variant(),
    );
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

/// The route of one provider: `handle` typed with its event.
struct Route;

impl ProviderVisitor for Route {
    type Output = actix_web::Route;
    fn visit<E: ProviderEvent>(self, _: Provider) -> actix_web::Route {
        web::post().to(handle::<E>)
    }
}

fn routes(config: &mut web::ServiceConfig) {
    for provider in Provider::ALL {
        config.route(&path(provider), provider.visit(Route));
    }
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
