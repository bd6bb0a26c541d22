//! [`RawBody`]: the verified body, shared with the request instead of copied.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use bytestring::ByteString;
use serde::de::DeserializeOwned;

use super::ParseError;

/// The exact verified body as text: a cheap, reference-counted view of the request's own bytes
/// (`bytes::Bytes`), never a copy.
///
/// [`Parsed::raw_body`](super::Parsed::raw_body), [`Unknown::raw`](super::Unknown) and
/// [`Misfit::raw`](super::Misfit) all point at the same bytes the adapter read, so keeping the
/// raw body next to the typed event costs a reference count, not a second buffer. It is valid
/// UTF-8 (JSON and form bodies are text; [`RawBody::new`] checks).
///
/// ```
/// use hookverify::RawBody;
///
/// let body = RawBody::new(bytes::Bytes::from_static(br#"{"type":"invoice.paid"}"#))?;
/// assert_eq!(body.as_str(), r#"{"type":"invoice.paid"}"#);
/// let value: serde_json::Value = body.parse_as()?;
/// assert_eq!(value["type"], "invoice.paid");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct RawBody(ByteString);

impl RawBody {
    /// Takes `bytes` as the body, after checking they are UTF-8. No copy is made.
    ///
    /// # Errors
    ///
    /// [`ParseError::NotJson`] when the bytes are not UTF-8 (a JSON body always is; a form body
    /// is ASCII).
    pub fn new(bytes: Bytes) -> Result<Self, ParseError> {
        ByteString::try_from(bytes)
            .map(RawBody)
            .map_err(|err| ParseError::NotJson {
                message: format!("the body is not UTF-8: {err}"),
            })
    }

    /// The body as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The body as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The underlying shared bytes (a reference-count increment, not a copy).
    pub fn bytes(&self) -> Bytes {
        self.0.as_bytes().clone()
    }

    /// Deserializes the body into a type of your own.
    ///
    /// # Errors
    ///
    /// serde_json's error when the body does not fit `T`.
    pub fn parse_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.as_str())
    }
}

impl Deref for RawBody {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for RawBody {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<str> for RawBody {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<RawBody> for Bytes {
    fn from(body: RawBody) -> Bytes {
        body.0.into_bytes()
    }
}

impl From<&'static str> for RawBody {
    fn from(text: &'static str) -> Self {
        RawBody(ByteString::from_static(text))
    }
}

impl From<String> for RawBody {
    fn from(text: String) -> Self {
        RawBody(ByteString::from(text))
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
