//! Signatures carried in the body (Mailgun): the fields of the body's signature object, read
//! once and answered to the verifier as pseudo-headers, so every later step (header set,
//! timestamp, signed content, second signature) is the one header-signed schemes use.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{BodyProblem, VerifyError};
use crate::headers::{HeaderKey, HeaderLookup, Headers};
use crate::scheme::{Name, SchemeError};

/// The prefix of a body field's key (`:body:token`): no HTTP header name has a `:`.
pub(crate) const PREFIX: &str = ":body:";

/// The most distinct fields a scheme reads from each record.
pub(crate) const MAX_FIELDS: usize = 16;

/// The most records (Adyen's notification items) one body may carry.
pub(crate) const MAX_RECORDS: usize = 100;

/// Where a body carries its signed record(s): `signature` (Mailgun: the object of that name),
/// `notificationItems/*/NotificationRequestItem` (Adyen: in every element of an array).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BodyPath {
    segments: Vec<Name>,
}

impl BodyPath {
    /// Parses `a/b/*/c`: names of objects, `*` for every element of an array.
    pub(crate) fn parse(path: &str) -> Result<Self, SchemeError> {
        let segments: Vec<Name> = path
            .split('/')
            .map(|segment| Cow::Owned(segment.to_owned()))
            .collect();
        if path.is_empty() || segments.iter().any(|segment| segment.is_empty()) {
            return Err(SchemeError::Empty {
                what: "body path segment",
            });
        }
        Ok(BodyPath { segments })
    }

    /// The name errors show a record's fields under (`signature.token`): the last named
    /// segment.
    pub(crate) fn label(&self) -> &str {
        self.segments
            .iter()
            .rev()
            .find(|segment| segment.as_ref() != "*")
            .map_or("body", |segment| segment.as_ref())
    }

    /// Whether the path holds one record at most (no `*`): a form body's top-level fields
    /// may then be that record.
    fn single(&self) -> bool {
        !self.segments.iter().any(|segment| segment.as_ref() == "*")
    }

    /// The segments, for the signer.
    pub(crate) fn segments(&self) -> &[Name] {
        &self.segments
    }
}

#[derive(Clone, Debug, Default)]
enum Slot<'b> {
    #[default]
    Missing,
    One(Cow<'b, str>),
    Repeated,
}

type Slots<'b> = [Slot<'b>; MAX_FIELDS];

/// The fields a scheme reads from each record of one body, borrowed from it where the text
/// needs no unescaping. The first record is held inline (Mailgun has one, Adyen usually one).
pub(crate) struct BodyRecords<'n, 'b> {
    names: &'n [Name],
    first: Slots<'b>,
    more: Vec<Slots<'b>>,
    count: usize,
}

/// One record's fields.
#[derive(Clone, Copy)]
pub(crate) struct Record<'r, 'b> {
    names: &'r [Name],
    slots: &'r Slots<'b>,
}

impl Record<'_, '_> {
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

    /// The text of `field`, `None` when absent or repeated.
    pub(crate) fn text(&self, field: &str) -> Option<&str> {
        match self.lookup(field) {
            HeaderLookup::One(value) => std::str::from_utf8(value).ok(),
            _ => None,
        }
    }
}

impl<'n, 'b> BodyRecords<'n, 'b> {
    /// Reads `names` from every record of `body` at `path`: a JSON body when its first
    /// non-blank byte is `{`, else (for a path without `*`) a form whose top-level fields are
    /// the one record.
    ///
    /// # Errors
    ///
    /// [`VerifyError::MalformedSignedBody`] for invalid JSON, a path that does not lead to
    /// objects, a field that is not text, too many records, or a form field that does not
    /// decode to UTF-8.
    pub(crate) fn parse(
        body: &'b [u8],
        path: &BodyPath,
        names: &'n [Name],
    ) -> Result<Self, VerifyError> {
        let mut records = BodyRecords {
            names,
            first: Default::default(),
            more: Vec::new(),
            count: 0,
        };
        let json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        if json {
            records.read_json(body, path)?;
        } else if path.single() {
            records.read_form(body)?;
        } else {
            return Err(VerifyError::MalformedSignedBody {
                problem: BodyProblem::NotJson { line: 1, column: 1 },
            });
        }
        Ok(records)
    }

