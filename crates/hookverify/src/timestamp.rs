//! Unix timestamps, strict parsing of header timestamps, and tolerance windows.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time as milliseconds since the Unix epoch.
///
/// Used for the clock a verifier checks against ([`crate::Verifier::verify_at`]), for the signed
/// timestamp a request carried ([`crate::Verified::timestamp`]) and for secret expiry.
/// Constructors saturate instead of overflowing, so no input can make them panic.
///
/// ```
/// use hookverify::Timestamp;
///
/// let t = Timestamp::from_unix_seconds(1_700_000_000);
/// assert_eq!(t.unix_millis(), 1_700_000_000_000);
/// assert_eq!(Timestamp::from_unix_millis(1_700_000_000_999).unix_seconds(), 1_700_000_000);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    millis: i64,
}

impl Timestamp {
    /// The Unix epoch.
    pub const UNIX_EPOCH: Timestamp = Timestamp { millis: 0 };

    /// A timestamp `millis` milliseconds after the epoch (negative: before it).
    pub const fn from_unix_millis(millis: i64) -> Self {
        Timestamp { millis }
    }

    /// A timestamp `seconds` seconds after the epoch, saturating at the representable range
    /// (about ±292 million years).
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Timestamp {
            millis: seconds.saturating_mul(1000),
        }
    }

    /// Parses a timestamp as a header carries it: ASCII digits only (no sign, space or
    /// fraction), in `unit`, within the representable range.
    ///
    /// ```
    /// use hookverify::{Timestamp, TimestampError, TimestampUnit};
    ///
    /// assert_eq!(Timestamp::parse(b"1700000000", TimestampUnit::Seconds), Ok(Timestamp::from_unix_seconds(1_700_000_000)));
    /// assert_eq!(Timestamp::parse(b"+1700000000", TimestampUnit::Seconds), Err(TimestampError::Sign));
    /// ```
    ///
    /// # Errors
    ///
    /// A [`TimestampError`] naming what is wrong.
    pub fn parse(raw: &[u8], unit: TimestampUnit) -> Result<Self, TimestampError> {
        parse_timestamp(raw, unit)
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    pub const fn unix_seconds(self) -> i64 {
        self.millis.div_euclid(1000)
    }

    /// Milliseconds since the epoch.
    pub const fn unix_millis(self) -> i64 {
        self.millis
    }

    /// This timestamp moved `duration` later, saturating at the representable range.
    pub fn saturating_add(self, duration: Duration) -> Self {
        Timestamp {
            millis: self.millis.saturating_add(duration_millis(duration)),
        }
    }

    /// This timestamp moved `duration` earlier, saturating at the representable range.
    pub fn saturating_sub(self, duration: Duration) -> Self {
        Timestamp {
            millis: self.millis.saturating_sub(duration_millis(duration)),
        }
    }
}

/// Whole milliseconds of `duration`, saturating; 64-bit arithmetic only (this runs on every
/// `verify` through [`Timestamp::now`], and `Duration::as_millis` divides in 128 bits).
fn duration_millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs())
        .unwrap_or(i64::MAX)
        .saturating_mul(1000)
        .saturating_add(i64::from(duration.subsec_millis()))
}

impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Timestamp::UNIX_EPOCH.saturating_add(after),
            Err(before) => Timestamp::UNIX_EPOCH.saturating_sub(before.duration()),
        }
    }
}

impl From<Timestamp> for SystemTime {
    /// The same instant on the system clock, saturating at what `SystemTime` can represent.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime, UNIX_EPOCH};
    /// use hookverify::Timestamp;
    ///
    /// let t = Timestamp::from_unix_millis(1_700_000_000_250);
    /// let system = SystemTime::from(t);
    /// assert_eq!(system, UNIX_EPOCH + Duration::from_millis(1_700_000_000_250));
    /// assert_eq!(Timestamp::from(system), t);
    /// ```
    fn from(timestamp: Timestamp) -> Self {
        let magnitude = Duration::from_millis(timestamp.millis.unsigned_abs());
        let instant = if timestamp.millis >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        };
        instant.unwrap_or(UNIX_EPOCH)
    }
}

