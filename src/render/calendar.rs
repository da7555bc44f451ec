//! iCalendar (RFC 5545) files: each event's `event.ics` and the calendar
//! feeds, built with the `ical` crate's generator. The crate writes what
//! it is given as is, so text values are escaped here (§3.3.11), and it
//! folds lines at 75 characters where the RFC says 75 octets (§3.1), so
//! the output is folded again by octets.

use ical::generator::{Emitter, IcalCalendarBuilder, IcalEvent, IcalEventBuilder, Property};
use ical::{ical_param, ical_property};

use super::event_view::zone_of;
use crate::store::{EventRow, EventStatus};

/// What a calendar entry needs beyond the event row.
pub struct Entry<'a> {
    pub event: &'a EventRow,
    /// The event page's absolute address: its UID and URL.
    pub url: &'a str,
    /// Plain text: the summary or the start of the description.
    pub excerpt: &'a str,
}

/// `20260404T120000Z`.
fn utc(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A TEXT value: backslash, semicolon, comma and newlines escaped, other
/// control characters dropped (they are not allowed at all).
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value, quoted: DQUOTE cannot be written inside one at all
/// (RFC 6868 aside), so it is dropped with the control characters.
fn param(value: &str) -> String {
    let inner: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{inner}\"")
}

fn prop(name: &str, value: String) -> Property {
    Property {
        name: name.to_string(),
        params: None,
        value: Some(value),
    }
}

/// One VEVENT.
pub fn vevent(entry: &Entry<'_>) -> IcalEvent {
    let event = entry.event;
    let fields = &event.fields;
    let article = &event.article;
    let builder = IcalEventBuilder::tzid("UTC")
        .uid(entry.url)
        // The last change, not the time of writing: the file only changes
        // when the event does, and calendars compare it with SEQUENCE.
        .changed_utc(utc(article
            .updated_at
            .max(article.published_at.unwrap_or(0))));
    let mut built = if fields.all_day {
        // All-day: dates in the event's zone, DTEND the day after the last.
        let tz = zone_of(fields);
        let day = |s: i64| {
            crate::events::local(s, &tz)
                .map(|z| z.date())
                .unwrap_or_default()
        };
        let first = day(fields.starts_at);
        let last = day((fields.ends_at - 1).max(fields.starts_at));
        let after = last.tomorrow().unwrap_or(last);
        builder
            .start_day(first.strftime("%Y%m%d").to_string())
            .end_day(after.strftime("%Y%m%d").to_string())
            .build()
    } else {
        let mut built = builder
            .start(utc(fields.starts_at))
            .end(utc(fields.ends_at))
            .build();
        // UTC times take no TZID (§3.3.5): the builder always adds one.
        for p in &mut built.properties {
            if p.name == "DTSTART" || p.name == "DTEND" {
                p.params = None;
            }
        }
        built
    };
    let props = &mut built.properties;
    props.push(prop("SEQUENCE", event.sequence.to_string()));
    props.push(prop(
        "STATUS",
        match fields.status {
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Cancelled => "CANCELLED",
        }
        .into(),
    ));
    props.push(prop("SUMMARY", text(&article.title)));
    let mut description = entry.excerpt.trim().to_string();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(entry.url);
    props.push(prop("DESCRIPTION", text(&description)));
    let mut location = super::event_view::place_lines(fields);
    if location.is_empty() && !fields.online_url.trim().is_empty() {
        location.push(fields.online_url.trim().to_string());
    }
    if !location.is_empty() {
        props.push(prop("LOCATION", text(&location.join(", "))));
    }
    if let (Some(lat), Some(lon)) = (fields.latitude, fields.longitude) {
        // Two floats separated by a semicolon, which is not escaped here.
        props.push(prop("GEO", format!("{lat};{lon}")));
    }
    props.push(prop("URL", entry.url.to_string()));
    let author = &article.author;
    let organizer = [&author.profile_url, &author.actor_id]
        .into_iter()
        .map(|u| super::view::safe_href(u))
        .find(|u| !u.is_empty());
    if let Some(uri) = organizer {
        let name = if author.name.trim().is_empty() {
            format!("@{}", author.handle)
        } else {
            author.name.trim().to_string()
        };
        props.push(ical_property!(
            "ORGANIZER",
            uri,
            ical_param!("CN", param(&name))
        ));
    }
    if !article.tags.is_empty() || !fields.category.trim().is_empty() {
        let mut categories: Vec<String> = article.tags.iter().map(|t| text(&t.name)).collect();
        if !fields.category.trim().is_empty() {
            categories.insert(0, text(fields.category.trim()));
        }
        props.push(prop("CATEGORIES", categories.join(",")));
    }
    built
}

