//! Signatures carried in the body (Mailgun, Adyen): arbitrary bytes as a JSON or form body
//! never panic, and whatever verifies names the token its signature object holds; a signed event
//! (any text, any token the signer accepts) verifies, and a changed token does not.
#![no_main]

use arbitrary::Arbitrary;
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, SecretEncoding, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    body: Vec<u8>,
    event: String,
    token: String,
    seconds: u32,
    form: bool,
}

const KEY: &str = "fuzz-mailgun-signing-key";

fuzz_target!(|input: Input| {
    let verifier = Verifier::new(Scheme::mailgun(), KEY).unwrap();
    let now = Timestamp::from_unix_seconds(1_000_000_000 + i64::from(input.seconds));
    let none: [(&str, &str); 0] = [];

    // Arbitrary bytes: a typed error or a verified request, whose id is the body's token.
    if let Ok(verified) = verifier.verify_at(&none, &input.body, now) {
        let token = verified.id().unwrap_or_default();
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&input.body) {
            let field = &value["signature"]["token"];
            let text = field
                .as_str()
                .map(str::to_owned)
                .or_else(|| field.as_u64().map(|n| n.to_string()));
            assert_eq!(
                text.as_deref(),
                Some(token),
                "verified id is not the body's token"
            );
        }
    }

    // Adyen's items, from the same bytes: a typed error, or a verified JSON body.
    let adyen = Verifier::new(
        Scheme::adyen(),
        hookverify_fuzz::key_for(SecretEncoding::Hex),
    )
    .unwrap();
    if adyen.verify_at(&none, &input.body, now).is_ok() {
        assert!(serde_json::from_slice::<serde_json::Value>(&input.body).is_ok());
    }

    // A signed event verifies, carrying its token; one changed token character does not.
    let event = if input.form {
        let hex: String = input.event.bytes().map(|b| format!("{b:02x}")).collect();
        format!("event={hex}").into_bytes()
    } else {
        serde_json::to_vec(&serde_json::json!({"event-data": {"event": input.event}})).unwrap()
    };
    let Ok(signed) = Signer::new(&Scheme::mailgun(), KEY)
        .unwrap()
        .sign(&Message::new(&event).id(input.token.as_str()).timestamp(now))
    else {
        return; // a token the signer refuses (empty, spaces, commas, non-ASCII)
    };
    let body = signed.body().unwrap().to_vec();
    let verified = verifier.verify_at(&none, &body, now);
    assert_eq!(
        verified.as_ref().ok().and_then(|v| v.id()),
        Some(input.token.as_str()),
        "{verified:?}"
    );
    // The token as the signer wrote it (JSON-escaped or percent-encoded): change its first
    // character to another that is not an escape.
    let opening: &[u8] = if input.form {
        b"&token="
    } else {
        b"\"token\":\""
    };
    let at = body
        .windows(opening.len())
        .position(|w| w == opening)
        .unwrap()
        + opening.len();
    let mut changed = body;
    changed[at] = if changed[at] == b'x' { b'y' } else { b'x' };
    assert!(
        verifier.verify_at(&none, &changed, now).is_err(),
        "a changed token verified"
    );
});