/// `time::OffsetDateTime` has a smaller range (years -9999 to 9999) than [`Timestamp`].
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl TryFrom<Timestamp> for time::OffsetDateTime {
    type Error = time::error::ComponentRange;

    /// The same instant in UTC.
    ///
    /// ```
    /// use hookverify::Timestamp;
    ///
    /// let at = time::OffsetDateTime::try_from(Timestamp::from_unix_millis(1_700_000_000_250))?;
    /// assert_eq!(at.unix_timestamp(), 1_700_000_000);
    /// assert_eq!(at.millisecond(), 250);
    /// assert_eq!(Timestamp::from(at), Timestamp::from_unix_millis(1_700_000_000_250));
    /// # Ok::<(), time::error::ComponentRange>(())
    /// ```
    fn try_from(timestamp: Timestamp) -> Result<Self, Self::Error> {
        time::OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(timestamp.millis).saturating_mul(1_000_000),
        )
    }
}

#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl From<time::OffsetDateTime> for Timestamp {
    /// Whole milliseconds since the epoch, rounded towards negative infinity.
    fn from(time: time::OffsetDateTime) -> Self {
        let millis = time.unix_timestamp_nanos().div_euclid(1_000_000);
        // `OffsetDateTime` spans years -9999..=9999: always within an i64 of milliseconds.
        Timestamp::from_unix_millis(i64::try_from(millis).unwrap_or(if millis < 0 {
            i64::MIN
        } else {
            i64::MAX
        }))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({}ms)", self.millis)
    }
}

impl fmt::Display for Timestamp {
    /// Unix seconds, with a millisecond fraction only when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.millis.div_euclid(1000);
        let millis = self.millis.rem_euclid(1000);
        if millis == 0 {
            write!(f, "{seconds}")
        } else {
            write!(f, "{seconds}.{millis:03}")
        }
    }
}

/// The unit a scheme's timestamp is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimestampUnit {
    /// Unix seconds (Standard Webhooks, Stripe, SendPilot, Sent).
    Seconds,
    /// Unix milliseconds.
    Milliseconds,
    /// Seconds or milliseconds, told apart by size: 13 or more digits are milliseconds
    /// (AutoSend's docs changed from seconds to milliseconds; both are in use).
    Auto,
    /// An RFC 3339 date-time, `2026-03-02T10:30:00.123456789Z` or with a `±HH:MM` offset
    /// (Twitch, Box). Strict: the full date and time, `T` and `Z` in either case, at most nine
    /// fraction digits (kept to the millisecond).
    Rfc3339,
}

/// Why a timestamp header value was refused.
///
/// Timestamps are strict: ASCII digits only, so the bytes that were signed are exactly the bytes
/// that were checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The value is empty.
    #[error("the timestamp is empty")]
    Empty,
    /// The value starts with `+` or `-`.
    #[error("the timestamp has a sign; only unsigned digits are accepted")]
    Sign,
    /// The value contains a space or tab.
    #[error("the timestamp contains whitespace")]
    Whitespace,
    /// The value has a decimal point.
    #[error("the timestamp has a fraction; whole units only")]
    Fraction,
    /// Some other non-digit character, at this byte offset.
    #[error("the timestamp has a non-digit character at byte {position}")]
    NonDigit {
        /// Byte offset of the first offending character.
        position: usize,
    },
    /// Too many digits, or a value past the representable range.
    #[error("the timestamp is out of range ({digits} digits)")]
    OutOfRange {
        /// How many characters the value had.
        digits: usize,
    },
    /// Not an RFC 3339 date-time: the first byte that does not fit the grammar.
    #[error("the timestamp is not an RFC 3339 date-time (byte {position})")]
    NotRfc3339 {
        /// Byte offset of the first offending character (the length when it ends too soon).
        position: usize,
    },
    /// An RFC 3339 date-time naming a day, hour, minute or offset that does not exist.
    #[error("the timestamp names a date or time that does not exist")]
    InvalidDate,
}

/// More digits than any real timestamp has; longer values are refused before any arithmetic.
const MAX_TIMESTAMP_DIGITS: usize = 19;

