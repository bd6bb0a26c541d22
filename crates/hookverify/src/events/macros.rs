//! The `events!` macro: a provider's event enum from a table of event types.

/// Declares a `#[non_exhaustive]` event enum: one variant per documented event type (with older
/// names as aliases), plus `Unknown`. Generates `EVENT_TYPES`, `event_type()` and the dispatch
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
            /// An event type this version does not know, with the verified raw JSON kept whole.
            Unknown($crate::events::Unknown),
        }

        impl $name {
            /// Every event type this enum knows: current names, then older aliases.
            pub const EVENT_TYPES: &'static [&'static str] = &[$($canonical, $($alias,)*)*];

            /// The event type: the current name for renamed types, the name as sent for `Unknown`.
            pub fn event_type(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $canonical,)*
                    Self::Unknown(unknown) => &unknown.event_type,
                }
            }

            /// The variant's name (`MessageSent`, `Unknown`, ...), for logs and tools.
            pub fn variant(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($variant),)*
                    Self::Unknown(_) => "Unknown",
                }
            }

            /// Whether `event_type` is one this enum has a variant for.
            pub fn is_known(event_type: &str) -> bool {
                Self::EVENT_TYPES.contains(&event_type)
            }

            /// Dispatches on the type: a known type's `data` must fit its payload.
            pub(crate) fn from_data(
                event_type: &str,
                data_path: &str,
                data: &str,
                body: &[u8],
            ) -> Result<Self, $crate::events::ParseError> {
                match event_type {
                    $(
                        $canonical $(| $alias)* => Ok(Self::$variant(
                            $crate::events::payload(event_type, data_path, data)?,
                        )),
                    )*
                    _ => Ok(Self::Unknown($crate::events::Unknown {
                        event_type: event_type.to_owned(),
                        raw: $crate::events::raw_body(body)?,
                    })),
                }
            }
        }
    };
}

pub(crate) use events;

/// Declares a string enum for a documented set of values that keeps any other value as
/// `Other(String)`, so a new value from the provider is never a parse error.
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
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )*
                    _ => Self::Other(value),
                }
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
