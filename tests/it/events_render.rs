//! Events on the static site: created through the store and publish API as
//! the editor does, then checked in the files: the page, its AS2 twin,
//! event.ics (read back by Python's `icalendar`), the lists, calendars and
//! feed; cancelled, withdrawn, and time passing.

use std::process::Command;

use affiche::context::Context;
use affiche::events::{all_day_span, instant, parse_date, parse_time, zone};
use affiche::publish;
use affiche::render::{Target, markdown, plan};
use affiche::store::{
    Article, ArticleEdit, ArticleTag, Author, EventFields, EventStatus, JoinMode,
};
use serde_json::Value;

use crate::harness::Site;

fn author() -> Author {
    Author {
        actor_id: "https://m.example/users/alice".into(),
        handle: "alice@m.example".into(),
        name: "Alice Martin".into(),
        avatar: String::new(),
        profile_url: "https://m.example/@alice".into(),
        inbox: String::new(),
        credits_site: true,
        updated_at: 0,
    }
}

fn edit(title: &str, tags: &[&str]) -> ArticleEdit {
    let md = format!("Come to **{title}**.\n\nThere will be cake.");
    ArticleEdit {
        title: title.into(),
        summary: String::new(),
        body: markdown::render_body(&md),
        body_md: md,
        lang: "en".into(),
        tags: tags
            .iter()
            .map(|t| ArticleTag {
                slug: t.to_lowercase(),
                name: t.to_string(),
            })
            .collect(),
        cover: String::new(),
    }
}

/// Fields for a timed event in Europe/Paris, local times.
pub(crate) fn timed(date: &str, from: &str, to: &str) -> EventFields {
    let tz = zone("Europe/Paris").unwrap();
    let day = parse_date(date).unwrap();
    let at = |t: &str| {
        instant(day, parse_time(t).unwrap(), &tz)
            .unwrap()
            .as_second()
    };
    EventFields {
        starts_at: at(from),
        ends_at: at(to),
        time_zone: "Europe/Paris".into(),
        all_day: false,
        place_name: "Salle des fêtes".into(),
        street: "1 rue de la Paix".into(),
        postal_code: "75002".into(),
        city: "Paris".into(),
        region: String::new(),
        country: "France".into(),
        latitude: Some(48.8686),
        longitude: Some(2.3314),
        online_url: String::new(),
        capacity: Some(20),
        status: EventStatus::Confirmed,
        category: "MEETING".into(),
        join_mode: JoinMode::Free,
        external_url: String::new(),
    }
}

pub(crate) const NOW: i64 = 1_790_000_000;

/// Creates, makes an event of and publishes one draft, as the editor does.
pub(crate) fn publish_event(
    ctx: &Context,
    title: &str,
    tags: &[&str],
    fields: &EventFields,
) -> Article {
    let edit = edit(title, tags);
    let (draft, _) =
        publish::create_draft(ctx, &author(), &edit, &format!("key-{title}"), NOW).unwrap();
    ctx.store.insert_event(draft.id, fields).unwrap();
    publish::publish(ctx, &draft, &edit, NOW).unwrap();
    ctx.store.article_by_id(draft.id).unwrap().unwrap()
}

/// Renders what a change to `slug` touches, as the write paths do.
pub(crate) fn rerender(ctx: &Context, slug: &str) {
    let targets: Vec<Target> = plan::touched_by(&ctx.store, slug, ctx.renderer.page_size())
        .unwrap()
        .into_iter()
        .collect();
    ctx.renderer
        .render_parallel(&ctx.store, &ctx.config.database_path(), &targets, 1)
        .unwrap();
}

