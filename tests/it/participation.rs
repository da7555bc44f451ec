//! Taking part in events, end to end under a real Apache: Mobilizon-shaped
//! `Join`, `Leave` and `Undo` sent signed by the fake remote of
//! `remote.rs` (answered by `Accept` or `Reject`, whose signatures the fake
//! checks), the organizer's participant list (approve, reject, remove, CSV),
//! and registration on the page by a handle confirmed through a link sent
//! by direct message, bound to the browser that asked.
//!
//! Events are made with the store API directly (draft, event fields,
//! publish), not through the event editor.
//!
//! Refusals: a Join of an unknown event (or of a draft) is answered 202
//! and ignored, nothing sent; a Join of a published event that cannot be
//! joined (cancelled, over) or that is full is answered 202 and a Reject.

use std::time::{Duration, Instant};

use affiche::context::Context;
use affiche::federation::signatures::SigningKey;
use affiche::store::{ArticleEdit, EventFields, EventStatus, JoinMode};
use serde_json::{Value, json};

use crate::apache::Apache;
use crate::authors::{Browser, log_in, setup};
use crate::harness::Site;
use crate::remote::{Received, Remote, with_db};

const BASE: &str = "https://example.org";

struct Env {
    site: Site,
    apache: Apache,
    remote: Remote,
    /// Alice, logged in: she organizes the events.
    organizer: Browser,
}

fn env() -> Env {
    let (site, apache, remote) = setup(|c| c);
    let organizer = log_in(&apache, &remote);
    Env {
        site,
        apache,
        remote,
        organizer,
    }
}

struct Made {
    id: i64,
    slug: String,
    url: String,
}

fn fields(capacity: Option<i64>, mode: JoinMode, status: EventStatus, past: bool) -> EventFields {
    let now = jiff::Timestamp::now().as_second();
    let (starts_at, ends_at) = if past {
        (now - 2 * 86_400, now - 86_400)
    } else {
        (now + 86_400, now + 86_400 + 7_200)
    };
    EventFields {
        starts_at,
        ends_at,
        time_zone: "Europe/Paris".into(),
        all_day: false,
        place_name: "The harbour".into(),
        street: String::new(),
        postal_code: String::new(),
        city: "Brest".into(),
        region: String::new(),
        country: "FR".into(),
        latitude: None,
        longitude: None,
        online_url: String::new(),
        capacity,
        status,
        category: String::new(),
        join_mode: mode,
        external_url: String::new(),
    }
}

impl Env {
    /// Publishes an event by alice with these fields.
    fn event(&self, title: &str, fields: EventFields) -> Made {
        let actor = self.remote.actor();
        let config = self.site.config.clone();
        let title = title.to_string();
        with_db(&self.site, move |_| {
            let ctx = Context::open(&config).unwrap();
            let author = ctx.store.author_by_actor(&actor).unwrap().unwrap();
            let now = jiff::Timestamp::now().as_second();
            let edit = ArticleEdit {
                title: title.clone(),
                summary: "A gathering.".into(),
                body_md: "Come along.".into(),
                body: affiche::render::markdown::render_body("Come along."),
                lang: "en".into(),
                tags: Vec::new(),
                cover: String::new(),
            };
            let (draft, _) =
                affiche::publish::create_draft(&ctx, &author, &edit, &format!("key-{title}"), now)
                    .unwrap();
            ctx.store.insert_event(draft.id, &fields).unwrap();
            let draft = ctx.store.article_by_id(draft.id).unwrap().unwrap();
            affiche::publish::publish(&ctx, &draft, &edit, now).unwrap();
            Made {
                id: draft.id,
                url: format!("{BASE}/events/{}/", draft.slug),
                slug: draft.slug,
            }
        })
    }

    fn send(&self, key: &SigningKey, activity: &Value) -> (u16, String) {
        self.remote.post(
            &self.apache,
            "/inbox",
            activity,
            key,
            jiff::Timestamp::now(),
        )
    }

