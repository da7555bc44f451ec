//! What templates, calendars and the fediverse see of an event: its times
//! in its own zone (never the site's: an event in Montréal listed on a
//! Paris site happens at Montréal's 19:00), its place, its state.

use jiff::ZonedDateTime as Zoned;

use crate::i18n::{Arg, Messages};
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::store::{EventFields, EventRow, EventStatus, JoinMode};

/// Folder of an event's page, relative to the docroot (with its slash).
pub fn event_dir(slug: &str) -> String {
    format!("events/{slug}/")
}

/// `events/2026/04/` for `2026-04`.
pub fn event_month_dir(month: &str) -> String {
    let (year, number) = month.split_once('-').unwrap_or((month, "01"));
    format!("events/{year}/{number}/")
}

pub fn event_tag_dir(tag: &str) -> String {
    format!("events/tags/{tag}/")
}

/// The event's zone; an unknown name (a zone database that lost it) shows
/// UTC rather than failing the page.
pub fn zone_of(fields: &EventFields) -> TimeZone {
    crate::events::zone(&fields.time_zone).unwrap_or(TimeZone::UTC)
}

fn at(seconds: i64, tz: &TimeZone) -> Zoned {
    crate::events::local(seconds, tz)
        .unwrap_or_else(|| jiff::Timestamp::UNIX_EPOCH.to_zoned_datetime(tz.clone()))
}

/// The start, and the last moment of the event: for an all-day event the
/// stored end is midnight after its last day, which belongs to the next.
fn span(fields: &EventFields) -> (Zoned, Zoned) {
    let tz = zone_of(fields);
    let end = if fields.all_day && fields.ends_at > fields.starts_at {
        fields.ends_at - 1
    } else {
        fields.ends_at
    };
    (at(fields.starts_at, &tz), at(end, &tz))
}

/// `YYYY-MM` of the start, in the event's zone.
pub fn event_month(fields: &EventFields) -> String {
    span(fields).0.strftime("%Y-%m").to_string()
}

