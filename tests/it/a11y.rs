//! Every page type, in every state a reader, an author, an admin or a site
//! owner meets, checked by axe-core in a real headless Chromium: the WCAG
//! 2.0 and 2.1 A and AA rules (and 2.2's target size) plus axe's best
//! practices, zero violations, in the light and the dark colour scheme.
//! The static pages are served by the test's Apache as files; the login,
//! editor, participation, admin and setup pages come from the CGI behind
//! it, reached as a person reaches them (the login typed and clicked in
//! the same browser).
//!
//! axe-core is pinned in `tests/a11y/package-lock.json`; `npm ci --prefix
//! tests/a11y` installs it (`.ci/run` does). The same run saves the
//! README's screenshots of the setup and admin pages (admin, health,
//! settings), 1280×800, in `target/screenshots/`; curated copies live in
//! `docs/screenshots/`.
//!
//! Beyond axe, two checks it does not make: no menu link claims to be
//! the current page when it is not (`aria-current`), and every page
//! reflows at 320 CSS pixels, without scrolling sideways (WCAG 1.4.10).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use affiche::context::Context;
use affiche::events::{instant, parse_date, parse_time, zone};
use affiche::publish;
use affiche::render::{Target, markdown, plan};
use affiche::store::{
    Article, ArticleEdit, ArticleTag, Attachment, Author, CommentState, EventFields, EventStatus,
    JoinMode, NewComment,
};
use serde_json::{Value, json};

use crate::apache::Apache;
use crate::authors::token_in;
use crate::cdp::Chromium;
use crate::harness::{Site, give_to_apache};
use crate::remote::{Remote, federating_site_with, our_public_key};

const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/a11y/node_modules/axe-core/axe.min.js"
);

/// The rule sets the check runs: WCAG 2.0 and 2.1, levels A and AA, the
/// one 2.2 AA rule axe has (target size), and axe's best practices
/// (landmarks, one main, heading order...).
const TAGS: &[&str] = &[
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// The README's screenshots: a laptop's window.
const SHOT_WIDTH: u32 = 1280;
const SHOT_HEIGHT: u32 = 800;

fn axe_source() -> String {
    std::fs::read_to_string(AXE).unwrap_or_else(|err| {
        panic!("{AXE}: {err}: axe-core is not installed; run npm ci --prefix tests/a11y")
    })
}

fn now() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_secs()).unwrap()
}

/// A Chromium at the screenshots' size, that lets the test inject axe
/// whatever Content-Security-Policy a page carries.
fn browser() -> Chromium {
    let browser = Chromium::launch().unwrap();
    window(&browser, SHOT_WIDTH);
    browser
        .send("Page.setBypassCSP", json!({"enabled": true}))
        .unwrap();
    browser
}

fn window(browser: &Chromium, width: u32) {
    browser
        .send(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": SHOT_HEIGHT, "deviceScaleFactor": 1, "mobile": false}),
        )
        .unwrap();
}

/// WCAG 1.4.10 (Reflow), which axe does not check: at 320 CSS pixels (a
/// 1280 pixel window zoomed to 400 %) the page reads without scrolling
/// sideways; what scrolls inside its own box (code, a wide table) may.
fn reflow(browser: &Chromium) -> Option<String> {
    window(browser, 320);
    let wide = browser
        .eval(
            "(() => { const root = document.documentElement; \
             if (root.scrollWidth <= root.clientWidth) return null; \
             const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) \
               { if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; }; \
             const out = Array.from(document.body.querySelectorAll('*')) \
               .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5 && !clipped(el)) \
               .slice(0, 6).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') \
                 + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '')); \
             return root.scrollWidth + 'px wide: ' + out.join(' '); })()",
        )
        .unwrap();
    window(browser, SHOT_WIDTH);
    wide.as_str().map(|w| format!("  reflow at 320px: {w}"))
}

fn scheme(browser: &Chromium, value: &str) {
    browser
        .send(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
        )
        .unwrap();
}

