//! Event timestamps as `time::OffsetDateTime`, read the way providers write them: RFC 3339
//! strings, Unix seconds or Unix milliseconds (numbers, or digits in a string).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Below this many, a Unix number is seconds; from it up, milliseconds. 10^11 seconds is the
/// year 5138, and 10^11 milliseconds is March 1973: no provider sends either.
const MILLIS_FROM: i64 = 100_000_000_000;

/// Parses an event time as providers write it: RFC 3339 (`2026-03-02T10:30:00.000Z`), or Unix
/// seconds or milliseconds as digits (`1700000000`, `1700000000000`, told apart by size).
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(at);
    }
    text.parse::<i64>().ok().and_then(from_unix)
}

fn from_unix(number: i64) -> Option<OffsetDateTime> {
    if number.checked_abs()? < MILLIS_FROM {
        OffsetDateTime::from_unix_timestamp(number).ok()
    } else {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(number).checked_mul(1_000_000)?).ok()
    }
}

struct TimeVisitor;

impl<'de> Visitor<'de> for TimeVisitor {
    type Value = OffsetDateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 date-time, or Unix seconds or milliseconds")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<OffsetDateTime, E> {
        parse(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<OffsetDateTime, E> {
        from_unix(number).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(number), &self))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<OffsetDateTime, E> {
        i64::try_from(number)
            .ok()
            .and_then(from_unix)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(number), &self))
    }
}

/// `#[serde(with = "...")]` for a required `OffsetDateTime`.
pub(crate) mod required {
    use super::{Deserializer, OffsetDateTime, TimeVisitor};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        deserializer.deserialize_any(TimeVisitor)
    }
}

/// `#[serde(default, with = "...")]` for an `Option<OffsetDateTime>` (`null` is `None`).
pub(crate) mod optional {
    use std::fmt;

    use serde::de::{self, Deserializer, Visitor};

    use super::{OffsetDateTime, TimeVisitor};

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<OffsetDateTime>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null, an RFC 3339 date-time, or Unix seconds or milliseconds")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(TimeVisitor).map(Some)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_rfc3339_seconds_and_milliseconds() {
        let rfc = parse("2023-11-14T22:13:20Z").map(time::OffsetDateTime::unix_timestamp);
        assert_eq!(rfc, Some(1_700_000_000));
        assert_eq!(
            parse("1700000000").map(time::OffsetDateTime::unix_timestamp),
            Some(1_700_000_000)
        );
        let millis = parse("1700000000250");
        assert_eq!(
            millis.map(time::OffsetDateTime::unix_timestamp),
            Some(1_700_000_000)
        );
        assert_eq!(millis.map(time::OffsetDateTime::millisecond), Some(250));
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("-9223372036854775808"), None);
    }
}