    /// Every record; a body with none reads as one empty record, so the missing fields are
    /// named.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Record<'_, 'b>> {
        let names = self.names;
        std::iter::once(&self.first)
            .chain(self.more.iter())
            .take(self.count.max(1))
            .map(move |slots| Record { names, slots })
    }

    fn push(&mut self) -> Result<(), BodyProblem> {
        if self.count >= MAX_RECORDS {
            return Err(BodyProblem::TooManyRecords { max: MAX_RECORDS });
        }
        if self.count > 0 {
            self.more.push(Default::default());
        }
        self.count = self.count.saturating_add(1);
        Ok(())
    }

    fn store(&mut self, index: usize, value: Cow<'b, str>) {
        let slots = if self.count <= 1 {
            Some(&mut self.first)
        } else {
            self.more.last_mut()
        };
        if let Some(slot) = slots.and_then(|slots| slots.get_mut(index)) {
            *slot = match slot {
                Slot::Missing => Slot::One(value),
                _ => Slot::Repeated,
            };
        }
    }

    fn read_json(&mut self, body: &'b [u8], path: &BodyPath) -> Result<(), VerifyError> {
        let mut problem = None;
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let read = Walk {
            segments: &path.segments,
            label: path.label(),
            records: self,
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
                name: Cow::Owned(path.label().to_owned()),
            },
            _ => BodyProblem::NotJson {
                line: err.line(),
                column: err.column(),
            },
        };
        Err(VerifyError::MalformedSignedBody { problem })
    }

    fn read_form(&mut self, body: &'b [u8]) -> Result<(), VerifyError> {
        self.count = 1;
        for piece in body.split(|&b| b == b'&') {
            let (name, value) = crate::request::split_pair(piece);
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
}

/// The request's headers with one record's fields answering their `:body:` keys.
pub(crate) struct BodyHeaders<'a, 'b, H: ?Sized> {
    headers: &'a H,
    record: Record<'a, 'b>,
}

impl<'a, 'b, H: Headers + ?Sized> BodyHeaders<'a, 'b, H> {
    pub(crate) fn new(headers: &'a H, record: Record<'a, 'b>) -> Self {
        BodyHeaders { headers, record }
    }
}

impl<H: Headers + ?Sized> Headers for BodyHeaders<'_, '_, H> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        match name.strip_prefix(PREFIX) {
            Some(field) => self.record.lookup(field),
            None => self.headers.lookup(name),
        }
    }

    fn lookup_key(&self, key: &HeaderKey) -> HeaderLookup<'_> {
        match key.as_str().strip_prefix(PREFIX) {
            Some(field) => self.record.lookup(field),
            None => self.headers.lookup_key(key),
        }
    }

    fn lookup_many<'s>(&'s self, keys: &[HeaderKey], out: &mut [HeaderLookup<'s>]) {
        self.headers.lookup_many(keys, out);
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            if let Some(field) = key.as_str().strip_prefix(PREFIX) {
                *slot = self.record.lookup(field);
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

/// Follows the path's remaining segments from one JSON value; at its end, the value is a
/// record.
struct Walk<'s, 'n, 'b> {
    segments: &'s [Name],
    label: &'s str,
    records: &'s mut BodyRecords<'n, 'b>,
    problem: &'s mut Option<BodyProblem>,
}

impl<'de, 's, 'n> DeserializeSeed<'de> for Walk<'s, 'n, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.segments.first().map(AsRef::as_ref) {
            None => {
                if let Err(problem) = self.records.push() {
                    *self.problem = Some(problem);
                    return Err(de::Error::custom("too many records"));
                }
                deserializer.deserialize_map(Fields {
                    prefix: "",
                    label: self.label,
                    records: self.records,
                    problem: self.problem,
                })
            }
            Some("*") => deserializer.deserialize_seq(self),
            Some(_) => deserializer.deserialize_map(self),
        }
    }
}