/// Runs axe on the page the browser shows, in the light and the dark
/// scheme, and returns one line per violation (rule, help, impact) with
/// the selector of every element that fails it.
fn audit(browser: &Chromium, axe: &str) -> Vec<String> {
    if browser.eval("typeof axe").unwrap() != json!("object") {
        browser.eval(&format!("{axe}\n;0")).unwrap();
    }
    let run = format!(
        "axe.run(document, {{ runOnly: {{ type: 'tag', values: {} }}, resultTypes: ['violations'] }})\
         .then(r => r.violations.map(v => ({{ id: v.id, impact: v.impact, help: v.help, \
         nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }})))",
        json!(TAGS)
    );
    let mut found: Vec<String> = Vec::new();
    for colours in ["light", "dark"] {
        scheme(browser, colours);
        let violations = browser.eval(&run).unwrap();
        for v in violations.as_array().into_iter().flatten() {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| format!("      {}", n.as_str().unwrap_or_default()))
                .collect();
            let line = format!(
                "{} ({}): {}\n{}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                nodes.join("\n")
            );
            if !found.iter().any(|f| f.ends_with(&line)) {
                found.push(format!("  [{colours}] {line}"));
            }
        }
    }
    scheme(browser, "light");
    found.extend(reflow(browser));
    // axe cannot know which page is the current one; the site's menu must
    // not tell a screen reader that another page is.
    let elsewhere = browser
        .eval(
            "Array.from(document.querySelectorAll('a[aria-current=page]'))\
             .filter(a => new URL(a.href).pathname !== location.pathname)\
             .map(a => a.outerHTML)",
        )
        .unwrap();
    for link in elsewhere.as_array().into_iter().flatten() {
        found.push(format!(
            "  aria-current on a link to another page: {}",
            link.as_str().unwrap_or_default()
        ));
    }
    found
}

/// What the browser shows, for failures.
fn shown(browser: &Chromium) -> String {
    let at = browser.eval("location.href").unwrap_or(Value::Null);
    let text = browser
        .eval("document.body ? document.body.innerText.slice(0, 600) : ''")
        .unwrap_or(Value::Null);
    format!("{} shows:\n{}", at, text.as_str().unwrap_or_default())
}

/// The pages checked so far and what axe found on each.
struct Report<'a> {
    apache: &'a Apache,
    pages: Vec<String>,
    failures: Vec<String>,
}

impl<'a> Report<'a> {
    fn new(apache: &'a Apache) -> Report<'a> {
        Report {
            apache,
            pages: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Audits the page the browser shows now, as `name`.
    fn check(&mut self, browser: &Chromium, axe: &str, name: &str) {
        let found = audit(browser, axe);
        self.pages.push(name.to_string());
        if !found.is_empty() {
            self.failures.push(format!(
                "{name} ({}):\n{}",
                browser
                    .eval("location.pathname + location.search")
                    .unwrap_or(Value::Null),
                found.join("\n")
            ));
        }
    }

    /// Loads `path` and audits it, once sure it is the page meant: the
    /// browser stayed at that path and shows `expect` (a selector).
    fn visit(&mut self, browser: &Chromium, axe: &str, url: &str, name: &str, expect: &str) {
        browser.navigate(url).unwrap();
        let here = browser.eval("location.href").unwrap();
        assert_eq!(
            here,
            json!(url),
            "{name}: {}\n{}",
            shown(browser),
            self.apache.error_log()
        );
        self.expect(browser, name, expect);
        self.check(browser, axe, name);
    }

    /// Audits the page the browser shows once sure it shows `expect`.
    fn expect(&mut self, browser: &Chromium, name: &str, expect: &str) {
        let found = browser
            .eval(&format!("!!document.querySelector({})", json!(expect)))
            .unwrap();
        assert_eq!(
            found,
            json!(true),
            "{name}: no {expect} in {}\n{}",
            shown(browser),
            self.apache.error_log()
        );
    }

    fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "axe found accessibility violations on {} of the {} pages checked:\n\n{}",
            self.failures.len(),
            self.pages.len(),
            self.failures.join("\n\n")
        );
    }
}

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// Saves a 1280×800 screenshot of the viewport as `name` and checks it is a
/// real picture, not a blank page.
fn screenshot(browser: &Chromium, name: &str) {
    let file = screenshots_dir().join(name);
    let _ = std::fs::remove_file(&file);
    let bytes = browser.screenshot(&file, false).unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), (SHOT_WIDTH, SHOT_HEIGHT), "{name}");
    let mut colours: Vec<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 16, "{name} is nearly blank");
}

