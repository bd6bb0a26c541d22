//! Accept into the inbox: a route that verifies, parses and stores each event for background
//! workers, with no handler of your own.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use hookverify::ProviderEvent;
use hookverify::adapter::{Accepted, EventSink, InboxEntry, Rejection, kept_header};

use crate::error::WebhookError;
use crate::extract::Webhook;

/// Where [`accept_into_inbox`] stores events: any [`EventSink`] (`hookverify_postgres::Inbox`,
/// ...), registered with `App::app_data(web::Data::new(InboxSink::new(sink)))`.
#[derive(Clone)]
pub struct InboxSink(Arc<dyn EventSink>);

impl InboxSink {
    /// Wraps a sink for `app_data`.
    pub fn new(sink: impl EventSink) -> Self {
        InboxSink(Arc::new(sink))
    }
}

impl std::fmt::Debug for InboxSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxSink").finish_non_exhaustive()
    }
}

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
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter(|(name, _)| kept_header(name.as_str()))
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let entry = InboxEntry::new(
        E::PROVIDER.name(),
        webhook.event_type(),
        webhook.idempotency_key(),
        &webhook.body,
        &headers,
    );
    let outcome = sink
        .0
        .accept(entry)
        .await
        .map_err(|err| WebhookError::from(Rejection::StoreUnavailable(err)))?;
    Ok(HttpResponse::Ok().body(match outcome {
        Accepted::Duplicate => "duplicate: already accepted",
        _ => "accepted",
    }))
}
