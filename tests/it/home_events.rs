//! The home page's upcoming events (`home_events`): the next ones in
//! order, never a past one, a cancelled one marked; hidden with 0; kept
//! up to date by publishing (the editor's path and `affiche event import`)
//! and by the worker's refresh once an event has ended.

use affiche::context::Context;
use affiche::publish;
use affiche::render::refresh_event_lists;
use affiche::store::{EventFields, EventStatus};

use crate::events_render::{NOW, publish_event, rerender, timed};
use crate::harness::Site;

/// The `<article>` card of the home page whose title is `title`.
fn card<'a>(home: &'a str, title: &str) -> &'a str {
    home.split("<article")
        .find(|card| card.contains(&format!(">{title}</a>")))
        .unwrap_or_else(|| panic!("no card for {title} in:\n{home}"))
}

/// The titles of the home page's upcoming events, in page order.
fn home_events(site: &Site) -> Vec<String> {
    let home = site.read("index.html");
    let Some(start) = home.find("class=\"home-events\"") else {
        return Vec::new();
    };
    let end = start + home[start..].find("</section>").unwrap();
    home[start..end]
        .split("class=\"p-name u-url\"")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_string()
        })
        .collect()
}

/// Fields starting and ending at these instants (UTC seconds).
fn at(starts_at: i64, ends_at: i64) -> EventFields {
    EventFields {
        starts_at,
        ends_at,
        ..timed("2027-01-01", "10:00", "11:00")
    }
}

#[test]
fn the_home_page_shows_the_next_three_upcoming_events_in_order() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    publish_event(
        &ctx,
        "Already over",
        &[],
        &timed("2026-03-28", "10:00", "11:00"),
    );
    // Published out of order: the home sorts them by start.
    publish_event(&ctx, "Fourth", &[], &timed("2027-04-10", "10:00", "11:00"));
    let second = publish_event(&ctx, "Second", &[], &timed("2027-02-10", "10:00", "11:00"));
    let first = publish_event(&ctx, "First", &[], &timed("2027-01-10", "10:00", "11:00"));
    publish_event(&ctx, "Third", &[], &timed("2027-03-10", "10:00", "11:00"));
    assert_eq!(home_events(&site), ["First", "Second", "Third"]);

    // Cancelling one re-renders the home: still there, marked.
    let mut fields = timed("2027-02-10", "10:00", "11:00");
    fields.status = EventStatus::Cancelled;
    assert!(
        ctx.store
            .update_event(second.id, &fields, NOW + 10)
            .unwrap()
    );
    rerender(&ctx, &second.slug);
    let home = site.read("index.html");
    let cancelled = card(&home, "Second");
    assert!(cancelled.contains("event-card--cancelled"), "{cancelled}");
    assert!(
        cancelled.contains("badge--cancelled\">Cancelled<"),
        "{cancelled}"
    );
    assert!(!card(&home, "First").contains("cancelled"));
    for expected in [
        "<h2 id=\"home-events-heading\" class=\"home-events__heading\">Upcoming events</h2>",
        "<h3 class=\"card__title\"><a class=\"p-name u-url\" href=\"/events/",
        "href=\"/events/\">All events",
        "href=\"/events/calendar.ics\" type=\"text/calendar\">Calendar (.ics)</a>",
    ] {
        assert!(home.contains(expected), "{expected} not in:\n{home}");
    }
    // No article yet, but the page is not empty.
    assert!(!home.contains("Nothing published yet."), "{home}");

    // Unpublishing one lets the fourth in.
    let first = ctx.store.article_by_id(first.id).unwrap().unwrap();
    publish::unpublish(&ctx, &first, NOW + 20).unwrap();
    assert_eq!(home_events(&site), ["Second", "Third", "Fourth"]);

    // The French catalog's words on a French site.
    let toml = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(
        &site.config,
        toml.replace("language = \"en\"", "language = \"fr\""),
    )
    .unwrap();
    site.ok(&["rebuild"]);
    let home = site.read("index.html");
    assert!(home.contains(">Prochains événements</h2>"), "{home}");
    assert!(home.contains(">Tous les événements"), "{home}");
}