fn edit(title: &str, summary: &str, md: &str, tags: &[&str]) -> ArticleEdit {
    ArticleEdit {
        title: title.into(),
        summary: summary.into(),
        body: markdown::render_body(md),
        body_md: md.into(),
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

fn alice(remote: &Remote) -> Author {
    Author {
        actor_id: remote.actor(),
        handle: remote.handle().trim_start_matches('@').to_string(),
        name: "Alice Martin".into(),
        avatar: String::new(),
        profile_url: format!("{}/@alice", remote.actor()),
        inbox: String::new(),
        credits_site: true,
        updated_at: 0,
    }
}

/// An evening in Paris, `days` from now.
fn evening(days: i64, status: EventStatus, capacity: Option<i64>) -> EventFields {
    let tz = zone("Europe/Paris").unwrap();
    let day = tz
        .to_datetime(jiff::Timestamp::from_second(now() + days * 86_400).unwrap())
        .date();
    let day = parse_date(&day.to_string()).unwrap();
    let at = |t: &str| {
        instant(day, parse_time(t).unwrap(), &tz)
            .unwrap()
            .as_second()
    };
    EventFields {
        starts_at: at("18:30"),
        ends_at: at("21:00"),
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
        capacity,
        status,
        category: "MEETING".into(),
        join_mode: JoinMode::Free,
        external_url: String::new(),
    }
}

fn comment(article: &Article, n: i64, in_reply_to: &str, summary: &str) -> NewComment {
    let at = 1_700_000_000 + n * 60;
    NewComment {
        object_id: format!("https://m.example/users/u{n}/statuses/{n}"),
        article_id: article.id,
        in_reply_to: in_reply_to.to_string(),
        actor_id: format!("https://m.example/users/u{n}"),
        author_handle: format!("u{n}@m.example"),
        author_name: format!("Reader {n}"),
        author_url: format!("https://m.example/@u{n}"),
        author_avatar: String::new(),
        url: format!("https://m.example/@u{n}/{n}"),
        content: format!(
            "<p>Reply number {n}, with <a href=\"https://m.example/tags/x\">#x</a>.</p>"
        ),
        summary: summary.into(),
        lang: "en".into(),
        attachments: if n == 3 {
            vec![Attachment {
                url: "https://m.example/media/cat.jpg".into(),
                media_type: "image/jpeg".into(),
                name: "A cat asleep on a keyboard".into(),
            }]
        } else {
            Vec::new()
        },
        published: at,
        updated: None,
        state: CommentState::Visible,
        received_at: at,
    }
}

/// Renders what a change to `slug` touches, as the write paths do.
fn rerender(ctx: &Context, slug: &str) {
    let targets: Vec<Target> = plan::touched_by(&ctx.store, slug, ctx.renderer.page_size())
        .unwrap()
        .into_iter()
        .collect();
    ctx.renderer
        .render_parallel(&ctx.store, &ctx.config.database_path(), &targets, 1)
        .unwrap();
}

/// What [`fill`] made.
struct Made {
    article: Article,
    french: Article,
    tentative: Article,
    event: Article,
    cancelled: Article,
    gone: Article,
}

/// A page with four known faults, to prove the checks can fail.
const CONTROL: &str = "<!doctype html><html><head><title>control</title></head><body>\
    <main><h1>Control</h1><img src=\"/nowhere.png\"><p><input name=\"q\"></p>\
    <div style=\"width:1000px\">wide</div></main></body></html>";

/// Every state of every page type: an article with nested replies, a
/// content warning, an attachment and reactions; one in French; an event
/// with its place and participants; a cancelled one; a past one; a
/// deleted article (its gone page); then, under review, an article that
/// waits for an admin, a held reply and a received report for the admin
/// page.
fn fill(site: &Site, remote: &Remote) -> Made {
    let ctx = Context::open(&site.config).unwrap();
    let author = alice(remote);
    let now = now();
    let made_in = |lang: &str,
                   title: &str,
                   md: &str,
                   tags: &[&str],
                   fields: Option<EventFields>|
     -> Article {
        let mut edit = edit(title, "A short summary of it.", md, tags);
        edit.lang = lang.into();
        let key = format!("key-{title}");
        let draft = match &fields {
            Some(fields) => {
                publish::create_event_draft(&ctx, &author, &edit, fields, &key, now)
                    .unwrap()
                    .0
            }
            None => {
                publish::create_draft(&ctx, &author, &edit, &key, now)
                    .unwrap()
                    .0
            }
        };
        match &fields {
            Some(fields) => publish::publish_event(&ctx, &draft, &edit, fields, now).unwrap(),
            None => publish::publish(&ctx, &draft, &edit, now).unwrap(),
        };
        ctx.store.article_by_id(draft.id).unwrap().unwrap()
    };
    let made = |title: &str, md: &str, tags: &[&str], fields: Option<EventFields>| {
        made_in("en", title, md, tags, fields)
    };
    let article = made(
        "Gardens on the roofs",
        "The city plants **gardens** on its roofs.\n\n## What grows\n\n- tomatoes\n- beans\n\n\
         > A quote from the mayor.\n\n```\ncode, kept as it is\n```\n\n[The plan](https://example.org/plan).",
        &["Gardens", "City"],
        None,
    );
    let event = made(
        "Seed swap",
        "Bring seeds, take seeds.",
        &["Gardens"],
        Some(evening(10, EventStatus::Confirmed, Some(30))),
    );
    let cancelled = made(
        "Compost workshop",
        "Learn to compost.",
        &["Gardens"],
        Some(evening(12, EventStatus::Cancelled, None)),
    );
    made(
        "Last year's harvest",
        "It was a good year.",
        &["Gardens"],
        Some(evening(-20, EventStatus::Confirmed, None)),
    );
    // Tentative, online, each participant approved by the organizer.
    let mut online = evening(15, EventStatus::Tentative, Some(2));
    online.join_mode = JoinMode::Restricted;
    online.online_url = "https://meet.example/gardens".into();
    let tentative = made(
        "Seed library, maybe",
        "If enough people come.",
        &["Gardens"],
        Some(online),
    );
    // In another language than the site's: the page's lang follows.
    let french = made_in(
        "fr",
        "Les jardins sur les toits",
        "La ville plante des **jardins** sur ses toits.",
        &["Gardens"],
        None,
    );
    let gone = made("Withdrawn", "Soon gone.", &[], None);
    publish::delete(&ctx, &gone, now).unwrap();

    let base = ctx.config.base_url.trim_end_matches('/');
    let url = format!("{base}/articles/{}/", article.slug);
    ctx.store
        .insert_comment(&comment(&article, 1, &url, ""))
        .unwrap();
    let first_id = "https://m.example/users/u1/statuses/1";
    ctx.store
        .insert_comment(&comment(&article, 2, first_id, ""))
        .unwrap();
    ctx.store
        .insert_comment(&comment(&article, 3, first_id, "Spoilers: the ending"))
        .unwrap();
    for (i, kind) in ["like", "like", "announce"].iter().enumerate() {
        ctx.store
            .add_reaction(
                &format!("https://m.example/activities/{i}"),
                kind,
                &format!("https://m.example/users/r{i}"),
                &url,
                article.id,
                now,
            )
            .unwrap();
    }
    let mut held = comment(&article, 4, &url, "");
    held.state = CommentState::Held;
    ctx.store.insert_comment(&held).unwrap();
    ctx.store
        .insert_flag(
            Some("https://m.example/flags/1"),
            "https://m.example/users/moderator",
            "Spam, surely.",
            &["https://m.example/users/u2/statuses/2".to_string()],
            now,
        )
        .unwrap();
    for (n, name) in ["Bea", "Chloé"].iter().enumerate() {
        ctx.store
            .join_event(
                event.id,
                &format!("https://m.example/users/p{n}"),
                &format!("p{n}@m.example"),
                name,
                &format!("https://m.example/joins/{n}"),
                "web",
                false,
                Some(30),
                now,
            )
            .unwrap();
    }
    ctx.store
        .join_event(
            tentative.id,
            "https://m.example/users/p9",
            "p9@m.example",
            "Dana",
            "https://m.example/joins/9",
            "fediverse",
            true,
            Some(2),
            now,
        )
        .unwrap();
    rerender(&ctx, &article.slug);
    rerender(&ctx, &event.slug);
    rerender(&ctx, &tentative.slug);

    // Under review from now on: one article waits for an admin.
    let config = std::fs::read_to_string(&site.config).unwrap();
    let config = config.replacen("workflow = \"direct\"", "workflow = \"review\"", 1);
    std::fs::write(&site.config, config).unwrap();
    let ctx = Context::open(&site.config).unwrap();
    let waiting = edit("Waiting for a look", "", "Please read me.", &[]);
    let (draft, _) = publish::create_draft(&ctx, &author, &waiting, "key-waiting", now).unwrap();
    publish::publish(&ctx, &draft, &waiting, now).unwrap();
    Made {
        article,
        french,
        tentative,
        event,
        cancelled,
        gone,
    }
}

/// The first `pattern` folder (`tags/*/`) of the docroot with a page.
fn first_page(site: &Site, under: &str, depth: usize) -> String {
    let mut dirs = vec![site.docroot.join(under)];
    for _ in 0..depth {
        let mut next: Vec<PathBuf> = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).unwrap_or_else(|e| panic!("{}: {e}", d.display())))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        next.sort();
        dirs = next;
    }
    let dir = dirs
        .into_iter()
        .find(|d| d.join("index.html").is_file())
        .unwrap_or_else(|| panic!("no page under {under}"));
    format!("/{}/", dir.strip_prefix(&site.docroot).unwrap().display())
}

