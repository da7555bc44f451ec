//! `affiche event import`: the hand-written Google, Nextcloud, Facebook and
//! Outlook exports of `tests/fixtures/ics` and a Markdown event, stored
//! with the right instants across daylight saving; the same calendar
//! imported twice adds nothing; a file with one bad event imports nothing.

use std::path::{Path, PathBuf};

use crate::harness::{Site, text};
use crate::remote::with_db;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ics")
        .join(name)
}

fn import(site: &Site, args: &[&str]) -> std::process::Output {
    let mut all = vec!["event", "import"];
    all.extend_from_slice(args);
    site.run(&all)
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

/// Title → (starts_at, ends_at, time_zone, all_day, status, article status).
fn events(site: &Site) -> Vec<(String, i64, i64, String, bool, String, String)> {
    with_db(site, |db| {
        let mut stmt = db
            .prepare(
                "SELECT a.title, e.starts_at, e.ends_at, e.time_zone, e.all_day, e.event_status, a.status
                 FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.starts_at",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
    })
}

fn find(
    all: &[(String, i64, i64, String, bool, String, String)],
    title: &str,
) -> (String, i64, i64, String, bool, String, String) {
    all.iter()
        .find(|e| e.0 == title)
        .unwrap_or_else(|| panic!("no event {title} in {all:#?}"))
        .clone()
}

fn utc(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_second()
}

#[test]
fn each_export_imports_with_its_times_right_across_daylight_saving() {
    let site = Site::new();
    let output = import(
        &site,
        &[
            &path("google.ics"),
            &path("nextcloud.ics"),
            &path("facebook.ics"),
            &path("outlook.ics"),
            &path("meetup.md"),
            "--organizer",
            "@alice@example.net",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let said = text(&output);
    assert!(
        said.contains("Imported 7 event(s), 0 already there"),
        "{said}"
    );
    assert!(
        said.contains("“Atelier vélo du dimanche”: repeats (RRULE); only its first occurrence"),
        "{said}"
    );
    let all = events(&site);
    assert_eq!(all.len(), 7, "{all:#?}");

    // Google: 10:00 in Paris on the day clocks go forward is 08:00 UTC.
    let atelier = find(&all, "Atelier vélo du dimanche");
    assert_eq!(atelier.1, utc("2026-03-29T08:00:00Z"));
    assert_eq!(atelier.2, utc("2026-03-29T10:30:00Z"));
    assert_eq!(atelier.3, "Europe/Paris");
    assert_eq!(atelier.6, "published");
    // All day, DTEND exclusive: the 18th and the 19th, midnight to midnight.
    let bourse = find(&all, "Bourse aux vélos");
    assert!(bourse.4);
    assert_eq!(bourse.1, utc("2026-04-17T22:00:00Z"));
    assert_eq!(bourse.2, utc("2026-04-19T22:00:00Z"));
    // UTC times, shown in the calendar's zone; STATUS kept.
    let meeting = find(&all, "Réunion d'organisation (en ligne)");
    assert_eq!(meeting.1, utc("2026-05-02T16:00:00Z"));
    assert_eq!(meeting.3, "Europe/Paris");
    assert_eq!(meeting.5, "tentative");
    // Nextcloud: 01:30 summer time to 04:00 winter time the night clocks
    // go back in Berlin is three and a half hours.
    let night = find(&all, "Night hack: when the clocks go back");
    assert_eq!(night.1, utc("2026-10-24T23:30:00Z"));
    assert_eq!(night.2 - night.1, 3 * 3600 + 1800);
    assert_eq!(night.3, "Europe/Berlin");
    // Facebook: UTC.
    let concert = find(&all, "Concert dans le jardin partagé");
    assert_eq!(concert.1, utc("2026-04-12T17:00:00Z"));
    // Outlook's Windows zone name.
    let ag = find(&all, "Assemblée générale");
    assert_eq!(ag.1, utc("2026-06-05T16:30:00Z"));
    assert_eq!(ag.3, "Europe/Paris");
    // Markdown: 18:00 in Paris, the same day.
    let meetup = find(&all, "Fediverse meetup");
    assert_eq!(meetup.1, utc("2026-03-29T16:00:00Z"));

    // Places, GEO, categories, unescaped text, the organizer.
    with_db(&site, |db| {
        let (name, street, code, city, country): (String, String, String, String, String) = db
            .query_row(
                "SELECT place_name, street, postal_code, city, country FROM events e JOIN articles a ON a.id = e.article_id WHERE a.title = 'Atelier vélo du dimanche'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            (
                name.as_str(),
                street.as_str(),
                code.as_str(),
                city.as_str(),
                country.as_str()
            ),
            ("Le Local", "12 rue de la Paix", "75002", "Paris", "France")
        );
        let body: String = db
            .query_row(
                "SELECT b.markdown FROM article_bodies b JOIN articles a ON a.id = b.article_id WHERE a.title = 'Atelier vélo du dimanche'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            body.starts_with(
                "Apportez votre vélo, on répare ensemble : freins, dérailleurs, crevaisons.\nOutils"
            ),
            "{body:?}"
        );
        let (lat, lon): (f64, f64) = db
            .query_row(
                "SELECT latitude, longitude FROM events e JOIN articles a ON a.id = e.article_id WHERE a.title LIKE 'Night hack%'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!((lat - 52.51297).abs() < 1e-9 && (lon - 13.42011).abs() < 1e-9);
        let tags: Vec<String> = db
            .prepare("SELECT t.name FROM article_tags t JOIN articles a ON a.id = t.article_id WHERE a.title LIKE 'Night hack%' ORDER BY t.name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(tags, ["Hackathon", "Night", "Open Source"]);
        let authors: Vec<String> = db
            .prepare("SELECT DISTINCT author_handle FROM articles")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(authors, ["alice@example.net"]);
        let (capacity, join): (i64, String) = db
            .query_row(
                "SELECT capacity, join_mode FROM events e JOIN articles a ON a.id = e.article_id WHERE a.title = 'Fediverse meetup'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((capacity, join.as_str()), (25, "restricted"));
    });

    // The same files again: nothing new, nothing changed.
    let before = events(&site);
    let again = import(
        &site,
        &[
            &path("google.ics"),
            &path("nextcloud.ics"),
            &path("facebook.ics"),
            &path("outlook.ics"),
            &path("meetup.md"),
        ],
    );
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("Imported 0 event(s), 7 already there"),
        "{}",
        text(&again)
    );
    assert_eq!(events(&site), before);
}

#[test]
fn a_folder_imports_its_calendars_and_drafts_stay_drafts() {
    let site = Site::new();
    let output = import(&site, &[&fixture("").display().to_string(), "--draft"]);
    assert!(output.status.success(), "{}", text(&output));
    let all = events(&site);
    // The broken/ subfolder is not walked.
    assert_eq!(all.len(), 7, "{all:#?}");
    assert!(all.iter().all(|e| e.6 == "draft"), "{all:#?}");
}

#[test]
fn a_file_with_one_bad_event_imports_nothing() {
    let site = Site::new();
    let output = import(
        &site,
        &[&path("facebook.ics"), &path("broken/half-good.ics")],
    );
    assert!(!output.status.success());
    let said = text(&output);
    assert!(said.contains("nothing was imported"), "{said}");
    assert!(
        said.contains("half-good.ics: event 2 “Night of the clock change”: DTSTART: 2026-03-29 at 02:30 does not exist in Europe/Paris"),
        "{said}"
    );
    assert!(events(&site).is_empty());

    // Not a calendar at all; an unknown zone; a Markdown event ending
    // before it starts.
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    let junk = write("junk.ics", "hello\n");
    let zone = write(
        "zone.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:z\r\nSUMMARY:Far away\r\nDTSTART;TZID=Mars/Olympus:20260329T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let backwards = write(
        "backwards.md",
        "+++\ntitle = \"Backwards\"\nstart = \"2026-05-01 18:00\"\nend = \"2026-05-01 17:00\"\n+++\n",
    );
    let output = import(&site, &[&junk, &zone, &backwards]);
    assert!(!output.status.success());
    let said = text(&output);
    assert!(
        said.contains("junk.ics: not a readable iCalendar file"),
        "{said}"
    );
    assert!(
        said.contains(
            "zone.ics: event 1 “Far away”: DTSTART: the time zone 'Mars/Olympus' is unknown"
        ),
        "{said}"
    );
    assert!(
        said.contains("backwards.md: The event ends before it starts"),
        "{said}"
    );
    assert!(events(&site).is_empty());
    let bad = import(&site, &[&path("facebook.ics"), "--organizer", "alice"]);
    assert!(!bad.status.success());
    assert!(text(&bad).contains("--organizer: expected a fediverse handle"));
}