    fn accepted(&self, key: &SigningKey, activity: &Value) {
        let (status, response) = self.send(key, activity);
        assert_eq!(
            status,
            202,
            "{activity}: {response}\n{}",
            self.apache.error_log()
        );
    }

    /// (actor, state) of an event's participants.
    fn participants(&self, event: &Made) -> Vec<(String, String)> {
        with_db(&self.site, |db| {
            let mut stmt = db
                .prepare("SELECT actor_id, state FROM participants WHERE event_id = ?1 ORDER BY id")
                .unwrap();
            stmt.query_map([event.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
        })
    }

    fn accepted_count(&self, event: &Made) -> usize {
        self.participants(event)
            .iter()
            .filter(|(_, s)| s == "accepted")
            .count()
    }

    /// The event's ActivityPub twin as rendered now.
    fn twin(&self, event: &Made) -> Value {
        serde_json::from_str(&self.site.read(&format!("events/{}/index.json", event.slug))).unwrap()
    }

    /// The participant list page, and the CSRF token on it.
    fn list(&mut self, event: &Made) -> crate::authors::Reply {
        let page = self
            .organizer
            .get(&format!("/editor/events/{}/participants", event.id));
        assert_eq!(page.status, 200, "{page:?}\n{}", self.apache.error_log());
        page
    }

    fn decide(&mut self, event: &Made, participant: i64, decision: &str) -> crate::authors::Reply {
        let page = self.list(event);
        let csrf = page.field("csrf");
        self.organizer.post(
            &format!("/editor/events/{}/participants", event.id),
            &[
                ("csrf", &csrf),
                ("participant", &participant.to_string()),
                ("decision", decision),
            ],
        )
    }

    fn participant_id(&self, event: &Made, actor: &str) -> i64 {
        with_db(&self.site, |db| {
            db.query_row(
                "SELECT id FROM participants WHERE event_id = ?1 AND actor_id = ?2",
                rusqlite::params![event.id, actor],
                |r| r.get(0),
            )
            .unwrap()
        })
    }
}

fn join(actor: &str, n: u32, object: Value) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", {"mz": "https://joinmobilizon.org/ns#"}],
        "id": format!("{actor}/join/{n}"),
        "type": "Join",
        "actor": actor,
        "object": object,
        "participationMessage": "See you there",
        "to": [actor, format!("{BASE}/actor")],
        "cc": [],
    })
}

/// Waits (at most 20 s) for an activity the site delivered that matches.
fn wait_for(remote: &Remote, what: impl Fn(&Value) -> bool) -> Option<Received> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = remote.received().into_iter().find(|r| what(&r.body)) {
            return Some(found);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn answer_to(remote: &Remote, kind: &str, join_id: &str) -> Received {
    let got = wait_for(remote, |b| {
        b["type"] == kind && b["object"]["id"] == join_id
    })
    .unwrap_or_else(|| {
        panic!(
            "no {kind} of {join_id}; got {:#?}",
            remote
                .received()
                .iter()
                .map(|r| r.body.clone())
                .collect::<Vec<_>>()
        )
    });
    assert_eq!(got.verified, Ok(()), "our signature on the {kind}");
    got
}

fn none_to(remote: &Remote, join_id: &str) {
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !remote
            .received()
            .iter()
            .any(|r| r.body["object"]["id"] == join_id),
        "something answered {join_id}"
    );
}

