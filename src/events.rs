//! Event times: what people type (a local date and time in a named zone)
//! turned into instants and back, with the daylight-saving traps refused
//! in words rather than guessed at. jiff's bundled time zone database
//! makes this the same on every host.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

/// The zone named `name`, or a sentence saying it is unknown.
pub fn zone(name: &str) -> Result<TimeZone, String> {
    jiff::tz::db().get(name.trim()).map_err(|_| {
        format!(
            "'{}' is not a time zone: use an IANA name such as Europe/Paris or America/New_York",
            name.trim()
        )
    })
}

/// `2026-03-29` as a date.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| format!("'{}' is not a date: write it as 2026-03-29", text.trim()))
}

/// `14:30` (or `14:30:00`) as a time of day.
pub fn parse_time(text: &str) -> Result<Time, String> {
    text.trim()
        .parse::<Time>()
        .map_err(|_| format!("'{}' is not a time of day: write it as 14:30", text.trim()))
}

/// The instant of a local date and time in `tz`. A time that does not
/// exist there (skipped when clocks go forward) is refused; a time that
/// exists twice (when clocks go back) is the first of the two, as
/// calendar applications do.
pub fn instant(date: Date, time: Time, tz: &TimeZone) -> Result<Timestamp, String> {
    let local = DateTime::from_parts(date, time);
    match tz.to_ambiguous_zoned_datetime(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset
            .to_timestamp(local)
            .map_err(|e| format!("{local} is out of range: {e}")),
        AmbiguousOffset::Fold { before, .. } => before
            .to_timestamp(local)
            .map_err(|e| format!("{local} is out of range: {e}")),
        AmbiguousOffset::Gap { .. } => Err(format!(
            "{} at {} does not exist in {}: the clocks skip that hour (daylight saving time); choose another time",
            date,
            time.strftime("%H:%M"),
            tz.iana_name().unwrap_or("this time zone")
        )),
    }
}

/// An instant as seen in `tz`.
pub fn local(at: i64, tz: &TimeZone) -> Option<ZonedDateTime> {
    Timestamp::from_second(at)
        .ok()
        .map(|t| t.to_zoned_datetime(tz.clone()))
}

/// The start and end instants of an all-day event from its first and last
/// days: midnight to midnight in its zone (a day may be 23 or 25 hours).
pub fn all_day_span(first: Date, last: Date, tz: &TimeZone) -> Result<(i64, i64), String> {
    if last < first {
        return Err("the last day is before the first day".into());
    }
    let start = tz
        .to_ambiguous_zoned_datetime(first.to_datetime(Time::midnight()))
        .compatible()
        .map_err(|e| e.to_string())?;
    let next = last
        .tomorrow()
        .map_err(|e| e.to_string())?
        .to_datetime(Time::midnight());
    let end = tz
        .to_ambiguous_zoned_datetime(next)
        .compatible()
        .map_err(|e| e.to_string())?;
    Ok((start.timestamp().as_second(), end.timestamp().as_second()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn local_times_become_instants_across_daylight_saving() {
        let paris = zone("Europe/Paris").unwrap();
        let winter = instant(
            parse_date("2026-03-28").unwrap(),
            parse_time("10:00").unwrap(),
            &paris,
        )
        .unwrap();
        let summer = instant(
            parse_date("2026-03-29").unwrap(),
            parse_time("10:00").unwrap(),
            &paris,
        )
        .unwrap();
        assert_eq!(winter.to_string(), "2026-03-28T09:00:00Z");
        assert_eq!(summer.to_string(), "2026-03-29T08:00:00Z");
        // 02:30 on the night clocks go forward does not exist in Paris.
        let gap = instant(
            parse_date("2026-03-29").unwrap(),
            parse_time("02:30").unwrap(),
            &paris,
        )
        .unwrap_err();
        assert!(
            gap.contains("does not exist") && gap.contains("Europe/Paris"),
            "{gap}"
        );
        // 02:30 on the night clocks go back exists twice: the first one.
        let fold = instant(
            parse_date("2026-10-25").unwrap(),
            parse_time("02:30").unwrap(),
            &paris,
        )
        .unwrap();
        assert_eq!(fold.to_string(), "2026-10-25T00:30:00Z");
    }

    #[test]
    fn bad_input_is_named() {
        assert!(zone("Mars/Olympus").unwrap_err().contains("Mars/Olympus"));
        assert!(parse_date("29/03/2026").unwrap_err().contains("2026-03-29"));
        assert!(parse_time("25:61").unwrap_err().contains("14:30"));
        let paris = zone("Europe/Paris").unwrap();
        let d = |s| parse_date(s).unwrap();
        assert!(all_day_span(d("2026-03-02"), d("2026-03-01"), &paris).is_err());
        // The day clocks go forward is 23 hours long.
        let (start, end) = all_day_span(d("2026-03-29"), d("2026-03-29"), &paris).unwrap();
        assert_eq!(end - start, 23 * 3600);
    }
}
