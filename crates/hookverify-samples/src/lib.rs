#![doc = include_str!("../README.md")]

/// One sample body: a realistic delivery of one event type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sample {
    /// The provider's slug (`sendable`, `stripe`, ...), as `hookverify::Provider::name` spells it.
    pub provider: &'static str,
    /// Its event type.
    pub event_type: &'static str,
    /// `true` for an older envelope generation the provider documented before the current one
    /// (AutoSend's `{ event, timestamp, data }`, Sent's `field: "messages"`).
    pub older_shape: bool,
    /// Path of the fixture under `data/fixtures/`.
    pub file: &'static str,
    /// The JSON body.
    pub body: &'static str,
}

/// Every fixture, grouped by provider (alphabetically), current shapes before older ones.
pub static SAMPLES: &[Sample] = include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

/// The samples of one provider (by slug).
pub fn for_provider(provider: &str) -> impl Iterator<Item = &'static Sample> + '_ {
    SAMPLES.iter().filter(move |s| s.provider == provider)
}

/// The current-shape body of one event type, if there is a fixture for it.
pub fn body(provider: &str, event_type: &str) -> Option<&'static str> {
    for_provider(provider)
        .find(|s| s.event_type == event_type && !s.older_shape)
        .map(|s| s.body)
}

/// The public known-answer vectors (`data/vectors/public.json`): `{ "vectors": [ { "scheme",
/// "secret", "headers", "body", "now", "valid", "source" } ] }`.
pub const PUBLIC_VECTORS: &str = include_str!("../data/vectors/public.json");

/// Known-answer vectors copied from the providers' own SDK tests (`data/vectors/sdk.json`), in
/// the format of [`PUBLIC_VECTORS`] plus a `source` per vector: the repository and path of the
/// test it comes from, and how a derived negative case differs from it.
pub const SDK_VECTORS: &str = include_str!("../data/vectors/sdk.json");

/// The shared case table (`data/cases.json`) run through the core and both adapters.
pub const CASES: &str = include_str!("../data/cases.json");

/// The folder of this crate's data, for tools that want files (`requests/<provider>/headers.txt`).
pub const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data");

/// Test settings for one provider (`data/providers/<slug>.json`), as JSON: `secret` in the form
/// the provider's dashboard shows (the verifier's key); for the public-key schemes (Discord,
/// SendGrid) a `signing_secret`, the test private key the signer takes (else the signer takes
/// `secret`); `wrong_secret`, a key that signs but does not verify; and for typed providers an
/// `unknown_event` (a type the enum does not list) and a `misfit_event` (a known type whose
/// payload does not fit). `None` for a slug without a file.
pub fn provider_settings(provider: &str) -> Option<&'static str> {
    PROVIDER_SETTINGS
        .iter()
        .find(|(slug, _)| *slug == provider)
        .map(|(_, json)| *json)
}

static PROVIDER_SETTINGS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/providers.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_with_fixtures_has_settings() {
        let mut slugs: Vec<&str> = SAMPLES.iter().map(|s| s.provider).collect();
        slugs.dedup();
        assert!(slugs.len() >= 8, "{slugs:?}");
        for slug in slugs {
            let settings =
                provider_settings(slug).unwrap_or_else(|| panic!("no settings for {slug}"));
            assert!(settings.contains("\"secret\""), "{slug}");
        }
    }

    #[test]
    fn older_shapes_are_marked() {
        let older = SAMPLES.iter().filter(|s| s.older_shape).count();
        assert!(older > 0);
        assert!(
            SAMPLES
                .iter()
                .all(|s| s.older_shape == s.file.contains("/older/"))
        );
        assert_eq!(
            body("sendable", "message.read").map(|b| b.contains("message.read")),
            Some(true)
        );
        assert_eq!(body("sendable", "no.such.type"), None);
    }
}
