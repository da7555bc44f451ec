//! The login and editor pages in a real headless Chromium, with
//! screenshots of the login page, the editor and the published article in
//! `target/screenshots/`.
//!
//! Chromium's command line can load a page, print its DOM (`--dump-dom`)
//! and take a screenshot (`--screenshot`), but it cannot click, type, or
//! take a cookie; driving it through the DevTools protocol would need a
//! WebSocket client, which the tree does not have. So the test splits the
//! work honestly:
//!
//! - Chromium loads every page a browser without a session can load, from
//!   the real Apache: the login form, the login link's confirmation page
//!   (a GET by a real browser must not log in nor spend the token: the test
//!   logs in with that token afterwards), and the published article.
//! - What only a logged-in author sees (the editor) is fetched by the
//!   test's cookie-keeping client ([`crate::authors::Browser`]) and saved
//!   as it came, byte for byte, as a test-only file of the docroot: Chromium
//!   renders that copy from the same origin, so with the site's stylesheet.
//! - The form posts are made by the client, with the field names and
//!   hidden values read from the DOM Chromium parsed, not from the raw
//!   HTML: the form that is submitted is the form a browser sees.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::apache::Apache;
use crate::authors::{Browser, ask_for_link, log_in, setup, token_in, unescape};

const CHROMIUM: &str = "/usr/bin/chromium";

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1024,900",
    "--blink-settings=preferredColorScheme=1",
    "--virtual-time-budget=10000",
];

/// Runs Chromium on `url` with `extra` flags in a fresh profile; returns
/// its standard output (the DOM, with `--dump-dom`).
fn chromium(url: &str, extra: &[&str]) -> String {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
    );
    let profile = tempfile::tempdir().unwrap();
    let out = profile.path().join("stdout");
    let err = profile.path().join("stderr");
    let mut child = Command::new(CHROMIUM)
        .args(FLAGS)
        .args(extra)
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "Chromium did not finish {url} in 60 s:\n{}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "Chromium failed on {url} ({status}):\n{}",
        std::fs::read_to_string(&err).unwrap_or_default()
    );
    std::fs::read_to_string(&out).unwrap()
}

fn dump_dom(apache: &Apache, path: &str) -> String {
    let dom = chromium(&format!("http://{}{path}", apache.address), &["--dump-dom"]);
    assert!(dom.contains("</html>"), "no DOM for {path}: {dom}");
    dom
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves a screenshot of `path` as `name` and checks it is a real picture:
/// a PNG of the window's size with more than a handful of colours.
fn screenshot(apache: &Apache, path: &str, name: &str) -> PathBuf {
    let file = screenshots_dir().join(name);
    let _ = std::fs::remove_file(&file);
    chromium(
        &format!("http://{}{path}", apache.address),
        &[&format!("--screenshot={}", file.display())],
    );
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{name} is not a PNG"
    );
    assert!(bytes.len() > 5_000, "{name} is only {} bytes", bytes.len());
    let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), (1024, 900), "{name}");
    let mut colours: Vec<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 16,
        "{name} is nearly blank ({} colours)",
        colours.len()
    );
    file
}

/// The attributes of the first `<tag …>` of `dom` whose attributes contain
/// `marker`, as (name, value) pairs.
fn element(dom: &str, tag: &str, marker: &str) -> Vec<(String, String)> {
    let open = format!("<{tag} ");
    let found = dom
        .split(&open)
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .find(|attrs| attrs.contains(marker))
        .unwrap_or_else(|| panic!("no <{tag}> with {marker} in:\n{dom}"));
    let mut attrs = Vec::new();
    let mut rest = found;
    while let Some((name, after)) = rest.split_once("=\"") {
        let Some((value, tail)) = after.split_once('"') else {
            break;
        };
        let name = name.trim().rsplit(' ').next().unwrap_or_default();
        attrs.push((name.to_string(), unescape(value)));
        rest = tail;
    }
    attrs
}

