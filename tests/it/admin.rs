//! The admin pages through the real Apache and CGI, with the fake
//! Mastodon: who gets in (admins only, every POST with its token), the
//! review queue (approve publishes and announces; sending back makes a
//! draft and tells the author by DM), held replies and reports.

use serde_json::{Value, json};

use crate::apache::Apache;
use crate::authors::{Browser, Reply, log_in, setup, token_in};
use crate::harness::Site;
use crate::remote::{Received, Remote, with_db};

const SITE_ACTOR: &str = "https://example.org/actor";

/// A site whose config `edit` changes, with alice (of the fake remote) as
/// its admin; the admin line is written once the remote's port is known,
/// and the config given back to the user Apache runs as (the settings
/// page rewrites it).
pub fn admin_site(edit: impl FnOnce(String) -> String) -> (Site, Apache, Remote) {
    let (site, apache, remote) = setup(edit);
    let config = std::fs::read_to_string(&site.config).unwrap();
    let at = config.rfind("handles = []").unwrap();
    let config = format!(
        "{}handles = [\"alice@{}\"]{}",
        &config[..at],
        remote.host(),
        &config[at + "handles = []".len()..]
    );
    std::fs::write(&site.config, config).unwrap();
    with_db(&site, |_| ());
    (site, apache, remote)
}

/// A browser logged in as `user` of the fake remote (added before).
pub fn log_in_as(apache: &Apache, remote: &Remote, user: &str) -> Browser {
    let mut browser = Browser::new(apache);
    let asked = ask_login(&mut browser, remote, user);
    assert_eq!(asked.status, 303, "{asked:?}\n{}", apache.error_log());
    let dm = wait_for(remote, "the login DM", |b| {
        b["object"]["to"] == json!([remote.actor_of(user)])
            && b["object"]["content"]
                .as_str()
                .is_some_and(|c| c.contains("/login/link?token="))
    });
    let token = token_in(&dm);
    let page = browser.get(&format!("/login/link?token={token}"));
    let csrf = page.field("csrf");
    let done = browser.post("/login/link", &[("csrf", &csrf), ("token", &token)]);
    assert_eq!(done.status, 303, "{done:?}\n{}", apache.error_log());
    browser
}

/// Asks for a login link for `user` of the fake remote.
pub fn ask_login(browser: &mut Browser, remote: &Remote, user: &str) -> Reply {
    let csrf = browser.get("/login").field("csrf");
    let handle = format!("@{user}@{}", remote.host());
    browser.post(
        "/login",
        &[("csrf", &csrf), ("handle", &handle), ("method", "link")],
    )
}

/// Publishes an article from the editor (sent for review under review).
pub fn write(browser: &mut Browser, title: &str) -> Reply {
    let form = browser.get("/editor/new");
    let (csrf, key) = (form.field("csrf"), form.field("form_key"));
    let sent = browser.post(
        "/editor/new",
        &[
            ("csrf", &csrf),
            ("form_key", &key),
            ("title", title),
            ("body", "Words enough to read."),
            ("summary", ""),
            ("tags", ""),
            ("lang", "en"),
            ("action", "publish"),
        ],
    );
    assert_eq!(sent.status, 303, "{sent:?}");
    sent
}

