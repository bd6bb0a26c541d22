//! The provider registry: one module per built-in provider, one table listing them.
//!
//! Each provider module (such as [`crate::stripe`]) holds everything about that sender: its
//! [`scheme()`](crate::stripe::scheme), written with the public [`SchemeBuilder`], its
//! [`INFO`](crate::stripe::INFO) (names, documentation row, source and confidence), and, with the
//! `events` feature, its typed event. The `providers!` table in this module is the only list of them:
//! [`Provider`], its names and aliases, [`Provider::ALL`], parsing, the `Scheme::<provider>()`
//! constructors and the typed dispatch ([`Provider::visit`]) all come from it.
//!
//! Adding a provider touches three source files (its `mod.rs` and `events.rs`, and one line here)
//! plus its fixtures in `hookverify-samples`.
//!
//! [`SchemeBuilder`]: crate::SchemeBuilder

use std::fmt;
use std::str::FromStr;

use crate::scheme::Scheme;

pub mod adyen;
pub mod autosend;
pub mod bitbucket;
pub mod box_com;
pub mod calendly;
pub mod coinbase_commerce;
pub mod discord;
pub mod github;
pub mod gitlab;
pub mod hubspot;
pub mod intercom;
pub mod jira;
pub mod lemonsqueezy;
pub mod linear;
pub mod mailgun;
pub mod meta;
pub mod mux;
pub mod paddle;
pub mod pagerduty;
pub mod razorpay;
pub mod sendable;
pub mod sendgrid;
pub mod sendkit;
pub mod sendpilot;
pub mod sent;
pub mod sentry;
pub mod shopify;
pub mod slack;
pub mod square;
pub mod standard_webhooks;
pub mod stripe;
pub mod twilio;
pub mod twitch;
pub mod typeform;
pub mod vercel;
pub mod woocommerce;
pub mod xero;
pub mod zendesk;
pub mod zoom;

/// How sure we are of a provider's scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Confidence {
    /// The provider documents the scheme, and known-answer vectors confirm it.
    Documented,
    /// Pieced together from partial documentation: verify a real delivery before relying on it,
    /// and describe it with [`Scheme::custom`] if yours differ.
    Inferred,
}

impl Confidence {
    /// `documented` or `inferred`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Confidence::Documented => "documented",
            Confidence::Inferred => "inferred",
        }
    }
}

/// What a provider module says about itself: names, and the row of the README's scheme table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProviderInfo {
    /// The name the CLI and `FromStr` use (`standard-webhooks`, `stripe`, ...).
    pub slug: &'static str,
    /// Other names `FromStr` accepts (`svix`).
    pub aliases: &'static [&'static str],
    /// The name people know it by (`Standard Webhooks / Svix`).
    pub title: &'static str,
    /// Where the scheme is described (the provider's documentation or SDK).
    pub source: &'static str,
    /// How sure we are of the scheme.
    pub confidence: Confidence,
    /// Which headers carry what.
    pub headers: &'static str,
    /// The signed bytes.
    pub signed: &'static str,
    /// The signature's format.
    pub signature: &'static str,
    /// How the secret becomes a key.
    pub secret: &'static str,
    /// Where the timestamp is, and the default tolerance.
    pub timestamp: &'static str,
    /// Where the idempotency key comes from.
    pub idempotency_key: &'static str,
}

impl ProviderInfo {
    /// The README table's header: `| scheme | headers | ... |` and the separator line.
    pub const TABLE_HEADER: &'static str = "| scheme | headers | signed bytes | signature | secret | timestamp, default tolerance | idempotency key | confidence | source |\n|---|---|---|---|---|---|---|---|---|";

    /// This provider's row of the README table.
    pub fn table_row(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            self.title,
            self.headers,
            self.signed,
            self.signature,
            self.secret,
            self.timestamp,
            self.idempotency_key,
            self.confidence.as_str(),
            self.source
        )
    }
}

