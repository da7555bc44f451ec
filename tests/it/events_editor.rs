//! The event editor through the real Apache and CGI, as alice: every bad
//! field refused in words with nothing stored, preview, publish (a Create
//! reaches her fediverse server), postpone and cancel (Updates), delete.

use crate::authors::{Browser, Reply, log_in, setup, unescape};
use crate::remote::{Received, Remote, with_db};

/// A valid event's fields, with `changes` over them.
fn fields<'a>(
    csrf: &'a str,
    key: &'a str,
    action: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![
        ("csrf", csrf),
        ("form_key", key),
        ("title", "Repair café"),
        ("body", "Bring what is *broken*."),
        ("start_date", "2026-06-20"),
        ("start_time", "18:00"),
        ("end_date", "2026-06-20"),
        ("end_time", "21:00"),
        ("time_zone", "Europe/Paris"),
        ("place_name", "Le Local"),
        ("street", "12 rue de la Paix"),
        ("postal_code", "75002"),
        ("city", "Paris"),
        ("region", ""),
        ("country", "France"),
        ("latitude", "48.8686"),
        ("longitude", "2.3317"),
        ("online_url", ""),
        ("capacity", "20"),
        ("status", "confirmed"),
        ("category", "WORKSHOP"),
        ("tags", "Repair, Neighbours"),
        ("lang", "en"),
        ("join_mode", "free"),
        ("external_url", ""),
        ("action", action),
    ];
    for (name, value) in changes {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => all.push((name, value)),
        }
    }
    all
}

fn count(site: &crate::harness::Site, sql: &str) -> i64 {
    with_db(site, |db| db.query_row(sql, [], |r| r.get(0)).unwrap())
}

/// The activities of `kind` about the event titled `title`.
fn activities(remote: &Remote, kind: &str, title: &str) -> Vec<Received> {
    remote
        .received()
        .into_iter()
        .filter(|r| r.body["type"] == kind && r.body["object"].to_string().contains(title))
        .collect()
}

fn wait_activities(remote: &Remote, kind: &str, title: &str, n: usize) -> Vec<Received> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let found = activities(remote, kind, title);
        if found.len() >= n {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{n} {kind} of {title} did not arrive: {:#?}",
            remote.received()
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

fn refused(reply: &Reply, message: &str) {
    assert_eq!(reply.status, 422, "{message}: {reply:?}");
    let body = unescape(&reply.body);
    assert!(body.contains("Nothing was saved"), "{body}");
    assert!(body.contains(message), "expected “{message}” in {body}");
}

fn open_form(alice: &mut Browser) -> (String, String) {
    let form = alice.get("/editor/events/new");
    assert_eq!(form.status, 200, "{form:?}");
    (form.field("csrf"), form.field("form_key"))
}

#[test]
fn bad_fields_are_refused_in_words_and_nothing_is_stored() {
    let (site, apache, remote) = setup(|c| c);
    let mut alice = log_in(&apache, &remote);
    let (csrf, key) = open_form(&mut alice);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("end_time", "17:00")], "The event ends before it starts"),
        (
            &[("end_date", "2026-06-19")],
            "The event ends before it starts",
        ),
        (
            &[("time_zone", "Mars/Olympus")],
            "'Mars/Olympus' is not a time zone",
        ),
        (
            &[
                ("start_date", "2026-03-29"),
                ("end_date", "2026-03-29"),
                ("start_time", "02:30"),
            ],
            "2026-03-29 at 02:30 does not exist in Europe/Paris",
        ),
        (&[("capacity", "0")], "A capacity of 0 is not possible"),
        (&[("capacity", "-3")], "A capacity of -3 is not possible"),
        (&[("capacity", "many")], "is not a whole number"),
        (
            &[("street", "<script>alert(1)</script>")],
            "The street contains < or >",
        ),
        (&[("city", "Paris >")], "The city contains < or >"),
        (
            &[("place_name", "<b>Le Local</b>")],
            "The place name contains < or >",
        ),
        (
            &[("online_url", "javascript:alert(1)")],
            "The online link 'javascript:alert(1)' is not a web address",
        ),
        (
            &[("join_mode", "external"), ("external_url", "")],
            "Joining by an external link needs that link",
        ),
        (
            &[
                ("join_mode", "external"),
                ("external_url", "ftp://x.example"),
            ],
            "is not a web address",
        ),
        (&[("latitude", "95")], "The latitude 95 is out of range"),
        (
            &[("longitude", "")],
            "Give both the latitude and the longitude",
        ),
        (
            &[("start_date", "20/06/2026")],
            "'20/06/2026' is not a date",
        ),
        (&[("start_time", "")], "The start time is empty"),
        (
            &[("title", "")],
            "The title is empty: give the event a title.",
        ),
    ];
    for (changes, message) in cases {
        for action in ["save", "publish", "preview"] {
            let reply = alice.post("/editor/events/new", &fields(&csrf, &key, action, changes));
            refused(&reply, message);
        }
    }
    // Everything wrong at once: every problem listed.
    let reply = alice.post(
        "/editor/events/new",
        &fields(
            &csrf,
            &key,
            "save",
            &[("capacity", "0"), ("street", "<i>"), ("online_url", "nope")],
        ),
    );
    refused(&reply, "A capacity of 0");
    refused(&reply, "The street contains");
    refused(&reply, "The online link 'nope'");
    assert_eq!(count(&site, "SELECT count(*) FROM articles"), 0);
    assert_eq!(count(&site, "SELECT count(*) FROM events"), 0);

    // A form without its token changes nothing either.
    let mut forged = fields(&csrf, &key, "save", &[]);
    forged.retain(|(n, _)| *n != "csrf");
    let reply = alice.post("/editor/events/new", &forged);
    assert_eq!(reply.status, 403, "{reply:?}");
    assert_eq!(count(&site, "SELECT count(*) FROM events"), 0);
    // Nor does anyone logged out.
    let reply = Browser::new(&apache).post("/editor/events/new", &fields(&csrf, &key, "save", &[]));
    assert_eq!(reply.status, 303, "{reply:?}");
    assert_eq!(reply.location(), "/login");
    assert_eq!(count(&site, "SELECT count(*) FROM events"), 0);
}