#[test]
fn home_events_0_hides_the_block() {
    let site = Site::new();
    let toml = std::fs::read_to_string(&site.config).unwrap();
    assert!(toml.contains("\nhome_events = 3\n"), "{toml}");
    std::fs::write(
        &site.config,
        toml.replace("\nhome_events = 3\n", "\nhome_events = 0\n"),
    )
    .unwrap();
    let ctx = Context::open(&site.config).unwrap();
    publish_event(&ctx, "Picnic", &[], &timed("2027-07-01", "12:00", "15:00"));
    let home = site.read("index.html");
    assert!(!home.contains("home-events"), "{home}");
    assert!(!home.contains("Picnic"), "{home}");
    assert!(home.contains("Nothing published yet."), "{home}");
    // Still on the events list.
    assert!(site.read("events/index.html").contains("Picnic"));

    // Out of range: refused, naming the key.
    std::fs::write(
        &site.config,
        toml.replace("\nhome_events = 3\n", "\nhome_events = 101\n"),
    )
    .unwrap();
    let output = site.run(&["rebuild"]);
    assert!(!output.status.success());
    let said = crate::harness::text(&output);
    assert!(said.contains("home_events"), "{said}");
}

#[test]
fn an_event_imported_with_the_cli_is_on_the_home_page() {
    let site = Site::new();
    assert!(!site.read("index.html").contains("home-events"));
    let file = site.article(
        "fete",
        "title = \"Fête de quartier\"\nstart = \"2030-06-21 18:00\"\nend = \"2030-06-21 23:00\"\ntime_zone = \"Europe/Paris\"\ncity = \"Lyon\"",
        "Musique et tartes.",
    );
    site.ok(&[
        "event",
        "import",
        file.to_str().unwrap(),
        "--organizer",
        "@alice@example.net",
    ]);
    assert_eq!(home_events(&site), ["Fête de quartier"]);
    let home = site.read("index.html");
    assert!(home.contains("Friday 21 June 2030, 18:00–23:00"), "{home}");
}

#[test]
fn an_event_that_ended_leaves_the_home_page_at_the_refresh() {
    let site = Site::new();
    let ctx = Context::open(&site.config).unwrap();
    let now = jiff::Timestamp::now().as_second();
    let day = 86_400;
    let year_on = now + 365 * day;
    // Three long events started days ago fill the home; a short one
    // starting after them is not shown.
    let long = publish_event(&ctx, "Long one", &[], &at(now - 3 * day, year_on));
    publish_event(&ctx, "Long two", &[], &at(now - 3 * day + 1, year_on));
    publish_event(&ctx, "Long three", &[], &at(now - 3 * day + 2, year_on));
    let short = publish_event(&ctx, "Short", &[], &at(now - day, now + 3600));
    assert_eq!(home_events(&site), ["Long one", "Long two", "Long three"]);
    assert_eq!(refresh_event_lists(&ctx, now - 200).unwrap(), 0);

    // The short one ends: its lists change, the home does not.
    assert!(
        ctx.store
            .update_event(short.id, &at(now - day, now - 150), NOW + 10)
            .unwrap()
    );
    let before = site.snapshot();
    assert!(refresh_event_lists(&ctx, now - 100).unwrap() > 0);
    let after = site.snapshot();
    assert_eq!(before["index.html"], after["index.html"], "home rewritten");
    assert_ne!(before["events/index.html"], after["events/index.html"]);

    // One on the home ends: the home is written again without it.
    assert!(
        ctx.store
            .update_event(long.id, &at(now - 3 * day, now - 50), NOW + 20)
            .unwrap()
    );
    assert!(refresh_event_lists(&ctx, now).unwrap() > 0);
    assert_eq!(home_events(&site), ["Long two", "Long three"]);
    // Nothing ended since: nothing written.
    let before = site.snapshot();
    assert_eq!(refresh_event_lists(&ctx, now + 1).unwrap(), 0);
    assert_eq!(before, site.snapshot());
}
