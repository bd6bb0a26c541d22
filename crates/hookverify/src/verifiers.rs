//! [`Verifiers`]: the verifiers of an app, one per provider (or per tag), for web adapters.

use std::any::{TypeId, type_name};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::verifier::Verifier;

/// The default body limit of the webhook extractor: 1 MiB. Providers send far smaller bodies.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) verifier: Verifier,
    pub(crate) body_limit: Option<usize>,
}

/// The verifiers an app uses, keyed by a *tag* type: usually the event type the route parses
/// (`sendable::Event`, `stripe::Event`, your own type), or any marker type when two routes parse
/// the same event type with different secrets (two Stripe accounts).
///
/// Web adapters find their verifier here: `hookverify-axum` from the router's state (via
/// `FromRef`), `hookverify-actix-web` from `app_data`. A route whose tag has no verifier answers
/// 500 with a message that says how to register one.
///
/// ```
/// use hookverify::{Scheme, Verifier, Verifiers, sendable, stripe};
///
/// # fn main() -> Result<(), hookverify::BuildError> {
/// let verifiers = Verifiers::new()
///     .with::<sendable::Event>(Verifier::new(Scheme::sendable(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?)
///     .with::<stripe::Event>(Verifier::new(Scheme::stripe(), "whsec_stripe_0123456789abcdef")?)
///     .body_limit(256 * 1024);
/// assert!(verifiers.get::<sendable::Event>().is_some());
/// assert_eq!(verifiers.body_limit_for::<stripe::Event>(), 256 * 1024);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct Verifiers {
    entries: Arc<HashMap<TypeId, Entry>>,
    names: Arc<HashMap<TypeId, &'static str>>,
    body_limit: Option<usize>,
    public_url: Option<Arc<str>>,
    trust_forwarded: bool,
}

impl fmt::Debug for Verifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.names.values().copied().collect();
        names.sort_unstable();
        f.debug_struct("Verifiers")
            .field("tags", &names)
            .field("body_limit", &self.body_limit.unwrap_or(DEFAULT_BODY_LIMIT))
            .field("public_url", &self.public_url)
            .field("trust_forwarded", &self.trust_forwarded)
            .finish()
    }
}

impl Verifiers {
    /// No verifiers yet.
    pub fn new() -> Self {
        Verifiers::default()
    }

    /// Registers `verifier` for routes tagged `T` (replacing any earlier one for `T`).
    #[must_use]
    pub fn with<T: 'static>(self, verifier: Verifier) -> Self {
        self.with_limit::<T>(verifier, None)
    }

    /// Registers `verifier` for routes tagged `T`, with its own body limit.
    #[must_use]
    pub fn with_body_limit<T: 'static>(self, verifier: Verifier, body_limit: usize) -> Self {
        self.with_limit::<T>(verifier, Some(body_limit))
    }

    fn with_limit<T: 'static>(mut self, verifier: Verifier, body_limit: Option<usize>) -> Self {
        Arc::make_mut(&mut self.entries).insert(
            TypeId::of::<T>(),
            Entry {
                verifier,
                body_limit,
            },
        );
        Arc::make_mut(&mut self.names).insert(TypeId::of::<T>(), type_name::<T>());
        self
    }

    /// Registers `verifier` for a built-in provider's routes, tagged with the provider's typed
    /// event (`sendable::Event`, `stripe::Event`, ...): what `with::<E>` does when `E` is only
    /// known at run time.
    ///
    /// ```
    /// use hookverify::{Provider, Verifier, Verifiers, stripe};
    ///
    /// let verifier = Verifier::new(Provider::Stripe.scheme(), "whsec_stripe_0123456789abcdef")?;
    /// let verifiers = Verifiers::new().with_provider(Provider::Stripe, verifier);
    /// assert!(verifiers.get::<stripe::Event>().is_some());
    /// # Ok::<(), hookverify::BuildError>(())
    /// ```
    #[cfg(feature = "events")]
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    #[must_use]
    pub fn with_provider(self, provider: crate::Provider, verifier: Verifier) -> Self {
        struct Register(Verifiers, Verifier);
        impl crate::ProviderVisitor for Register {
            type Output = Verifiers;
            fn visit<E: crate::ProviderEvent>(self, _: crate::Provider) -> Verifiers {
                self.0.with::<E>(self.1)
            }
        }
        provider.visit(Register(self, verifier))
    }

    /// The body limit of every route without its own (default [`DEFAULT_BODY_LIMIT`]).
    /// axum's `DefaultBodyLimit`, when smaller, applies too.
    #[must_use]
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.body_limit = Some(limit);
        self
    }

    /// The public base URL of the app, as senders address it (`https://hooks.example.com`, or
    /// with a path prefix a proxy strips: `https://example.com/api`): what URL-signing schemes
    /// (Twilio, Square, HubSpot v3) are verified against. The request's path and query are
    /// appended to it. Behind a proxy or a tunnel the app cannot know this URL, so routes of
    /// those schemes answer 500 until it is set (or
    /// [`trust_forwarded_headers`](Self::trust_forwarded_headers) is).
    ///
    /// ```
    /// use hookverify::{HeaderLookup, Verifiers};
    ///
    /// let verifiers = Verifiers::new().public_url("https://hooks.example.com/");
    /// let headers = [("Host", "10.0.0.7:8080")];
    /// assert_eq!(
    ///     verifiers.request_url(&headers, "/twilio?account=1").as_deref(),
    ///     Some("https://hooks.example.com/twilio?account=1"),
    /// );
    /// ```
    #[must_use]
    pub fn public_url(mut self, base: impl Into<String>) -> Self {
        let base: String = base.into();
        self.public_url = Some(Arc::from(base.trim_end_matches('/')));
        self
    }

    /// Without a [`public_url`](Self::public_url), build the URL from `X-Forwarded-Proto` and
    /// `X-Forwarded-Host` (else `Host`, over `http`). Only behind a proxy that sets these
    /// headers itself: a client can send any value, and the URL is part of what is verified.
    #[must_use]
    pub fn trust_forwarded_headers(mut self) -> Self {
        self.trust_forwarded = true;
        self
    }

    /// The URL a request was addressed to, as URL-signing schemes verify it: the
    /// [`public_url`](Self::public_url) followed by `path_and_query`, else (with
    /// [`trust_forwarded_headers`](Self::trust_forwarded_headers)) one built from the forwarded
    /// headers. `None` when neither is configured.
    pub fn request_url<H: crate::Headers + ?Sized>(
        &self,
        headers: &H,
        path_and_query: &str,
    ) -> Option<String> {
        if let Some(base) = &self.public_url {
            return Some(format!("{base}{path_and_query}"));
        }
        if !self.trust_forwarded {
            return None;
        }
        let text = |name: &str| match headers.lookup(name) {
            crate::HeaderLookup::One(value) => std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty()),
            _ => None,
        };
        let proto = text("x-forwarded-proto").unwrap_or("http");
        let host = text("x-forwarded-host").or_else(|| text("host"))?;
        Some(format!("{proto}://{host}{path_and_query}"))
    }

    /// The body limit in force for routes tagged `T`.
    pub fn body_limit_for<T: 'static>(&self) -> usize {
        self.entries
            .get(&TypeId::of::<T>())
            .and_then(|e| e.body_limit)
            .or(self.body_limit)
            .unwrap_or(DEFAULT_BODY_LIMIT)
    }

    /// The verifier registered for tag `T`.
    pub fn get<T: 'static>(&self) -> Option<&Verifier> {
        self.entries.get(&TypeId::of::<T>()).map(|e| &e.verifier)
    }
}