impl<'de, 's, 'n> Visitor<'de> for Walk<'s, 'n, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array on the signature's path")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let rest = self.segments.get(1..).unwrap_or_default();
        while seq
            .next_element_seed(Walk {
                segments: rest,
                label: self.label,
                records: &mut *self.records,
                problem: &mut *self.problem,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let name = self.segments.first().map_or("", |segment| segment.as_ref());
        let rest = self.segments.get(1..).unwrap_or_default();
        let mut seen = false;
        while let Some(is_next) = map.next_key_seed(IsName(name))? {
            if !is_next {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if seen {
                *self.problem = Some(BodyProblem::BadObject {
                    name: Cow::Owned(name.to_owned()),
                });
                return Err(de::Error::custom("repeated object"));
            }
            seen = true;
            map.next_value_seed(Walk {
                segments: rest,
                label: self.label,
                records: &mut *self.records,
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

/// A record's object (or, with a prefix, an object inside it such as Adyen's `amount`):
/// stores the fields the scheme reads, by dotted name.
struct Fields<'s, 'n, 'b> {
    prefix: &'s str,
    label: &'s str,
    records: &'s mut BodyRecords<'n, 'b>,
    problem: &'s mut Option<BodyProblem>,
}

impl<'de, 's, 'n> DeserializeSeed<'de> for Fields<'s, 'n, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// What a key of a record is to the scheme.
enum Key {
    /// One of its fields, at this index.
    Field(usize),
    /// An object holding some of its fields (`amount` for `amount.value`): the dotted name.
    Parent(String),
    /// Nothing it reads.
    Other,
}

struct KeySeed<'s> {
    prefix: &'s str,
    names: &'s [Name],
}

impl<'de, 's> DeserializeSeed<'de> for KeySeed<'s> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 's> Visitor<'de> for KeySeed<'s> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        // What follows `prefix.key` in a field's dotted name, if it starts so.
        let after = |name: &'s Name| -> Option<&'s str> {
            let rest = if self.prefix.is_empty() {
                Some(name.as_ref())
            } else {
                name.strip_prefix(self.prefix)
                    .and_then(|rest| rest.strip_prefix('.'))
            };
            rest.and_then(|rest| rest.strip_prefix(key))
        };
        if let Some(index) = self.names.iter().position(|name| after(name) == Some("")) {
            return Ok(Key::Field(index));
        }
        if self
            .names
            .iter()
            .any(|name| after(name).is_some_and(|rest| rest.starts_with('.')))
        {
            return Ok(Key::Parent(if self.prefix.is_empty() {
                key.to_owned()
            } else {
                format!("{}.{key}", self.prefix)
            }));
        }
        Ok(Key::Other)
    }
}

impl<'de, 's, 'n> Visitor<'de> for Fields<'s, 'n, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let names = self.records.names;
        while let Some(key) = map.next_key_seed(KeySeed {
            prefix: self.prefix,
            names,
        })? {
            match key {
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Parent(prefix) => {
                    let read = map.next_value_seed(Fields {
                        prefix: &prefix,
                        label: self.label,
                        records: &mut *self.records,
                        problem: &mut *self.problem,
                    });
                    if let Err(err) = read {
                        if self.problem.is_none() {
                            *self.problem = Some(BodyProblem::BadObject {
                                name: Cow::Owned(format!("{}.{prefix}", self.label)),
                            });
                        }
                        return Err(err);
                    }
                }
                Key::Field(index) => match map.next_value_seed(Text) {
                    Ok(value) => self.records.store(index, value),
                    Err(err) => {
                        let field = names.get(index).map_or("", |n| n.as_ref());
                        *self.problem = Some(BodyProblem::NotText {
                            name: Cow::Owned(format!("{}.{field}", self.label)),
                        });
                        return Err(err);
                    }
                },
            }
        }
        Ok(())
    }
}