pub fn article_id(site: &Site, slug: &str) -> (i64, String) {
    with_db(site, |db| {
        db.query_row(
            "SELECT id, status FROM articles WHERE slug = ?1",
            [slug],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    })
}

/// Waits until the fake holds an activity matching `check`.
pub fn wait_for(remote: &Remote, what: &str, check: impl Fn(&Value) -> bool) -> Received {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(found) = remote.received().into_iter().find(|r| check(&r.body)) {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what} did not arrive: {:#?}",
            remote.received()
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

#[test]
fn only_admins_get_in_and_every_post_needs_the_token() {
    let (_site, apache, remote) = admin_site(|c| c);
    remote.add_user("bob");

    let mut nobody = Browser::new(&apache);
    let anonymous = nobody.get("/admin/");
    assert_eq!(anonymous.status, 303, "{anonymous:?}");
    assert_eq!(anonymous.location(), "/login");
    let anonymous = nobody.post("/admin/comment", &[("id", "1"), ("action", "hide")]);
    assert_eq!(anonymous.status, 303, "{anonymous:?}");

    let mut bob = log_in_as(&apache, &remote, "bob");
    let refused = bob.get("/admin/");
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(
        refused.body.contains("not one of this site"),
        "{}",
        refused.body
    );
    assert_eq!(bob.get("/admin/health").status, 403);
    let csrf = bob.get("/editor/").field("csrf");
    let refused = bob.post(
        "/admin/comment",
        &[("csrf", &csrf), ("id", "1"), ("action", "hide")],
    );
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(!bob.get("/editor/").body.contains("/admin/"));

    let mut alice = log_in(&apache, &remote);
    assert!(alice.get("/editor/").body.contains("/admin/"));
    let page = alice.get("/admin/");
    assert_eq!(page.status, 200, "{page:?}\n{}", apache.error_log());
    assert!(page.body.contains("Waiting for review"), "{}", page.body);
    let no_token = alice.post("/admin/comment", &[("id", "1"), ("action", "hide")]);
    assert_eq!(no_token.status, 403, "{no_token:?}");
    let wrong = alice.post(
        "/admin/comment",
        &[("csrf", &csrf), ("id", "1"), ("action", "hide")],
    );
    assert_eq!(wrong.status, 403, "{wrong:?}");

    let health = alice.get("/admin/health");
    assert_eq!(health.status, 200, "{health:?}\n{}", apache.error_log());
    assert_eq!(health.by_id("version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(health.by_id("follower-count"), "0");
}

#[test]
fn the_admin_approves_a_reviewed_article_and_sends_another_back_with_a_dm() {
    let (site, apache, remote) =
        admin_site(|c| c.replace("workflow = \"direct\"", "workflow = \"review\""));
    remote.add_user("bob");
    let mut bob = log_in_as(&apache, &remote, "bob");
    let sent = write(&mut bob, "Fishing report");
    assert!(sent.location().ends_with("notice=pending"), "{sent:?}");
    let (id, status) = article_id(&site, "fishing-report");
    assert_eq!(status, "pending");
    assert_eq!(apache.get("/articles/fishing-report/").0, 404);

    let mut alice = log_in(&apache, &remote);
    let page = alice.get("/admin/");
    assert!(page.body.contains("Fishing report"), "{}", page.body);
    let csrf = page.field("csrf");
    let approved = alice.post(
        "/admin/article",
        &[
            ("csrf", &csrf),
            ("id", &id.to_string()),
            ("action", "approve"),
        ],
    );
    assert_eq!(approved.status, 303, "{approved:?}\n{}", apache.error_log());
    assert_eq!(approved.location(), "/admin/?notice=approved");
    assert_eq!(article_id(&site, "fishing-report").1, "published");
    let (status, body) = apache.get("/articles/fishing-report/");
    assert_eq!(status, 200);
    assert!(body.contains("Words enough to read."));
    let url = "https://example.org/articles/fishing-report/";
    let create = wait_for(&remote, "the Create", |b| {
        b["type"] == "Create" && b["object"]["id"] == url
    });
    assert_eq!(create.verified, Ok(()));
    // Approving twice does nothing more.
    let again = alice.post(
        "/admin/article",
        &[
            ("csrf", &csrf),
            ("id", &id.to_string()),
            ("action", "approve"),
        ],
    );
    assert_eq!(again.status, 404, "{again:?}");

    write(&mut bob, "Half a thought");
    let (id, status) = article_id(&site, "half-a-thought");
    assert_eq!(status, "pending");
    let rejected = alice.post(
        "/admin/article",
        &[
            ("csrf", &csrf),
            ("id", &id.to_string()),
            ("action", "reject"),
            ("message", "Please say more about <the nets>."),
        ],
    );
    assert_eq!(rejected.status, 303, "{rejected:?}\n{}", apache.error_log());
    assert_eq!(article_id(&site, "half-a-thought").1, "draft");
    let bob_actor = remote.actor_of("bob");
    let dm = wait_for(&remote, "the DM to bob", |b| {
        b["object"]["to"] == json!([bob_actor])
            && b["object"]["content"]
                .as_str()
                .is_some_and(|c| c.contains("Half a thought"))
    });
    assert_eq!(dm.body["actor"], SITE_ACTOR);
    assert_eq!(dm.body["cc"], json!([]));
    let content = dm.body["object"]["content"].as_str().unwrap();
    assert!(
        content.contains("Please say more about &lt;the nets&gt;."),
        "{content}"
    );
    assert_eq!(apache.get("/articles/half-a-thought/").0, 404);
}

#[test]
fn held_replies_are_approved_and_reported_ones_hidden() {
    let (site, apache, remote) =
        admin_site(|c| c.replace("moderation = \"open\"", "moderation = \"held\""));
    let mut alice = log_in(&apache, &remote);
    write(&mut alice, "Harbour notes");
    let article = "https://example.org/articles/harbour-notes/";
    wait_for(&remote, "the Create", |b| {
        b["type"] == "Create" && b["object"]["id"] == article
    });

    let reply = |n: u32, text: &str| {
        let id = format!("{}/statuses/{n}", remote.actor());
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{id}/activity"), "type": "Create", "actor": remote.actor(),
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [SITE_ACTOR],
            "object": {
                "id": id, "type": "Note", "attributedTo": remote.actor(),
                "inReplyTo": article,
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [SITE_ACTOR],
                "published": "2026-01-02T03:04:05Z",
                "content": format!("<p>{text}</p>"),
            },
        })
    };
    for (n, text) in [(1, "A kind word."), (2, "Buy cheap nets.")] {
        let (status, response) = remote.post(
            &apache,
            "/inbox",
            &reply(n, text),
            &remote.key,
            jiff::Timestamp::now(),
        );
        assert_eq!(status, 202, "{response}\n{}", apache.error_log());
    }
    let state = |n: u32| -> (i64, String) {
        with_db(&site, |db| {
            db.query_row(
                "SELECT id, state FROM comments WHERE object_id = ?1",
                [format!("{}/statuses/{n}", remote.actor())],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        })
    };
    assert_eq!(state(1).1, "held");
    let page = alice.get("/admin/");
    assert!(page.body.contains("A kind word."), "{}", page.body);
    let csrf = page.field("csrf");
    let approved = alice.post(
        "/admin/comment",
        &[
            ("csrf", &csrf),
            ("id", &state(1).0.to_string()),
            ("action", "approve"),
        ],
    );
    assert_eq!(approved.status, 303, "{approved:?}\n{}", apache.error_log());
    assert_eq!(state(1).1, "visible");
    assert!(
        site.read("articles/harbour-notes/index.html")
            .contains("A kind word.")
    );
    let approved = alice.post(
        "/admin/comment",
        &[
            ("csrf", &csrf),
            ("id", &state(2).0.to_string()),
            ("action", "approve"),
        ],
    );
    assert_eq!(approved.status, 303);
    assert!(
        site.read("articles/harbour-notes/index.html")
            .contains("Buy cheap nets.")
    );

    // A report of the second reply.
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/flags/1", remote.base), "type": "Flag", "actor": remote.actor(),
        "content": "Spam",
        "object": [format!("{}/statuses/2", remote.actor())],
    });
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &flag,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}");
    let page = alice.get("/admin/");
    assert!(page.body.contains("Spam"), "{}", page.body);
    assert!(page.body.contains("Hide the reply"), "{}", page.body);
    // Blocking is a config line to add, shown with the report.
    assert!(page.body.contains("blocked_domains = ["), "{}", page.body);
    let flag_id: i64 = with_db(&site, |db| {
        db.query_row("SELECT id FROM flags", [], |r| r.get(0))
            .unwrap()
    });
    let hidden = alice.post(
        "/admin/flag",
        &[
            ("csrf", &csrf),
            ("id", &flag_id.to_string()),
            ("action", "hide"),
        ],
    );
    assert_eq!(hidden.status, 303, "{hidden:?}\n{}", apache.error_log());
    assert_eq!(state(2).1, "hidden");
    let page = site.read("articles/harbour-notes/index.html");
    assert!(!page.contains("Buy cheap nets."));
    assert!(page.contains("A kind word."));
    let flags: i64 = with_db(&site, |db| {
        db.query_row(
            "SELECT count(*) FROM flags WHERE handled_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    // Closed, and kept with what was done.
    assert_eq!(flags, 0);

    // Unpublished by the admin: the fediverse hears of its deletion.
    let (id, _) = article_id(&site, "harbour-notes");
    let unpublished = alice.post(
        "/admin/article",
        &[
            ("csrf", &csrf),
            ("id", &id.to_string()),
            ("action", "unpublish"),
        ],
    );
    assert_eq!(unpublished.status, 303, "{unpublished:?}");
    assert_eq!(article_id(&site, "harbour-notes").1, "draft");
    wait_for(&remote, "the Delete", |b| b["type"] == "Delete");
}
