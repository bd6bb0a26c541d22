//! Every public known-answer vector (hookverify-samples/data/vectors/public.json, a copy of
//! the copy of the project's shared vector file) through the library.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use hookverify::{
    BuildError, DEFAULT_MIN_SECRET_LEN, Provider, RequestContext, Scheme, SecretError, Timestamp,
    Verifier,
};
use serde::Deserialize;

#[path = "common/rebuilt.rs"]
mod rebuilt;

#[derive(Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    scheme: String,
    secret: String,
    headers: std::collections::BTreeMap<String, String>,
    body: String,
    now: i64,
    expect: String,
    /// The method and URL, for schemes that sign them.
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

impl Vector {
    /// The provider and scheme a vector names: a registry slug, or one of a provider's extra
    /// schemes (`hubspot-v1`, `hubspot-v2`).
    fn scheme(&self) -> (Provider, Scheme, bool) {
        match self.scheme.as_str() {
            "hubspot-v1" => (Provider::HubSpot, hookverify::hubspot::scheme_v1(), false),
            "hubspot-v2" => (Provider::HubSpot, hookverify::hubspot::scheme_v2(), false),
            "gitlab-token" => (Provider::GitLab, hookverify::gitlab::token_scheme(), false),
            slug => {
                let provider: Provider = slug.parse().unwrap();
                (provider, provider.scheme(), true)
            }
        }
    }

    /// Verifies with the vector's headers, and its method and URL when it has them.
    fn verify(&self, verifier: &Verifier) -> Result<hookverify::Verified, hookverify::VerifyError> {
        let headers: Vec<(String, String)> = self.headers.clone().into_iter().collect();
        let mut request = RequestContext::new(&headers);
        if let Some(method) = &self.method {
            request = request.method(method);
        }
        if let Some(url) = &self.url {
            request = request.url(url);
        }
        verifier.verify_at(
            &request,
            self.body.as_bytes(),
            Timestamp::from_unix_seconds(self.now),
        )
    }
}

/// The public vectors, then the ones copied from the providers' SDK tests.
fn vectors() -> Vec<Vector> {
    let public: File =
        serde_json::from_str(hookverify_samples::PUBLIC_VECTORS).expect("parse vectors");
    assert!(public.vectors.len() >= 8, "expected the full vector set");
    let sdk: File =
        serde_json::from_str(hookverify_samples::SDK_VECTORS).expect("parse SDK vectors");
    public.vectors.into_iter().chain(sdk.vectors).collect()
}

/// Every SDK vector names the test it comes from, and every provider with SDK vectors has at
/// least one valid and one invalid case.
#[test]
fn sdk_vectors_cite_their_source() {
    #[derive(Deserialize)]
    struct Cited {
        name: String,
        scheme: String,
        source: String,
        expect: String,
    }
    #[derive(Deserialize)]
    struct CitedFile {
        vectors: Vec<Cited>,
    }
    let file: CitedFile = serde_json::from_str(hookverify_samples::SDK_VECTORS).unwrap();
    assert!(!file.vectors.is_empty());
    let mut outcomes: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for v in &file.vectors {
        // `owner/repo path`: a repository and a file in it; or, where no SDK ships vectors,
        // `computed from <the provider's documentation>` (the rule: mark it so).
        let (repo, path) = v.source.split_once(' ').unwrap_or(("", ""));
        assert!(
            (repo.contains('/') && path.contains('/'))
                || (v.source.starts_with("computed from ") && v.source.contains("docs")),
            "{}: source `{}` names no repository and path, and is not a computed vector",
            v.name,
            v.source
        );
        let entry = outcomes.entry(v.scheme.clone()).or_default();
        match v.expect.as_str() {
            "valid" => entry.0 += 1,
            _ => entry.1 += 1,
        }
    }
    for (scheme, (valid, invalid)) in outcomes {
        assert!(
            valid > 0 && invalid > 0,
            "{scheme}: {valid} valid, {invalid} invalid"
        );
    }
}

