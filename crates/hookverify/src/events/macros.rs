//! The `events!` macro: a provider's event enum from a table of event types.

/// Declares a `#[non_exhaustive]` event enum: one variant per documented event type (with older
/// names as aliases), plus `Unknown` and `Misfit`. Generates `EVENT_TYPES`, `event_type()` and the dispatch
/// from a type string and the raw `data` JSON to the typed variant.
macro_rules! events {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident($payload:ty) = $canonical:literal $(| $alias:literal)*,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant($payload),
            )*
            /// An event type this version does not know, with the verified raw body kept whole.
            Unknown($crate::events::Unknown),
            /// A known event type whose payload does not fit its struct, kept raw with the
            /// error (see [`Misfit`]($crate::events::Misfit)).
            Misfit($crate::events::Misfit),
        }

        impl $name {
            /// Every event type this enum knows: current names, then older aliases.
            pub const EVENT_TYPES: &'static [&'static str] = &[$($canonical, $($alias,)*)*];

            /// The event type: the current name for renamed types, the name as sent for `Unknown`.
            pub fn event_type(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $canonical,)*
                    Self::Unknown(unknown) => &unknown.event_type,
                    Self::Misfit(misfit) => &misfit.event_type,
                }
            }

            /// The variant's name (`MessageSent`, `Unknown`, ...), for logs and tools.
            pub fn variant(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($variant),)*
                    Self::Unknown(_) => "Unknown",
                    Self::Misfit(_) => "Misfit",
                }
            }

            /// Whether `event_type` is one this enum has a variant for.
            pub fn is_known(event_type: &str) -> bool {
                Self::EVENT_TYPES.contains(&event_type)
            }

            /// Dispatches on the type: a known type's `data` fits its payload or is a `Misfit`.
            pub(crate) fn from_data(
                event_type: &str,
                data_path: &str,
                data: &str,
                body: &$crate::events::RawBody,
            ) -> Self {
                match event_type {
                    $(
                        $canonical $(| $alias)* => $crate::events::fit(
                            event_type, data_path, data, body, Self::$variant, Self::Misfit,
                        ),
                    )*
                    _ => Self::Unknown($crate::events::Unknown::new(event_type, body)),
                }
            }
        }
    };
}

pub(crate) use events;

/// Declares a string enum for a documented set of values (matched in any letter case) that keeps
/// any other value as `Other(String)`, so a new value from the provider is never a parse error.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
        #[serde(from = "String")]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value not in the documentation, as sent.
            Other(String),
        }

        impl From<String> for $name {
            /// A documented value in any letter case (`DELIVERED`, `delivered`), else `Other`.
            fn from(value: String) -> Self {
                $( if value.eq_ignore_ascii_case($value) { return Self::$variant; } )*
                Self::Other(value)
            }
        }

        impl $name {
            /// The value as the provider writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Other(value) => value,
                }
            }
        }
    };
}

pub(crate) use string_enum;

/// Declares a catalog provider's `Payload`: the JSON body kept as a map, the event type from the
/// scheme's event type header or else the first of the given JSON pointers that holds text, the
/// idempotency key by the scheme's rule (names or pointers). For senders whose bodies we do not
/// model field by field: the typed view is the map and [`Payload::pointer`].
macro_rules! json_payload {
    ($provider:literal, type_at: [$($pointer:literal),+ $(,)?]) => {
        #[doc = concat!("A verified ", $provider, " body: its JSON object, whole. The event type is ")]
        #[doc = concat!("the first of `", $($pointer, "` `", )+ "` that holds text (or the scheme's event type header).")]
        ///
        /// Verified requests parse through [`WebhookEvent`](crate::WebhookEvent); the type also
        /// implements `Deserialize`, so a stored body reads back with serde.
        #[derive(Clone, Debug, PartialEq, serde::Deserialize)]
        #[non_exhaustive]
        pub struct Payload {
            /// The body's fields.
            #[serde(flatten)]
            pub fields: serde_json::Map<String, serde_json::Value>,
        }

        impl Payload {
            /// The value at JSON pointer `pointer` (`/payload/payment/entity/id`).
            pub fn pointer(&self, pointer: &str) -> Option<&serde_json::Value> {
                if !pointer.starts_with('/') {
                    return None;
                }
                let (first, rest) = $crate::events::generic::split_field(pointer);
                let value = self.fields.get(first)?;
                match rest {
                    Some(rest) => value.pointer(&format!("/{rest}")),
                    None => Some(value),
                }
            }

            /// The name tools print for this event (`<provider>::Payload`): it has no variants.
            pub fn variant(&self) -> &'static str {
                concat!($provider, "::Payload")
            }
        }

        impl $crate::events::WebhookEvent for Payload {
            fn from_verified(
                body: &$crate::events::RawBody,
                verified: &$crate::Verified,
            ) -> Result<(Self, $crate::events::Meta), $crate::events::ParseError> {
                let (fields, meta) =
                    $crate::events::catalog::parse(body, verified, $provider, &[$($pointer),+])?;
                Ok((Payload { fields }, meta))
            }
        }

        /// A body with no per-type struct: never a misfit.
        pub(crate) fn misfit_of(_: &Payload) -> Option<&$crate::Misfit> {
            None
        }
    };
}
pub(crate) use json_payload;
