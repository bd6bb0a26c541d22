//! Strict timestamp parsing: any bytes, every unit. Never panics; the numeric units accept only
//! ASCII digits and what they accept round-trips; RFC 3339 accepts only its grammar, and what it
//! accepts agrees with the `time` crate's parser.
#![no_main]

use hookverify::{Timestamp, TimestampUnit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for unit in [
        TimestampUnit::Seconds,
        TimestampUnit::Milliseconds,
        TimestampUnit::Auto,
    ] {
        if let Ok(timestamp) = Timestamp::parse(data, unit) {
            assert!(
                !data.is_empty() && data.iter().all(u8::is_ascii_digit),
                "accepted {data:?}"
            );
            let value: i128 = std::str::from_utf8(data).unwrap().parse().unwrap();
            let millis = i128::from(timestamp.unix_millis());
            let seconds_unit =
                unit == TimestampUnit::Seconds || (unit == TimestampUnit::Auto && data.len() < 13);
            assert_eq!(millis, if seconds_unit { value * 1000 } else { value });
        }
    }
    if let Ok(timestamp) = Timestamp::parse(data, TimestampUnit::Rfc3339) {
        let text = std::str::from_utf8(data).expect("accepted text is ASCII");
        assert!(text.len() <= 35 && text.is_ascii(), "accepted {text:?}");
        // An independent parser agrees to the millisecond (leap seconds aside, which `time`
        // refuses and we count as the next second).
        if !text.get(17..19).is_some_and(|s| s == "60") {
            let other = time::OffsetDateTime::parse(
                text,
                &time::format_description::well_known::Rfc3339,
            )
            .expect("time accepts what we accept");
            // Floor to the millisecond, as `Timestamp` does (before 1970 too).
            let millis = other.unix_timestamp_nanos().div_euclid(1_000_000);
            assert_eq!(i128::from(timestamp.unix_millis()), millis, "{text}");
        }
    }
});
