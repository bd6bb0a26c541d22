//! Signatures carried in the body (Mailgun): the fields of the body's signature object, read
//! once and answered to the verifier as pseudo-headers, so every later step (header set,
//! timestamp, signed content, second signature) is the one header-signed schemes use.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::error::{BodyProblem, VerifyError};
use crate::headers::{HeaderKey, HeaderLookup, Headers};
use crate::scheme::Name;

/// The prefix of a body field's key (`:body:token`): no HTTP header name has a `:`.
pub(crate) const PREFIX: &str = ":body:";

/// The most distinct fields a scheme reads from the body.
const MAX_FIELDS: usize = 8;

#[derive(Clone, Debug, Default)]
enum Slot<'b> {
    #[default]
    Missing,
    One(Cow<'b, str>),
    Repeated,
}

/// The values of the fields a scheme reads from one body, borrowed from it where the text
/// needs no unescaping.
pub(crate) struct BodyFields<'n, 'b> {
    names: &'n [Name],
    slots: [Slot<'b>; MAX_FIELDS],
}

impl<'n, 'b> BodyFields<'n, 'b> {
    /// Reads `names` from `body`: from its JSON object `object` when the body is a JSON
    /// object (first non-blank byte `{`), else from its top-level form fields.
    ///
    /// # Errors
    ///
    /// [`VerifyError::MalformedSignedBody`] for invalid JSON, an `object` that is not one JSON
    /// object, a field that is not text, or a form field that does not decode to UTF-8.
    pub(crate) fn parse(
        body: &'b [u8],
        object: &Name,
        names: &'n [Name],
    ) -> Result<Self, VerifyError> {
        let mut fields = BodyFields {
            names,
            slots: Default::default(),
        };
        let json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        if json {
            fields.read_json(body, object)?;
        } else {
            fields.read_form(body)?;
        }
        Ok(fields)
    }

    fn read_json(&mut self, body: &'b [u8], object: &Name) -> Result<(), VerifyError> {
        let mut problem = None;
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let read = Top {
            object,
            fields: self,
            problem: &mut problem,
        }
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
        let Err(err) = read else {
            return Ok(());
        };
        let problem = match (err.classify(), problem) {
            (serde_json::error::Category::Data, Some(problem)) => problem,
            (serde_json::error::Category::Data, None) => BodyProblem::BadObject {
                name: object.clone(),
            },
            _ => BodyProblem::NotJson {
                line: err.line(),
                column: err.column(),
            },
        };
        Err(VerifyError::MalformedSignedBody { problem })
    }

    fn read_form(&mut self, body: &'b [u8]) -> Result<(), VerifyError> {
        for piece in body.split(|&b| b == b'&') {
            let (name, value) = match piece.iter().position(|&b| b == b'=') {
                Some(at) => {
                    let (name, value) = piece.split_at(at);
                    (name, value.get(1..).unwrap_or_default())
                }
                None => (piece, &[][..]),
            };
            let Some(index) = crate::request::decode_form_text(name)
                .and_then(|name| self.names.iter().position(|n| *n == name))
            else {
                continue;
            };
            let value = crate::request::decode_form_text(value).ok_or(
                VerifyError::MalformedSignedBody {
                    problem: BodyProblem::FormNotUtf8,
                },
            )?;
            self.store(index, value);
        }
        Ok(())
    }

    fn store(&mut self, index: usize, value: Cow<'b, str>) {
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = match slot {
                Slot::Missing => Slot::One(value),
                _ => Slot::Repeated,
            };
        }
    }

    fn lookup(&self, field: &str) -> HeaderLookup<'_> {
        let slot = self
            .names
            .iter()
            .position(|name| name == field)
            .and_then(|index| self.slots.get(index));
        match slot {
            Some(Slot::One(value)) => HeaderLookup::One(value.as_bytes()),
            Some(Slot::Repeated) => HeaderLookup::Repeated,
            Some(Slot::Missing) | None => HeaderLookup::Missing,
        }
    }
}

/// The request's headers with the body's signature fields answering their `:body:` keys.
pub(crate) struct BodyHeaders<'a, 'n, 'b, H: ?Sized> {
    headers: &'a H,
    fields: &'a BodyFields<'n, 'b>,
}

impl<'a, 'n, 'b, H: Headers + ?Sized> BodyHeaders<'a, 'n, 'b, H> {
    pub(crate) fn new(headers: &'a H, fields: &'a BodyFields<'n, 'b>) -> Self {
        BodyHeaders { headers, fields }
    }
}

impl<H: Headers + ?Sized> Headers for BodyHeaders<'_, '_, '_, H> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        match name.strip_prefix(PREFIX) {
            Some(field) => self.fields.lookup(field),
            None => self.headers.lookup(name),
        }
    }

    fn lookup_key(&self, key: &HeaderKey) -> HeaderLookup<'_> {
        match key.as_str().strip_prefix(PREFIX) {
            Some(field) => self.fields.lookup(field),
            None => self.headers.lookup_key(key),
        }
    }

    fn lookup_many<'s>(&'s self, keys: &[HeaderKey], out: &mut [HeaderLookup<'s>]) {
        self.headers.lookup_many(keys, out);
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            if let Some(field) = key.as_str().strip_prefix(PREFIX) {
                *slot = self.fields.lookup(field);
            }
        }
    }
}

/// Names a missing or repeated field as a body field, not a header.
pub(crate) fn field_error(err: VerifyError) -> VerifyError {
    match err {
        VerifyError::MissingHeader { name } => VerifyError::MissingBodyField { name },
        VerifyError::RepeatedHeader { name } => VerifyError::RepeatedBodyField { name },
        other => other,
    }
}