/// A site whose admin is alice, of the fake remote.
fn admin_site() -> (Site, Apache, Remote) {
    // Named as a real site would be: the admin pages are the README's
    // screenshots.
    let site = federating_site_with(|c| {
        c.replacen("title = \"Test site\"", "title = \"Community gardens\"", 1)
    });
    let apache = Apache::start(&site);
    let remote = Remote::start(our_public_key(&apache));
    let config = std::fs::read_to_string(&site.config).unwrap();
    // The last `handles = []` is [admin]'s.
    let at = config.rfind("handles = []").unwrap();
    let config = format!(
        "{}handles = [\"alice@{}\"]{}",
        &config[..at],
        remote.host(),
        &config[at + "handles = []".len()..]
    );
    std::fs::write(&site.config, config).unwrap();
    (site, apache, remote)
}

/// The link a DM holds, after `marker` (`/login/link?token=`), whole.
fn link_in(dm: &Value, marker: &str) -> String {
    let content = dm["object"]["content"].as_str().unwrap_or_default();
    let at = content
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {content}"));
    let start = content[..at].rfind("http").unwrap_or(at);
    let end = content[at..]
        .find(['"', '<', ' '])
        .map_or(content.len(), |n| at + n);
    content[start..end].replace("&amp;", "&")
}