/// Declares the registry: `Variant => module,` per provider, in display order.
macro_rules! providers {
    ($( $(#[$meta:meta])* $variant:ident => $module:ident, )*) => {
        /// The built-in providers, one per module of the registry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Provider {
            $( $(#[$meta])* $variant, )*
        }

        impl Provider {
            /// Every built-in provider, in the registry's order.
            pub const ALL: [Provider; <[&str]>::len(&[$(stringify!($variant)),*])] =
                [$(Provider::$variant),*];

            /// What the provider's module says about it.
            pub const fn info(self) -> &'static ProviderInfo {
                match self {
                    $( Provider::$variant => &$module::INFO, )*
                }
            }

            /// The provider's signature scheme.
            pub fn scheme(self) -> Scheme {
                match self {
                    $( Provider::$variant => $module::scheme(), )*
                }
            }

            /// Calls `visitor` with this provider's typed event type: the one place a provider
            /// value becomes a type (routes, verifier registries, parsers).
            #[cfg(feature = "events")]
            #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
            pub fn visit<V: ProviderVisitor>(self, visitor: V) -> V::Output {
                match self {
                    $( Provider::$variant => visitor.visit::<$module::Event>(self), )*
                }
            }
        }

        impl Scheme {
            $(
                #[doc = concat!("The built-in scheme of [`Provider::", stringify!($variant), "`]; see [`crate::", stringify!($module), "`].")]
                pub fn $module() -> Scheme {
                    $module::scheme()
                }
            )*
        }

        $(
            #[cfg(feature = "events")]
            impl ProviderEvent for $module::Event {
                const PROVIDER: Provider = Provider::$variant;
                fn variant(&self) -> &'static str {
                    $module::Event::variant(self)
                }
                fn misfit(&self) -> Option<&crate::Misfit> {
                    $module::misfit_of(self)
                }
            }
        )*
    };
}

providers! {
    /// Standard Webhooks / Svix (and Svix-based senders such as Clerk and Resend).
    StandardWebhooks => standard_webhooks,
    /// Sendable (sendable.dev), Svix-signed.
    Sendable => sendable,
    /// SendPilot (sendpilot.ai).
    SendPilot => sendpilot,
    /// AutoSend (autosend.com).
    AutoSend => autosend,
    /// SendKit (sendkit.ai).
    SendKit => sendkit,
    /// Sent (sent.dm).
    Sent => sent,
    /// Stripe.
    Stripe => stripe,
    /// GitHub.
    GitHub => github,
    /// Slack (Events API, slash commands, interactivity).
    Slack => slack,
    /// Shopify.
    Shopify => shopify,
    /// Razorpay.
    Razorpay => razorpay,
    /// Coinbase Commerce.
    CoinbaseCommerce => coinbase_commerce,
    /// Paddle Billing.
    Paddle => paddle,
    /// Twitch EventSub.
    Twitch => twitch,
    /// Intercom.
    Intercom => intercom,
    /// Vercel.
    Vercel => vercel,
    /// Zoom.
    Zoom => zoom,
    /// Calendly.
    Calendly => calendly,
    /// Mux.
    Mux => mux,
    /// Typeform.
    Typeform => typeform,
    /// Linear.
    Linear => linear,
    /// Lemon Squeezy.
    LemonSqueezy => lemonsqueezy,
    /// Meta (WhatsApp Cloud API, Messenger, Instagram).
    Meta => meta,
    /// Sentry integrations.
    Sentry => sentry,
    /// WooCommerce.
    WooCommerce => woocommerce,
    /// Xero.
    Xero => xero,
    /// Bitbucket Cloud.
    Bitbucket => bitbucket,
    /// Jira Cloud.
    Jira => jira,
    /// Zendesk.
    Zendesk => zendesk,
    /// Twilio (signs the URL and the form fields).
    Twilio => twilio,
    /// Square (signs the notification URL and the body).
    Square => square,
    /// HubSpot (signature v3; legacy v1/v2 as extra schemes).
    HubSpot => hubspot,
    /// PagerDuty (webhooks v3).
    PagerDuty => pagerduty,
    /// GitLab (signing token; the secret token as an extra scheme).
    GitLab => gitlab,
    /// Discord interactions (ed25519).
    Discord => discord,
    /// SendGrid Event Webhook (ECDSA P-256).
    SendGrid => sendgrid,
    /// Box (primary and secondary signature headers). Named `BoxCom` so a glob import of
    /// `Provider::*` does not shadow `Box`.
    BoxCom => box_com,
    /// Mailgun (the signature inside the body).
    Mailgun => mailgun,
    /// Adyen (HMAC signatures in every notification item).
    Adyen => adyen,
}

impl Provider {
    /// The provider's name as the CLI spells it.
    pub const fn name(self) -> &'static str {
        self.info().slug
    }

    /// Every name `FromStr` accepts for it: the slug, then the aliases.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        let info = self.info();
        std::iter::once(info.slug).chain(info.aliases.iter().copied())
    }

    /// The README's scheme table, rendered from the registry.
    pub fn markdown_table() -> String {
        let mut table = String::from(ProviderInfo::TABLE_HEADER);
        for provider in Provider::ALL {
            table.push('\n');
            table.push_str(&provider.info().table_row());
        }
        table
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A provider name that is not one of the built-ins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown provider `{}`; expected one of: ", self.0)?;
        for (index, provider) in Provider::ALL.into_iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(provider.name())?;
            let aliases = provider.info().aliases;
            if !aliases.is_empty() {
                write!(f, " (alias {})", aliases.join(", "))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;

    /// Parses a slug or alias, ignoring case and surrounding spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Provider::ALL
            .into_iter()
            .find(|p| p.names().any(|name| name.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| UnknownProvider(s.to_owned()))
    }
}

/// A built-in provider's typed event: `sendable::Event`, `stripe::Event`, ...
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub trait ProviderEvent: crate::WebhookEvent + Send + Sync + fmt::Debug + 'static {
    /// The provider whose event this is.
    const PROVIDER: Provider;
    /// The variant's name (`MessageSent`, `Unknown`, `Misfit`, or the envelope's type name), for
    /// logs.
    fn variant(&self) -> &'static str;
    /// The [`Misfit`](crate::Misfit) this event is, when its known type's payload did not fit.
    fn misfit(&self) -> Option<&crate::Misfit>;
}

