//! Writes the fuzz seed corpus (`fuzz/seeds/<target>/`) from the public vectors and the event
//! fixtures of `hookverify-samples`, signing with hookverify's own signer. Deterministic.
//!
//! Run by `scripts/fuzz.sh` before fuzzing: `cargo run -p hookverify-cases --bin fuzz-seeds -- DIR`.
//!
//! Signatures in the seeds are made with a seed-only key, never with the key the fuzz targets
//! verify with, so a seed reaches deep into parsing but can never verify (the negative targets
//! assert that).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)] // A development tool: a panic is a failed run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hookverify::sign::{Message, Signer};
use hookverify::{Provider, SecretEncoding, Timestamp};

/// The seed-only key, raw and in `whsec_` form (base64 of the same bytes).
const SEED_RAW: &str = "seed-key-for-the-fuzz-corpus-only";
const SEED_WHSEC: &str = "whsec_c2VlZC1rZXktZm9yLXRoZS1mdXp6LWNvcnB1cy1vbmx5";
const NOW: i64 = 1_700_000_000;

struct Seeds {
    root: PathBuf,
    count: usize,
}

impl Seeds {
    fn write(&mut self, target: &str, name: &str, data: &[u8]) {
        let dir = self.root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), data).unwrap();
        self.count += 1;
    }
}