/// Parses `raw` strictly as an unsigned decimal number in `unit`, or as an RFC 3339
/// date-time.
pub(crate) fn parse_timestamp(
    raw: &[u8],
    unit: TimestampUnit,
) -> Result<Timestamp, TimestampError> {
    if raw.is_empty() {
        return Err(TimestampError::Empty);
    }
    if unit == TimestampUnit::Rfc3339 {
        return rfc3339::parse(raw);
    }
    let digits = raw.len();
    // Up to 19 digits fit in a u64 (10^19 - 1 < 2^64), so the accumulation cannot wrap; the range
    // check against i64 comes after.
    let mut value: u64 = 0;
    for (position, &byte) in raw.iter().enumerate() {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return Err(match byte {
                b'+' | b'-' if position == 0 => TimestampError::Sign,
                b' ' | b'\t' => TimestampError::Whitespace,
                b'.' | b',' => TimestampError::Fraction,
                _ => TimestampError::NonDigit { position },
            });
        }
        value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
    }
    if digits > MAX_TIMESTAMP_DIGITS {
        return Err(TimestampError::OutOfRange { digits });
    }
    let value = i64::try_from(value).map_err(|_| TimestampError::OutOfRange { digits })?;
    let millis = match unit {
        TimestampUnit::Milliseconds => Some(value),
        TimestampUnit::Auto if digits >= 13 => Some(value),
        TimestampUnit::Seconds | TimestampUnit::Auto | TimestampUnit::Rfc3339 => {
            value.checked_mul(1000)
        }
    };
    millis
        .map(Timestamp::from_unix_millis)
        .ok_or(TimestampError::OutOfRange { digits })
}

pub(crate) mod rfc3339 {
    //! RFC 3339 date-times, parsed without a calendar library: a fixed grammar of at most 35
    //! bytes, every field range-checked before any arithmetic, so no input can overflow.

    use super::{Timestamp, TimestampError};

    /// The longest accepted value: `YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`.
    const MAX_LEN: usize = 35;

    /// `count` ASCII digits at `at` as a number, or the position of the first non-digit.
    fn digits(raw: &[u8], at: usize, count: usize) -> Result<i64, TimestampError> {
        let mut value: i64 = 0;
        for offset in 0..count {
            let position = at.saturating_add(offset);
            let digit = raw
                .get(position)
                .map(|b| b.wrapping_sub(b'0'))
                .filter(|d| *d <= 9)
                .ok_or(TimestampError::NotRfc3339 { position })?;
            // At most 9 digits: below 10^9, far from overflow.
            value = value.saturating_mul(10).saturating_add(i64::from(digit));
        }
        Ok(value)
    }

    fn expect(raw: &[u8], at: usize, allowed: &[u8]) -> Result<(), TimestampError> {
        match raw.get(at) {
            Some(byte) if allowed.contains(byte) => Ok(()),
            _ => Err(TimestampError::NotRfc3339 { position: at }),
        }
    }

