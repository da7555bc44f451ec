//! Readers' reports and the admin's tools through the real Apache and CGI,
//! with the fake Mastodon: a report made with the form reaches the admin,
//! who hides the reply and forwards a Flag to its server (without the
//! reader's contact); refusals (no CSRF token, an address not ours, too
//! many reports) store nothing; only admins act; the doctor page shows
//! the checks; the export download is the site's zip.

use std::io::{Read as _, Write as _};

use serde_json::{Value, json};

use crate::admin::{admin_site, article_id, log_in_as, wait_for, write};
use crate::apache::Apache;
use crate::authors::{Browser, Reply, log_in, unescape};
use crate::harness::{Site, give_to_apache};
use crate::remote::{Remote, federating_site_with, with_db};

const SITE_ACTOR: &str = "https://example.org/actor";
const ARTICLE: &str = "https://example.org/articles/harbour-notes/";

fn flags(site: &Site) -> i64 {
    with_db(site, |db| {
        db.query_row("SELECT count(*) FROM flags", [], |r| r.get(0))
            .unwrap()
    })
}

/// The `href` value that follows `before` in the page.
fn link(page: &str, before: &str) -> String {
    let href = page
        .split_once(before)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(href, _)| href)
        .unwrap_or_else(|| panic!("no link after {before} in the page:\n{page}"));
    unescape(href)
}

/// A reply by bob to the article, delivered to our inbox.
fn bob_replies(site: &Site, apache: &Apache, remote: &Remote, text: &str) -> (String, i64) {
    let key = remote.add_user("bob");
    let bob = remote.actor_of("bob");
    let id = format!("{bob}/statuses/1");
    let reply = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/activity"), "type": "Create", "actor": bob,
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [SITE_ACTOR],
        "object": {
            "id": id, "type": "Note", "attributedTo": bob,
            "inReplyTo": ARTICLE,
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [SITE_ACTOR],
            "published": "2026-01-02T03:04:05Z",
            "content": format!("<p>{text}</p>"),
        },
    });
    let (status, response) = remote.post(apache, "/inbox", &reply, &key, jiff::Timestamp::now());
    assert_eq!(status, 202, "{response}\n{}", apache.error_log());
    let comment: i64 = with_db(site, |db| {
        db.query_row("SELECT id FROM comments WHERE object_id = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap()
    });
    (id, comment)
}

fn report(browser: &mut Browser, form: &Reply, fields: &[(&str, &str)]) -> Reply {
    let csrf = form.field("csrf");
    let url = form.field("url");
    let mut all = vec![("csrf", csrf.as_str()), ("url", url.as_str())];
    all.extend_from_slice(fields);
    browser.post("/report", &all)
}