/// Parses an .ics with Python's icalendar and prints, per VEVENT, its UID,
/// DTSTART (UTC for timed events, the date for all-day ones), STATUS and
/// SEQUENCE, tab-separated.
fn python_events(path: &std::path::Path) -> Vec<Vec<String>> {
    let script = r#"
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in cal.walk('VEVENT'):
    start = e.decoded('DTSTART')
    if isinstance(start, datetime.datetime):
        start = start.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ')
    else:
        start = start.isoformat()
    print('\t'.join([str(e['UID']), start, str(e.get('STATUS')), str(e.get('SEQUENCE')), str(e.get('SUMMARY'))]))
"#;
    // The first Python that has `icalendar`: the one on the PATH (a pyenv
    // or venv where it was pip-installed), else the distribution's, where
    // .ci/run installs python3-icalendar with apt.
    let python = ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|python| {
            Command::new(python)
                .args(["-c", "import icalendar"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("these tests need Python's icalendar: `apt-get install python3-icalendar` (Debian's /usr/bin/python3) or `python3 -m pip install icalendar`");
    let out = Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "icalendar refused {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn an_event_has_a_page_a_twin_a_calendar_entry_and_stays_out_of_articles() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    let event = publish_event(
        &ctx,
        "Neighbourhood party",
        &["Quartier"],
        &timed("2027-04-03", "14:00", "17:00"),
    );
    let slug = &event.slug;

    let page = site.read(&format!("events/{slug}/index.html"));
    for expected in [
        "Saturday 3 April 2027, 14:00–17:00 (Europe/Paris)",
        "datetime=\"2027-04-03T14:00:00+02:00\"",
        "https://www.openstreetmap.org/?mlat=48.8686&amp;mlon=2.3314#map=17/48.8686/2.3314",
        "Salle des fêtes",
        "75002 Paris",
        "0 participants",
        "20 places left of 20",
        "free to join",
        "Add to calendar",
        &format!("href=\"/events/{slug}/event.ics\""),
        "<meta name=\"fediverse:creator\" content=\"@alice@m.example\">",
        "<script type=\"application/ld+json\">",
        "Organized by",
        "Alice Martin",
        "There will be cake.",
        "id=\"participation\"",
        "Replies from the fediverse",
        &format!("value=\"https://example.org/events/{slug}/\""),
        "href=\"/events/tags/quartier/\"",
        "<meta property=\"og:description\" content=\"Saturday 3 April 2027",
    ] {
        assert!(
            page.contains(expected),
            "{expected} not in the page:\n{page}"
        );
    }
    // The JSON-LD parses and is the event.
    let start = page.find("application/ld+json\">").unwrap() + 21;
    let end = start + page[start..].find("</script>").unwrap();
    let ld: Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["startDate"], "2027-04-03T14:00:00+02:00");
    assert_eq!(ld["location"][0]["address"]["addressLocality"], "Paris");
    assert_eq!(ld["remainingAttendeeCapacity"], 20);

    // Never at articles/<slug>/, never in the article lists (the home
    // page shows it among the upcoming events only: home_events.rs).
    assert!(!site.exists(&format!("articles/{slug}/index.html")));
    assert!(!site.read("index.html").contains("class=\"card h-entry\""));
    assert!(!site.read("feed.atom").contains("Neighbourhood party"));
    assert!(!site.exists("tags/quartier/index.html"));

    // The twin: Mobilizon's Event.
    let twin: Value =
        serde_json::from_str(&site.read(&format!("events/{slug}/index.json"))).unwrap();
    let url = format!("https://example.org/events/{slug}/");
    assert_eq!(twin["type"], "Event");
    assert_eq!(twin["id"], url);
    assert_eq!(twin["name"], "Neighbourhood party");
    assert_eq!(twin["startTime"], "2027-04-03T14:00:00+02:00");
    assert_eq!(twin["endTime"], "2027-04-03T17:00:00+02:00");
    assert_eq!(twin["timezone"], "Europe/Paris");
    assert_eq!(twin["ical:status"], "CONFIRMED");
    assert_eq!(twin["joinMode"], "free");
    assert_eq!(twin["maximumAttendeeCapacity"], 20);
    assert_eq!(twin["remainingAttendeeCapacity"], 20);
    assert_eq!(twin["participantCount"], 0);
    assert_eq!(twin["isOnline"], false);
    assert_eq!(twin["anonymousParticipationEnabled"], false);
    assert_eq!(twin["category"], "MEETING");
    assert_eq!(twin["location"]["type"], "Place");
    assert_eq!(twin["location"]["address"]["type"], "PostalAddress");
    assert_eq!(twin["location"]["address"]["postalCode"], "75002");
    assert_eq!(twin["location"]["latitude"], 48.8686);
    assert_eq!(twin["attributedTo"], "https://example.org/actor");
    assert!(
        twin["cc"]
            .as_array()
            .unwrap()
            .contains(&Value::from("https://m.example/users/alice"))
    );
    assert!(
        twin["tag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["type"] == "Mention")
    );
    assert!(
        twin["tag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["href"] == "https://example.org/events/tags/quartier/")
    );
    let summary = twin["summary"].as_str().unwrap();
    assert!(
        summary.contains("Saturday 3 April 2027, 14:00–17:00 (Europe/Paris)"),
        "{summary}"
    );
    assert!(summary.contains("Salle des fêtes"), "{summary}");
    assert!(
        twin["content"]
            .as_str()
            .unwrap()
            .contains("There will be cake.")
    );
    assert_eq!(twin["replies"]["id"], format!("{url}#replies"));
    let context = twin["@context"].to_string();
    assert!(
        context.contains("https://joinmobilizon.org/ns#")
            && context.contains("http://www.w3.org/2002/12/cal/ical#")
    );

    // The announcement carries the same object.
    let (object, _) = ctx.renderer.article_object(&ctx.store, &event).unwrap();
    assert_eq!(object["type"], "Event");
    assert_eq!(object["id"], url);

    // Its calendar file, as Python reads it.
    let ics_path = site.docroot.join(format!("events/{slug}/event.ics"));
    let raw = std::fs::read_to_string(&ics_path).unwrap();
    assert!(raw.contains("\r\nDTSTART:20270403T120000Z\r\n"), "{raw}");
    assert!(!raw.replace("\r\n", "").contains('\n'), "bare LF in {raw}");
    let rows = python_events(&ics_path);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], url);
    assert_eq!(rows[0][1], "2027-04-03T12:00Z");
    assert_eq!(rows[0][2], "CONFIRMED");
    assert_eq!(rows[0][3], "0");
    assert_eq!(rows[0][4], "Neighbourhood party");

    // The lists, calendars and feed.
    let upcoming = site.read("events/index.html");
    assert!(
        upcoming.contains("Neighbourhood party") && upcoming.contains("Upcoming events"),
        "{upcoming}"
    );
    assert!(
        upcoming.contains("webcal://example.org/events/calendar.ics"),
        "{upcoming}"
    );
    assert!(
        upcoming.contains("href=\"/events/\" aria-current=\"page\""),
        "{upcoming}"
    );
    assert!(
        !site
            .read("events/past/index.html")
            .contains("Neighbourhood party")
    );
    assert!(
        site.read("events/2027/04/index.html")
            .contains("Neighbourhood party")
    );
    assert!(
        site.read("events/tags/quartier/index.html")
            .contains("Neighbourhood party")
    );
    assert_eq!(
        python_events(&site.docroot.join("events/tags/quartier/calendar.ics"))[0][0],
        url
    );
    let calendar = python_events(&site.docroot.join("events/calendar.ics"));
    assert!(calendar.iter().any(|r| r[0] == url), "{calendar:?}");
    assert!(
        site.read("events/calendar.ics")
            .contains("X-WR-CALNAME:Test site")
    );
    let feed = site.read("events/feed.atom");
    assert!(feed.contains(&format!("<id>{url}</id>")), "{feed}");
    assert!(
        feed.contains("Saturday 3 April 2027, 14:00–17:00 (Europe/Paris) · Salle des fêtes"),
        "{feed}"
    );
    assert!(site.read("sitemaps/pages.xml").contains(&url));
}

#[test]
fn calendars_keep_utc_right_across_daylight_saving() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    let winter = publish_event(
        &ctx,
        "Winter time",
        &[],
        &timed("2026-03-28", "10:00", "11:00"),
    );
    let summer = publish_event(
        &ctx,
        "Summer time",
        &[],
        &timed("2026-03-29", "10:00", "11:00"),
    );
    let mut all_day = timed("2027-03-28", "10:00", "11:00");
    let tz = zone("Europe/Paris").unwrap();
    (all_day.starts_at, all_day.ends_at) = all_day_span(
        parse_date("2027-03-27").unwrap(),
        parse_date("2027-03-28").unwrap(),
        &tz,
    )
    .unwrap();
    all_day.all_day = true;
    let weekend = publish_event(&ctx, "Weekend", &[], &all_day);

    let start = |a: &Article| {
        python_events(&site.docroot.join(format!("events/{}/event.ics", a.slug)))[0][1].clone()
    };
    assert_eq!(start(&winter), "2026-03-28T09:00Z");
    assert_eq!(start(&summer), "2026-03-29T08:00Z");
    assert_eq!(start(&weekend), "2027-03-27");
    let raw = site.read(&format!("events/{}/event.ics", weekend.slug));
    assert!(
        raw.contains("\r\nDTSTART;VALUE=DATE:20270327\r\nDTEND;VALUE=DATE:20270329\r\n"),
        "{raw}"
    );
    let page = site.read(&format!("events/{}/index.html", weekend.slug));
    assert!(
        page.contains("Saturday 27 March 2027 – Sunday 28 March 2027"),
        "{page}"
    );

    // Ended: on the past list, not the upcoming one, and the page says so.
    let past = site.read("events/past/index.html");
    assert!(
        past.contains("Winter time") && past.contains("Summer time"),
        "{past}"
    );
    let upcoming = site.read("events/index.html");
    assert!(
        !upcoming.contains("Winter time") && upcoming.contains("Weekend"),
        "{upcoming}"
    );
    assert!(
        site.read(&format!("events/{}/index.html", winter.slug))
            .contains("This event is over.")
    );
    // Ended more than 30 days ago: out of the calendar feed.
    let calendar = site.read("events/calendar.ics");
    assert!(
        !calendar.contains("Winter time") && calendar.contains("Weekend"),
        "{calendar}"
    );
    assert!(
        site.read("events/2026/03/index.html")
            .contains("Summer time")
    );
}

