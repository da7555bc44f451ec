//! The admin settings page through the real Apache and CGI, with the fake
//! Mastodon: the owner's rules saved into `affiche.toml` (its comments
//! kept, a backup beside it) and enforced at once — author policy,
//! review workflow, blocked authors — published on the rules page and in
//! NodeInfo; no delivery to a blocked domain; and every bad request (a
//! stranger, no token, a read-only file, garbage values) refused with the
//! file unchanged byte for byte.

use serde_json::{Value, json};

use crate::admin::{admin_site, article_id, ask_login, log_in_as, wait_for, write};
use crate::authors::{Browser, Reply, log_in};
use crate::harness::{give_to_apache, http};
use crate::remote::{Remote, with_db};

/// The settings form as the page shows it, with `changes` applied.
fn settings_form(page: &Reply, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let checked = |name: &str| {
        [
            "open",
            "instances",
            "handles",
            "closed",
            "direct",
            "review",
            "held",
        ]
        .iter()
        .find(|v| {
            page.body
                .contains(&format!("name=\"{name}\" value=\"{v}\" checked"))
        })
        .map(|v| v.to_string())
        .unwrap_or_default()
    };
    let textarea = |name: &str| {
        let start = format!("name=\"{name}\" rows=");
        page.body
            .split_once(&start)
            .and_then(|(_, rest)| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once("</textarea>"))
            .map(|(text, _)| text.to_string())
            .unwrap_or_else(|| panic!("no textarea {name}"))
    };
    let mut fields = vec![
        ("csrf".to_string(), page.field("csrf")),
        ("policy".into(), checked("policy")),
        ("instances".into(), textarea("instances")),
        ("handles".into(), textarea("handles")),
        ("workflow".into(), checked("workflow")),
        ("languages".into(), page.field("languages")),
        ("moderation".into(), checked("moderation")),
        ("blocked_domains".into(), textarea("blocked_domains")),
        ("blocked_actors".into(), textarea("blocked_actors")),
        ("blocked_authors".into(), textarea("blocked_authors")),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_string(),
            None => fields.push((name.to_string(), value.to_string())),
        }
    }
    fields
}

/// Saves the settings page with `changes`; the answer.
fn save(browser: &mut Browser, changes: &[(&str, &str)]) -> Reply {
    let page = browser.get("/admin/settings");
    assert_eq!(page.status, 200, "{page:?}");
    let fields = settings_form(&page, changes);
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    browser.post("/admin/settings", &pairs)
}

