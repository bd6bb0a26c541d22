//! Event parsing for every provider over arbitrary bytes (as if they had verified), with an
//! arbitrary event type header. Never panics.
#![no_main]

use hookverify::{
    Provider, autosend, dangerous, github, sendable, sendkit, sendpilot, sent, standard_webhooks,
    stripe,
};
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
    let _ = match provider {
        Provider::Sendable => {
            dangerous::parse_unverified::<sendable::Event>(&scheme, &headers, body)
                .map(|p| p.event.variant())
        }
        Provider::SendPilot => {
            dangerous::parse_unverified::<sendpilot::Event>(&scheme, &headers, body)
                .map(|p| p.event.variant())
        }
        Provider::AutoSend => {
            dangerous::parse_unverified::<autosend::Event>(&scheme, &headers, body)
                .map(|p| p.event.variant())
        }
        Provider::SendKit => dangerous::parse_unverified::<sendkit::Event>(&scheme, &headers, body)
            .map(|p| p.event.variant()),
        Provider::Sent => dangerous::parse_unverified::<sent::Event>(&scheme, &headers, body)
            .map(|p| p.event.variant()),
        Provider::Stripe => {
            dangerous::parse_unverified::<stripe::Event>(&scheme, &headers, body).map(|_| "stripe")
        }
        Provider::GitHub => dangerous::parse_unverified::<github::Payload>(&scheme, &headers, body)
            .map(|_| "github"),
        _ => dangerous::parse_unverified::<standard_webhooks::Envelope>(&scheme, &headers, body)
            .map(|_| "standard"),
    };
});
