//! A fixed-iteration driver for `perf stat` and `valgrind --tool=callgrind`, which count
//! instructions and cycles per verification (criterion measures time; this shows where it goes).
//!
//! ```sh
//! cargo build --release -p hookverify-benches --example probe
//! perf stat -e instructions,cycles target/release/examples/probe 1024 verify 1000000
//! ```
//!
//! Arguments: body size in bytes; mode (`bare` pre-keyed HMAC, `verify` with the system clock,
//! `verify_at` with the clock read once outside the loop, `slice` = `verify_at` over a slice of
//! header pairs instead of an `http::HeaderMap`; `hmac-bare` and `hmac` = the `algorithms`
//! bench's body-only hex HMAC-SHA256 scheme, bare and through `verify_at`; `busy` = `verify_at`
//! with the dozen other headers a request through a proxy carries); iterations
//! (default 1 000 000).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)] // Measurement code: a panic is a broken measurement.

use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use hmac::{KeyInit as _, Mac as _};
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, Verifier};

fn main() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let mut args = std::env::args().skip(1);
    let len: usize = args.next().expect("body size").parse().expect("a number");
    let mode = args
        .next()
        .expect("mode: bare | verify | verify_at | slice");
    let iterations: u32 = args
        .next()
        .map_or(1_000_000, |s| s.parse().expect("a number"));

    let body: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
    let now = Timestamp::now();
    let signed = Signer::new(&Scheme::standard_webhooks(), secret)
        .unwrap()
        .sign(
            &Message::new(&body)
                .id("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
                .timestamp(now),
        )
        .unwrap();
    let mut map = http::HeaderMap::new();
    for (k, v) in signed.iter() {
        map.insert(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            http::HeaderValue::from_str(v).unwrap(),
        );
    }
    let mut busy = map.clone();
    for (name, value) in [
        ("host", "hooks.example.com"),
        ("user-agent", "Svix-Webhooks/1.24"),
        ("content-type", "application/json"),
        ("content-length", "1024"),
        ("accept", "*/*"),
        ("accept-encoding", "gzip"),
        ("x-forwarded-for", "203.0.113.7"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "hooks.example.com"),
        ("x-request-id", "4f1c2b7e-9a0d-4c1e-8f51-2d8c9e6b7a10"),
        (
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ),
        ("connection", "keep-alive"),
    ] {
        busy.insert(
            http::HeaderName::from_static(name),
            http::HeaderValue::from_static(value),
        );
    }
    let pairs: Vec<(String, String)> = signed
        .iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let verifier = Verifier::new(Scheme::standard_webhooks(), secret).unwrap();
    let key = base64::engine::general_purpose::STANDARD
        .decode(&secret[6..])
        .unwrap();
    let prekeyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    let id = signed.get("webhook-id").unwrap().to_owned();
    let ts = signed.get("webhook-timestamp").unwrap().to_owned();
    let mac = base64::engine::general_purpose::STANDARD
        .decode(&signed.get("webhook-signature").unwrap()[3..])
        .unwrap();

    // The `algorithms` bench's scheme: HMAC-SHA256 of the body alone, hex, one header.
    let body_only = Scheme::custom("bench")
        .signature_header("X-Signature")
        .signed_content([hookverify::SignedPart::Body])
        .hmac(hookverify::HmacAlgorithm::Sha256)
        .build()
        .unwrap();
    let body_signed = Signer::new(&body_only, secret)
        .unwrap()
        .sign(&Message::new(&body))
        .unwrap();
    let body_tag = hex::decode(body_signed.get("X-Signature").unwrap()).unwrap();
    let body_verifier = Verifier::new(body_only, secret).unwrap();
    let body_prekeyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();

    let start = Instant::now();
    for _ in 0..iterations {
        match mode.as_str() {
            "bare" => {
                let mut m = prekeyed.clone();
                m.update(id.as_bytes());
                m.update(b".");
                m.update(ts.as_bytes());
                m.update(b".");
                m.update(black_box(&body));
                m.verify_slice(black_box(&mac)).unwrap();
            }
            "verify" => {
                black_box(verifier.verify(black_box(&map), black_box(&body)).unwrap());
            }
            "verify_at" => {
                black_box(
                    verifier
                        .verify_at(black_box(&map), black_box(&body), now)
                        .unwrap(),
                );
            }
            "slice" => {
                black_box(
                    verifier
                        .verify_at(black_box(&pairs[..]), black_box(&body), now)
                        .unwrap(),
                );
            }
            "busy" => {
                black_box(
                    verifier
                        .verify_at(black_box(&busy), black_box(&body), now)
                        .unwrap(),
                );
            }
            "hmac-bare" => {
                let mut m = body_prekeyed.clone();
                m.update(black_box(&body));
                m.verify_slice(black_box(&body_tag)).unwrap();
            }
            "hmac" => {
                black_box(
                    body_verifier
                        .verify_at(black_box(&body_signed), black_box(&body), now)
                        .unwrap(),
                );
            }
            other => panic!("unknown mode {other}"),
        }
    }
    let per = start.elapsed().as_nanos() as f64 / f64::from(iterations);
    eprintln!("{mode} {len} B: {per:.1} ns per iteration");
}