/// RFC 3339 with the zone's offset: `2026-04-04T14:00:00+02:00`.
pub fn rfc3339(seconds: i64, tz: &TimeZone) -> String {
    at(seconds, tz).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// When it happens, in words, in its zone and naming it:
/// `Saturday 4 April 2026, 14:00–17:00 (Europe/Paris)`; an all-day event
/// gives dates only, an event over several days both ends.
pub fn when_text(fields: &EventFields, words: &Messages) -> String {
    let (start, end) = span(fields);
    let day = |z: &Zoned| Arg::from(words.date_weekday(z));
    let time = |z: &Zoned| Arg::from(crate::i18n::time(z));
    let same_day = start.date() == end.date();
    if fields.all_day {
        return if same_day {
            words.date_weekday(&start)
        } else {
            words.t_with(
                "when-all-days",
                &[("start_day", day(&start)), ("end_day", day(&end))],
            )
        };
    }
    let zone = Arg::from(zone_name(fields));
    if same_day {
        words.t_with(
            "when-same-day",
            &[
                ("day", day(&start)),
                ("start", time(&start)),
                ("end", time(&end)),
                ("zone", zone),
            ],
        )
    } else {
        words.t_with(
            "when-days",
            &[
                ("start_day", day(&start)),
                ("start", time(&start)),
                ("end_day", day(&end)),
                ("end", time(&end)),
                ("zone", zone),
            ],
        )
    }
}

fn zone_name(fields: &EventFields) -> String {
    let tz = zone_of(fields);
    tz.iana_name().unwrap_or("UTC").to_string()
}

/// The place's lines as an address is written: name, street, postal code
/// and city, region, country; empty ones left out.
pub fn place_lines(fields: &EventFields) -> Vec<String> {
    let city = [fields.postal_code.trim(), fields.city.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [
        fields.place_name.trim().to_string(),
        fields.street.trim().to_string(),
        city,
        fields.region.trim().to_string(),
        fields.country.trim().to_string(),
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect()
}

/// A map of the place: OpenStreetMap at its coordinates, else a search
/// for its address; empty when there is neither.
pub fn map_url(fields: &EventFields) -> String {
    if let (Some(lat), Some(lon)) = (fields.latitude, fields.longitude) {
        return format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}");
    }
    let address: Vec<String> = place_lines(fields)
        .into_iter()
        .skip(usize::from(!fields.place_name.trim().is_empty()))
        .collect();
    if address.is_empty() {
        return String::new();
    }
    let query: String = form_urlencoded::byte_serialize(address.join(", ").as_bytes()).collect();
    format!("https://www.openstreetmap.org/search?query={query}")
}

/// One line for a title and summary elsewhere (the fediverse, feeds):
/// the date and time with the zone, then the place or "Online".
pub fn summary_line(fields: &EventFields, words: &Messages) -> String {
    let mut text = when_text(fields, words);
    let lines = place_lines(fields);
    if !lines.is_empty() {
        text.push_str(" · ");
        text.push_str(&lines.join(", "));
    }
    if !fields.online_url.trim().is_empty() {
        text.push_str(" · ");
        text.push_str(&words.t(if lines.is_empty() {
            "summary-online"
        } else {
            "summary-also-online"
        }));
    }
    let status = match fields.status {
        EventStatus::Cancelled => "summary-cancelled",
        EventStatus::Tentative => "summary-tentative",
        EventStatus::Confirmed => return text,
    };
    words.t_with(status, &[("text", Arg::from(text))])
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaceView {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub country: String,
    /// The address as lines (name first), empty ones left out.
    pub lines: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// OpenStreetMap at the coordinates, or a search for the address.
    pub map_url: String,
}

/// The event part of an event's page or list entry; its title, author,
/// tags and body are in the `article` next to it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// The article id: what participation forms name.
    pub id: i64,
    pub slug: String,
    /// RFC 3339 with the zone's offset.
    pub starts: String,
    pub ends: String,
    /// `2026-04-04` (all-day events: the first and the last day).
    pub start_date: String,
    pub end_date: String,
    pub time_zone: String,
    pub all_day: bool,
    /// `Saturday 4 April 2026, 14:00–17:00 (Europe/Paris)`.
    pub when: String,
    /// For a date badge: `4`, `Apr`, `2026`, `Sat`.
    pub day: String,
    pub month_abbr: String,
    pub year: String,
    pub weekday: String,
    /// `2026-04` and the link to that month's events.
    pub month: String,
    pub month_path: String,
    /// `confirmed`, `tentative` or `cancelled`.
    pub status: &'static str,
    pub cancelled: bool,
    pub tentative: bool,
    /// It ended before the page was written.
    pub past: bool,
    pub place: PlaceView,
    /// Date, time, zone and place in one line.
    pub summary_line: String,
    pub online: bool,
    pub online_url: String,
    pub capacity: Option<i64>,
    /// Places left when there is a limit.
    pub remaining: Option<i64>,
    pub full: bool,
    /// Accepted participants.
    pub participant_count: i64,
    /// `free`, `restricted` (the organizer approves) or `external`.
    pub join_mode: &'static str,
    pub external_url: String,
    pub category: String,
    pub ics_path: String,
    pub ics_url: String,
    pub sequence: i64,
}

impl super::view::Views {
    pub fn event(&self, event: &EventRow, participants: i64, now: i64) -> EventView {
        let fields = &event.fields;
        let tz = zone_of(fields);
        let (start, end) = span(fields);
        let relative = event_dir(&event.article.slug);
        let month = event_month(fields);
        let remaining = fields.capacity.map(|c| (c - participants).max(0));
        let place = PlaceView {
            name: fields.place_name.trim().to_string(),
            street: fields.street.trim().to_string(),
            postal_code: fields.postal_code.trim().to_string(),
            city: fields.city.trim().to_string(),
            region: fields.region.trim().to_string(),
            country: fields.country.trim().to_string(),
            lines: place_lines(fields),
            latitude: fields.latitude,
            longitude: fields.longitude,
            map_url: map_url(fields),
        };
        EventView {
            id: event.article.id,
            slug: event.article.slug.clone(),
            starts: rfc3339(fields.starts_at, &tz),
            ends: rfc3339(fields.ends_at, &tz),
            start_date: start.strftime("%Y-%m-%d").to_string(),
            end_date: end.strftime("%Y-%m-%d").to_string(),
            time_zone: zone_name(fields),
            all_day: fields.all_day,
            when: when_text(fields, &self.words),
            day: start.strftime("%-d").to_string(),
            month_abbr: self.words.month_short(start.month()),
            year: start.strftime("%Y").to_string(),
            weekday: self.words.weekday(&start, true),
            month_path: self.path(&event_month_dir(&month)),
            month,
            status: fields.status.as_str(),
            cancelled: fields.status == EventStatus::Cancelled,
            tentative: fields.status == EventStatus::Tentative,
            past: fields.ends_at < now,
            place,
            summary_line: summary_line(fields, &self.words),
            online: !fields.online_url.trim().is_empty(),
            online_url: super::view::safe_href(&fields.online_url),
            capacity: fields.capacity,
            remaining,
            full: remaining == Some(0),
            participant_count: participants,
            join_mode: fields.join_mode.as_str(),
            external_url: if fields.join_mode == JoinMode::External {
                super::view::safe_href(&fields.external_url)
            } else {
                String::new()
            },
            category: fields.category.trim().to_string(),
            ics_path: self.path(&format!("{relative}event.ics")),
            ics_url: self.absolute(&format!("{relative}event.ics")),
            sequence: event.sequence,
        }
    }
}

/// JSON for a `<script type="application/ld+json">`: the HTML parser ends
/// the script at the first `</script`, and `<!--` changes how it reads
/// on, whatever JSON thinks; `\u003c` is the same character to JSON and
/// nothing to HTML.
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;

    fn english() -> Messages {
        Messages::new(
            std::sync::Arc::new(crate::i18n::I18n::new()),
            crate::i18n::Lang::ENGLISH,
        )
    }

    pub(crate) fn fields(start: &str, end: &str, zone: &str, all_day: bool) -> EventFields {
        let tz = crate::events::zone(zone).unwrap();
        let instant = |s: &str| {
            let (d, t) = s.split_once(' ').unwrap();
            crate::events::instant(
                crate::events::parse_date(d).unwrap(),
                crate::events::parse_time(t).unwrap(),
                &tz,
            )
            .unwrap()
            .as_second()
        };
        let (starts_at, ends_at) = if all_day {
            crate::events::all_day_span(
                crate::events::parse_date(start).unwrap(),
                crate::events::parse_date(end).unwrap(),
                &tz,
            )
            .unwrap()
        } else {
            (instant(start), instant(end))
        };
        EventFields {
            starts_at,
            ends_at,
            time_zone: zone.into(),
            all_day,
            place_name: String::new(),
            street: String::new(),
            postal_code: String::new(),
            city: String::new(),
            region: String::new(),
            country: String::new(),
            latitude: None,
            longitude: None,
            online_url: String::new(),
            capacity: None,
            status: EventStatus::Confirmed,
            category: String::new(),
            join_mode: JoinMode::Free,
            external_url: String::new(),
        }
    }

    #[test]
    fn times_are_told_in_the_event_zone_and_name_it() {
        let f = fields(
            "2026-04-04 14:00",
            "2026-04-04 17:00",
            "Europe/Paris",
            false,
        );
        assert_eq!(
            when_text(&f, &english()),
            "Saturday 4 April 2026, 14:00–17:00 (Europe/Paris)"
        );
        assert_eq!(
            rfc3339(f.starts_at, &zone_of(&f)),
            "2026-04-04T14:00:00+02:00"
        );
        let f = fields(
            "2026-04-04 22:00",
            "2026-04-05 02:00",
            "Europe/Paris",
            false,
        );
        assert_eq!(
            when_text(&f, &english()),
            "Saturday 4 April 2026, 22:00 – Sunday 5 April 2026, 02:00 (Europe/Paris)"
        );
        let f = fields("2026-04-04", "2026-04-04", "Europe/Paris", true);
        assert_eq!(when_text(&f, &english()), "Saturday 4 April 2026");
        assert_eq!(event_month(&f), "2026-04");
        let f = fields("2026-04-04", "2026-04-06", "Europe/Paris", true);
        assert_eq!(
            when_text(&f, &english()),
            "Saturday 4 April 2026 – Monday 6 April 2026"
        );
        // 23:30 on 31 March in Montréal is April in UTC: the month is the zone's.
        let f = fields(
            "2026-03-31 23:30",
            "2026-03-31 23:45",
            "America/Montreal",
            false,
        );
        assert_eq!(event_month(&f), "2026-03");
    }

    #[test]
    fn places_link_to_a_map() {
        let mut f = fields(
            "2026-04-04 14:00",
            "2026-04-04 17:00",
            "Europe/Paris",
            false,
        );
        assert_eq!(map_url(&f), "");
        f.place_name = "Salle des fêtes".into();
        f.street = "1 rue de la Paix".into();
        f.postal_code = "75002".into();
        f.city = "Paris".into();
        assert_eq!(
            place_lines(&f),
            ["Salle des fêtes", "1 rue de la Paix", "75002 Paris"]
        );
        assert_eq!(
            map_url(&f),
            "https://www.openstreetmap.org/search?query=1+rue+de+la+Paix%2C+75002+Paris"
        );
        f.latitude = Some(48.8686);
        f.longitude = Some(2.3314);
        assert_eq!(
            map_url(&f),
            "https://www.openstreetmap.org/?mlat=48.8686&mlon=2.3314#map=17/48.8686/2.3314"
        );
        f.status = EventStatus::Cancelled;
        assert_eq!(
            summary_line(&f, &english()),
            "Cancelled: Saturday 4 April 2026, 14:00–17:00 (Europe/Paris) · Salle des fêtes, 1 rue de la Paix, 75002 Paris"
        );
    }

    #[test]
    fn json_in_a_script_cannot_end_it() {
        let value = serde_json::json!({ "name": "</script><script>alert(1)</script><!-- & " });
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