    /// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian), for a range-checked
    /// date: Howard Hinnant's `days_from_civil`.
    #[allow(clippy::arithmetic_side_effects)] // year < 10^4, month 1-12, day 1-31: no overflow.
    pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month_index = (month + 9) % 12;
        let day_of_year = (153 * month_index + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// `(year, month, day)` of `days` after 1970-01-01: the inverse of [`days_from_civil`].
    #[allow(clippy::arithmetic_side_effects)] // Bounded by the i64 millisecond range / 86.4M.
    pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
        let days = days + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    fn days_in_month(year: i64, month: i64) -> i64 {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Parses a full RFC 3339 date-time.
    #[allow(clippy::arithmetic_side_effects)] // Every operand is range-checked first.
    pub(crate) fn parse(raw: &[u8]) -> Result<Timestamp, TimestampError> {
        if raw.len() > MAX_LEN {
            return Err(TimestampError::NotRfc3339 { position: MAX_LEN });
        }
        let year = digits(raw, 0, 4)?;
        expect(raw, 4, b"-")?;
        let month = digits(raw, 5, 2)?;
        expect(raw, 7, b"-")?;
        let day = digits(raw, 8, 2)?;
        expect(raw, 10, b"Tt")?;
        let hour = digits(raw, 11, 2)?;
        expect(raw, 13, b":")?;
        let minute = digits(raw, 14, 2)?;
        expect(raw, 16, b":")?;
        // A leap second (`:60`) is accepted and counted as the next second, as most clocks do.
        let second = digits(raw, 17, 2)?;
        let mut at = 19;
        let mut millis: i64 = 0;
        if raw.get(at) == Some(&b'.') {
            let start = at + 1;
            let mut end = start;
            while raw.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            let count = end - start;
            if count == 0 || count > 9 {
                return Err(TimestampError::NotRfc3339 { position: end });
            }
            let fraction = digits(raw, start, count.min(3))?;
            millis = match count {
                1 => fraction * 100,
                2 => fraction * 10,
                _ => fraction,
            };
            at = end;
        }
        let offset_minutes = match raw.get(at) {
            Some(b'Z' | b'z') => {
                at += 1;
                0
            }
            Some(sign @ (b'+' | b'-')) => {
                let negative = *sign == b'-';
                let hours = digits(raw, at + 1, 2)?;
                expect(raw, at + 3, b":")?;
                let minutes = digits(raw, at + 4, 2)?;
                if hours > 23 || minutes > 59 {
                    return Err(TimestampError::InvalidDate);
                }
                at += 6;
                let total = hours * 60 + minutes;
                if negative { -total } else { total }
            }
            _ => return Err(TimestampError::NotRfc3339 { position: at }),
        };
        if at != raw.len() {
            return Err(TimestampError::NotRfc3339 { position: at });
        }
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(TimestampError::InvalidDate);
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
        Ok(Timestamp::from_unix_millis(seconds * 1000 + millis))
    }

    /// `timestamp` as RFC 3339 in UTC with milliseconds (`2026-03-02T10:30:00.123Z`): what the
    /// signer writes for an RFC 3339 scheme.
    #[allow(clippy::arithmetic_side_effects)] // Euclidean division of an i64: no overflow.
    pub(crate) fn format(timestamp: Timestamp) -> String {
        let millis = timestamp.unix_millis();
        let (days, in_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
        let (year, month, day) = civil_from_days(days);
        let (hour, minute) = (in_day / 3_600_000, in_day / 60_000 % 60);
        let (second, milli) = (in_day / 1000 % 60, in_day % 1000);
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z")
    }
}

/// How far a signed timestamp may be from the verifier's clock, in each direction.
///
/// ```
/// use std::time::Duration;
/// use hookverify::Tolerance;
///
/// // AutoSend's recommended check: 5 minutes old at most, 1 minute ahead at most.
/// let t = Tolerance::new(Duration::from_secs(300), Duration::from_secs(60));
/// assert_eq!(t.past(), Duration::from_secs(300));
/// assert_eq!(Tolerance::default(), Tolerance::symmetric(Duration::from_secs(300)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tolerance {
    past: Duration,
    future: Duration,
}

impl Tolerance {
    /// `past`: how old a timestamp may be; `future`: how far ahead of the clock it may be.
    pub const fn new(past: Duration, future: Duration) -> Self {
        Tolerance { past, future }
    }

    /// The same window in both directions.
    pub const fn symmetric(window: Duration) -> Self {
        Tolerance {
            past: window,
            future: window,
        }
    }

    /// How old a timestamp may be.
    pub const fn past(&self) -> Duration {
        self.past
    }

    /// How far ahead of the clock a timestamp may be.
    pub const fn future(&self) -> Duration {
        self.future
    }
}

impl Default for Tolerance {
    /// Five minutes each way, as in the Standard Webhooks and Svix libraries.
    fn default() -> Self {
        Tolerance::symmetric(Duration::from_secs(300))
    }
}

/// The outcome of a tolerance check that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skew {
    TooOld(Duration),
    TooNew(Duration),
}

/// Checks `signed` against `now`. Schemes in whole seconds compare whole seconds (the reference
/// libraries floor the clock), millisecond schemes compare milliseconds.
pub(crate) fn check_tolerance(
    signed: Timestamp,
    now: Timestamp,
    whole_seconds: bool,
    tolerance: Tolerance,
) -> Result<(), Skew> {
    let (signed, now, scale) = if whole_seconds {
        (signed.unix_seconds(), now.unix_seconds(), 1000_u64)
    } else {
        (signed.unix_millis(), now.unix_millis(), 1_u64)
    };
    let to_duration = |units: u64| Duration::from_millis(units.saturating_mul(scale));
    if now >= signed {
        let age = to_duration(now.abs_diff(signed));
        if age > tolerance.past {
            return Err(Skew::TooOld(age));
        }
    } else {
        let ahead = to_duration(signed.abs_diff(now));
        if ahead > tolerance.future {
            return Err(Skew::TooNew(ahead));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_parsing() {
        let s = TimestampUnit::Seconds;
        assert_eq!(
            parse_timestamp(b"1700000000", s),
            Ok(Timestamp::from_unix_seconds(1_700_000_000))
        );
        assert_eq!(parse_timestamp(b"", s), Err(TimestampError::Empty));
        assert_eq!(parse_timestamp(b"+1", s), Err(TimestampError::Sign));
        assert_eq!(parse_timestamp(b"-1", s), Err(TimestampError::Sign));
        assert_eq!(parse_timestamp(b"1 2", s), Err(TimestampError::Whitespace));
        assert_eq!(parse_timestamp(b"1.5", s), Err(TimestampError::Fraction));
        assert_eq!(
            parse_timestamp(b"1x", s),
            Err(TimestampError::NonDigit { position: 1 })
        );
        assert_eq!(
            parse_timestamp(b"1-", s),
            Err(TimestampError::NonDigit { position: 1 })
        );
        assert_eq!(
            parse_timestamp(b"9223372036854775807", s),
            Err(TimestampError::OutOfRange { digits: 19 })
        );
        assert_eq!(
            parse_timestamp(b"9223372036854775807", TimestampUnit::Milliseconds),
            Ok(Timestamp::from_unix_millis(i64::MAX))
        );
        assert_eq!(
            parse_timestamp(b"9999999999999999999", TimestampUnit::Milliseconds),
            Err(TimestampError::OutOfRange { digits: 19 })
        );
        assert_eq!(
            parse_timestamp(&[b'1'; 30], s),
            Err(TimestampError::OutOfRange { digits: 30 })
        );
    }

    #[test]
    fn auto_unit() {
        let a = TimestampUnit::Auto;
        assert_eq!(
            parse_timestamp(b"1699790400", a),
            Ok(Timestamp::from_unix_seconds(1_699_790_400))
        );
        assert_eq!(
            parse_timestamp(b"1699790400123", a),
            Ok(Timestamp::from_unix_millis(1_699_790_400_123))
        );
    }

    #[test]
    fn tolerance_edges() {
        let tol = Tolerance::new(Duration::from_secs(300), Duration::from_secs(60));
        let now = Timestamp::from_unix_seconds(1_000_000);
        let at = |s: i64| Timestamp::from_unix_seconds(s);
        assert_eq!(check_tolerance(at(1_000_000 - 300), now, true, tol), Ok(()));
        assert_eq!(
            check_tolerance(at(1_000_000 - 301), now, true, tol),
            Err(Skew::TooOld(Duration::from_secs(301)))
        );
        assert_eq!(check_tolerance(at(1_000_060), now, true, tol), Ok(()));
        assert_eq!(
            check_tolerance(at(1_000_061), now, true, tol),
            Err(Skew::TooNew(Duration::from_secs(61)))
        );
        // Extreme values never overflow.
        assert!(
            check_tolerance(
                Timestamp::from_unix_millis(i64::MIN),
                Timestamp::from_unix_millis(i64::MAX),
                false,
                tol
            )
            .is_err()
        );
        assert!(
            check_tolerance(
                Timestamp::from_unix_millis(i64::MAX),
                Timestamp::from_unix_millis(i64::MIN),
                false,
                tol
            )
            .is_err()
        );
    }

    #[test]
    fn display() {
        assert_eq!(Timestamp::from_unix_seconds(5).to_string(), "5");
        assert_eq!(Timestamp::from_unix_millis(5_007).to_string(), "5.007");
        assert_eq!(Timestamp::from_unix_millis(-1).to_string(), "-1.999");
    }
}
