//! Per HMAC algorithm: hookverify's verify of a body-only, hex-signed scheme next to the bare
//! pre-keyed HMAC over the same 1 KiB body (`verify_slice` on the decoded tag).
//!
//! Run: `cargo bench -p hookverify-benches --bench algorithms`

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Benchmark code: a panic is a broken benchmark.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{KeyInit as _, Mac};
use hookverify::sign::{Message, Signer};
use hookverify::{HmacAlgorithm, Scheme, SignedPart, Timestamp, Verifier};

const SECRET: &str = "a-signing-secret-of-some-length-0123456789";

fn body() -> Vec<u8> {
    let mut body = br#"{"type":"message.sent","data":{"text":""#.to_vec();
    while body.len() + 3 < 1024 {
        body.push(b'a' + (body.len() % 26) as u8);
    }
    body.extend_from_slice(b"\"}}");
    body
}

fn bare<M: Mac + Clone>(prekeyed: &M, body: &[u8], tag: &[u8]) {
    let mut mac = prekeyed.clone();
    mac.update(body);
    mac.verify_slice(tag).unwrap();
}

fn bench(c: &mut Criterion) {
    let body = body();
    let mut group = c.benchmark_group("algorithm/1KiB");
    group.throughput(Throughput::Bytes(body.len() as u64));
    for algorithm in [
        HmacAlgorithm::Sha1,
        HmacAlgorithm::Sha256,
        HmacAlgorithm::Sha512,
    ] {
        let scheme = Scheme::custom("bench")
            .signature_header("X-Signature")
            .signed_content([SignedPart::Body])
            .hmac(algorithm)
            .build()
            .unwrap();
        let headers = Signer::new(&scheme, SECRET)
            .unwrap()
            .sign(&Message::new(&body))
            .unwrap();
        let tag = hex::decode(headers.get("X-Signature").unwrap()).unwrap();
        let verifier = Verifier::new(scheme, SECRET).unwrap();
        let now = Timestamp::now();
        verifier.verify_at(&headers, &body, now).unwrap();
        let key = SECRET.as_bytes();
        let name = algorithm.name();
        match algorithm {
            HmacAlgorithm::Sha1 => {
                let prekeyed = hmac::Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
                group.bench_function(BenchmarkId::new(format!("{name} bare"), "1KiB"), |b| {
                    b.iter(|| bare(&prekeyed, black_box(&body), black_box(&tag)))
                });
            }
            HmacAlgorithm::Sha256 => {
                let prekeyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
                group.bench_function(BenchmarkId::new(format!("{name} bare"), "1KiB"), |b| {
                    b.iter(|| bare(&prekeyed, black_box(&body), black_box(&tag)))
                });
            }
            _ => {
                let prekeyed = hmac::Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
                group.bench_function(BenchmarkId::new(format!("{name} bare"), "1KiB"), |b| {
                    b.iter(|| bare(&prekeyed, black_box(&body), black_box(&tag)))
                });
            }
        }
        group.bench_function(BenchmarkId::new(format!("{name} verify_at"), "1KiB"), |b| {
            b.iter(|| {
                verifier
                    .verify_at(black_box(&headers), black_box(&body), now)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