#[test]
fn a_free_join_is_accepted_counted_once_and_left() {
    let env = env();
    let event = env.event(
        "Harbour picnic",
        fields(None, JoinMode::Free, EventStatus::Confirmed, false),
    );
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    let first = join(&bob, 1, json!(event.url));
    env.accepted(&bob_key, &first);
    let accept = answer_to(&env.remote, "Accept", &format!("{bob}/join/1"));
    assert_eq!(accept.body["actor"], format!("{BASE}/actor"));
    assert_eq!(accept.body["object"]["type"], "Join");
    assert_eq!(accept.body["object"]["actor"], bob);
    assert_eq!(accept.body["object"]["object"], event.url);
    assert_eq!(
        env.participants(&event),
        vec![(bob.clone(), "accepted".into())]
    );
    assert_eq!(env.twin(&event)["participantCount"], 1);

    // The same Join again is already received; another Join of bob (an
    // embedded event this time: only its id counts) is answered again
    // and counted once.
    env.accepted(&bob_key, &first);
    let mut embedded = join(
        &bob,
        2,
        json!({"id": event.url, "type": "Event", "name": "Forged name"}),
    );
    embedded["object"]["attributedTo"] = json!(bob);
    env.accepted(&bob_key, &embedded);
    answer_to(&env.remote, "Accept", &format!("{bob}/join/2"));
    assert_eq!(env.accepted_count(&event), 1);
    assert_eq!(env.twin(&event)["participantCount"], 1);

    // Leave removes.
    let leave =
        json!({"id": format!("{bob}/leave/1"), "type": "Leave", "actor": bob, "object": event.url});
    env.accepted(&bob_key, &leave);
    assert!(env.participants(&event).is_empty());
    assert_eq!(env.twin(&event)["participantCount"], 0);

    // Join again, then Undo the Join (embedded), then Join and Undo by id.
    let third = join(&bob, 3, json!(event.url));
    env.accepted(&bob_key, &third);
    answer_to(&env.remote, "Accept", &format!("{bob}/join/3"));
    assert_eq!(env.accepted_count(&event), 1);
    let undo =
        json!({"id": format!("{bob}/undo/3"), "type": "Undo", "actor": bob, "object": third});
    env.accepted(&bob_key, &undo);
    assert!(env.participants(&event).is_empty());
    let fourth = join(&bob, 4, json!(event.url));
    env.accepted(&bob_key, &fourth);
    answer_to(&env.remote, "Accept", &format!("{bob}/join/4"));
    let undo = json!({"id": format!("{bob}/undo/4"), "type": "Undo", "actor": bob, "object": format!("{bob}/join/4")});
    env.accepted(&bob_key, &undo);
    assert!(env.participants(&event).is_empty());
}

#[test]
fn forged_joins_and_undos_are_refused() {
    let env = env();
    let event = env.event(
        "Quiet dinner",
        fields(None, JoinMode::Free, EventStatus::Confirmed, false),
    );
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    let carol_key = env.remote.add_user("carol");
    let carol = env.remote.actor_of("carol");
    // Carol signs a Join that says it is bob's.
    let (status, _) = env.send(&carol_key, &join(&bob, 1, json!(event.url)));
    assert_eq!(status, 401);
    assert!(env.participants(&event).is_empty());
    // Bob joins; carol cannot undo it, neither embedded nor by id.
    let bobs = join(&bob, 2, json!(event.url));
    env.accepted(&bob_key, &bobs);
    answer_to(&env.remote, "Accept", &format!("{bob}/join/2"));
    let forged =
        json!({"id": format!("{carol}/undo/1"), "type": "Undo", "actor": carol, "object": bobs});
    let (status, _) = env.send(&carol_key, &forged);
    assert_eq!(status, 400);
    let by_id = json!({"id": format!("{carol}/undo/2"), "type": "Undo", "actor": carol, "object": format!("{bob}/join/2")});
    env.accepted(&carol_key, &by_id);
    let leave = json!({"id": format!("{carol}/leave/1"), "type": "Leave", "actor": carol, "object": event.url});
    env.accepted(&carol_key, &leave);
    assert_eq!(env.participants(&event), vec![(bob, "accepted".into())]);
}