/// The body's top-level object: finds `object`, skips everything else unread.
struct Top<'s, 'n, 'b> {
    object: &'s Name,
    fields: &'s mut BodyFields<'n, 'b>,
    problem: &'s mut Option<BodyProblem>,
}

impl<'de, 's, 'n> DeserializeSeed<'de> for Top<'s, 'n, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 's, 'n> Visitor<'de> for Top<'s, 'n, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = false;
        while let Some(is_object) = map.next_key_seed(IsName(self.object))? {
            if !is_object {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if seen {
                *self.problem = Some(BodyProblem::BadObject {
                    name: self.object.clone(),
                });
                return Err(de::Error::custom("repeated object"));
            }
            seen = true;
            map.next_value_seed(Object {
                object: self.object,
                fields: &mut *self.fields,
                problem: &mut *self.problem,
            })?;
        }
        Ok(())
    }
}

/// Whether a key is `name` (compared after unescaping).
struct IsName<'s>(&'s str);

impl<'de> DeserializeSeed<'de> for IsName<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsName<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// The signature object: stores the fields the scheme reads.
struct Object<'s, 'n, 'b> {
    object: &'s Name,
    fields: &'s mut BodyFields<'n, 'b>,
    problem: &'s mut Option<BodyProblem>,
}

impl<'de, 's, 'n> DeserializeSeed<'de> for Object<'s, 'n, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 's, 'n> Visitor<'de> for Object<'s, 'n, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(index) = map.next_key_seed(FieldIndex(self.fields.names))? {
            let Some(index) = index else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match map.next_value_seed(Text) {
                Ok(value) => self.fields.store(index, value),
                Err(err) => {
                    let field = self.fields.names.get(index).map_or("", |n| n.as_ref());
                    *self.problem = Some(BodyProblem::NotText {
                        name: Cow::Owned(format!("{}.{field}", self.object)),
                    });
                    return Err(err);
                }
            }
        }
        Ok(())
    }
}

/// The position of a key among the scheme's field names, if it is one.
struct FieldIndex<'n>(&'n [Name]);

impl<'de> DeserializeSeed<'de> for FieldIndex<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| name == key))
    }
}

/// A field's text: a string (borrowed unless escaped) or a whole number's digits.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a whole number")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<Name> {
        ["signature", "token", "timestamp"]
            .into_iter()
            .map(Cow::Borrowed)
            .collect()
    }

    fn object() -> Name {
        Cow::Borrowed("signature")
    }

    #[test]
    fn reads_json_fields_and_skips_the_rest() {
        let names = names();
        let body = br#" {"event-data": {"signature": "no", "x": [1, {"token": 2}]},
            "signature": {"timestamp": 1403645220, "token": "t\u0041k", "signature": "ab", "other": null}} "#;
        let fields = BodyFields::parse(body, &object(), &names).unwrap();
        assert_eq!(fields.lookup("timestamp"), HeaderLookup::One(b"1403645220"));
        assert_eq!(fields.lookup("token"), HeaderLookup::One(b"tAk"));
        assert_eq!(fields.lookup("signature"), HeaderLookup::One(b"ab"));
        assert_eq!(fields.lookup("other"), HeaderLookup::Missing);
    }

    #[test]
    fn refuses_ambiguous_and_malformed_bodies() {
        let names = names();
        // The token's lookup, owned.
        let parse = |body: &[u8]| {
            BodyFields::parse(body, &object(), &names).map(|f| match f.lookup("token") {
                HeaderLookup::One(value) => Some(value.to_vec()),
                HeaderLookup::Missing => None,
                HeaderLookup::Repeated => Some(b"<repeated>".to_vec()),
            })
        };
        assert_eq!(
            parse(br#"{"signature": {"token": "a", "token": "b"}}"#),
            Ok(Some(b"<repeated>".to_vec()))
        );
        let problem = |body: &[u8]| match parse(body) {
            Err(VerifyError::MalformedSignedBody { problem }) => Some(problem),
            _ => None,
        };
        assert!(matches!(
            problem(br#"{"signature": {}, "signature": {}}"#),
            Some(BodyProblem::BadObject { .. })
        ));
        assert!(matches!(
            problem(br#"{"signature": "text"}"#),
            Some(BodyProblem::BadObject { .. })
        ));
        assert_eq!(
            problem(br#"{"signature": {"token": ["a"]}}"#),
            Some(BodyProblem::NotText {
                name: Cow::Borrowed("signature.token")
            })
        );
        assert!(matches!(
            problem(br#"{"signature": {"token": -1}}"#),
            Some(BodyProblem::NotText { .. })
        ));
        assert!(matches!(
            problem(br#"{"signature": {"token": "a"}"#),
            Some(BodyProblem::NotJson { .. })
        ));
        assert!(matches!(
            problem(br#"{"signature": {"token": "a"}} trailing"#),
            Some(BodyProblem::NotJson { .. })
        ));
        assert_eq!(parse(br#"{"event-data": {}}"#), Ok(None));
    }

    #[test]
    fn reads_form_fields() {
        let names = names();
        let body = b"event=delivered&timestamp=1403645220&token=a%2Bb+c&signature=ab&token2=x";
        let fields = BodyFields::parse(body, &object(), &names).unwrap();
        assert_eq!(fields.lookup("token"), HeaderLookup::One(b"a+b c"));
        assert_eq!(fields.lookup("timestamp"), HeaderLookup::One(b"1403645220"));
        let repeated = BodyFields::parse(b"token=a&token=a", &object(), &names).unwrap();
        assert_eq!(repeated.lookup("token"), HeaderLookup::Repeated);
        assert!(matches!(
            BodyFields::parse(b"token=%FF", &object(), &names),
            Err(VerifyError::MalformedSignedBody {
                problem: BodyProblem::FormNotUtf8
            })
        ));
    }
}