fn attr(attrs: &[(String, String)], name: &str) -> String {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The value of the hidden input `name` in the DOM.
fn hidden(dom: &str, name: &str) -> String {
    let input = element(dom, "input", &format!("name=\"{name}\""));
    assert_eq!(attr(&input, "type"), "hidden", "{input:?}");
    attr(&input, "value")
}

#[test]
fn login_editor_and_article_in_a_real_browser() {
    let (site, apache, remote) = setup(|c| c);

    // The login form, as Chromium sees it.
    let login = dump_dom(&apache, "/login");
    let form = element(&login, "form", "action=\"/login\"");
    assert_eq!(attr(&form, "method"), "post");
    assert_eq!(hidden(&login, "csrf").len(), 43);
    let handle = element(&login, "input", "name=\"handle\"");
    assert_eq!(attr(&handle, "type"), "text");
    assert!(login.contains("required"), "{handle:?}");
    for method in ["link", "code"] {
        let button = element(&login, "button", &format!("value=\"{method}\""));
        assert_eq!(attr(&button, "name"), "method");
        assert_eq!(attr(&button, "type"), "submit");
    }
    screenshot(&apache, "/login", "login.png");

    // The link from the DM opened in Chromium: a page with a button that
    // asks this other browser for the pairing code; nothing is spent.
    let mut author = Browser::new(&apache);
    let (dm, _pair) = ask_for_link(&apache, &remote, &mut author);
    let token = token_in(&dm);
    let confirm = dump_dom(&apache, &format!("/login/link?token={token}"));
    let form = element(&confirm, "form", "action=\"/login/link\"");
    assert_eq!(attr(&form, "method"), "post");
    assert_eq!(hidden(&confirm, "token"), token);
    assert!(
        confirm.contains("name=\"pair\""),
        "Chromium is another browser"
    );
    screenshot(
        &apache,
        &format!("/login/link?token={token}"),
        "login-link.png",
    );
    // Two Chromium loads later, the link still logs its own browser in.
    let page = author.get(&format!("/login/link?token={token}"));
    let done = author.post(
        "/login/link",
        &[("csrf", &page.field("csrf")), ("token", &token)],
    );
    assert_eq!(done.status, 303, "Chromium's GET spent the link: {done:?}");
    assert_eq!(author.get("/editor/").status, 200);
    drop(author);

    // The editor: fetched with the session, rendered by Chromium.
    let mut alice = log_in(&apache, &remote);
    let editor = alice.get("/editor/new");
    assert_eq!(editor.status, 200, "{editor:?}");
    std::fs::write(site.docroot.join("editor-snapshot.html"), &editor.body).unwrap();
    let dom = dump_dom(&apache, "/editor-snapshot.html");
    let form = element(&dom, "form", "action=\"/editor/new\"");
    assert_eq!(attr(&form, "method"), "post");
    for field in ["title", "tags", "lang"] {
        element(&dom, "input", &format!("name=\"{field}\""));
    }
    for field in ["body", "summary"] {
        element(&dom, "textarea", &format!("name=\"{field}\""));
    }
    for action in ["preview", "save", "publish"] {
        let button = element(&dom, "button", &format!("value=\"{action}\""));
        assert_eq!(attr(&button, "name"), "action");
    }
    let (csrf, form_key) = (hidden(&dom, "csrf"), hidden(&dom, "form_key"));
    assert!(form_key.len() >= 20, "{form_key:?}");
    screenshot(&apache, "/editor-snapshot.html", "editor.png");
    std::fs::remove_file(site.docroot.join("editor-snapshot.html")).unwrap();

    // Publish with what the browser's form holds.
    let published = alice.post(
        "/editor/new",
        &[
            ("csrf", &csrf),
            ("form_key", &form_key),
            ("title", "Seen in a real browser"),
            (
                "body",
                "A paragraph with **bold** words.\n\n- one\n- two\n\n> A quote.",
            ),
            ("summary", ""),
            ("tags", "Browsers"),
            ("lang", "en"),
            ("action", "publish"),
        ],
    );
    assert_eq!(
        published.status,
        303,
        "{published:?}\n{}",
        apache.error_log()
    );
    let article = dump_dom(&apache, "/articles/seen-in-a-real-browser/");
    assert!(article.contains("Seen in a real browser</h1>"), "{article}");
    assert!(article.contains("<strong>bold</strong>"));
    let avatar = element(&article, "img", "u-photo avatar");
    assert!(
        attr(&avatar, "src").starts_with("/media/"),
        "the byline's avatar is not the copy: {avatar:?}"
    );
    screenshot(
        &apache,
        "/articles/seen-in-a-real-browser/",
        "published.png",
    );
    for name in ["login.png", "editor.png", "published.png"] {
        assert!(screenshots_dir().join(name).is_file(), "{name}");
    }
}
