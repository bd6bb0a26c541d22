//! A load generator for webhook receivers: `C` keep-alive HTTP/1.1 connections on loopback,
//! each sending signed webhooks back to back for `D` seconds. Every request is a *new* event (a
//! unique id, signed with the current time), so a de-duplicating receiver processes each one:
//! replaying one recorded request, as `wrk` or `oha` would, measures the duplicate path instead.
//! Requests are signed before the clock starts (a pool of `P` requests, each a new event), so the
//! generator's own cost per request is only HTTP: the server under test is the bottleneck.
//!
//! ```sh
//! target/release/examples/webhook_load http://127.0.0.1:4002/ standard-webhooks 32 10 1024 1500000
//! ```
//! Arguments: URL, provider (standard-webhooks or sendable), connections, seconds, body size,
//! pool size (the run stops early when the pool is used up; it says so).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)] // Measurement code.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Scheme, Timestamp};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn body_of(provider: Provider, size: usize) -> Vec<u8> {
    let prefix = match provider {
        Provider::Sendable => {
            r#"{"type":"message.received","createdAt":"2026-03-02T10:30:00.000Z","data":{"id":"wamid.1","text":{"content":""#
        }
        _ => {
            r#"{"type":"message.received","timestamp":"2026-03-02T10:30:00.000Z","data":{"id":"wamid.1","text":{"content":""#
        }
    };
    let mut body = prefix.as_bytes().to_vec();
    while body.len() + 4 < size {
        body.push(b'a' + (body.len() % 26) as u8);
    }
    body.extend_from_slice(br#""}}}"#);
    body
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url: hyper::Uri = args.next().expect("URL").parse().unwrap();
    let provider: Provider = args
        .next()
        .map_or(Provider::StandardWebhooks, |p| p.parse().unwrap());
    let connections: usize = args.next().map_or(32, |s| s.parse().unwrap());
    let seconds: u64 = args.next().map_or(10, |s| s.parse().unwrap());
    let size: usize = args.next().map_or(1024, |s| s.parse().unwrap());
    let pool_size: usize = args.next().map_or(1_500_000, |s| s.parse().unwrap());
    let scheme: Scheme = provider.scheme();
    let body = Bytes::from(body_of(provider, size));
    let authority = url.authority().unwrap().clone();
    // Sign the whole pool first: unique ids, the current time (well inside the tolerance for
    // the length of a run).
    let signer = Signer::new(&scheme, SECRET).unwrap();
    let now = Timestamp::now();
    // Ids unique across runs too: a server that already saw `msg_load_0` in an earlier run
    // would answer the cheap duplicate path.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let pool: Arc<Vec<hyper::HeaderMap>> = Arc::new(
        (0..pool_size)
            .map(|i| {
                let id = format!("msg_load_{run}_{i}");
                let signed = signer
                    .sign(&Message::new(&body).id(id.as_str()).timestamp(now))
                    .unwrap();
                let mut headers = hyper::HeaderMap::new();
                headers.insert("host", authority.as_str().parse().unwrap());
                for (name, value) in signed.iter() {
                    headers.insert(
                        hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                        value.parse().unwrap(),
                    );
                }
                headers
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    eprintln!("signed {pool_size} requests; running");
    let deadline = Instant::now() + Duration::from_secs(seconds);

    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (url, body, authority, pool, next) = (
                url.clone(),
                body.clone(),
                authority.clone(),
                Arc::clone(&pool),
                Arc::clone(&next),
            );
            tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(authority.as_str())
                    .await
                    .unwrap();
                stream.set_nodelay(true).unwrap();
                let (mut sender, conn) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream))
                        .await
                        .unwrap();
                tokio::spawn(conn);
                let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
                while Instant::now() < deadline {
                    let Some(headers) = pool.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let mut request = hyper::Request::post(url.clone())
                        .body(Full::new(body.clone()))
                        .unwrap();
                    *request.headers_mut() = headers.clone();
                    sender.ready().await.unwrap();
                    let response = sender.send_request(request).await.unwrap();
                    let status = response.status().as_u16();
                    let _ = response.into_body().collect().await.unwrap();
                    *statuses.entry(status).or_default() += 1;
                }
                statuses
            })
        })
        .collect();
    let start = Instant::now();
    let mut totals: BTreeMap<u16, u64> = BTreeMap::new();
    for task in tasks {
        for (status, count) in task.await.unwrap() {
            *totals.entry(status).or_default() += count;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let requests: u64 = totals.values().sum();
    if next.load(Ordering::Relaxed) >= pool_size {
        eprintln!("warning: the pool of {pool_size} signed requests ran out before {seconds} s");
    }
    println!(
        "{url} {provider} c={connections} body={}B: {requests} requests in {elapsed:.1} s = {:.0} req/s; statuses {totals:?}",
        body.len(),
        requests as f64 / elapsed
    );
}
