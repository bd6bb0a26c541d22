//! Reading a request body within a limit, never buffering past it.

use actix_web::HttpRequest;
use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_LENGTH;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use hookverify::adapter::Rejection;

/// Reads `payload` into memory, refusing with 413 as soon as it passes `limit` (or at once when
/// `Content-Length` says it will).
pub(crate) async fn read_limited(
    request: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> Result<Bytes, Rejection> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(Rejection::BodyTooLarge { limit });
    }
    let capacity = declared
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0)
        .min(limit);
    let mut body = BytesMut::with_capacity(capacity);
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|err| Rejection::BodyRead(Box::new(err)))?;
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(Rejection::BodyTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
