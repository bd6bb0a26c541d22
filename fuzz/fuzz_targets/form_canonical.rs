//! Twilio's form canonicalisation against a plain oracle: the body's fields decoded into
//! strings, sorted, de-duplicated. The oracle's fields re-encoded differently (every byte as
//! `%XX`, in reverse order) must verify under the signature of the original body; a body the
//! oracle cannot decode to UTF-8 must be refused by the signer and the verifier alike.

#![no_main]

use hookverify::sign::{Message, Signer};
use hookverify::{RequestContext, Scheme, Timestamp, Verifier, VerifyError};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-auth-token-0123456789";
const URL: &str = "https://hooks.example.com/twilio?account=AC1";
const MAX_FIELDS: usize = 1024;

fn decode(part: &[u8]) -> Option<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < part.len() {
        match part[i] {
            b'+' => out.push(b' '),
            b'%' if part.len() > i + 2
                && part[i + 1].is_ascii_hexdigit()
                && part[i + 2].is_ascii_hexdigit() =>
            {
                let text = std::str::from_utf8(&part[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(text, 16).unwrap());
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The oracle: `Err(true)` for too many fields, `Err(false)` for a field that is not UTF-8.
fn fields(body: &[u8]) -> Result<Vec<(String, String)>, bool> {
    let pieces: Vec<&[u8]> = body
        .split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .collect();
    if pieces.len() > MAX_FIELDS {
        return Err(true);
    }
    let mut pairs = Vec::new();
    for piece in pieces {
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(at) => (&piece[..at], &piece[at + 1..]),
            None => (piece, &[][..]),
        };
        pairs.push((decode(name).ok_or(false)?, decode(value).ok_or(false)?));
    }
    pairs.sort();
    pairs.dedup();
    Ok(pairs)
}

fn encode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

fuzz_target!(|body: &[u8]| {
    if body.len() > 8192 {
        return;
    }
    // A JSON-looking body is signed as JSON, through the URL's `bodySHA256` (the `url_escapes`
    // target covers that), not through form fields.
    if matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) {
        return;
    }
    let scheme = Scheme::twilio();
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    let signer = Signer::new(&scheme, SECRET).unwrap();
    let verifier = Verifier::new(scheme, SECRET).unwrap();
    match fields(body) {
        Ok(pairs) => {
            let headers = signer.sign(&Message::new(body).url(URL)).unwrap();
            assert!(verifier.verify_at(&headers, body, now).is_ok());
            let reencoded: Vec<String> = pairs
                .iter()
                .rev()
                .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
                .collect();
            let reencoded = reencoded.join("&");
            let request = RequestContext::new(&headers).method("POST").url(URL);
            let result = verifier.verify_at(&request, reencoded.as_bytes(), now);
            assert!(
                result.is_ok(),
                "{:?} vs {reencoded:?}: {result:?}",
                String::from_utf8_lossy(body)
            );
        }
        Err(too_many) => {
            assert!(signer.sign(&Message::new(body).url(URL)).is_err());
            let headers = [("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")];
            let request = RequestContext::new(&headers).method("POST").url(URL);
            let result = verifier.verify_at(&request, body, now);
            if too_many {
                assert!(
                    matches!(result, Err(VerifyError::TooManyFormFields { .. })),
                    "{result:?}"
                );
            } else {
                assert!(
                    matches!(result, Err(VerifyError::FormNotUtf8)),
                    "{result:?}"
                );
            }
        }
    }
});