/// The path and query of `url`, opened on the test's Apache: the site's
/// public address (`https://example.org`) is not reachable from here.
fn on(origin: &str, url: &str) -> String {
    let path = url
        .strip_prefix("https://example.org")
        .unwrap_or_else(|| panic!("{url} is not on the site"));
    format!("{origin}{path}")
}

/// Submits the form of `button` as that button would, past the browser's
/// own checks of required fields: the server's answer to a bad form is
/// the page audited.
fn submit(browser: &Chromium, button: &str) {
    let found = browser
        .eval(&format!(
            "(() => {{ const b = document.querySelector({}); if (!b) return false; \
             b.form.noValidate = true; return true; }})()",
            json!(button)
        ))
        .unwrap();
    assert_eq!(found, json!(true), "no {button} in {}", shown(browser));
    browser.click_and_wait(button).unwrap();
}

/// The `id` of the first reply on the article page at `page`.
fn first_reply_anchor(browser: &Chromium, origin: &str, page: &str) -> String {
    browser.navigate(&on(origin, page)).unwrap();
    let id = browser
        .eval("(document.querySelector('[id^=comment-]') || {}).id || ''")
        .unwrap();
    let id = id.as_str().unwrap_or_default().to_string();
    assert!(!id.is_empty(), "no reply on {page}: {}", shown(browser));
    id
}

/// Logs alice in, in the browser, as she would, auditing each step: the
/// login form (refused once), a link opened in another browser (which
/// asks for the pairing code), the waiting page and the link's own page;
/// then by the code she sends the site, the page that waits for it and
/// moves on by itself, without a timed refresh, once the code has come.
fn log_in(report: &mut Report, browser: &Chromium, axe: &str, origin: &str, remote: &Remote) {
    let url = format!("{origin}/login");
    report.visit(browser, axe, &url, "login", "#handle");
    // Regression: the site's handle, as HTML, was the field's value (and
    // its end stray text on the page).
    let value = "document.getElementById('handle').value";
    assert_eq!(
        browser.eval(value).unwrap(),
        json!(""),
        "{}",
        shown(browser)
    );
    browser.type_into("#handle", "not a handle").unwrap();
    submit(browser, "button[name=method][value=link]");
    report.expect(browser, "login refused", "#login-error");
    assert_eq!(browser.eval(value).unwrap(), json!("not a handle"));
    report.check(browser, axe, "login refused");

    // A link opened where it was not asked for: the pairing code is needed.
    let ask_link = |report: &mut Report| {
        report.visit(browser, axe, &url, "login", "#handle");
        let before = remote.received().len();
        browser.type_into("#handle", &remote.handle()).unwrap();
        browser
            .click_and_wait("button[name=method][value=link]")
            .unwrap();
        report.expect(browser, "login wait", "#pair-code");
        report.check(browser, axe, "login wait");
        let got = remote.wait_for(before + 1);
        format!("{origin}/login/link?token={}", token_in(&got[before]))
    };
    let link = ask_link(report);
    browser
        .send("Network.clearBrowserCookies", json!({}))
        .unwrap();
    report.visit(browser, axe, &link, "login link elsewhere", "#pair");
    let link = ask_link(report);
    let form = "form[action$='/login/link']";
    report.visit(browser, axe, &link, "login link", form);

    report.visit(browser, axe, &url, "login", "#handle");
    browser.type_into("#handle", &remote.handle()).unwrap();
    browser
        .click_and_wait("button[name=method][value=code]")
        .unwrap();
    report.expect(browser, "login by code", "#dm-code");
    report.check(browser, axe, "login by code");
    let code = browser
        .eval("document.getElementById('dm-code').textContent.trim()")
        .unwrap();
    let site_actor = "https://example.org/actor";
    let note = format!("{}/statuses/1", remote.actor());
    let dm = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"), "type": "Create", "actor": remote.actor(),
        "to": [site_actor], "cc": [],
        "object": {
            "id": note, "type": "Note", "attributedTo": remote.actor(),
            "to": [site_actor], "cc": [],
            "content": format!("<p>@site here it is: {}</p>", code.as_str().unwrap_or_default()),
            "tag": [{"type": "Mention", "href": site_actor, "name": "@site@example.org"}],
        },
    });
    let (status, response) = remote.post(
        report.apache,
        "/inbox",
        &dm,
        &remote.key,
        jiff::Timestamp::now(),
    );
    assert_eq!(status, 202, "{response}\n{}", report.apache.error_log());
    browser
        .wait_for(
            "location.pathname === '/editor/'",
            std::time::Duration::from_secs(20),
        )
        .unwrap_or_else(|err| panic!("{err}\n{}", shown(browser)));
}

