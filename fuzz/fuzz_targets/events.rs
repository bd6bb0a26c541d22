//! Event parsing for every provider over arbitrary bytes (as if they had verified), with an
//! arbitrary event type header. Never panics.
#![no_main]

use hookverify::{Provider, ProviderEvent, ProviderVisitor, dangerous};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let split = rest.iter().position(|&b| b == b'\n').unwrap_or(0);
    let (event_type, body) = rest.split_at(split);
    let event_type = String::from_utf8_lossy(event_type);
    let headers = [
        ("x-webhook-event", event_type.as_ref()),
        ("x-github-event", event_type.as_ref()),
        ("x-webhook-event-type", event_type.as_ref()),
        ("x-webhook-delivery-id", "dlv"),
        ("x-webhook-event-id", "evt"),
        ("webhook-id", "msg"),
    ];
    let provider = Provider::ALL[usize::from(selector) % Provider::ALL.len()];
    let scheme = provider.scheme();
    let _ = provider.visit(Parse {
        scheme: &scheme,
        headers: &headers,
        body,
    });
});

/// Parses without verifying, typed with the provider's event (the registry picks the type).
struct Parse<'a> {
    scheme: &'a hookverify::Scheme,
    headers: &'a [(&'a str, &'a str)],
    body: &'a [u8],
}

impl ProviderVisitor for Parse<'_> {
    type Output = Option<&'static str>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> Option<&'static str> {
        dangerous::parse_unverified::<E>(
            self.scheme,
            self.headers,
            bytes::Bytes::copy_from_slice(self.body),
        )
        .ok()
        .map(|parsed| parsed.event.variant())
    }
}