#[test]
fn every_public_vector() {
    for v in vectors() {
        let (provider, scheme, _) = v.scheme();
        let mut builder = Verifier::builder(scheme.clone()).secret(v.secret.clone());
        if v.secret.len() < DEFAULT_MIN_SECRET_LEN {
            // A short documented test secret (Stripe's "secret"): the default policy must refuse
            // it with a precise error, and the explicit opt-in must accept it.
            let err = Verifier::new(scheme, v.secret.clone()).unwrap_err();
            assert_eq!(
                err,
                BuildError::Secret {
                    index: 0,
                    source: SecretError::TooShort {
                        len: v.secret.len(),
                        min: DEFAULT_MIN_SECRET_LEN
                    }
                },
                "{}",
                v.name
            );
            builder = builder.min_secret_len(v.secret.len());
        }
        let verifier = builder
            .build()
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        let result = v.verify(&verifier);
        match v.expect.as_str() {
            "valid" => {
                let verified =
                    result.unwrap_or_else(|e| panic!("{}: expected valid, got {e}", v.name));
                assert_eq!(verified.provider(), Some(provider), "{}", v.name);
            }
            "invalid" => assert!(result.is_err(), "{}: expected invalid", v.name),
            other => panic!("{}: unknown expectation {other}", v.name),
        }
    }
}

/// Every vector through the built-in and through its public-builder rebuild: the same outcome,
/// down to the error and every field of `Verified` (but the provider tag).
#[test]
fn every_public_vector_on_schemes_rebuilt_with_the_public_builder() {
    let mut compared = 0;
    for v in vectors() {
        let (provider, _, registry) = v.scheme();
        let Some(rebuilt) = rebuilt::scheme(provider).filter(|_| registry) else {
            continue;
        };
        compared += 1;
        let build = |scheme| {
            Verifier::builder(scheme)
                .secret(v.secret.clone())
                .min_secret_len(v.secret.len().min(DEFAULT_MIN_SECRET_LEN))
                .build()
                .unwrap()
        };
        let builtin = v.verify(&build(provider.scheme()));
        let rebuilt = v.verify(&build(rebuilt));
        match (builtin, rebuilt) {
            (Ok(a), Ok(b)) => {
                assert_eq!(b.provider(), None);
                assert_eq!(
                    (
                        a.scheme(),
                        a.id(),
                        a.timestamp(),
                        a.secret_index(),
                        a.event_type()
                    ),
                    (
                        b.scheme(),
                        b.id(),
                        b.timestamp(),
                        b.secret_index(),
                        b.event_type()
                    ),
                    "{}",
                    v.name
                );
                assert_eq!(a.idempotency_rule(), b.idempotency_rule(), "{}", v.name);
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{}", v.name),
            (a, b) => panic!("{}: built-in {a:?}, rebuilt {b:?}", v.name),
        }
    }
    assert!(compared >= 8, "only {compared} vectors compared");
}

#[test]
fn vector_details() {
    let by_name = |needle: &str| {
        vectors()
            .into_iter()
            .find(|v| v.name.contains(needle))
            .unwrap()
    };

    // MfKQ: the matching entry is the third of three (a v2 entry is skipped).
    let v = by_name("cross-language");
    let verifier = Verifier::new(Provider::StandardWebhooks.scheme(), v.secret).unwrap();
    let headers: Vec<_> = v.headers.into_iter().collect();
    let ok = verifier
        .verify_at(
            &headers,
            v.body.as_bytes(),
            Timestamp::from_unix_seconds(v.now),
        )
        .unwrap();
    assert_eq!(ok.id(), Some("msg_p5jXN8AQM9LWM0D4loKWxJek"));
    assert_eq!(
        ok.timestamp(),
        Some(Timestamp::from_unix_seconds(1614265330))
    );
    assert_eq!(ok.secret_index(), 0);

    // 301 s old: TimestampTooOld, not a mismatch.
    let v = by_name("301 s old");
    let verifier = Verifier::new(Provider::StandardWebhooks.scheme(), v.secret).unwrap();
    let headers: Vec<_> = v.headers.into_iter().collect();
    let err = verifier
        .verify_at(
            &headers,
            v.body.as_bytes(),
            Timestamp::from_unix_seconds(v.now),
        )
        .unwrap_err();
    assert!(
        matches!(err, hookverify::VerifyError::TimestampTooOld { age, .. } if age.as_secs() == 301),
        "{err}"
    );

    // GitHub: delivery id and event type come back.
    let v = by_name("github");
    let verifier = Verifier::new(Provider::GitHub.scheme(), v.secret).unwrap();
    let headers: Vec<_> = v.headers.into_iter().collect();
    let ok = verifier
        .verify_at(
            &headers,
            v.body.as_bytes(),
            Timestamp::from_unix_seconds(v.now),
        )
        .unwrap();
    assert_eq!(
        ok.idempotency_key_from_headers(),
        Some("72d3162e-cc78-11e3-81ab-4c9367dc0958")
    );
    assert_eq!(ok.event_type(), Some("ping"));
    assert_eq!(ok.timestamp(), None);
}