#[test]
fn settings_are_saved_with_the_owners_comments_and_published() {
    let (site, apache, remote) =
        admin_site(|c| c.replace("[comments]", "# my own note\n[comments]"));
    let before = std::fs::read_to_string(&site.config).unwrap();
    let mut alice = log_in(&apache, &remote);
    assert_eq!(write(&mut alice, "Open thread").status, 303);
    let article = "articles/open-thread/index.html";
    let open_page = site.read(article);
    assert!(alice.get("/admin/").body.contains("/admin/settings"));
    let page = alice.get("/admin/settings");
    assert_eq!(page.status, 200, "{page:?}\n{}", apache.error_log());
    assert!(page.body.contains("name=\"policy\" value=\"open\" checked"));

    let saved = save(
        &mut alice,
        &[
            ("languages", "en fr"),
            ("moderation", "held"),
            ("blocked_domains", "Spam.Example\nnasty.example"),
            ("blocked_actors", "@troll@elsewhere.example"),
        ],
    );
    assert_eq!(saved.status, 303, "{saved:?}\n{}", apache.error_log());
    assert_eq!(saved.location(), "/admin/settings?notice=saved");
    let after = std::fs::read_to_string(&site.config).unwrap();
    assert!(after.contains("languages = [\"en\", \"fr\"]"), "{after}");
    assert!(after.contains("moderation = \"held\""), "{after}");
    assert!(
        after.contains("blocked_domains = [\"spam.example\", \"nasty.example\"]"),
        "{after}"
    );
    // Every comment of the owner's file is still there, in its place.
    let comments = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(comments(&after), comments(&before));
    assert!(after.contains("# my own note\n[comments]"), "{after}");
    assert_eq!(
        std::fs::read_to_string(site.root().join("affiche.toml.bak")).unwrap(),
        before
    );
    let shown = alice.get(&saved.location());
    assert!(shown.body.contains("settings-notice"), "{}", shown.body);
    assert_eq!(shown.field("languages"), "en fr");
    // Who changed what, in the server's log.
    let log = apache.error_log();
    assert!(
        log.contains(&format!(
            "settings: @alice@{} changed comments.moderation: \"open\" -> \"held\"",
            remote.host()
        )),
        "{log}"
    );

    // The rules page follows, and NodeInfo carries the rules.
    let (status, rules) = apache.get("/rules/");
    assert_eq!(status, 200, "{rules}");
    for words in [
        "French (fr)",
        "once an admin has approved them",
        "spam.example",
        "nasty.example",
        "1 account is blocked as well",
        &format!("@alice@{}", remote.host()),
    ] {
        assert!(rules.contains(words), "{words} in {rules}");
    }
    assert!(!rules.contains("troll"), "accounts are counted, not named");
    let (status, nodeinfo) = apache.get("/nodeinfo/2.1");
    assert_eq!(status, 200);
    let nodeinfo: Value = serde_json::from_str(nodeinfo.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(nodeinfo["version"], "2.1");
    let metadata = &nodeinfo["metadata"];
    assert_eq!(metadata["rules"], "https://example.org/rules/");
    assert_eq!(metadata["commentModeration"], "held");
    assert_eq!(metadata["authorPolicy"], "open");
    assert_eq!(metadata["workflow"], "direct");
    assert_eq!(metadata["languages"], json!(["en", "fr"]));
    // The new moderation shows on every page: the worker the save started
    // renders the site again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while site.read(article) == open_page {
        assert!(
            std::time::Instant::now() < deadline,
            "the article was not rendered again\n{}",
            apache.error_log()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        site.read(article)
            .contains("appears here once the author approves it"),
        "{}",
        site.read(article)
    );
    // Every page links to the rules, and a full rebuild makes them again.
    assert!(site.read("index.html").contains("/rules/\""));
    std::fs::remove_file(site.docroot.join("rules/index.html")).unwrap();
    site.ok(&["rebuild"]);
    give_to_apache(&site);
    assert!(site.read("rules/index.html").contains("nasty.example"));

    // Saving the same values changes nothing, not even the backup.
    let again = save(&mut alice, &[]);
    assert_eq!(again.location(), "/admin/settings?notice=unchanged");
    assert_eq!(std::fs::read_to_string(&site.config).unwrap(), after);
}

#[test]
fn policy_instances_refuses_another_instance_and_review_holds_articles() {
    let (site, apache, remote) = admin_site(|c| c);
    remote.add_user("bob");
    let mut alice = log_in(&apache, &remote);
    let saved = save(
        &mut alice,
        &[("policy", "instances"), ("instances", "friends.example")],
    );
    assert_eq!(saved.status, 303, "{saved:?}\n{}", apache.error_log());
    let mut bob = Browser::new(&apache);
    let refused = ask_login(&mut bob, &remote, "bob");
    assert!(refused.status >= 400, "{refused:?}");
    assert!(
        refused
            .body
            .contains("Only accounts on friends.example may write here"),
        "{}",
        refused.body
    );

    let saved = save(
        &mut alice,
        &[
            ("policy", "instances"),
            ("instances", &format!("friends.example\n{}", remote.host())),
            ("workflow", "review"),
        ],
    );
    assert_eq!(saved.status, 303, "{saved:?}\n{}", apache.error_log());
    let mut bob = log_in_as(&apache, &remote, "bob");
    let sent = write(&mut bob, "Held news");
    assert_eq!(sent.status, 303, "{sent:?}");
    let (id, status) = article_id(&site, "held-news");
    assert_eq!(status, "pending");
    assert_eq!(apache.get("/articles/held-news/").0, 404);
    let page = alice.get("/admin/");
    assert!(page.body.contains("Held news"), "{}", page.body);
    let approved = alice.post(
        "/admin/article",
        &[
            ("csrf", &page.field("csrf")),
            ("id", &id.to_string()),
            ("action", "approve"),
        ],
    );
    assert_eq!(approved.status, 303, "{approved:?}\n{}", apache.error_log());
    assert_eq!(article_id(&site, "held-news").1, "published");
    assert_eq!(apache.get("/articles/held-news/").0, 200);
}

#[test]
fn a_blocked_author_can_neither_log_in_nor_save() {
    let (site, apache, remote) = admin_site(|c| c);
    remote.add_user("bob");
    let mut bob = log_in_as(&apache, &remote, "bob");
    assert_eq!(write(&mut bob, "Before the block").status, 303);
    assert_eq!(article_id(&site, "before-the-block").1, "published");

    // From the article list of the admin page.
    let mut alice = log_in_as(&apache, &remote, "alice");
    let page = alice.get("/admin/");
    let bob_handle = format!("@bob@{}", remote.host());
    assert!(
        page.body
            .contains(&format!("name=\"handle\" value=\"{bob_handle}\"")),
        "{}",
        page.body
    );
    let blocked = alice.post(
        "/admin/settings/block-author",
        &[("csrf", &page.field("csrf")), ("handle", &bob_handle)],
    );
    assert_eq!(blocked.status, 303, "{blocked:?}\n{}", apache.error_log());
    assert_eq!(blocked.location(), "/admin/settings?notice=author-blocked");
    let config = std::fs::read_to_string(&site.config).unwrap();
    assert!(
        config.contains(&format!("blocked = [\"{bob_handle}\"]")),
        "{config}"
    );

    // His open session no longer opens the editor, nor saves.
    let refused = bob.get("/editor/");
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(
        refused.body.contains("is blocked on this site"),
        "{}",
        refused.body
    );
    let refused = write_blind(&mut bob, "After the block");
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(
        with_db(&site, |db| db
            .query_row(
                "SELECT count(*) FROM articles WHERE title = 'After the block'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap())
            == 0
    );
    // Nor can he log in again.
    let mut again = Browser::new(&apache);
    let refused = ask_login(&mut again, &remote, "bob");
    assert_eq!(refused.status, 422, "{refused:?}");
    assert!(
        refused.body.contains("is blocked on this site"),
        "{}",
        refused.body
    );
    // An admin cannot block herself by mistake.
    let page = alice.get("/admin/settings");
    let refused = alice.post(
        "/admin/settings/block-author",
        &[
            ("csrf", &page.field("csrf")),
            ("handle", &format!("@alice@{}", remote.host())),
        ],
    );
    assert_eq!(refused.status, 422, "{refused:?}");
    assert!(
        refused.body.contains("an admin cannot be blocked"),
        "{}",
        refused.body
    );
}

/// A POST to the editor with whatever token the browser holds (a blocked
/// author gets no form to read one from).
fn write_blind(browser: &mut Browser, title: &str) -> Reply {
    browser.post(
        "/editor/new",
        &[
            ("csrf", "x"),
            ("form_key", "k"),
            ("title", title),
            ("body", "Words."),
            ("lang", "en"),
            ("action", "publish"),
        ],
    )
}

#[test]
fn strangers_and_requests_without_the_token_change_nothing() {
    let (site, apache, remote) = admin_site(|c| c);
    remote.add_user("bob");
    let before = std::fs::read(&site.config).unwrap();

    let mut nobody = Browser::new(&apache);
    let anonymous = nobody.get("/admin/settings");
    assert_eq!(anonymous.status, 303, "{anonymous:?}");
    assert_eq!(anonymous.location(), "/login");
    let anonymous = nobody.post("/admin/settings", &[("policy", "closed")]);
    assert_eq!(anonymous.status, 303, "{anonymous:?}");

    let mut bob = log_in_as(&apache, &remote, "bob");
    assert_eq!(bob.get("/admin/settings").status, 403);
    let csrf = bob.get("/editor/").field("csrf");
    let refused = bob.post("/admin/settings", &[("csrf", &csrf), ("policy", "closed")]);
    assert_eq!(refused.status, 403, "{refused:?}");
    let refused = bob.post(
        "/admin/settings/block-author",
        &[("csrf", &csrf), ("handle", "@alice@example.org")],
    );
    assert_eq!(refused.status, 403, "{refused:?}");

    let mut alice = log_in(&apache, &remote);
    let page = alice.get("/admin/settings");
    let mut fields = settings_form(&page, &[("policy", "closed")]);
    fields.retain(|(name, _)| name != "csrf");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let refused = alice.post("/admin/settings", &pairs);
    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(
        refused.body.contains("Nothing was changed"),
        "{}",
        refused.body
    );
    assert_eq!(std::fs::read(&site.config).unwrap(), before);
    assert!(!site.root().join("affiche.toml.bak").exists());
}

#[test]
fn a_read_only_config_is_explained_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    std::fs::set_permissions(&site.config, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&site.config).unwrap();
    let refused = save(&mut alice, &[("workflow", "review")]);
    assert_eq!(refused.status, 503, "{refused:?}");
    assert!(refused.body.contains("settings-errors"), "{}", refused.body);
    assert!(refused.body.contains("is read-only"), "{}", refused.body);
    // The form keeps what was typed.
    assert!(
        refused
            .body
            .contains("name=\"workflow\" value=\"review\" checked")
    );
    assert_eq!(std::fs::read(&site.config).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("affiche.toml"))
        .collect();
    assert_eq!(names, ["affiche.toml"], "no temp file, no backup");
    assert!(apache.error_log().contains("could not save"));
}

#[test]
fn garbage_values_are_all_listed_and_nothing_changes() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    let before = std::fs::read(&site.config).unwrap();
    let refused = save(
        &mut alice,
        &[
            ("policy", "instances"),
            ("instances", ""),
            ("languages", "en xx"),
            ("blocked_domains", "https://bad.example\nbad.example/path"),
            ("blocked_actors", "troll"),
            ("blocked_authors", "bob"),
            ("moderation", "sometimes"),
        ],
    );
    assert_eq!(refused.status, 422, "{refused:?}\n{}", apache.error_log());
    for words in [
        "unknown language code &#39;xx&#39;",
        "federation.blocked_domains: expected a domain name such as &quot;example.org&quot; (no scheme",
        "(no path)",
        "federation.blocked_actors: expected a handle",
        "authors.blocked: expected a handle with its server",
        "comments.moderation: expected one of",
        "the policy &quot;instances&quot; needs at least one instance",
    ] {
        assert!(refused.body.contains(words), "{words} in {}", refused.body);
    }
    let listed = refused.body.split("id=\"settings-errors\"").nth(1).unwrap();
    let listed = listed.split("</ul>").next().unwrap();
    assert_eq!(listed.matches("<li>").count(), 7, "{listed}");
    assert_eq!(std::fs::read(&site.config).unwrap(), before);
    assert!(!site.root().join("affiche.toml.bak").exists());
}

#[test]
fn nothing_is_delivered_to_a_blocked_domain() {
    let (site, apache, remote) = admin_site(|c| c);
    // A follower on the fake remote (127.0.0.1), and one on another
    // domain: a second fake server reached as localhost.
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", remote.base), "type": "Follow",
        "actor": remote.actor(), "object": "https://example.org/actor",
    });
    let (status, _) = remote.post(
        &apache,
        "/inbox",
        &follow,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{}", apache.error_log());
    wait_for(&remote, "the Accept", |b| b["type"] == "Accept");
    let other = Remote::start(crate::remote::our_public_key(&apache));
    let port = other.host().rsplit(':').next().unwrap().to_string();
    let carol = format!("http://localhost:{port}/users/alice");
    let carol_inbox = format!("http://localhost:{port}/inbox");
    with_db(&site, |db| {
        db.execute(
            "INSERT INTO remote_actors (id, inbox, shared_inbox, handle, fetched_at) VALUES (?1, ?2, '', ?3, 0)",
            [&carol, &carol_inbox, &format!("alice@localhost:{port}")],
        )
        .unwrap();
        db.execute(
            "INSERT INTO followers (actor_id, follow_id, created_at) VALUES (?1, ?2, 0)",
            [&carol, &format!("{carol}/follows/1")],
        )
        .unwrap();
    });

    let mut alice = log_in(&apache, &remote);
    let saved = save(&mut alice, &[("blocked_domains", "localhost")]);
    assert_eq!(saved.status, 303, "{saved:?}\n{}", apache.error_log());
    assert_eq!(write(&mut alice, "For friends only").status, 303);
    let url = "https://example.org/articles/for-friends-only/";
    wait_for(&remote, "the Create", |b| {
        b["type"] == "Create" && b["object"]["id"] == url
    });
    let queued: i64 = with_db(&site, |db| {
        db.query_row(
            "SELECT count(*) FROM deliveries WHERE host LIKE 'localhost%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(queued, 0, "nothing queued for the blocked domain");

    // A delivery queued before the block is dropped by the worker, with
    // its reason, and never sent.
    with_db(&site, |db| {
        db.execute(
            "INSERT INTO deliveries (activity_id, body, inbox, host, next_at, created_at)
             VALUES ('https://example.org/x', '{}', ?1, ?2, 0, 0)",
            [&carol_inbox, &format!("localhost:{port}")],
        )
        .unwrap();
    });
    site.ok(&["queue", "run", "--budget", "10"]);
    give_to_apache(&site);
    let (state, error): (String, String) = with_db(&site, |db| {
        db.query_row(
            "SELECT state, last_error FROM deliveries WHERE host LIKE 'localhost%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    });
    assert_eq!(state, "dropped");
    assert!(error.contains("blocked domain"), "{error}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(other.received().is_empty(), "{:#?}", other.received());
    assert!(other.requests().is_empty(), "{:?}", other.requests());
}

/// Values are data, never config text: a field that tries to close its
/// string and open an `[admin]` table is refused, and the file is left
/// as it was.
#[test]
fn quotes_and_newlines_in_a_field_cannot_add_to_the_config() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    let before = std::fs::read(&site.config).unwrap();
    let sneaky = "open\"\n[admin]\nhandles = [\"@mallory@evil.example\"]\n#";
    for field in [
        "policy",
        "workflow",
        "moderation",
        "languages",
        "instances",
        "handles",
        "blocked_domains",
        "blocked_actors",
        "blocked_authors",
    ] {
        let refused = save(&mut alice, &[(field, sneaky)]);
        assert_eq!(
            refused.status,
            422,
            "{field}: {refused:?}\n{}",
            apache.error_log()
        );
        assert_eq!(std::fs::read(&site.config).unwrap(), before, "{field}");
    }
}

/// The owner cannot lock herself out: a block that covers an admin's
/// server or account (a reply from her own instance, blocked from a
/// report) would stop her login, whose DM and look-up go there.
#[test]
fn an_admins_server_or_account_cannot_be_blocked() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    let before = std::fs::read(&site.config).unwrap();
    let admin = format!("@alice@{}", remote.host());
    for (field, value) in [
        ("blocked_domains", "127.0.0.1"),
        ("blocked_actors", admin.as_str()),
    ] {
        let refused = save(&mut alice, &[(field, value)]);
        assert_eq!(
            refused.status,
            422,
            "{field}: {refused:?}\n{}",
            apache.error_log()
        );
        assert!(
            refused.body.contains("one of the site&#39;s admins"),
            "{field}: {}",
            refused.body
        );
        assert_eq!(std::fs::read(&site.config).unwrap(), before, "{field}");
    }
}

/// A French admin (her browser asks for French) reads the problems in
/// French, each naming the value she typed; nothing is written.
#[test]
fn a_french_admin_reads_the_problems_in_french() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    let before = std::fs::read(&site.config).unwrap();
    let page = alice.get("/admin/settings");
    assert_eq!(page.status, 200, "{page:?}");
    let fields = settings_form(
        &page,
        &[
            ("blocked_domains", "https://bad.example"),
            ("blocked_authors", "bob"),
        ],
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&fields)
        .finish();
    let cookies: Vec<String> = alice
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let head = format!(
        "POST /admin/settings HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Language: fr\r\nCookie: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        cookies.join("; "),
        body.len()
    );
    let (status, response) = http(&apache.address, &head, body.as_bytes());
    assert_eq!(status, 422, "{response}\n{}", apache.error_log());
    let listed = response.split("id=\"settings-errors\"").nth(1).unwrap();
    let listed = listed.split("</ul>").next().unwrap();
    assert_eq!(listed.matches("<li>").count(), 2, "{listed}");
    for words in [
        "federation.blocked_domains\u{a0}: un nom de domaine était attendu",
        "(sans préfixe tel que https://)\u{a0}; reçu «\u{a0}https://bad.example\u{a0}»",
        "authors.blocked\u{a0}: un identifiant avec son serveur était attendu",
        "reçu «\u{a0}bob\u{a0}»",
    ] {
        assert!(listed.contains(words), "{words} in {listed}");
    }
    assert!(!listed.contains("expected"), "{listed}");
    assert_eq!(std::fs::read(&site.config).unwrap(), before);
    assert!(!site.root().join("affiche.toml.bak").exists());
}