#[test]
fn every_page_type_passes_axe_with_zero_violations() {
    let axe = axe_source();
    let (site, apache, remote) = admin_site();
    let made = fill(&site, &remote);
    give_to_apache(&site);
    std::fs::write(site.docroot.join("a11y-control.html"), CONTROL).unwrap();
    let origin = format!("http://{}", apache.address);
    let browser = browser();

    // The control: axe runs, and sees what it must.
    let mut control = Report::new(&apache);
    let url = format!("{origin}/a11y-control.html");
    control.visit(&browser, &axe, &url, "control", "main");
    let seen = control.failures.join("\n");
    for rule in ["html-has-lang", "image-alt", "label"] {
        assert!(
            seen.contains(&format!("] {rule} (")),
            "axe did not report {rule} on the control page:\n{seen}"
        );
    }
    assert!(
        seen.contains("reflow at 320px: ") && seen.contains("px wide: div"),
        "the reflow check did not see the wide block:\n{seen}"
    );

    let mut report = Report::new(&apache);
    // What readers read: static files.
    let pages = [
        ("home", "/".to_string(), ".site-main"),
        (
            "article",
            format!("/articles/{}/", made.article.slug),
            ".comments .reactions",
        ),
        (
            "article in French",
            format!("/articles/{}/", made.french.slug),
            "html[lang=fr] main",
        ),
        ("event", format!("/events/{}/", made.event.slug), "main"),
        (
            "cancelled event",
            format!("/events/{}/", made.cancelled.slug),
            "main",
        ),
        (
            "tentative event",
            format!("/events/{}/", made.tentative.slug),
            "main",
        ),
        (
            "events list",
            "/events/".to_string(),
            ".event-card--cancelled",
        ),
        (
            "past events",
            "/events/past/".to_string(),
            ".event-card--past",
        ),
        ("events by tag", first_page(&site, "events/tags", 1), "main"),
        ("events by month", first_page(&site, "events", 2), "main"),
        ("archive index", "/archive/".to_string(), "main"),
        ("archive month", first_page(&site, "archive", 2), "main"),
        ("tag", first_page(&site, "tags", 1), "main"),
        ("author", first_page(&site, "authors", 1), "main"),
        ("not found", "/404.html".to_string(), "main"),
        ("gone", format!("/articles/{}/", made.gone.slug), "main"),
        ("rules", "/rules/".to_string(), "#publishing"),
    ];
    for (name, path, expect) in &pages {
        report.visit(&browser, &axe, &format!("{origin}{path}"), name, expect);
    }
    // A reader takes part in an event, by handle: the form, the waiting
    // page, the confirmation from the DM's link, the outcome.
    let url = format!("{origin}/events/{}/join", made.event.slug);
    report.visit(&browser, &axe, &url, "event registration", "#handle");
    let before = remote.received().len();
    browser.type_into("#handle", &remote.handle()).unwrap();
    browser.click_and_wait("main form button").unwrap();
    report.expect(&browser, "event registration wait", "#pair-code");
    report.check(&browser, &axe, "event registration wait");
    let got = remote.wait_for(before + 1);
    let link = link_in(&got[before].body, "/join/confirm?token=");
    let url = on(&origin, &link);
    report.visit(
        &browser,
        &axe,
        &url,
        "event registration confirm",
        "main form",
    );
    browser.click_and_wait("main form button").unwrap();
    report.expect(&browser, "event registration done", "#outcome");
    report.check(&browser, &axe, "event registration done");

    // An author's pages, logged in as she would, then the admin's.
    log_in(&mut report, &browser, &axe, &origin, &remote);
    report.expect(&browser, "editor list", "#events");
    report.check(&browser, &axe, "editor list");
    // The editors refuse a form with what is wrong, and preview.
    let url = format!("{origin}/editor/new");
    report.visit(&browser, &axe, &url, "article editor", "#title");
    submit(&browser, "button[name=action][value=publish]");
    report.expect(&browser, "article editor refused", ".form-error");
    report.check(&browser, &axe, "article editor refused");
    let url = format!("{origin}/editor/{}", made.article.id);
    report.visit(&browser, &axe, &url, "article editor", "#title");
    submit(&browser, "button[name=action][value=preview]");
    report.expect(&browser, "article preview", "#title");
    report.check(&browser, &axe, "article preview");
    let url = format!("{origin}/editor/events/new");
    report.visit(&browser, &axe, &url, "event editor", "#start_date");
    browser.type_into("#title", "A date missing").unwrap();
    submit(&browser, "button[name=action][value=publish]");
    report.expect(&browser, "event editor refused", ".form-error");
    report.check(&browser, &axe, "event editor refused");
    for (name, path, expect) in [
        ("article editor (new)", "/editor/new".to_string(), "#title"),
        (
            "article editor",
            format!("/editor/{}", made.article.id),
            "#title",
        ),
        (
            "event editor (new)",
            "/editor/events/new".to_string(),
            "#start_date",
        ),
        (
            "event editor",
            format!("/editor/events/{}", made.event.id),
            "#start_date",
        ),
        (
            "participants",
            format!("/editor/events/{}/participants", made.event.id),
            "#participation-summary",
        ),
        (
            "participants to approve",
            format!("/editor/events/{}/participants", made.tentative.id),
            "[data-state=pending]",
        ),
        (
            "message (not found)",
            "/editor/999999".to_string(),
            "main h1",
        ),
        ("admin", "/admin/".to_string(), "#review"),
        ("admin health", "/admin/health".to_string(), "#version"),
        (
            "admin settings",
            "/admin/settings".to_string(),
            "#languages",
        ),
    ] {
        report.visit(&browser, &axe, &format!("{origin}{path}"), name, expect);
        if name == "admin" {
            screenshot(&browser, "admin.png");
        }
        if name == "admin health" {
            screenshot(&browser, "admin-health.png");
        }
        if name == "admin settings" {
            screenshot(&browser, "admin-settings.png");
        }
    }
    // Settings refused: the form again, with what is wrong.
    browser
        .type_into("#languages", "en, not a language")
        .unwrap();
    browser
        .click_and_wait("form[action$='/admin/settings'] button[type=submit]")
        .unwrap();
    report.expect(&browser, "admin settings refused", "#settings-errors");
    report.check(&browser, &axe, "admin settings refused");
    // The confirmations before a delete, the author's and the admin's.
    browser
        .navigate(&format!("{origin}/editor/{}", made.cancelled.id))
        .unwrap();
    browser
        .click_and_wait("form.form--danger button[value=delete]")
        .unwrap();
    report.expect(&browser, "editor delete confirmation", "main form");
    report.check(&browser, &axe, "editor delete confirmation");
    browser.navigate(&format!("{origin}/admin/")).unwrap();
    browser
        .click_and_wait("[id^=published-] button[value=delete]")
        .unwrap();
    report.expect(&browser, "admin delete confirmation", "main form");
    report.check(&browser, &axe, "admin delete confirmation");
    // A reader reports a reply, then an article: refused without a
    // reason, then sent.
    let page = format!("https://example.org/articles/{}/", made.article.slug);
    let report_url = |reported: &str| {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("url", reported)
            .finish();
        format!("{origin}/report?{query}")
    };
    let comment = first_reply_anchor(&browser, &origin, &page);
    let url = report_url(&format!("{page}#{comment}"));
    report.visit(&browser, &axe, &url, "report a reply", ".report__excerpt");
    let url = report_url(&page);
    report.visit(
        &browser,
        &axe,
        &url,
        "report form",
        "form[action$='/report']",
    );
    submit(&browser, "form[action$='/report'] button[type=submit]");
    report.expect(&browser, "report refused", "#report-error");
    report.check(&browser, &axe, "report refused");
    browser
        .eval("document.querySelector('input[name=reason]').checked = true")
        .unwrap();
    browser
        .click_and_wait("form[action$='/report'] button[type=submit]")
        .unwrap();
    // The thanks: a message, no form and no error left.
    report.expect(&browser, "report sent", "main h1");
    let thanks = browser
        .eval("!document.querySelector('main form, .form-error')")
        .unwrap();
    assert_eq!(thanks, json!(true), "report not sent: {}", shown(&browser));
    report.check(&browser, &axe, "report sent");

    // The admin's tools, last: the export page, and the host doctor run
    // against the test's Apache (the site named by its loopback address,
    // so that nothing leaves this machine).
    let url = format!("{origin}/admin/export");
    report.visit(&browser, &axe, &url, "admin export", "#export-warning");
    let config = std::fs::read_to_string(&site.config).unwrap();
    let config = config.replacen(
        "base_url = \"https://example.org\"",
        &format!("base_url = \"{origin}\""),
        1,
    );
    std::fs::write(&site.config, config).unwrap();
    let url = format!("{origin}/admin/doctor");
    let run = "form[action$='/admin/doctor'] button";
    report.visit(&browser, &axe, &url, "admin doctor", run);
    browser.click_and_wait(run).unwrap();
    report.expect(&browser, "admin doctor results", "#doctor-summary");
    report.check(&browser, &axe, "admin doctor results");
    report.assert_clean();
}