fn prefixed(value: &[u8]) -> Vec<u8> {
    let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
    let mut out = len.to_le_bytes().to_vec();
    out.extend_from_slice(value);
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Headers `provider` would send for `body`, signed with the seed key, and the body to send
/// (Mailgun's and Adyen's signatures travel in it).
fn signed(provider: Provider, body: &[u8], event_type: &str) -> (Vec<(String, String)>, Vec<u8>) {
    let hex_key: String = SEED_RAW.bytes().map(|b| format!("{b:02x}")).collect();
    let secret = match provider.scheme().secret_encoding() {
        SecretEncoding::Base64 => SEED_WHSEC,
        // Discord and SendGrid sign with a private key (a test one, hex).
        SecretEncoding::Ed25519Hex | SecretEncoding::EcdsaP256 => {
            "1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f"
        }
        SecretEncoding::Hex => hex_key.as_str(),
        _ => SEED_RAW,
    };
    let signed = Signer::new(&provider.scheme(), secret)
        .unwrap()
        .sign(
            &Message::new(body)
                .id("msg_1")
                .timestamp(Timestamp::from_unix_seconds(NOW))
                .event_type(event_type),
        )
        .unwrap();
    let sent = signed.body().unwrap_or(body).to_vec();
    (signed.into_vec(), sent)
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> &'h str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} header"))
}

fn index(provider: Provider) -> u8 {
    let at = Provider::ALL.iter().position(|p| *p == provider).unwrap();
    u8::try_from(at).unwrap()
}

/// The header names `verify_arbitrary` selects from, read from the target itself so there is one
/// list.
fn arbitrary_names(fuzz: &Path) -> Vec<String> {
    let source =
        std::fs::read_to_string(fuzz.join("fuzz_targets").join("verify_arbitrary.rs")).unwrap();
    let start = source
        .find("const NAMES")
        .expect("NAMES in verify_arbitrary.rs");
    let end = start + source[start..].find("];").unwrap();
    source[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn arbitrary(
    names: &[String],
    provider: Provider,
    now_ms: i64,
    headers: &[(String, String)],
    body: &[u8],
) -> Vec<u8> {
    let mut data = vec![index(provider)];
    data.extend_from_slice(&now_ms.to_le_bytes());
    for (name, value) in headers {
        if let Some(at) = names.iter().position(|n| n.eq_ignore_ascii_case(name)) {
            data.push(u8::try_from(at).unwrap());
            data.extend(prefixed(value.as_bytes()));
        }
    }
    data.push(0xff);
    data.extend_from_slice(body);
    data
}

#[derive(serde::Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(serde::Deserialize)]
struct Vector {
    scheme: String,
    secret: String,
    headers: BTreeMap<String, String>,
    body: String,
    now: i64,
    #[serde(default)]
    url: Option<String>,
}

/// A `url_escapes` input from a vector: the URL's path and query, then the body.
fn url_seed(v: &Vector) -> Vec<u8> {
    let url = v.url.as_deref().unwrap_or_default();
    let path = url.splitn(4, '/').nth(3).unwrap_or_default();
    cat(&[&prefixed(path.as_bytes()), v.body.as_bytes()])
}

fn main() {
    let fuzz = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz"));
    let root = std::env::args()
        .nth(1)
        .map_or_else(|| fuzz.join("seeds"), PathBuf::from);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    let mut seeds = Seeds { root, count: 0 };
    let names = arbitrary_names(&fuzz);
    let vectors: Vectors = serde_json::from_str(hookverify_samples::PUBLIC_VECTORS).unwrap();

    // The SDK vectors of the form and public-key schemes seed their own targets.
    let sdk: Vectors = serde_json::from_str(hookverify_samples::SDK_VECTORS).unwrap();
    for (i, v) in sdk.vectors.iter().enumerate() {
        let header = |name: &str| {
            v.headers
                .get(name)
                .map_or(&[][..], |value| value.as_bytes())
        };
        match v.scheme.as_str() {
            "twilio" => {
                // JSON bodies are signed through `bodySHA256`, not as forms.
                if !v.body.starts_with('{') {
                    seeds.write("form_canonical", &format!("sdk-{i:03}"), v.body.as_bytes());
                }
                seeds.write("url_escapes", &format!("sdk-{i:03}"), &url_seed(v));
            }
            "hubspot" if v.url.is_some() => {
                seeds.write("url_escapes", &format!("sdk-{i:03}"), &url_seed(v))
            }
            "mailgun" | "adyen" => {
                seeds.write("body_signature", &format!("sdk-{i:03}"), v.body.as_bytes())
            }
            "discord" | "sendgrid" => {
                let (selector, signature, timestamp) = if v.scheme == "discord" {
                    (0_u8, "X-Signature-Ed25519", "X-Signature-Timestamp")
                } else {
                    (
                        1_u8,
                        "X-Twilio-Email-Event-Webhook-Signature",
                        "X-Twilio-Email-Event-Webhook-Timestamp",
                    )
                };
                let data = cat(&[
                    &[selector],
                    &prefixed(header(signature)),
                    &prefixed(header(timestamp)),
                    v.body.as_bytes(),
                ]);
                seeds.write("signature_public_key", &format!("sdk-{i:03}"), &data);
            }
            _ => {}
        }
    }

    for (i, v) in vectors.vectors.iter().enumerate() {
        let provider: Provider = v.scheme.parse().unwrap();
        let signature = v
            .headers
            .get("webhook-signature")
            .or(v.headers.get("svix-signature"));
        if let (Provider::StandardWebhooks, Some(signature)) = (provider, signature) {
            let data = cat(&[&prefixed(signature.as_bytes()), v.body.as_bytes()]);
            seeds.write("signature_standard", &format!("vector-{i:02}"), &data);
        }
        let headers: Vec<(String, String)> = v.headers.clone().into_iter().collect();
        let data = arbitrary(&names, provider, v.now * 1000, &headers, v.body.as_bytes());
        seeds.write("verify_arbitrary", &format!("vector-{i:02}"), &data);
        seeds.write(
            "secret",
            &format!("vector-{i:02}"),
            &cat(&[&[16], v.secret.as_bytes()]),
        );
    }
    let (standard, _) = signed(Provider::StandardWebhooks, b"{}", "x");
    let entry = header(&standard, "webhook-signature");
    let b64 = entry.trim_start_matches("v1,");
    let reversed: String = b64.chars().rev().collect();
    for (name, signature) in [
        ("two", format!("{entry} v1,{reversed}")),
        ("v1a", format!("v1a,{b64} {entry}")),
        ("unpadded", entry.trim_end_matches('=').to_owned()),
        ("empty-entry", "v1, v1,,".to_owned()),
        ("many", vec![entry; 40].join(" ")),
    ] {
        let data = cat(&[&prefixed(signature.as_bytes()), b"{}"]);
        seeds.write("signature_standard", &format!("hand-{name}"), &data);
    }

    let mut first_of_provider = Vec::new();
    for sample in hookverify_samples::SAMPLES {
        let provider: Provider = sample.provider.parse().unwrap();
        let body = sample.body.as_bytes();
        // Event types may hold `/` and `:` (Shopify's `orders/create`): not in file names.
        let name = format!(
            "{}{}-{}",
            sample.provider,
            if sample.older_shape { "-older" } else { "" },
            sample.event_type.replace(['/', ':'], "_")
        );
        let (headers, sent) = signed(provider, body, sample.event_type);
        match provider {
            Provider::SendPilot => {
                let value = header(&headers, "webhook-signature");
                seeds.write(
                    "signature_sendpilot",
                    &name,
                    &cat(&[&prefixed(value.as_bytes()), body]),
                );
                let bare = value.trim_start_matches("v1,");
                let doubled = format!("{value},{}", &bare[bare.find(",s=").unwrap() + 1..]);
                let data = cat(&[&prefixed(doubled.as_bytes()), body]);
                seeds.write("signature_sendpilot", &format!("{name}-two"), &data);
            }
            Provider::Stripe => {
                let value = header(&headers, "stripe-signature");
                let with_v0 = format!("{value},v0={}", &value[value.find("v1=").unwrap() + 3..]);
                seeds.write(
                    "signature_stripe",
                    &name,
                    &cat(&[&prefixed(with_v0.as_bytes()), body]),
                );
            }
            Provider::GitHub | Provider::AutoSend | Provider::SendKit => {
                let (selector, header_name) = match provider {
                    Provider::GitHub => (0_u8, "x-hub-signature-256"),
                    Provider::AutoSend => (1, "x-webhook-signature"),
                    _ => (2, "x-webhook-signature"),
                };
                let value = header(&headers, header_name);
                let data = cat(&[&[selector], &prefixed(value.as_bytes()), body]);
                seeds.write("signature_hex_prefix", &name, &data);
                let bare = value.rsplit('=').next().unwrap();
                let data = cat(&[&[selector], &prefixed(bare.as_bytes()), body]);
                seeds.write("signature_hex_prefix", &format!("{name}-bare"), &data);
            }
            _ => {}
        }
        let data = cat(&[
            &[index(provider)],
            sample.event_type.as_bytes(),
            b"\n",
            body,
        ]);
        seeds.write("events", &name, &data);
        seeds.write("verify_structured", &name, body);
        if !first_of_provider.contains(&provider) {
            first_of_provider.push(provider);
            let data = arbitrary(&names, provider, NOW * 1000, &headers, &sent);
            seeds.write("verify_arbitrary", sample.provider, &data);
        }
    }
    let many = std::iter::once("t=1700000000".to_owned())
        .chain(std::iter::repeat_n(format!("v1={}", "ab".repeat(32)), 30))
        .collect::<Vec<_>>()
        .join(",");
    seeds.write(
        "signature_stripe",
        "hand-many",
        &cat(&[&prefixed(many.as_bytes()), b"{}"]),
    );

    // form: bodies as Slack and Twilio send them, and near misses.
    for (name, value) in [
        (
            "slash-command",
            "command=%2Fdeploy&text=api+v2&trigger_id=tr_1&user_id=U1",
        ),
        (
            "interactivity",
            "payload=%7B%22type%22%3A%22block_actions%22%2C%22trigger_id%22%3A%22t%22%7D",
        ),
        ("twilio", "From=%2B14158675310&Body=Hello&MessageSid=SM1"),
        ("empty-pairs", "a=1&&b=&=c&d"),
        ("bad-escape", "a=%zz&b=%e2%82"),
        ("json", "{\"type\":\"x\"}"),
    ] {
        seeds.write("form", name, value.as_bytes());
    }

    for (name, value) in [
        ("seconds", "1700000000"),
        ("millis", "1700000000000"),
        ("zero", "0"),
        ("empty", ""),
        ("negative", "-1"),
        ("plus", "+1700000000"),
        ("space", " 1700000000"),
        ("huge", "9999999999999999999999999999999999999999"),
        ("i64-max", "9223372036854775807"),
        ("leading-zeros", "0001700000000"),
        ("float", "1700000000.5"),
        ("twelve", "170000000000"),
        ("rfc3339", "2019-11-16T10:11:12.634234626Z"),
        ("rfc3339-offset", "2026-03-02T05:00:00-05:30"),
        ("rfc3339-leap-day", "2024-02-29T23:59:60.999z"),
        ("rfc3339-bad-day", "2023-02-29T00:00:00Z"),
    ] {
        seeds.write("timestamp", name, value.as_bytes());
    }
    for (name, value) in [
        ("whsec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ("raw", "raw_secret_0123456789abcdef"),
        ("padded", " whsec_abc "),
        ("short", "whsec_"),
        ("no-prefix", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ("urlsafe", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw_-"),
        ("unicode", "whsec_é漢字"),
    ] {
        seeds.write("secret", name, &cat(&[&[16], value.as_bytes()]));
    }
    println!(
        "fuzz-seeds: {} seeds in {}",
        seeds.count,
        seeds.root.display()
    );
}