/// A whole VCALENDAR; `name` becomes X-WR-CALNAME (the feeds).
pub fn calendar(name: Option<&str>, events: Vec<IcalEvent>) -> String {
    let mut builder = IcalCalendarBuilder::version("2.0")
        .gregorian()
        .prodid(format!("-//Affiche//Affiche {}//EN", crate::VERSION))
        .set(ical_property!("METHOD", "PUBLISH"));
    if let Some(name) = name {
        builder = builder.set(prop("X-WR-CALNAME", text(name)));
    }
    for event in events {
        builder = builder.add_event(event);
    }
    refold(&builder.build().generate())
}

/// Lines of at most 75 octets, continued with CRLF and a space (§3.1),
/// never splitting a character. The crate's own folding is undone first.
pub fn refold(generated: &str) -> String {
    let unfolded = generated.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 70 * 3);
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let mut width = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            // The first line holds 75 octets, the next ones 74 after their space.
            if width + len > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += len;
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::render::event_view::tests::fields;
    use crate::store::{Article, ArticleAuthor, ArticleTag, Kind, Status};

    fn row(f: crate::store::EventFields, sequence: i64) -> EventRow {
        EventRow {
            article: Article {
                id: 7,
                slug: "fete".into(),
                title: "Fête, de quartier; \"fin\"".into(),
                summary: String::new(),
                lang: "fr".into(),
                status: Status::Published,
                author: ArticleAuthor {
                    actor_id: "https://m.example/users/alice".into(),
                    handle: "alice@m.example".into(),
                    name: "Alice \"A\" Martin".into(),
                    avatar: String::new(),
                    profile_url: "https://m.example/@alice".into(),
                },
                tags: vec![ArticleTag {
                    slug: "quartier".into(),
                    name: "Quartier".into(),
                }],
                words: 10,
                created_at: 1_700_000_000,
                updated_at: 1_700_000_100,
                published_at: Some(1_700_000_000),
                month: None,
                cover: String::new(),
                version: 1,
                announced_version: 0,
                kind: Kind::Event,
            },
            fields: f,
            sequence,
        }
    }

    fn ics(event: &EventRow, excerpt: &str) -> String {
        let entry = Entry {
            event,
            url: "https://example.org/events/fete/",
            excerpt,
        };
        calendar(Some("Test, site"), vec![vevent(&entry)])
    }

    #[test]
    fn timed_events_are_in_utc_with_crlf_lines() {
        let mut f = fields(
            "2026-04-04 14:00",
            "2026-04-04 17:00",
            "Europe/Paris",
            false,
        );
        f.place_name = "Salle; des fêtes".into();
        f.city = "Paris".into();
        f.latitude = Some(48.5);
        f.longitude = Some(2.25);
        let text = ics(&row(f, 0), "Line one\nline, two");
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text}"
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF: {text}");
        for line in [
            "DTSTART:20260404T120000Z",
            "DTEND:20260404T150000Z",
            "DTSTAMP:20231114T221500Z",
            "UID:https://example.org/events/fete/",
            "SUMMARY:Fête\\, de quartier\\; \"fin\"",
            "LOCATION:Salle\\; des fêtes\\, Paris",
            "GEO:48.5;2.25",
            "STATUS:CONFIRMED",
            "SEQUENCE:0",
            "X-WR-CALNAME:Test\\, site",
            "ORGANIZER;CN=\"Alice A Martin\":https://m.example/@alice",
            "CATEGORIES:Quartier",
            "METHOD:PUBLISH",
        ] {
            assert!(
                text.contains(&format!("\r\n{line}\r\n")),
                "{line} in {text}"
            );
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains(
                "DESCRIPTION:Line one\\nline\\, two\\n\\nhttps://example.org/events/fete/\r\n"
            ),
            "{unfolded}"
        );
    }

    #[test]
    fn all_day_events_are_dates_and_cancelled_ones_say_so() {
        let mut f = fields("2026-04-04", "2026-04-05", "Europe/Paris", true);
        f.status = EventStatus::Cancelled;
        let text = ics(&row(f, 3), "");
        assert!(
            text.contains("\r\nDTSTART;VALUE=DATE:20260404\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nDTEND;VALUE=DATE:20260406\r\n"), "{text}");
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"), "{text}");
        assert!(text.contains("\r\nSEQUENCE:3\r\n"), "{text}");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let long = "é".repeat(100) + &"x".repeat(100);
        let folded = refold(&format!("DESCRIPTION:{long}\r\n"));
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(folded.contains("\r\n "));
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("DESCRIPTION:{long}\r\n")
        );
    }

    #[test]
    fn text_escapes_what_the_rfc_names() {
        assert_eq!(
            text("a\\b;c,d\r\ne\nf\u{7}g:h"),
            "a\\\\b\\;c\\,d\\ne\\nfg:h"
        );
    }
}
