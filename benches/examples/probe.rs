#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
use hmac::{KeyInit as _, Mac as _};
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, Verifier};
use std::hint::black_box;
use std::time::Instant;
fn main() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let len: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let which = std::env::args().nth(2).unwrap();
    let n: u32 = std::env::args()
        .nth(3)
        .map_or(1_000_000, |s| s.parse().unwrap());
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
    let pairs: Vec<(String, String)> = signed
        .iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let v = Verifier::new(Scheme::standard_webhooks(), secret).unwrap();
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD
        .decode(&secret[6..])
        .unwrap();
    let pre = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    let id = signed.get("webhook-id").unwrap().to_owned();
    let ts = signed.get("webhook-timestamp").unwrap().to_owned();
    let mac: Vec<u8> = base64::engine::general_purpose::STANDARD
        .decode(&signed.get("webhook-signature").unwrap()[3..])
        .unwrap();
    let start = Instant::now();
    for _ in 0..n {
        if which == "bare" {
            let mut m = pre.clone();
            m.update(id.as_bytes());
            m.update(b".");
            m.update(ts.as_bytes());
            m.update(b".");
            m.update(black_box(&body));
            m.verify_slice(black_box(&mac)).unwrap();
        } else if which == "slice" {
            black_box(
                v.verify_at(black_box(&pairs[..]), black_box(&body), now)
                    .unwrap(),
            );
        } else if which == "at" {
            black_box(v.verify_at(black_box(&map), black_box(&body), now).unwrap());
        } else {
            black_box(v.verify(black_box(&map), black_box(&body)).unwrap());
        }
    }
    eprintln!(
        "{which} {len}: {:.1} ns/iter",
        start.elapsed().as_nanos() as f64 / f64::from(n)
    );
}