#[test]
fn an_event_is_previewed_published_postponed_cancelled_and_deleted() {
    let (site, apache, remote) = setup(|c| c);
    let mut alice = log_in(&apache, &remote);
    let list = alice.get("/editor/");
    assert!(list.body.contains("/editor/events/new"), "{}", list.body);
    let (csrf, key) = open_form(&mut alice);

    // Preview: the description rendered, nothing stored.
    let preview = alice.post("/editor/events/new", &fields(&csrf, &key, "preview", &[]));
    assert_eq!(preview.status, 200, "{preview:?}");
    assert!(
        preview.body.contains("Bring what is <em>broken</em>."),
        "{}",
        preview.body
    );
    assert_eq!(count(&site, "SELECT count(*) FROM events"), 0);

    // Publish.
    let published = alice.post("/editor/events/new", &fields(&csrf, &key, "publish", &[]));
    assert_eq!(
        published.status,
        303,
        "{published:?}\n{}",
        apache.error_log()
    );
    let location = published.location();
    assert!(
        location.starts_with("/editor/events/") && location.ends_with("?notice=published"),
        "{location}"
    );
    let edit_path = location.split('?').next().unwrap().to_string();
    let id: i64 = edit_path.rsplit('/').next().unwrap().parse().unwrap();
    let row = |site: &crate::harness::Site| {
        with_db(site, |db| {
            db.query_row(
                "SELECT a.kind, a.status, e.starts_at, e.ends_at, e.time_zone, e.event_status, e.sequence, e.capacity
                 FROM articles a JOIN events e ON e.article_id = a.id WHERE a.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                    ))
                },
            )
            .unwrap()
        })
    };
    let stored = row(&site);
    assert_eq!(
        (stored.0.as_str(), stored.1.as_str()),
        ("event", "published")
    );
    // 18:00 in Paris in June is 16:00 UTC.
    assert_eq!(stored.2, 1_781_971_200, "2026-06-20T16:00:00Z");
    assert_eq!(stored.3 - stored.2, 3 * 3600);
    assert_eq!(stored.4, "Europe/Paris");
    assert_eq!(stored.7, Some(20));
    let create = wait_activities(&remote, "Create", "Repair café", 1);
    assert_eq!(create[0].verified, Ok(()));
    assert_eq!(
        create[0].body["object"]["type"], "Event",
        "{}",
        create[0].body
    );
    let (status, public) = apache.get("/events/repair-caf%C3%A9/");
    assert_eq!(status, 200, "{public}");
    assert!(
        public.contains("Bring what is <em>broken</em>."),
        "{public}"
    );

    // The editor: the form comes back filled; the list shows the date.
    let page = alice.get(&edit_path);
    assert_eq!(page.status, 200, "{page:?}");
    assert_eq!(page.field("start_date"), "2026-06-20");
    assert_eq!(page.field("start_time"), "18:00");
    assert_eq!(page.field("time_zone"), "Europe/Paris");
    assert!(page.body.contains("value=\"postpone\""), "{}", page.body);
    let list = alice.get("/editor/");
    let listed = unescape(&list.body);
    assert!(listed.contains("Repair café"), "{listed}");
    assert!(listed.contains("2026-06-20 18:00"), "{listed}");
    // The article editor sends an event to its own editor.
    let moved = alice.get(&format!("/editor/{id}"));
    assert_eq!(moved.status, 303, "{moved:?}");
    assert_eq!(moved.location(), edit_path);

    // Postponing needs new dates.
    let same = alice.post(&edit_path, &fields(&csrf, "", "postpone", &[]));
    refused(&same, "give its new dates first");
    let postponed = alice.post(
        &edit_path,
        &fields(
            &csrf,
            "",
            "postpone",
            &[("start_date", "2026-06-27"), ("end_date", "2026-06-27")],
        ),
    );
    assert_eq!(
        postponed.status,
        303,
        "{postponed:?}\n{}",
        apache.error_log()
    );
    assert!(
        postponed.location().ends_with("?notice=postponed"),
        "{postponed:?}"
    );
    let stored = row(&site);
    assert_eq!(stored.2, 1_781_971_200 + 7 * 86_400);
    assert_eq!(stored.6, 1, "the iCalendar sequence goes up");
    wait_activities(&remote, "Update", "Repair café", 1);

    // A bad change to a published event changes nothing.
    let bad = alice.post(&edit_path, &fields(&csrf, "", "save", &[("capacity", "0")]));
    refused(&bad, "A capacity of 0");
    assert_eq!(row(&site), stored);

    // Cancel: an Update, the status stored.
    let cancelled = alice.post(
        &edit_path,
        &fields(
            &csrf,
            "",
            "cancel",
            &[("start_date", "2026-06-27"), ("end_date", "2026-06-27")],
        ),
    );
    assert_eq!(
        cancelled.status,
        303,
        "{cancelled:?}\n{}",
        apache.error_log()
    );
    assert!(
        cancelled.location().ends_with("?notice=cancelled"),
        "{cancelled:?}"
    );
    let stored = row(&site);
    assert_eq!(stored.5, "cancelled");
    assert_eq!(stored.6, 2);
    wait_activities(&remote, "Update", "Repair café", 2);
    let page = alice.get(&edit_path);
    assert!(page.body.contains("value=\"reinstate\""), "{}", page.body);
    assert!(unescape(&alice.get("/editor/").body).contains("cancelled"));
    let (_, public) = apache.get("/events/repair-caf%C3%A9/");
    assert!(public.to_lowercase().contains("cancelled"), "{public}");

    // Delete, after a confirmation.
    let confirm = alice.post(&edit_path, &[("csrf", &csrf), ("action", "delete")]);
    assert_eq!(confirm.status, 200, "{confirm:?}");
    assert!(
        unescape(&confirm.body).contains("Delete “Repair café”?"),
        "{}",
        confirm.body
    );
    assert_eq!(row(&site).1, "published");
    let deleted = alice.post(
        &edit_path,
        &[("csrf", &csrf), ("action", "delete-confirmed")],
    );
    assert_eq!(deleted.status, 303, "{deleted:?}");
    assert_eq!(deleted.location(), "/editor/?notice=deleted");
    assert_eq!(row(&site).1, "deleted");
    let gone = alice.get(&edit_path);
    assert_eq!(gone.status, 404, "{gone:?}");
}