/// Code that needs a provider's event *type*, not just its value: [`Provider::visit`] calls
/// [`visit`](Self::visit) with the right type parameter, so callers never write a
/// `match provider { … }` of their own.
///
/// ```
/// use hookverify::{Provider, ProviderEvent, ProviderVisitor};
///
/// struct TypeName;
/// impl ProviderVisitor for TypeName {
///     type Output = &'static str;
///     fn visit<E: ProviderEvent>(self, _provider: Provider) -> &'static str {
///         std::any::type_name::<E>()
///     }
/// }
/// assert_eq!(Provider::Stripe.visit(TypeName), "hookverify::providers::stripe::events::Event");
/// ```
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub trait ProviderVisitor {
    /// What the visit produces.
    type Output;
    /// Called with `E`, the typed event of `provider`.
    fn visit<E: ProviderEvent>(self, provider: Provider) -> Self::Output;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for provider in Provider::ALL {
            for name in provider.names() {
                assert_eq!(name.parse::<Provider>(), Ok(provider));
                assert_eq!(name.to_uppercase().parse::<Provider>(), Ok(provider));
            }
            assert_eq!(provider.scheme().provider(), Some(provider));
            assert_eq!(provider.scheme().name(), provider.name());
        }
        assert_eq!("SVIX".parse::<Provider>(), Ok(Provider::StandardWebhooks));
        let err = "no-such-sender"
            .parse::<Provider>()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("standard-webhooks (alias svix, standardwebhooks)"),
            "{err}"
        );
        assert!(err.ends_with("adyen (alias adyen-hmac)"), "{err}");
    }

    #[test]
    fn slugs_are_unique() {
        let mut names: Vec<&str> = Provider::ALL
            .into_iter()
            .flat_map(Provider::names)
            .collect();
        let before = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), before);
    }
}
