//! Strict timestamp parsing: any bytes, every unit. Never panics; accepts only ASCII digits, and
//! what it accepts round-trips.
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
});