#[test]
fn a_cancelled_event_says_so_everywhere_and_a_withdrawn_one_is_gone() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    let event = publish_event(
        &ctx,
        "Concert",
        &["Music"],
        &timed("2027-06-12", "20:00", "23:00"),
    );
    let slug = event.slug.clone();
    let mut fields = timed("2027-06-12", "20:00", "23:00");
    fields.status = EventStatus::Cancelled;
    assert!(ctx.store.update_event(event.id, &fields, NOW + 10).unwrap());
    rerender(&ctx, &slug);

    let ics = site.docroot.join(format!("events/{slug}/event.ics"));
    let rows = python_events(&ics);
    assert_eq!(rows[0][2], "CANCELLED");
    assert_eq!(rows[0][3], "1");
    let calendar = python_events(&site.docroot.join("events/calendar.ics"));
    assert_eq!(
        (calendar[0][2].as_str(), calendar[0][3].as_str()),
        ("CANCELLED", "1")
    );
    let page = site.read(&format!("events/{slug}/index.html"));
    assert!(page.contains("<strong>Cancelled.</strong>"), "{page}");
    assert!(page.contains("https://schema.org/EventCancelled"), "{page}");
    let twin: Value =
        serde_json::from_str(&site.read(&format!("events/{slug}/index.json"))).unwrap();
    assert_eq!(twin["ical:status"], "CANCELLED");
    assert!(twin["summary"].as_str().unwrap().starts_with("Cancelled: "));
    assert!(site.read("events/index.html").contains("badge--cancelled"));

    let current = ctx.store.article_by_id(event.id).unwrap().unwrap();
    publish::unpublish(&ctx, &current, NOW + 20).unwrap();
    let tombstone: Value =
        serde_json::from_str(&site.read(&format!("events/{slug}/index.json"))).unwrap();
    assert_eq!(tombstone["type"], "Tombstone");
    assert_eq!(tombstone["formerType"], "Event");
    assert!(
        site.read(&format!("events/{slug}/index.html"))
            .contains("410 Gone")
    );
    assert!(!site.exists(&format!("events/{slug}/event.ics")));
    assert!(!site.read("events/index.html").contains("Concert"));
    assert!(!site.exists("events/tags/music/index.html"));
    assert!(!site.exists("events/2027/06/index.html"));
    assert!(!site.read("events/calendar.ics").contains("Concert"));

    // A rebuild puts it back at events/<slug>/ only.
    site.ok(&["rebuild"]);
    assert!(
        site.read(&format!("events/{slug}/index.html"))
            .contains("410 Gone")
    );
    assert!(!site.exists(&format!("articles/{slug}/index.html")));
}