#[test]
fn a_reader_reports_a_reply_the_admin_forwards_it_and_hides_it() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    write(&mut alice, "Harbour notes");
    wait_for(&remote, "the Create", |b| {
        b["type"] == "Create" && b["object"]["id"] == ARTICLE
    });
    let (note, comment) = bob_replies(&site, &apache, &remote, "Buy cheap nets.");
    let (status, page) = apache.get("/articles/harbour-notes/");
    assert_eq!(status, 200);
    assert!(page.contains("Buy cheap nets."), "{page}");
    let page_link = link(&page, "class=\"report-link\"><a href=\"");
    assert!(page_link.starts_with("/report?url="), "{page_link}");
    let comment_link = link(&page, "class=\"comment__report\" href=\"");
    assert!(
        comment_link.ends_with(&format!("%23comment-{comment}")),
        "{comment_link}"
    );

    // The form, for the reply.
    let mut reader = Browser::new(&apache);
    let form = reader.get(&comment_link);
    assert_eq!(form.status, 200, "{form:?}\n{}", apache.error_log());
    assert!(form.body.contains("Buy cheap nets."), "{}", form.body);
    assert!(form.sets_cookie("affiche_csrf"));

    // Without the token, or for a page that is not ours: refused, nothing kept.
    let url = form.field("url");
    let no_token = reader.post(
        "/report",
        &[("url", &url), ("reason", "spam"), ("text", "Ads")],
    );
    assert_eq!(no_token.status, 403, "{no_token:?}");
    let elsewhere = reader.post(
        "/report",
        &[
            ("csrf", &form.field("csrf")),
            ("url", "https://elsewhere.example/articles/harbour-notes/"),
            ("reason", "spam"),
        ],
    );
    assert_eq!(elsewhere.status, 422, "{elsewhere:?}");
    assert_eq!(
        reader
            .get("/report?url=https%3A%2F%2Fexample.org%2Farticles%2Fnothing-here%2F")
            .status,
        422
    );
    let no_reason = report(&mut reader, &form, &[("text", "Ads")]);
    assert_eq!(no_reason.status, 422, "{no_reason:?}");
    assert_eq!(flags(&site), 0);

    let sent = report(
        &mut reader,
        &form,
        &[
            ("reason", "spam"),
            ("text", "Selling nets to everyone."),
            ("contact", "reader@example.net"),
        ],
    );
    assert_eq!(sent.status, 200, "{sent:?}\n{}", apache.error_log());
    assert_eq!(flags(&site), 1);
    let (source, objects, contact): (String, String, String) = with_db(&site, |db| {
        db.query_row("SELECT source, objects, contact FROM flags", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
    });
    assert_eq!(source, "web");
    assert_eq!(objects, json!([note]).to_string());
    assert_eq!(contact, "reader@example.net");
    // The article itself can be reported too.
    let article_form = reader.get(&page_link);
    assert_eq!(article_form.status, 200, "{article_form:?}");
    assert!(article_form.body.contains("Harbour notes"));

    // The admin sees it, with the reader's contact.
    let page = alice.get("/admin/");
    assert_eq!(page.status, 200, "{page:?}\n{}", apache.error_log());
    for text in [
        "Selling nets to everyone.",
        "reader@example.net",
        "Buy cheap nets.",
        "value=\"forward\"",
    ] {
        assert!(page.body.contains(text), "{text} in {}", page.body);
    }
    let flag_id: i64 = with_db(&site, |db| {
        db.query_row("SELECT id FROM flags", [], |r| r.get(0))
            .unwrap()
    });
    let csrf = page.field("csrf");
    let id = flag_id.to_string();

    // Only admins act on reports, and with the token.
    let mut bob = log_in_as(&apache, &remote, "bob");
    let bob_csrf = bob.get("/editor/").field("csrf");
    for action in ["hide", "delete", "unpublish", "dismiss", "forward"] {
        let refused = bob.post(
            "/admin/flag",
            &[("csrf", &bob_csrf), ("id", &id), ("action", action)],
        );
        assert_eq!(refused.status, 403, "{action}: {refused:?}");
    }
    for path in ["/admin/doctor", "/admin/export"] {
        assert_eq!(bob.get(path).status, 403, "{path}");
        let refused = bob.post(path, &[("csrf", &bob_csrf)]);
        assert_eq!(refused.status, 403, "{path}: {refused:?}");
    }
    let no_token = alice.post("/admin/flag", &[("id", &id), ("action", "hide")]);
    assert_eq!(no_token.status, 403, "{no_token:?}");

    // Forwarded: a signed Flag from the site actor to bob's server, the
    // account and the reply as objects, the reason as content, no contact.
    let before = remote.received().len();
    let forwarded = alice.post(
        "/admin/flag",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("action", "forward"),
            ("content", "Spam or advertising: Selling nets to everyone."),
        ],
    );
    assert_eq!(
        forwarded.status,
        303,
        "{forwarded:?}\n{}",
        apache.error_log()
    );
    assert_eq!(forwarded.location(), "/admin/?notice=flag-forwarded");
    let flag = wait_for(&remote, "the Flag", |b| b["type"] == "Flag");
    assert_eq!(flag.verified, Ok(()), "{:?}", flag.body);
    assert_eq!(flag.body["actor"], SITE_ACTOR);
    assert_eq!(flag.body["object"], json!([remote.actor_of("bob"), note]));
    assert_eq!(
        flag.body["content"],
        "Spam or advertising: Selling nets to everyone."
    );
    assert!(
        !flag.body.to_string().contains("reader@example.net"),
        "{}",
        flag.body
    );
    assert!(remote.received().len() > before);
    // To the shared inbox the actor names.
    assert!(
        remote.requests().iter().any(|r| r == "POST /inbox"),
        "{:?}",
        remote.requests()
    );
    let still_open: Option<i64> = with_db(&site, |db| {
        db.query_row("SELECT handled_at FROM flags", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(still_open, None);
    // Once is enough: a second click sends nothing more.
    let again = alice.post(
        "/admin/flag",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("action", "forward"),
            ("content", "Spam"),
        ],
    );
    assert_eq!(again.status, 409, "{again:?}");
    let queued: i64 = with_db(&site, |db| {
        db.query_row(
            "SELECT count(*) FROM deliveries WHERE body LIKE '%\"type\":\"Flag\"%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(queued, 1);

    // Blocked in one click: the config lists bob; only the report's
    // accounts and servers can be blocked from here.
    let page = alice.get("/admin/");
    let handle = format!("@bob@{}", remote.host());
    assert!(page.body.contains(&handle), "{}", page.body);
    let stranger = alice.post(
        "/admin/flag",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("action", "block-domain"),
            ("value", "innocent.example"),
        ],
    );
    assert_eq!(stranger.status, 404, "{stranger:?}");
    let blocked = alice.post(
        "/admin/flag",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("action", "block-actor"),
            ("value", &handle),
        ],
    );
    assert_eq!(blocked.status, 303, "{blocked:?}\n{}", apache.error_log());
    assert_eq!(blocked.location(), "/admin/?notice=flag-blocked");
    let config = std::fs::read_to_string(&site.config).unwrap();
    assert!(
        config.contains(&format!("blocked_actors = [\"{handle}\"]")),
        "{config}"
    );
    assert!(alice.get("/admin/").body.contains("is already blocked"));

    // Hidden: gone from the page, the report closed and kept.
    let hidden = alice.post(
        "/admin/flag",
        &[("csrf", &csrf), ("id", &id), ("action", "hide")],
    );
    assert_eq!(hidden.status, 303, "{hidden:?}\n{}", apache.error_log());
    let (status, page) = apache.get("/articles/harbour-notes/");
    assert_eq!(status, 200);
    assert!(!page.contains("Buy cheap nets."), "{page}");
    let (outcome, handled): (String, Option<i64>) = with_db(&site, |db| {
        db.query_row("SELECT outcome, handled_at FROM flags", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    });
    assert_eq!(outcome, "hidden");
    assert!(handled.is_some());
    let page = alice.get("/admin/");
    assert!(page.body.contains("reply hidden"), "{}", page.body);
    let again = alice.post(
        "/admin/flag",
        &[("csrf", &csrf), ("id", &id), ("action", "dismiss")],
    );
    assert_eq!(again.status, 404, "{again:?}");
    // A reply no longer shown cannot be reported.
    assert_eq!(reader.get(&comment_link).status, 422);

    // The article reported, then unpublished from the report.
    let sent = report(&mut reader, &article_form, &[("reason", "illegal")]);
    assert_eq!(sent.status, 200, "{sent:?}");
    let article_flag: i64 = with_db(&site, |db| {
        db.query_row(
            "SELECT id FROM flags WHERE objects = ?1",
            [json!([ARTICLE]).to_string()],
            |r| r.get(0),
        )
        .unwrap()
    });
    let page = alice.get("/admin/");
    assert!(page.body.contains("value=\"unpublish\""), "{}", page.body);
    let unpublished = alice.post(
        "/admin/flag",
        &[
            ("csrf", &csrf),
            ("id", &article_flag.to_string()),
            ("action", "unpublish"),
        ],
    );
    assert_eq!(
        unpublished.status,
        303,
        "{unpublished:?}\n{}",
        apache.error_log()
    );
    assert_eq!(unpublished.location(), "/admin/?notice=flag-unpublished");
    assert_eq!(article_id(&site, "harbour-notes").1, "draft");
    assert!(
        !apache
            .get("/articles/harbour-notes/")
            .1
            .contains("Words enough to read.")
    );
    wait_for(&remote, "the Delete", |b| {
        b["type"] == "Delete" && b["object"]["id"] == ARTICLE
    });
}

#[test]
fn reports_are_rate_limited_and_the_limit_says_how_long_to_wait() {
    let site = federating_site_with(|c| {
        c.replace(
            "reports_per_address_per_hour = 5",
            "reports_per_address_per_hour = 2",
        )
    });
    let file = site.article(
        "p",
        "title = \"Harbour notes\"\nslug = \"harbour-notes\"",
        "Boats.",
    );
    assert!(site.import(&[file]).status.success());
    let apache = Apache::start(&site);
    let mut reader = Browser::new(&apache);
    let form = reader.get(&format!(
        "/report?url={}",
        form_urlencoded::byte_serialize(ARTICLE.as_bytes()).collect::<String>()
    ));
    assert_eq!(form.status, 200, "{form:?}\n{}", apache.error_log());
    // In the reader's language.
    let (status, french) = crate::harness::http(
        &apache.address,
        &format!(
            "GET /report?url={} HTTP/1.0\r\nAccept-Language: fr-CH, fr;q=0.9\r\n\r\n",
            form_urlencoded::byte_serialize(ARTICLE.as_bytes()).collect::<String>()
        ),
        b"",
    );
    assert_eq!(status, 200);
    assert!(french.contains("Pourquoi le signalez-vous"), "{french}");
    for n in 0..2 {
        let sent = report(&mut reader, &form, &[("reason", "illegal")]);
        assert_eq!(sent.status, 200, "report {n}: {sent:?}");
    }
    let limited = report(&mut reader, &form, &[("reason", "illegal")]);
    assert_eq!(limited.status, 429, "{limited:?}");
    assert!(
        limited.body.contains("try again in 60 minutes"),
        "{}",
        limited.body
    );
    assert_eq!(flags(&site), 2);
    // The article is reported as our page, and the admin could unpublish it.
    let objects: String = with_db(&site, |db| {
        db.query_row("SELECT objects FROM flags LIMIT 1", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(objects, json!([ARTICLE]).to_string());

    // An event is reported at its own address; an article's slug under
    // events/ is not an event.
    let dir = site.dir.path().join("events");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("fair.md"),
        "+++\ntitle = \"Boat fair\"\nslug = \"boat-fair\"\nstart = \"2030-07-01\"\nend = \"2030-07-03\"\nall_day = true\n+++\nBoats.\n",
    )
    .unwrap();
    site.ok(&["event", "import", dir.to_str().unwrap()]);
    // The files the import wrote go back to Apache's user.
    with_db(&site, |_| ());
    let (status, body) = apache.get("/events/boat-fair/");
    assert_eq!(status, 200);
    let href = link(&body, "class=\"report-link\"><a href=\"");
    let event_form = reader.get(&href);
    assert_eq!(event_form.status, 200, "{event_form:?}");
    assert!(event_form.body.contains("Boat fair"), "{}", event_form.body);
    assert_eq!(
        reader
            .get("/report?url=https%3A%2F%2Fexample.org%2Fevents%2Fharbour-notes%2F")
            .status,
        422
    );
}

/// The raw answer to a POST with the browser's cookies: (head, body bytes).
fn post_raw(apache: &Apache, browser: &Browser, path: &str, body: &str) -> (String, Vec<u8>) {
    let jar: Vec<String> = browser
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        jar.join("; "),
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(&apache.address).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    (
        String::from_utf8_lossy(&response[..split]).into_owned(),
        response[split + 4..].to_vec(),
    )
}

#[test]
fn the_admin_runs_the_doctor_and_downloads_the_export() {
    let (site, apache, remote) = admin_site(|c| c);
    // The doctor checks the address the site names: the test Apache's.
    let config = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(
        &site.config,
        config.replace(
            "base_url = \"https://example.org\"",
            &format!("base_url = \"http://{}\"", apache.address),
        ),
    )
    .unwrap();
    let file = site.article(
        "p",
        "title = \"Exported words\"\nslug = \"exported-words\"",
        "Kept in the zip.",
    );
    assert!(site.import(&[file]).status.success());
    site.ok(&["rebuild"]);
    give_to_apache(&site);
    let mut alice = log_in(&apache, &remote);

    let page = alice.get("/admin/doctor");
    assert_eq!(page.status, 200, "{page:?}\n{}", apache.error_log());
    let csrf = page.field("csrf");
    let ran = alice.post("/admin/doctor", &[("csrf", &csrf)]);
    assert_eq!(ran.status, 200, "{ran:?}\n{}", apache.error_log());
    for check in [
        "htaccess",
        "cgi",
        "webfinger-root",
        "json-twin",
        "private-files",
        "permissions",
        "outbound-https",
        "clock",
        "inbox",
    ] {
        assert!(
            ran.body.contains(&format!("id=\"check-{check}\"")),
            "{check} in {}",
            ran.body
        );
    }
    assert!(
        ran.body.contains("doctor__check--pass"),
        "{}\n{}",
        ran.body,
        apache.error_log()
    );
    assert!(
        ran.body.contains("a clock that is wrong on the whole host"),
        "{}",
        ran.body
    );
    let no_token = alice.post("/admin/doctor", &[]);
    assert_eq!(no_token.status, 403, "{no_token:?}");

    let page = alice.get("/admin/export");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("SECRET-site-key.pem"), "{}", page.body);
    let refused = alice.post("/admin/export", &[("csrf", "wrong")]);
    assert_eq!(refused.status, 403, "{refused:?}");
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", &page.field("csrf"))
        .finish();
    let (head, zip) = post_raw(&apache, &alice, "/admin/export", &body);
    assert!(
        head.starts_with("HTTP/1.1 200") || head.contains(" 200 "),
        "{head}"
    );
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("content-type: application/zip"), "{head}");
    assert!(
        lower.contains("content-disposition: attachment; filename=\"affiche-export-"),
        "{head}"
    );
    assert!(lower.contains("cache-control: no-store"), "{head}");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut text = String::new();
    archive
        .by_name("articles/exported-words.md")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("Kept in the zip."), "{text}");
    assert!(archive.by_name("SECRET-site-key.pem").is_ok());
    let manifest: Value = {
        let mut m = String::new();
        archive
            .by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut m)
            .unwrap();
        serde_json::from_str(&m).unwrap()
    };
    assert_eq!(manifest["articles"], 1);
}

/// The id of the only report.
fn flag_id(site: &Site) -> String {
    with_db(site, |db| {
        db.query_row("SELECT id FROM flags", [], |r| r.get::<_, i64>(0))
            .unwrap()
    })
    .to_string()
}

/// A Flag from elsewhere is hostile input: an object that is no web
/// address is shown as text, never as a link the admin could follow
/// (`javascript:` would run with the admin's session), and an article's
/// slug under events/ (or under no folder) is no page of ours that the
/// report could unpublish.
#[test]
fn a_hostile_flag_links_nothing_but_web_addresses_and_unpublishes_nothing_of_another_kind() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    write(&mut alice, "Harbour notes");
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/flags/9", remote.base), "type": "Flag", "actor": remote.actor(),
        "content": "Look here",
        "object": [
            "javascript:alert(document.domain)",
            "data:text/html,<script>alert(1)</script>",
            "https://example.org/events/harbour-notes/",
            "https://example.org/harbour-notes",
        ],
    });
    let (status, response) = remote.post(
        &apache,
        "/inbox",
        &flag,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}\n{}", apache.error_log());
    let page = alice.get("/admin/");
    assert_eq!(page.status, 200, "{page:?}\n{}", apache.error_log());
    assert!(page.body.contains("Look here"), "{}", page.body);
    assert!(
        page.body.contains("javascript:alert(document.domain)"),
        "{}",
        page.body
    );
    for link in ["href=\"javascript:", "href=\"data:"] {
        assert!(!page.body.contains(link), "{link} in {}", page.body);
    }
    let report = page
        .body
        .split("id=\"report-")
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .unwrap();
    assert!(!report.contains("value=\"unpublish\""), "{report}");
    let unpublish = alice.post(
        "/admin/flag",
        &[
            ("csrf", &page.field("csrf")),
            ("id", &flag_id(&site)),
            ("action", "unpublish"),
        ],
    );
    assert_eq!(unpublish.status, 404, "{unpublish:?}");
    assert_eq!(article_id(&site, "harbour-notes").1, "published");
    // No reply is reported either: nothing to hide, and the report stays open.
    let hide = alice.post(
        "/admin/flag",
        &[
            ("csrf", &page.field("csrf")),
            ("id", &flag_id(&site)),
            ("action", "hide"),
        ],
    );
    assert_eq!(hide.status, 404, "{hide:?}");
    let open: Option<i64> = with_db(&site, |db| {
        db.query_row("SELECT handled_at FROM flags", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(open, None);
}

/// Forwarding a report about a reply from a blocked domain is refused
/// with its reason: the worker would drop the Flag unsent, while the
/// admin read that it had gone.
#[test]
fn a_report_is_not_forwarded_to_a_blocked_domain() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    write(&mut alice, "Harbour notes");
    let (article, _) = article_id(&site, "harbour-notes");
    let carol = "http://localhost:9/users/carol";
    let note = format!("{carol}/statuses/1");
    with_db(&site, |db| {
        db.execute(
            "INSERT INTO remote_actors (id, inbox, shared_inbox, handle, fetched_at)
             VALUES (?1, 'http://localhost:9/inbox', '', 'carol@localhost:9', 0)",
            [carol],
        )
        .unwrap();
        db.execute(
            "INSERT INTO comments (object_id, article_id, in_reply_to, actor_id, content, published, received_at)
             VALUES (?1, ?2, ?3, ?4, '<p>Nets!</p>', 0, 0)",
            rusqlite::params![note, article, ARTICLE, carol],
        )
        .unwrap();
        db.execute(
            "INSERT INTO flags (actor_id, content, objects, received_at, source, reason)
             VALUES ('', 'Ads', ?1, 0, 'web', 'spam')",
            [json!([note]).to_string()],
        )
        .unwrap();
    });
    let config = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(
        &site.config,
        config.replace("blocked_domains = []", "blocked_domains = [\"localhost\"]"),
    )
    .unwrap();
    with_db(&site, |_| ());
    let page = alice.get("/admin/");
    assert!(page.body.contains("value=\"forward\""), "{}", page.body);
    let long = "x".repeat(1_001);
    let too_long = alice.post(
        "/admin/flag",
        &[
            ("csrf", &page.field("csrf")),
            ("id", &flag_id(&site)),
            ("action", "forward"),
            ("content", &long),
        ],
    );
    assert_eq!(too_long.status, 422, "{too_long:?}");
    assert!(
        too_long.body.contains("The text is too long"),
        "{}",
        too_long.body
    );
    let forwarded = alice.post(
        "/admin/flag",
        &[
            ("csrf", &page.field("csrf")),
            ("id", &flag_id(&site)),
            ("action", "forward"),
            ("content", "Spam"),
        ],
    );
    assert_eq!(
        forwarded.status,
        409,
        "{forwarded:?}\n{}",
        apache.error_log()
    );
    assert!(forwarded.body.contains("localhost"), "{}", forwarded.body);
    let (queued, forwarded_at): (i64, Option<i64>) = with_db(&site, |db| {
        (
            db.query_row(
                "SELECT count(*) FROM deliveries WHERE host LIKE 'localhost%'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
            db.query_row("SELECT forwarded_at FROM flags", [], |r| r.get(0))
                .unwrap(),
        )
    });
    assert_eq!((queued, forwarded_at), (0, None));
}

/// Garbage gets a clear status, never a crash or a stored report.
#[test]
fn garbage_reports_and_admin_posts_get_clear_answers() {
    let (site, apache, remote) = admin_site(|c| c);
    let mut alice = log_in(&apache, &remote);
    write(&mut alice, "Harbour notes");
    let csrf = alice.get("/admin/").field("csrf");
    for path in [
        "/report",
        "/report?url=%FF%FE%00",
        "/report?url=https%3A%2F%2Fexample.org%2Farticles%2F..%2F..%2Fetc%2Fpasswd",
        "/report?url=https%3A%2F%2Fexample.org%2Farticles%2Fharbour-notes%2F%23comment-99999999999999999999",
    ] {
        let (status, body) = apache.get(path);
        assert_eq!(status, 422, "{path}: {body}");
    }
    let raw = |method: &str, path: &str, kind: &str, body: &[u8]| {
        crate::harness::http(
            &apache.address,
            &format!(
                "{method} {path} HTTP/1.0\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            body,
        )
        .0
    };
    assert_eq!(raw("POST", "/report", "text/plain", b"url=x"), 415);
    assert_eq!(
        raw(
            "POST",
            "/report",
            "application/x-www-form-urlencoded",
            b"url=%FF&reason=\xff\xfe&text=%00"
        ),
        422
    );
    assert_eq!(raw("PUT", "/report", "text/plain", b""), 405);
    for id in ["abc", "99999999999999999999", "-1", ""] {
        for action in ["hide", "unpublish", "forward", "block-domain", "nonsense"] {
            let answer = alice.post(
                "/admin/flag",
                &[("csrf", &csrf), ("id", id), ("action", action)],
            );
            assert_eq!(answer.status, 404, "{id} {action}: {answer:?}");
        }
    }
    assert_eq!(flags(&site), 0);
    assert!(
        !apache.error_log().contains("panicked"),
        "{}",
        apache.error_log()
    );
}

/// The admin's lists link an event to its page under events/ (under
/// articles/ there is nothing).
#[test]
fn the_admin_lists_link_an_event_to_its_own_page() {
    let (site, apache, remote) = admin_site(|c| c);
    let dir = site.dir.path().join("events");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("fair.md"),
        "+++\ntitle = \"Boat fair\"\nslug = \"boat-fair\"\nstart = \"2030-07-01\"\nend = \"2030-07-03\"\nall_day = true\n+++\nBoats.\n",
    )
    .unwrap();
    site.ok(&["event", "import", dir.to_str().unwrap()]);
    give_to_apache(&site);
    let mut alice = log_in(&apache, &remote);
    let page = alice.get("/admin/");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(
        page.body
            .contains("href=\"https://example.org/events/boat-fair/\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("articles/boat-fair"), "{}", page.body);
}
