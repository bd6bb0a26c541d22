//! For adapter authors: everything a web framework integration needs that is not about the
//! framework (like `tracing-core` for `tracing`'s integrations).
//!
//! An adapter reads the body within [`Verifiers::body_limit_for`], then calls
//! [`verify_parse_claim`] with the request's headers and body, the route's [`Verifiers`] and,
//! behind its idempotency middleware, the request's [`RequestSlot`]. It answers a
//! [`Rejection`] with `Rejection::status`, `Rejection::body` and `Rejection::retry_after_secs`,
//! and after the handler calls [`RequestSlot::finish`] with whether the answer was 2xx. Every
//! adapter built this way answers every request exactly alike; `hookverify-axum` and
//! `hookverify-actix-web` are, and a shared table of cases checks it.
//!
//! # The status contract
//!
//! Providers retry on any non-2xx answer, so every answer says whether to retry:
//!
//! | outcome | status |
//! |---|---|
//! | body over the configured limit | 413, without buffering more than the limit |
//! | missing, malformed, stale, future or mismatched signature | 401 with one generic body (`invalid webhook signature`); the precise reason goes to `tracing` only |
//! | verified, but the body is not JSON or carries no event type (or does not fit a user's strict `Json<T>`) | 422 |
//! | verified, a known type whose payload does not fit its struct | the handler runs with the `Misfit` variant |
//! | duplicate, already processed | 200, handler not called |
//! | duplicate, first delivery still processing | 409 with `Retry-After`: the time its claim has left (the provider retries; nothing is lost) |
//! | idempotency store unreachable | 503 with `Retry-After: 5` (the provider retries; never 200 for an unprocessed event); logged once per outage |
//! | handler error | whatever the handler returns; the claim is released so the retry is processed |
//! | handler says "temporary" / "permanent" failure ([`HandlerFailure`]) | 503 (retry; claim released) / 200 (no retry; claim completed, failure logged) |
//! | verifier missing from app state | 500 with a message that says how to register it |

mod failure;
mod idempotency;
mod rejection;
mod sink;
mod worker;

pub use failure::HandlerFailure;
pub use idempotency::{AdapterIdempotency, RequestSlot, SlotClaim, namespaced_key};
pub use rejection::{Rejection, STORE_RETRY_AFTER};
pub use sink::{Accepted, EventSink, InboxEntry, InboxSink, SinkFuture, kept_header, kept_headers};
pub use worker::{Backoff, HandlerError, InboxEvent};

use bytes::Bytes;

use crate::events::{Parsed, WebhookEvent, idempotency_key_of, parse_verified};
use crate::headers::Headers;
use crate::verifier::Verified;
use crate::verifiers::Verifiers;

/// The request line as the adapter received it: what URL-signing schemes need besides headers
/// and body (the public URL comes from [`Verifiers::public_url`]).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Target<'a> {
    /// The HTTP method (`POST`).
    pub method: &'a str,
    /// The path and query as received (`/hooks/twilio?account=1`).
    pub path_and_query: &'a str,
}

impl<'a> Target<'a> {
    /// A request line.
    pub fn new(method: &'a str, path_and_query: &'a str) -> Self {
        Target {
            method,
            path_and_query,
        }
    }
}

/// Verifies `body` with the verifier registered for tag `T`, parses it into `E`, and claims its
/// idempotency key in `slot` when there is one. The [`Parsed`] shares `body` (no copy).
///
/// `how` says, in the framework's terms, how to register a verifier; it goes into the 500
/// answer when none is registered for `T`.
///
/// # Errors
///
/// The [`Rejection`] to answer with (not yet logged: call [`Rejection::traced`]).
pub async fn verify_parse_claim<E: WebhookEvent, T: 'static>(
    verifiers: &Verifiers,
    headers: &(impl Headers + ?Sized),
    target: Target<'_>,
    body: Bytes,
    slot: Option<&RequestSlot>,
    how: &'static str,
) -> Result<Parsed<E>, Rejection> {
    let verified = verify::<T>(verifiers, headers, target, &body, how)?;
    let parsed = parse_verified::<E>(body, verified).map_err(Rejection::Parse)?;
    claim(slot, parsed.verified.scheme(), parsed.idempotency_key()).await?;
    Ok(parsed)
}

/// Verifies `body` with the verifier registered for tag `T` and claims its idempotency key
/// (per the scheme's rule, reading a JSON or form body: [`idempotency_key_of`]) in `slot`,
/// without parsing it into an event: for bodies no parser knows. Returns what verification
/// established and the key.
///
/// # Errors
///
/// As [`verify_parse_claim`], without parse errors.
pub async fn verify_claim<T: 'static>(
    verifiers: &Verifiers,
    headers: &(impl Headers + ?Sized),
    target: Target<'_>,
    body: &[u8],
    slot: Option<&RequestSlot>,
    how: &'static str,
) -> Result<(Verified, String), Rejection> {
    let verified = verify::<T>(verifiers, headers, target, body, how)?;
    let key = idempotency_key_of(&verified, body);
    claim(slot, verified.scheme(), &key).await?;
    Ok((verified, key))
}

fn verify<T: 'static>(
    verifiers: &Verifiers,
    headers: &(impl Headers + ?Sized),
    target: Target<'_>,
    body: &[u8],
    how: &'static str,
) -> Result<Verified, Rejection> {
    let Some(verifier) = verifiers.get::<T>() else {
        return Err(Rejection::MissingVerifier {
            tag: std::any::type_name::<T>(),
            how,
        });
    };
    verify_with(verifiers, verifier, headers, target, body)
}

/// Verifies with `verifier`, giving URL-signing schemes the request's method and its public URL
/// (from [`Verifiers::public_url`] or, when trusted, the forwarded headers).
///
/// # Errors
///
/// [`Rejection::Verify`], or [`Rejection::MissingPublicUrl`] when the scheme signs the URL and
/// no public URL is configured.
pub fn verify_with(
    verifiers: &Verifiers,
    verifier: &crate::Verifier,
    headers: &(impl Headers + ?Sized),
    target: Target<'_>,
    body: &[u8],
) -> Result<Verified, Rejection> {
    if !verifier.scheme().signs_request_target() {
        return verifier.verify(headers, body).map_err(Rejection::Verify);
    }
    let Some(url) = verifiers.request_url(headers, target.path_and_query) else {
        return Err(Rejection::MissingPublicUrl {
            scheme: verifier.scheme().name().to_owned(),
        });
    };
    let context = crate::RequestContext::new(headers)
        .method(target.method)
        .url(&url);
    verifier.verify(&context, body).map_err(Rejection::Verify)
}

async fn claim(slot: Option<&RequestSlot>, scheme: &str, key: &str) -> Result<(), Rejection> {
    let Some(slot) = slot else {
        return Ok(());
    };
    let key = namespaced_key(scheme, key);
    match slot.claim(&key).await {
        Ok(SlotClaim::New) => Ok(()),
        Ok(SlotClaim::Done) => Err(Rejection::Duplicate { key }),
        Ok(SlotClaim::InProgress { retry_after }) => {
            Err(Rejection::InProgress { key, retry_after })
        }
        Err(err) => Err(Rejection::StoreUnavailable(err)),
    }
}