/// The setup page of a fresh upload (only `affiche.cgi` and `.htaccess` in
/// the docroot), filled and sent in the browser with the secret read "by
/// FTP", once with a mistake; the page that says it is done. Screenshot:
/// `setup.png`.
#[test]
fn the_setup_pages_pass_axe_with_zero_violations() {
    let axe = axe_source();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("home");
    let docroot = root.join("public_html");
    std::fs::create_dir_all(&docroot).unwrap();
    let site = Site {
        config: root.join("affiche.toml"),
        docroot,
        dir,
    };
    let apache = Apache::start(&site);
    let origin = format!("http://{}", apache.address);
    let browser = browser();
    let mut report = Report::new(&apache);

    let url = format!("{origin}/affiche.cgi");
    report.visit(&browser, &axe, &url, "setup", "#secret");
    screenshot(&browser, "setup.png");
    let secret = std::fs::read_to_string(root.join("affiche/setup-secret.txt")).unwrap();
    // A wrong handle first: the form comes back with the error above it.
    browser.type_into("#secret", secret.trim()).unwrap();
    browser.type_into("#title", "Jardins partagés").unwrap();
    browser.type_into("#handle", "owner").unwrap();
    browser.click_and_wait("form button[type=submit]").unwrap();
    report.expect(&browser, "setup with an error", "#setup-errors");
    report.check(&browser, &axe, "setup with an error");
    browser.type_into("#secret", secret.trim()).unwrap();
    browser
        .type_into("#handle", "@owner@example.social")
        .unwrap();
    browser.click_and_wait("form button[type=submit]").unwrap();
    report.expect(&browser, "setup done", "#setup-done");
    report.check(&browser, &axe, "setup done");
    report.assert_clean();
}