#[test]
fn closed_unknown_and_full_events_refuse_joins() {
    let env = env();
    let cancelled = env.event(
        "Cancelled fair",
        fields(None, JoinMode::Free, EventStatus::Cancelled, false),
    );
    let past = env.event(
        "Last year's fair",
        fields(None, JoinMode::Free, EventStatus::Confirmed, true),
    );
    let small = env.event(
        "Tiny workshop",
        fields(Some(1), JoinMode::Free, EventStatus::Confirmed, false),
    );
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    let carol_key = env.remote.add_user("carol");
    let carol = env.remote.actor_of("carol");

    env.accepted(&bob_key, &join(&bob, 1, json!(cancelled.url)));
    answer_to(&env.remote, "Reject", &format!("{bob}/join/1"));
    env.accepted(&bob_key, &join(&bob, 2, json!(past.url)));
    answer_to(&env.remote, "Reject", &format!("{bob}/join/2"));
    assert!(env.participants(&cancelled).is_empty());
    assert!(env.participants(&past).is_empty());

    // Unknown: 202, nothing stored, nothing sent.
    env.accepted(
        &bob_key,
        &join(&bob, 3, json!(format!("{BASE}/events/no-such-event/"))),
    );
    none_to(&env.remote, &format!("{bob}/join/3"));

    // Capacity 1: bob takes it, carol is refused.
    env.accepted(&bob_key, &join(&bob, 4, json!(small.url)));
    answer_to(&env.remote, "Accept", &format!("{bob}/join/4"));
    env.accepted(&carol_key, &join(&carol, 1, json!(small.url)));
    answer_to(&env.remote, "Reject", &format!("{carol}/join/1"));
    assert_eq!(env.participants(&small), vec![(bob, "accepted".into())]);
    let twin = env.twin(&small);
    assert_eq!(twin["participantCount"], 1);
    assert_eq!(twin["remainingAttendeeCapacity"], 0);
}

#[test]
fn the_organizer_approves_rejects_removes_and_exports() {
    let mut env = env();
    let event = env.event(
        "Members' meeting",
        fields(Some(5), JoinMode::Restricted, EventStatus::Confirmed, false),
    );
    let bob_key = env.remote.add_user("bob");
    let bob = env.remote.actor_of("bob");
    let carol_key = env.remote.add_user("carol");
    let carol = env.remote.actor_of("carol");
    env.accepted(&bob_key, &join(&bob, 1, json!(event.url)));
    env.accepted(&carol_key, &join(&carol, 1, json!(event.url)));
    assert_eq!(
        env.participants(&event),
        vec![
            (bob.clone(), "pending".into()),
            (carol.clone(), "pending".into())
        ]
    );
    assert_eq!(env.twin(&event)["participantCount"], 0);

    // Someone else (no session) cannot see the list.
    let mut stranger = Browser::new(&env.apache);
    let refused = stranger.get(&format!("/editor/events/{}/participants", event.id));
    assert_eq!(refused.status, 303);
    let page = env.list(&event);
    assert!(page.body.contains("@bob@"), "{}", page.body);
    assert!(page.body.contains("waiting for approval"));

    // Without the CSRF token, nothing happens.
    let bob_id = env.participant_id(&event, &bob);
    let forged = env.organizer.post(
        &format!("/editor/events/{}/participants", event.id),
        &[
            ("participant", &bob_id.to_string()),
            ("decision", "approve"),
        ],
    );
    assert_eq!(forged.status, 403, "{forged:?}");
    assert_eq!(env.accepted_count(&event), 0);

    let approved = env.decide(&event, bob_id, "approve");
    assert_eq!(
        approved.status,
        303,
        "{approved:?}\n{}",
        env.apache.error_log()
    );
    answer_to(&env.remote, "Accept", &format!("{bob}/join/1"));
    assert_eq!(env.accepted_count(&event), 1);
    assert_eq!(env.twin(&event)["participantCount"], 1);

    let carol_id = env.participant_id(&event, &carol);
    let rejected = env.decide(&event, carol_id, "reject");
    assert_eq!(rejected.status, 303);
    answer_to(&env.remote, "Reject", &format!("{carol}/join/1"));

    // The CSV: a header row, handles and states, quoted.
    let csv = env
        .organizer
        .get(&format!("/editor/events/{}/participants.csv", event.id));
    assert_eq!(csv.status, 200);
    assert!(
        csv.header("content-type").unwrap().starts_with("text/csv"),
        "{csv:?}"
    );
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "\"handle\",\"name\",\"actor\",\"state\",\"via\",\"registered\""
    );
    let host = env.remote.host();
    assert!(
        lines[1].starts_with(&format!(
            "\"@bob@{host}\",\"BOB\",\"{bob}\",\"accepted\",\"fediverse\""
        )),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("\"rejected\""), "{}", lines[2]);
    assert_eq!(lines.len(), 3);
    // Not for strangers.
    let refused = stranger.get(&format!("/editor/events/{}/participants.csv", event.id));
    assert_ne!(refused.status, 200);

    // Remove bob: he gets a Reject, and the count goes down.
    let removed = env.decide(&event, bob_id, "remove");
    assert_eq!(removed.status, 303);
    answer_to(&env.remote, "Reject", &format!("{bob}/join/1"));
    assert_eq!(env.participants(&event), vec![(carol, "rejected".into())]);
    assert_eq!(env.twin(&event)["participantCount"], 0);
}

