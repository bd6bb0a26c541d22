//! HubSpot v3's URL canonicalisation: the signature over a URL equals the one over the URL
//! with its `%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B` escapes replaced one escape at a
//! time (either case), as HubSpot's guide and SDK-side validators do, by a scheme that decodes
//! nothing; and a URL the signer signed verifies. Twilio's `bodySHA256`: a JSON body verifies
//! under the signer's URL, and any other body does not. Twilio's port spellings: a URL signed
//! with `:443` verifies without it (not at another port), and one signed without a port verifies
//! with `:443` or any other port, as Twilio's SDKs accept.
#![no_main]

use arbitrary::Arbitrary;
use hookverify::sign::{Message, Signer};
use hookverify::{RequestContext, Scheme, SignedPart, Timestamp, TimestampUnit, Verifier};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    path: String,
    host: String,
    body: Vec<u8>,
    other: Vec<u8>,
}

const SECRET: &str = "fuzz-hubspot-client-secret";

/// The oracle: each escape replaced in turn, as a string replacement.
fn replaced(url: &str) -> String {
    let mut out = url.to_owned();
    for (escape, text) in [
        ("3A", ":"),
        ("2F", "/"),
        ("3F", "?"),
        ("40", "@"),
        ("21", "!"),
        ("24", "$"),
        ("27", "'"),
        ("28", "("),
        ("29", ")"),
        ("2A", "*"),
        ("2C", ","),
        ("3B", ";"),
    ] {
        for variant in [
            escape.to_owned(),
            escape.to_ascii_lowercase(),
            {
                let (a, b) = escape.split_at(1);
                format!("{a}{}", b.to_ascii_lowercase())
            },
            {
                let (a, b) = escape.split_at(1);
                format!("{}{b}", a.to_ascii_lowercase())
            },
        ] {
            out = out.replace(&format!("%{variant}"), text);
        }
    }
    out
}

fuzz_target!(|input: Input| {
    if input
        .path
        .chars()
        .any(|c| c.is_control() || c == ' ' || c == '#')
    {
        return;
    }
    let url = format!("https://hooks.example.com/{}", input.path);
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    let plain = Scheme::custom("hubspot-plain")
        .signature_header("X-HubSpot-Signature-v3")
        .timestamp_header("X-HubSpot-Request-Timestamp")
        .base64()
        .timestamp_unit(TimestampUnit::Milliseconds)
        .signed_content([
            SignedPart::Method,
            SignedPart::Url,
            SignedPart::Body,
            SignedPart::Timestamp,
        ])
        .build()
        .unwrap();
    let sign = |scheme: &Scheme, url: &str| {
        Signer::new(scheme, SECRET)
            .unwrap()
            .sign(&Message::new(&input.body).timestamp(now).url(url.to_owned()))
            .unwrap()
    };
    let decoding = sign(&Scheme::hubspot(), &url);
    let oracle = sign(&plain, &replaced(&url));
    assert_eq!(
        decoding.get("X-HubSpot-Signature-v3"),
        oracle.get("X-HubSpot-Signature-v3"),
        "{url}"
    );
    let verifier = Verifier::new(Scheme::hubspot(), SECRET).unwrap();
    let request = RequestContext::new(&decoding).method("POST").url(&url);
    assert!(
        verifier.verify_at(&request, &input.body, now).is_ok(),
        "{url}"
    );

    // Twilio: the URL with or without the default port, never another port.
    let plain_host = !input.host.is_empty()
        && input
            .host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if plain_host {
        let host = &input.host;
        let bare = format!("https://{host}/{}", input.path);
        let ported = format!("https://{host}:443/{}", input.path);
        let other_port = format!("https://{host}:8443/{}", input.path);
        let form = b"Digits=1234&To=%2B18005551212";
        let verifier = Verifier::new(Scheme::twilio(), SECRET).unwrap();
        // Signed with `:443`: verifies without a port, not at another port. Signed without a
        // port: verifies at any port (Twilio's SDKs remove whatever port the URL has).
        for (signed_for, received_at, other_port_verifies) in
            [(&ported, &bare, false), (&bare, &ported, true)]
        {
            let headers = Signer::new(&Scheme::twilio(), SECRET)
                .unwrap()
                .sign(&Message::new(form).url(signed_for.clone()))
                .unwrap();
            let at =
                |url: &str| verifier.verify_at(&RequestContext::new(&headers).url(url), form, now);
            assert!(at(received_at).is_ok(), "{signed_for} at {received_at}");
            assert_eq!(
                at(&other_port).is_ok(),
                other_port_verifies,
                "{signed_for} at {other_port}"
            );
        }
    }

    // Twilio: a JSON body is signed through the URL's hash of it.
    let mut json = b"{".to_vec();
    json.extend_from_slice(&input.body);
    let twilio = Signer::new(&Scheme::twilio(), SECRET)
        .unwrap()
        .sign(&Message::new(&json).url(url.clone()));
    let Ok(twilio) = twilio else {
        return;
    };
    let signed_url = twilio.url().unwrap_or_default().to_owned();
    let verifier = Verifier::new(Scheme::twilio(), SECRET).unwrap();
    let request = RequestContext::new(&twilio).method("POST").url(&signed_url);
    let verified = verifier.verify_at(&request, &json, now);
    if signed_url.contains("bodySHA256=") {
        assert!(verified.is_ok(), "{signed_url}: {verified:?}");
        let mut other = b"{".to_vec();
        other.extend_from_slice(&input.other);
        if other != json {
            assert!(verifier.verify_at(&request, &other, now).is_err());
        }
    }
});