#[test]
fn the_refresh_hook_rewrites_what_an_end_changed_once() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    let past = publish_event(
        &ctx,
        "Over",
        &["Tag"],
        &timed("2026-03-28", "10:00", "11:00"),
    );
    let page = site
        .docroot
        .join(format!("events/{}/index.html", past.slug));
    std::fs::remove_file(&page).unwrap();
    let now = jiff::Timestamp::now().as_second();
    // First call: every ended event once.
    assert!(affiche::render::refresh_event_lists(&ctx, now).unwrap() > 0);
    assert!(page.exists());
    // Nothing ended since: nothing written.
    assert_eq!(
        affiche::render::refresh_event_lists(&ctx, now + 1).unwrap(),
        0
    );
    assert_eq!(affiche::render::refresh_event_lists(&ctx, now).unwrap(), 0);
}

#[test]
fn a_rebuild_renders_events_at_their_own_address() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    let event = publish_event(
        &ctx,
        "Picnic",
        &["Outdoor"],
        &timed("2027-07-01", "12:00", "15:00"),
    );
    for file in [
        "events/index.html",
        "events/calendar.ics",
        "events/feed.atom",
    ] {
        std::fs::remove_file(site.docroot.join(file)).unwrap();
    }
    std::fs::remove_dir_all(site.docroot.join(format!("events/{}", event.slug))).unwrap();
    site.ok(&["rebuild"]);
    for file in [
        format!("events/{}/index.html", event.slug),
        format!("events/{}/index.json", event.slug),
        format!("events/{}/event.ics", event.slug),
        "events/index.html".into(),
        "events/past/index.html".into(),
        "events/calendar.ics".into(),
        "events/feed.atom".into(),
        "events/2027/07/index.html".into(),
        "events/tags/outdoor/index.html".into(),
        "events/tags/outdoor/calendar.ics".into(),
    ] {
        assert!(site.exists(&file), "{file} after a rebuild");
    }
    assert!(!site.exists(&format!("articles/{}/index.html", event.slug)));
}