/// The confirmation link in a DM.
fn link_in(dm: &Received, step: &str) -> (String, String) {
    let content = dm.body["object"]["content"].as_str().unwrap_or_default();
    let marker = format!("/{step}/confirm?token=");
    let (before, after) = content
        .split_once(&marker)
        .unwrap_or_else(|| panic!("no {step} link in {content}"));
    let path_start = before.rfind(BASE).unwrap() + BASE.len();
    let token: String = after
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "{content}");
    (format!("{}{marker}{token}", &before[path_start..]), token)
}

/// Asks, from `browser`, to join (or leave) as `handle`; returns the DM
/// and the code the waiting page shows.
fn ask(
    env: &Env,
    browser: &mut Browser,
    event: &Made,
    step: &str,
    handle: &str,
) -> (Received, String) {
    let before = env.remote.received().len();
    let form = browser.get(&format!("/events/{}/{step}", event.slug));
    assert_eq!(form.status, 200, "{form:?}\n{}", env.apache.error_log());
    let csrf = form.field("csrf");
    let asked = browser.post(
        &format!("/events/{}/{step}", event.slug),
        &[("csrf", &csrf), ("handle", handle)],
    );
    assert_eq!(asked.status, 303, "{asked:?}\n{}", env.apache.error_log());
    assert_eq!(
        asked.location(),
        format!("/events/{}/{step}/wait", event.slug)
    );
    let wait = browser.get(&asked.location());
    assert_eq!(wait.status, 200);
    let pair = wait.by_id("pair-code");
    let marker = format!("/{step}/confirm?token=");
    let deadline = Instant::now() + Duration::from_secs(20);
    let dm = loop {
        let found = env.remote.received()[before..]
            .iter()
            .find(|r| {
                r.body["object"]["content"]
                    .as_str()
                    .is_some_and(|c| c.contains(&marker))
            })
            .cloned();
        if let Some(found) = found {
            break found;
        }
        assert!(
            Instant::now() < deadline,
            "the DM did not arrive\n{}",
            env.apache.error_log()
        );
        std::thread::sleep(Duration::from_millis(25));
    };
    assert_eq!(dm.verified, Ok(()));
    (dm, pair)
}

