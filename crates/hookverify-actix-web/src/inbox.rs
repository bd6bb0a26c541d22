//! Accept into the inbox: a route that verifies, parses and stores each event for background
//! workers, with no handler of your own.

use actix_web::{HttpRequest, HttpResponse, web};
use hookverify::ProviderEvent;
use hookverify::adapter::{InboxSink, kept_headers};

use crate::error::WebhookError;
use crate::extract::Webhook;

/// The whole route handler: `web::post().to(accept_into_inbox::<sendable::Event>)`. Verifies and
/// parses (as [`Webhook`] does: 401, 413, 422), stores the event with the request's headers
/// (minus credentials) in the app's [`InboxSink`], and answers 200 once it is stored (or was
/// already); 503 with `Retry-After` when the sink cannot be reached.
///
/// # Errors
///
/// The [`WebhookError`] to answer with.
pub async fn accept_into_inbox<E: ProviderEvent>(
    request: HttpRequest,
    sink: web::Data<InboxSink>,
    webhook: Webhook<E>,
) -> Result<HttpResponse, WebhookError> {
    let headers = kept_headers(
        request
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes())),
    );
    let outcome = sink
        .store::<E>(
            webhook.event_type(),
            webhook.idempotency_key(),
            &webhook.body,
            &headers,
        )
        .await?;
    Ok(HttpResponse::Ok().body(outcome.answer()))
}
