//! Sign, perhaps change one thing the scheme signs, verify: for random keys, ids, timestamps and
//! bodies, every built-in scheme and a custom one. Unchanged: it must verify. Changed: it must
//! not. This is how the fuzzer reaches the valid path.
#![no_main]

use arbitrary::Arbitrary;
use hookverify::sign::{Message, Signer};
use hookverify::{Provider, RequestContext, Scheme, SecretEncoding, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Change {
    None,
    BodyByte { at: usize, xor: u8 },
    BodyAppend(u8),
    BodyTruncate,
    SignatureChar { at: usize },
    Secret(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    scheme: u8,
    key: [u8; 24],
    id: u64,
    seconds: u32,
    body: Vec<u8>,
    change: Change,
}

fn custom() -> Scheme {
    Scheme::custom("fuzz")
        .signature_header("x-fuzz-signature")
        .signature_prefix("sha256=", true)
        .timestamp_header("x-fuzz-timestamp")
        .id_header("x-fuzz-id")
        .key_encoding(SecretEncoding::Raw)
        .build()
        .unwrap()
}

fuzz_target!(|input: Input| {
    let selector = usize::from(input.scheme) % (Provider::ALL.len() + 1);
    let scheme = Provider::ALL
        .get(selector)
        .map_or_else(custom, |p| p.scheme());
    let raw: String = input
        .key
        .iter()
        .map(|b| char::from(b'a' + b % 26))
        .collect();
    let secret = secret_text(&scheme, &input.key, raw);
    // Public-key schemes: the signer takes the private key, the verifier its public key (a
    // key of 24 bytes doubled past 32 may be no P-256 scalar: nothing to test then).
    let Ok(signer) = Signer::new(&scheme, &secret) else {
        return;
    };
    let verifying = signer.verifying_secret().unwrap_or_else(|| secret.clone());
    let now = Timestamp::from_unix_seconds(1_000_000_000 + i64::from(input.seconds));
    let id = format!("msg_{}", input.id);
    // Twilio signs a form body's decoded fields, so `+` and ` ` (or `%41` and `A`) are one
    // text by design: its body is a form whose value is the input in hex, where every byte
    // change changes the decoded text or makes it undecodable.
    // Mailgun and Adyen carry their signatures in a JSON body and sign fields of it (Mailgun
    // not the event): a JSON body with Adyen's item, the input in hex in a signed field
    // (Adyen's `pspReference`) and an unsigned one.
    let in_body = scheme.signature_in_body();
    let hex: String = input.body.iter().map(|b| format!("{b:02x}")).collect();
    let body = if in_body {
        format!(
            r#"{{"event":"{hex}","notificationItems":[{{"NotificationRequestItem":{{"pspReference":"p{hex}","eventCode":"E"}}}}]}}"#
        )
        .into_bytes()
    } else if scheme.provider() == Some(Provider::Twilio) {
        format!("Body={hex}").into_bytes()
    } else {
        input.body.clone()
    };
    let signed = signer
        .sign(
            &Message::new(&body)
                .id(id.as_str())
                .timestamp(now)
                .event_type("fuzz.event"),
        )
        .unwrap();
    // URL-signing schemes: the method and URL the signer used.
    let (method, url) = (
        signed.method().unwrap_or("POST").to_owned(),
        signed.url().unwrap_or_default().to_owned(),
    );
    let mut body = signed.body().map_or(body, <[u8]>::to_vec);
    let mut headers = signed.into_vec();
    // Where the signed record starts (the signer writes keys in order: it is the body's
    // last object but for closing brackets): Mailgun's `signature`, Adyen's item.
    let record = |key: &[u8]| body.windows(key.len()).rposition(|w| w == key);
    let signed_from = record(b"\"signature\":{")
        .or_else(|| record(b"\"NotificationRequestItem\":{"))
        .map_or(0, |at| {
            at + body[at..].iter().position(|&b| b == b'{').unwrap_or(0)
        });
    let mut verifier = Verifier::new(scheme.clone(), verifying.as_str()).unwrap();
    let twilio = scheme.provider() == Some(Provider::Twilio);
    let changed = match input.change {
        Change::None => false,
        // Twilio: changes that keep the form's shape (`&`, `=`, `+` and `%` make texts that
        // are equal by the scheme's design): another hex digit, one more, one fewer.
        Change::BodyByte { at, .. } if twilio => {
            let digits = body.len().saturating_sub(5);
            if digits == 0 {
                body.push(b'0');
            } else {
                let at = 5 + at % digits;
                body[at] = if body[at] == b'0' { b'1' } else { b'0' };
            }
            true
        }
        Change::BodyAppend(_) if twilio => {
            body.push(b'0');
            true
        }
        Change::BodyTruncate if twilio => {
            if body.len() <= 5 {
                return;
            }
            body.pop().is_some()
        }
        // Mailgun, Adyen: a byte of the signed record (any change renames a field, changes a
        // value or breaks the JSON); a byte after the JSON, or one fewer.
        Change::BodyByte { at, xor } if in_body => {
            if xor == 0 {
                false
            } else {
                let at = signed_from + at % (body.len() - signed_from);
                body[at] ^= xor;
                true
            }
        }
        Change::BodyAppend(_) if in_body => {
            body.push(b'0');
            true
        }
        Change::BodyByte { at, xor } => {
            if body.is_empty() || xor == 0 {
                false
            } else {
                let at = at % body.len();
                body[at] ^= xor;
                true
            }
        }
        Change::BodyAppend(byte) => {
            body.push(byte);
            true
        }
        Change::BodyTruncate => body.pop().is_some(),
        Change::SignatureChar { at } => {
            let Some((_, value)) = headers
                .iter_mut()
                .find(|(k, _)| k.to_ascii_lowercase().contains("signature"))
            else {
                return;
            };
            // Replace one character of the signature's payload (after any `=` or `,`) with a
            // different character of the same alphabet, so the value really changes.
            let start = value.rfind(['=', ',']).map_or(0, |i| i + 1);
            let payload_end = value.trim_end_matches('=').len();
            if payload_end <= start {
                return;
            }
            let at = start + at % (payload_end - start);
            let old = value.as_bytes()[at];
            let new = if old == b'0' { b'1' } else { b'0' };
            value.replace_range(at..=at, std::str::from_utf8(&[new]).unwrap());
            true
        }
        Change::Secret(flip) => {
            let mut other = input.key;
            other[0] ^= flip | 1;
            let raw: String = other.iter().map(|b| char::from(b'a' + b % 26)).collect();
            let other_secret = secret_text(&scheme, &other, raw);
            if other_secret == secret {
                return;
            }
            let Ok(other_signer) = Signer::new(&scheme, &other_secret) else {
                return;
            };
            let other_verifying = other_signer.verifying_secret().unwrap_or(other_secret);
            verifier = Verifier::new(scheme.clone(), other_verifying.as_str()).unwrap();
            true
        }
    };
    let request = RequestContext::new(&headers).method(&method).url(&url);
    let result = verifier.verify_at(&request, &body, now);
    if changed {
        assert!(
            result.is_err(),
            "{}: a changed request verified: {:?}",
            scheme.name(),
            input.change
        );
    } else {
        assert!(
            result.is_ok(),
            "{}: an unchanged request did not verify: {result:?}",
            scheme.name()
        );
    }
});

/// The secret the sender holds: `whsec_` base64, a test private key (64 hex digits: the key
/// bytes, repeated) for the public-key schemes, the key in hex for hex-keyed ones (Adyen), else
/// `raw`.
fn secret_text(scheme: &Scheme, key: &[u8; 24], raw: String) -> String {
    match scheme.secret_encoding() {
        SecretEncoding::Base64 => format!("whsec_{}", hookverify_fuzz::base64(key)),
        SecretEncoding::Ed25519Hex | SecretEncoding::EcdsaP256 => key
            .iter()
            .chain(key.iter())
            .take(32)
            .map(|b| format!("{b:02x}"))
            .collect(),
        SecretEncoding::Hex => key.iter().map(|b| format!("{b:02x}")).collect(),
        _ => raw,
    }
}
