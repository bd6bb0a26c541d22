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