#[test]
fn registration_on_the_page_is_confirmed_by_dm_in_the_same_browser() {
    let env = env();
    let event = env.event(
        "Open rehearsal",
        fields(None, JoinMode::Free, EventStatus::Confirmed, false),
    );
    env.remote.add_user("dave");
    let dave = env.remote.actor_of("dave");
    let handle = format!("@dave@{}", env.remote.host());

    // The event's page carries the form.
    let page = env.site.read(&format!("events/{}/index.html", event.slug));
    assert!(
        page.contains(&format!("action=\"/events/{}/join\"", event.slug)),
        "{page}"
    );
    // The static form has no CSRF token: it lands on a page with one.
    let mut browser = Browser::new(&env.apache);
    let landing = browser.post(
        &format!("/events/{}/join", event.slug),
        &[("handle", handle.as_str())],
    );
    assert_eq!(landing.status, 200, "{landing:?}");
    assert!(landing.body.contains(&format!("value=\"{handle}\"")));
    assert!(!landing.field("csrf").is_empty());
    assert!(env.participants(&event).is_empty());

    let (dm, pair) = ask(&env, &mut browser, &event, "join", &handle);
    assert!(dm.body["to"][0] == dave);
    let (link, token) = link_in(&dm, "join");

    // GET shows a button and registers no one.
    let page = browser.get(&link);
    assert_eq!(page.status, 200, "{page:?}");
    assert!(!page.body.contains("name=\"pair\""));
    assert!(env.participants(&event).is_empty());

    // Another browser needs the code.
    let mut other = Browser::new(&env.apache);
    let page = other.get(&link);
    assert!(page.body.contains("name=\"pair\""));
    let csrf = page.field("csrf");
    let path = link.split('?').next().unwrap().to_string();
    let wrong = other.post(
        &path,
        &[("csrf", &csrf), ("token", &token), ("pair", "AAAA-AAAA")],
    );
    assert_eq!(wrong.status, 403);
    assert!(env.participants(&event).is_empty());

    // The browser that asked registers with one press.
    let page = browser.get(&link);
    let csrf = page.field("csrf");
    let done = browser.post(&path, &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(done.status, 200, "{done:?}\n{}", env.apache.error_log());
    assert_eq!(done.by_id("outcome"), "You're registered");
    assert_eq!(
        env.participants(&event),
        vec![(dave.clone(), "accepted".into())]
    );
    assert_eq!(env.twin(&event)["participantCount"], 1);
    // Spent: a second press does nothing.
    let again = browser.post(&path, &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(again.status, 410);
    let _ = pair;

    // Cancelling works the same way, here from another browser with the code.
    let mut phone = Browser::new(&env.apache);
    let (dm, pair) = ask(&env, &mut browser, &event, "leave", &handle);
    let (link, token) = link_in(&dm, "leave");
    let page = phone.get(&link);
    assert_eq!(page.status, 200);
    assert_eq!(env.accepted_count(&event), 1);
    let csrf = page.field("csrf");
    let path = link.split('?').next().unwrap().to_string();
    let done = phone.post(
        &path,
        &[("csrf", &csrf), ("token", &token), ("pair", &pair)],
    );
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.by_id("outcome"), "Your registration is cancelled");
    assert!(env.participants(&event).is_empty());
    assert_eq!(env.twin(&event)["participantCount"], 0);
}

#[test]
fn a_restricted_registration_on_the_page_waits_and_is_answered_by_dm() {
    let mut env = env();
    let event = env.event(
        "Closed circle",
        fields(None, JoinMode::Restricted, EventStatus::Confirmed, false),
    );
    env.remote.add_user("erin");
    let erin = env.remote.actor_of("erin");
    let handle = format!("@erin@{}", env.remote.host());
    let mut browser = Browser::new(&env.apache);
    let (dm, _) = ask(&env, &mut browser, &event, "join", &handle);
    let (link, token) = link_in(&dm, "join");
    let page = browser.get(&link);
    let csrf = page.field("csrf");
    let path = link.split('?').next().unwrap().to_string();
    let done = browser.post(&path, &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(done.status, 200);
    assert_eq!(
        done.by_id("outcome"),
        "Your registration is waiting for approval"
    );
    assert_eq!(
        env.participants(&event),
        vec![(erin.clone(), "pending".into())]
    );
    let id = env.participant_id(&event, &erin);
    let approved = env.decide(&event, id, "approve");
    assert_eq!(approved.status, 303);
    let told = wait_for(&env.remote, |b| {
        b["type"] == "Create"
            && b["to"][0] == erin
            && b["object"]["content"]
                .as_str()
                .is_some_and(|c| c.contains("confirmed"))
    });
    assert!(told.is_some(), "no DM to erin");
    assert_eq!(env.accepted_count(&event), 1);
}