/// A site in French: its pages and the program's are in French, say so
/// (`lang="fr"`, which axe cannot check against the words), and pass the
/// same checks, a refused form included.
#[test]
fn a_french_site_says_so_and_passes_axe_with_zero_violations() {
    let axe = axe_source();
    let site = Site::new();
    let config = std::fs::read_to_string(&site.config).unwrap();
    let config = config.replacen("language = \"en\"", "language = \"fr\"", 1);
    std::fs::write(&site.config, config).unwrap();
    let file = site.article(
        "jardins",
        "title = \"Les jardins\"\nslug = \"les-jardins\"\ntags = [\"Jardins\"]",
        "La ville plante des **jardins** sur ses toits.",
    );
    let output = site.import(&[file]);
    assert!(output.status.success(), "{}", crate::harness::text(&output));
    // The pages made by init, in English, made again in French.
    site.ok(&["rebuild"]);
    let apache = Apache::start(&site);
    let origin = format!("http://{}", apache.address);
    let browser = browser();
    // A reader whose browser asks for French: the program's pages too.
    let agent = browser.eval("navigator.userAgent").unwrap();
    browser
        .send(
            "Network.setUserAgentOverride",
            json!({"userAgent": agent, "acceptLanguage": "fr-FR,fr"}),
        )
        .unwrap();
    let mut report = Report::new(&apache);

    let reported = form_urlencoded::Serializer::new(String::new())
        .append_pair("url", "https://example.org/articles/les-jardins/")
        .finish();
    for (name, path, expect) in [
        ("accueil", "/".to_string(), "main"),
        ("article", "/articles/les-jardins/".to_string(), "main"),
        ("événements", "/events/".to_string(), "main"),
        ("archives", "/archive/".to_string(), "main"),
        ("introuvable", "/404.html".to_string(), "main"),
        ("connexion", "/login".to_string(), "#handle"),
        ("signalement", format!("/report?{reported}"), "main form"),
    ] {
        report.visit(&browser, &axe, &format!("{origin}{path}"), name, expect);
        let lang = browser.eval("document.documentElement.lang").unwrap();
        assert_eq!(lang, json!("fr"), "{name}: {}", shown(&browser));
    }
    browser.navigate(&format!("{origin}/login")).unwrap();
    browser.type_into("#handle", "pas un compte").unwrap();
    submit(&browser, "button[name=method][value=link]");
    report.expect(&browser, "connexion refusée", "#login-error");
    let lang = browser.eval("document.documentElement.lang").unwrap();
    assert_eq!(lang, json!("fr"), "{}", shown(&browser));
    report.check(&browser, &axe, "connexion refusée");
    report.assert_clean();
}