#[test]
fn a_draft_event_is_saved_then_published_and_unpublished() {
    let (site, apache, remote) = setup(|c| c);
    let mut alice = log_in(&apache, &remote);
    let (csrf, key) = open_form(&mut alice);
    let changes = [
        ("title", "Picnic"),
        ("all_day", "1"),
        ("start_date", "2026-03-29"),
        ("end_date", "2026-03-29"),
        ("start_time", ""),
        ("end_time", ""),
        ("capacity", ""),
        ("latitude", ""),
        ("longitude", ""),
    ];
    let saved = alice.post("/editor/events/new", &fields(&csrf, &key, "save", &changes));
    assert_eq!(saved.status, 303, "{saved:?}\n{}", apache.error_log());
    assert!(saved.location().ends_with("?notice=saved"), "{saved:?}");
    // The same form sent twice is one event.
    let twice = alice.post("/editor/events/new", &fields(&csrf, &key, "save", &changes));
    assert_eq!(twice.status, 303);
    assert_eq!(count(&site, "SELECT count(*) FROM events"), 1);
    let (all_day, span, capacity): (bool, i64, Option<i64>) = with_db(&site, |db| {
        db.query_row(
            "SELECT all_day, ends_at - starts_at, capacity FROM events",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    });
    // The day clocks go forward in Paris is 23 hours long.
    assert!(all_day);
    assert_eq!(span, 23 * 3600);
    assert_eq!(capacity, None);
    assert!(activities(&remote, "Create", "Picnic").is_empty());
    let edit_path = saved.location().split('?').next().unwrap().to_string();
    let page = alice.get(&edit_path);
    assert_eq!(page.field("end_date"), "2026-03-29");

    let published = alice.post(&edit_path, &fields(&csrf, "", "publish", &changes));
    assert!(
        published.location().ends_with("?notice=published"),
        "{published:?}"
    );
    wait_activities(&remote, "Create", "Picnic", 1);
    let unpublished = alice.post(&edit_path, &[("csrf", &csrf), ("action", "unpublish")]);
    assert!(
        unpublished.location().ends_with("?notice=unpublished"),
        "{unpublished:?}"
    );
    let status: String = with_db(&site, |db| {
        db.query_row("SELECT status FROM articles", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(status, "draft");
    wait_activities(&remote, "Delete", "", 1);
}