/// A field's text: a string (borrowed unless escaped), a whole number's digits, or `true` /
/// `false`.
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
        f.write_str("a string, a whole number or a boolean")
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

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_string()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(if value { "true" } else { "false" }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&'static str]) -> Vec<Name> {
        list.iter().map(|name| Cow::Borrowed(*name)).collect()
    }

    fn mailgun() -> (BodyPath, Vec<Name>) {
        (
            BodyPath::parse("signature").unwrap(),
            names(&["signature", "token", "timestamp"]),
        )
    }

    /// Each record's `field`, owned (`<repeated>` for a repeated one).
    fn texts(
        body: &[u8],
        path: &BodyPath,
        names: &[Name],
        field: &str,
    ) -> Result<Vec<Option<String>>, VerifyError> {
        let records = BodyRecords::parse(body, path, names)?;
        Ok(records
            .iter()
            .map(|record| match record.lookup(field) {
                HeaderLookup::One(value) => Some(String::from_utf8(value.to_vec()).unwrap()),
                HeaderLookup::Missing => None,
                HeaderLookup::Repeated => Some("<repeated>".to_owned()),
            })
            .collect())
    }

    fn problem(result: Result<Vec<Option<String>>, VerifyError>) -> Option<BodyProblem> {
        match result {
            Err(VerifyError::MalformedSignedBody { problem }) => Some(problem),
            _ => None,
        }
    }

    #[test]
    fn reads_json_fields_and_skips_the_rest() {
        let (path, names) = mailgun();
        let body = br#" {"event-data": {"signature": "no", "x": [1, {"token": 2}]},
            "signature": {"timestamp": 1403645220, "token": "t\u0041k", "signature": "ab", "other": null}} "#;
        let read = |field| texts(body, &path, &names, field).unwrap();
        assert_eq!(read("timestamp"), [Some("1403645220".to_owned())]);
        assert_eq!(read("token"), [Some("tAk".to_owned())]);
        assert_eq!(read("signature"), [Some("ab".to_owned())]);
        assert_eq!(read("other"), [None]);
    }

    #[test]
    fn refuses_ambiguous_and_malformed_bodies() {
        let (path, names) = mailgun();
        let token = |body: &[u8]| texts(body, &path, &names, "token");
        assert_eq!(
            token(br#"{"signature": {"token": "a", "token": "b"}}"#).unwrap(),
            [Some("<repeated>".to_owned())]
        );
        assert!(matches!(
            problem(token(br#"{"signature": {}, "signature": {}}"#)),
            Some(BodyProblem::BadObject { .. })
        ));
        assert!(matches!(
            problem(token(br#"{"signature": "text"}"#)),
            Some(BodyProblem::BadObject { .. })
        ));
        assert_eq!(
            problem(token(br#"{"signature": {"token": ["a"]}}"#)),
            Some(BodyProblem::NotText {
                name: Cow::Borrowed("signature.token")
            })
        );
        assert!(matches!(
            problem(token(br#"{"signature": {"token": 1.5}}"#)),
            Some(BodyProblem::NotText { .. })
        ));
        assert!(matches!(
            problem(token(br#"{"signature": {"token": "a"}"#)),
            Some(BodyProblem::NotJson { .. })
        ));
        assert!(matches!(
            problem(token(br#"{"signature": {"token": "a"}} trailing"#)),
            Some(BodyProblem::NotJson { .. })
        ));
        // No signature object: one empty record, so the missing fields are named.
        assert_eq!(token(br#"{"event-data": {}}"#).unwrap(), [None]);
    }

    #[test]
    fn reads_form_fields() {
        let (path, names) = mailgun();
        let read = |body: &[u8], field| texts(body, &path, &names, field);
        let body = b"event=delivered&timestamp=1403645220&token=a%2Bb+c&signature=ab&token2=x";
        assert_eq!(read(body, "token").unwrap(), [Some("a+b c".to_owned())]);
        assert_eq!(
            read(body, "timestamp").unwrap(),
            [Some("1403645220".to_owned())]
        );
        assert_eq!(
            read(b"token=a&token=a", "token").unwrap(),
            [Some("<repeated>".to_owned())]
        );
        assert_eq!(
            problem(read(b"token=%FF", "token")),
            Some(BodyProblem::FormNotUtf8)
        );
    }

    #[test]
    fn reads_every_record_of_an_array_with_dotted_fields() {
        let path = BodyPath::parse("items/*/Item").unwrap();
        let names = names(&["id", "amount.value", "a.b.c"]);
        let body = br#"{"live": "false", "items": [
            {"Item": {"id": "1", "amount": {"value": 1130, "currency": "EUR"}, "a": {"b": {"c": true}}}},
            {"Other": {}, "Item": {"id": "2", "amount": {"currency": "EUR"}}},
            {"Item": {"amount": {"value": -5}, "a": {"x": 1}}}
        ]}"#;
        let read = |field| texts(body, &path, &names, field).unwrap();
        assert_eq!(
            read("id"),
            [Some("1".to_owned()), Some("2".to_owned()), None]
        );
        assert_eq!(
            read("amount.value"),
            [Some("1130".to_owned()), None, Some("-5".to_owned())]
        );
        assert_eq!(read("a.b.c"), [Some("true".to_owned()), None, None]);
        assert!(matches!(
            problem(texts(
                br#"{"items": [{"Item": {"amount": 5}}]}"#,
                &path,
                &names,
                "id"
            )),
            Some(BodyProblem::BadObject { .. })
        ));
        let many = format!(
            r#"{{"items": [{}{{"Item": {{}}}}]}}"#,
            r#"{"Item": {}},"#.repeat(MAX_RECORDS)
        );
        assert_eq!(
            problem(texts(many.as_bytes(), &path, &names, "id")),
            Some(BodyProblem::TooManyRecords { max: MAX_RECORDS })
        );
        // An array path needs a JSON body.
        assert!(matches!(
            problem(texts(b"id=1", &path, &names, "id")),
            Some(BodyProblem::NotJson { .. })
        ));
        assert!(BodyPath::parse("a//b").is_err());
        assert_eq!(path.label(), "Item");
    }
}
