//! hookverify's Standard Webhooks verify, side by side with the `svix` and `standardwebhooks`
//! crates and a bare pre-keyed HMAC-SHA256 over the same signed bytes, on identical inputs.
//!
//! Run: `cargo bench -p hookverify-benches --bench verify`

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Benchmark code: a panic is a broken benchmark.

use std::hint::black_box;
use std::time::Duration;

use base64::Engine as _;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{KeyInit as _, Mac as _};
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, Verifier};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SIZES: [(usize, &str); 4] = [
    (64, "64B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];

fn body_of(len: usize) -> Vec<u8> {
    // JSON-shaped ASCII so every peer accepts it (svix requires UTF-8).
    let mut body = br#"{"type":"message.sent","data":{"text":""#.to_vec();
    while body.len() + 3 < len {
        body.push(b'a' + (body.len() % 26) as u8);
    }
    body.extend_from_slice(b"\"}}");
    body.truncate(len);
    body
}

fn header_map(body: &[u8]) -> (http::HeaderMap, String, String, [u8; 32]) {
    let now = Timestamp::now();
    let signed = Signer::new(&Scheme::standard_webhooks(), SECRET)
        .unwrap()
        .sign(
            &Message::new(body)
                .id("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
                .timestamp(now),
        )
        .unwrap();
    let mut map = http::HeaderMap::new();
    for (name, value) in signed.iter() {
        map.insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_str(value).unwrap(),
        );
    }
    let id = signed.get("webhook-id").unwrap().to_owned();
    let ts = signed.get("webhook-timestamp").unwrap().to_owned();
    let sig = signed.get("webhook-signature").unwrap();
    let mac: [u8; 32] = base64::engine::general_purpose::STANDARD
        .decode(&sig[3..])
        .unwrap()
        .try_into()
        .unwrap();
    (map, id, ts, mac)
}

fn bench(c: &mut Criterion) {
    let ours = Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap();
    let svix = svix::webhooks::Webhook::new(SECRET).unwrap();
    let sw = standardwebhooks::Webhook::new(SECRET).unwrap();
    let key = base64::engine::general_purpose::STANDARD
        .decode(SECRET.trim_start_matches("whsec_"))
        .unwrap();
    let prekeyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();

    for (len, label) in SIZES {
        let body = body_of(len);
        // Signed now, per size: the peers check the timestamp against the system clock, and
        // one size's measurements take well under their 5-minute window.
        let (headers, id, ts, mac) = header_map(&body);
        ours.verify(&headers, &body)
            .expect("hookverify verifies its input");
        svix.verify(&body, &headers)
            .expect("svix verifies the same input");
        sw.verify(&body, &headers)
            .expect("standardwebhooks verifies the same input");

        let mut group = c.benchmark_group(format!("verify/{label}"));
        group.throughput(Throughput::Bytes(len as u64));
        if len >= 64 * 1024 {
            group
                .sample_size(30)
                .measurement_time(Duration::from_secs(4));
        }
        group.bench_function(
            BenchmarkId::new("hmac-sha256 (bare, pre-keyed)", label),
            |b| {
                b.iter(|| {
                    let mut m = prekeyed.clone();
                    m.update(id.as_bytes());
                    m.update(b".");
                    m.update(ts.as_bytes());
                    m.update(b".");
                    m.update(black_box(&body));
                    m.verify_slice(black_box(&mac)).unwrap();
                })
            },
        );
        group.bench_function(BenchmarkId::new("hookverify verify", label), |b| {
            b.iter(|| ours.verify(black_box(&headers), black_box(&body)).unwrap())
        });
        // The same verification with the clock read hoisted out: what the engine itself costs.
        let now = Timestamp::now();
        group.bench_function(BenchmarkId::new("hookverify verify_at", label), |b| {
            b.iter(|| {
                ours.verify_at(black_box(&headers), black_box(&body), now)
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("svix 2.x", label), |b| {
            b.iter(|| svix.verify(black_box(&body), black_box(&headers)).unwrap())
        });
        group.bench_function(BenchmarkId::new("standardwebhooks 1.x", label), |b| {
            b.iter(|| sw.verify(black_box(&body), black_box(&headers)).unwrap())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
