//! An author's whole path in a real headless Chromium, driven through the
//! DevTools protocol ([`crate::cdp`]): the login form, the link from the
//! DM, the editor, Publish and the published article, with screenshots of
//! the login page, the editor and the article in `target/screenshots/`.
//!
//! Every form is filled and submitted by the browser itself: the fields
//! are typed (`Input.insertText`), the buttons clicked, the cookies kept by
//! Chromium. The test only reads what arrived at the fake Mastodon (the DM
//! with the link, the Create of the article) and what the pages show.
//!
//! The site's public address is `https://example.org`, which the browser
//! cannot reach: the links it makes (in the DM, "view the page") are
//! checked as they are, then opened at the same path on the test's Apache.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::apache::Apache;
use crate::authors::{setup, token_in};
use crate::cdp::{Chromium, HEIGHT, WIDTH};
use crate::remote::{Received, Remote};

const TITLE: &str = "Seen in a real browser";
const SLUG: &str = "seen-in-a-real-browser";
const BODY: &str = "A paragraph with **bold** words.\n\n- one\n- two\n\n> A quote.";
const TAGS: &str = "Browsers";

fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// Saves a screenshot as `name` (of the whole page with `full_page`) and
/// checks it is a real picture: a PNG of the page's width, at least as tall
/// as the window, with more than a handful of colours.
fn screenshot(browser: &Chromium, name: &str, full_page: bool) {
    let file = screenshots_dir().join(name);
    let _ = std::fs::remove_file(&file);
    let bytes = browser.screenshot(&file, full_page).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "{name} was not saved");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{name} is not a PNG"
    );
    assert!(bytes.len() > 5_000, "{name} is only {} bytes", bytes.len());
    let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
    let (width, height) = image.dimensions();
    assert_eq!(width, WIDTH, "{name}");
    if full_page {
        assert!(
            (HEIGHT..20 * HEIGHT).contains(&height),
            "{name}: {height}px tall"
        );
    } else {
        assert_eq!(height, HEIGHT, "{name}");
    }
    let mut colours: Vec<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 16,
        "{name} is nearly blank ({} colours)",
        colours.len()
    );
}

/// The page's path and query, as the browser's address bar has them.
fn location(browser: &Chromium) -> String {
    let here = browser.eval("location.pathname + location.search").unwrap();
    here.as_str().unwrap_or_default().to_string()
}

/// The text the page shows (its `innerText`).
fn page_text(browser: &Chromium) -> String {
    let text = browser.eval("document.body.innerText").unwrap();
    text.as_str().unwrap_or_default().to_string()
}

/// Runs `js` and returns a string result (empty for null).
fn string(browser: &Chromium, js: &str) -> String {
    match browser.eval(js).unwrap() {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What a form looks like to the browser: its method and action, and the
/// name, type and value of every control, in order. (Attributes, not
/// `form.method`: a control named `method` shadows that property.)
fn form(browser: &Chromium, selector: &str) -> Value {
    browser
        .eval(&format!(
            "(() => {{ const f = document.querySelector({}); if (!f) return null; \
             return {{ method: f.getAttribute('method'), \
             action: new URL(f.getAttribute('action'), location.href).pathname, \
             controls: Array.from(f.elements).map(e => ({{ tag: e.tagName.toLowerCase(), \
             name: e.name, type: e.type, value: e.value, required: e.required, \
             text: e.textContent.trim() }})) }}; }})()",
            json!(selector)
        ))
        .unwrap()
}

/// The control `name` (with `value`, for buttons) of a [`form`].
fn control<'a>(form: &'a Value, name: &str, value: Option<&str>) -> &'a Value {
    form["controls"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name && value.is_none_or(|v| c["value"] == v))
        .unwrap_or_else(|| panic!("no control {name} {value:?} in {form:#}"))
}

/// Waits until the fake holds a Create of `object_id`.
fn wait_create(remote: &Remote, object_id: &str) -> Received {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = remote
            .received()
            .into_iter()
            .find(|r| r.body["type"] == "Create" && r.body["object"]["id"] == object_id);
        if let Some(found) = found {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "no Create of {object_id} arrived: {:#?}",
            remote.received()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// What to print when a step fails: where the browser is and what it
/// shows, and both logs.
fn fail(apache: &Apache, browser: &Chromium, what: &str) -> String {
    format!(
        "{what}\nThe browser is at {} and shows:\n{}\nApache's error log:\n{}\nChromium's stderr:\n{}",
        browser
            .eval("location.href")
            .unwrap_or_else(|e| json!(e.to_string())),
        browser
            .eval("document.body ? document.body.innerText : ''")
            .map(|t| t.as_str().unwrap_or_default().to_string())
            .unwrap_or_default(),
        apache.error_log(),
        browser.stderr()
    )
}

#[test]
fn an_author_logs_in_writes_and_publishes_in_a_real_browser() {
    let (_site, apache, remote) = setup(|c| c);
    let origin = format!("http://{}", apache.address);
    let browser = Chromium::launch().unwrap();

    // The login form, as the browser sees it.
    browser.navigate(&format!("{origin}/login")).unwrap();
    assert_eq!(location(&browser), "/login");
    let login = form(&browser, "form[action$='/login']");
    assert_eq!(login["method"], "post", "{login:#}");
    assert_eq!(login["action"], "/login");
    let csrf = control(&login, "csrf", None);
    assert_eq!(csrf["type"], "hidden");
    assert_eq!(csrf["value"].as_str().unwrap().len(), 43, "{csrf}");
    let handle = control(&login, "handle", None);
    assert_eq!(handle["type"], "text");
    assert_eq!(handle["required"], true);
    for method in ["link", "code"] {
        assert_eq!(control(&login, "method", Some(method))["type"], "submit");
    }
    screenshot(&browser, "login.png", false);

    // Alice types her handle and asks for a link: the browser posts the
    // form and lands on the waiting page, with the pairing code.
    let before = remote.received().len();
    browser.type_into("#handle", &remote.handle()).unwrap();
    assert_eq!(
        string(&browser, "document.getElementById('handle').value"),
        remote.handle()
    );
    browser
        .click_and_wait("button[name=method][value=link]")
        .unwrap();
    assert_eq!(
        location(&browser),
        "/login/wait",
        "{}",
        fail(&apache, &browser, "")
    );
    let pair = string(&browser, "document.getElementById('pair-code').textContent");
    let pair = pair.trim();
    assert_eq!(pair.len(), 9, "pair code {pair:?}");
    assert_eq!(pair.as_bytes()[4], b'-', "pair code {pair:?}");
    assert!(page_text(&browser).contains("Check your messages"));
    let cookies = browser.cookies().unwrap();
    assert!(
        cookies.contains_key("affiche_login"),
        "the browser did not keep the pending-login cookie: {cookies:#?}"
    );

    // The DM that arrived holds the link; the same browser opens it.
    let got = remote.wait_for(before + 1);
    assert_eq!(
        got.len(),
        before + 1,
        "{}",
        fail(&apache, &browser, "the login DM did not arrive")
    );
    let dm = &got[before];
    assert_eq!(dm.verified, Ok(()), "our signature did not verify");
    let token = token_in(dm);
    let link = format!("https://example.org/login/link?token={token}");
    assert!(
        dm.body["object"]["content"]
            .as_str()
            .unwrap()
            .contains(&link),
        "{}",
        dm.body
    );
    browser
        .navigate(&format!("{origin}/login/link?token={token}"))
        .unwrap();
    let confirm = form(&browser, "form[action$='/login/link']");
    assert_eq!(confirm["method"], "post", "{confirm:#}");
    assert_eq!(control(&confirm, "token", None)["value"], token.as_str());
    assert!(
        confirm["controls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "pair"),
        "the browser that asked needs no code: {confirm:#}"
    );
    assert!(
        !browser.cookies().unwrap().contains_key("affiche_session"),
        "opening the link logged in before the button was pressed"
    );
    browser
        .click_and_wait("form[action$='/login/link'] button[type=submit]")
        .unwrap();
    assert_eq!(
        location(&browser),
        "/editor/",
        "{}",
        fail(&apache, &browser, "")
    );
    let list = page_text(&browser);
    assert!(list.contains("My articles"), "{list}");
    assert!(list.contains(&remote.handle()), "{list}");
    assert!(browser.cookies().unwrap().contains_key("affiche_session"));

    // A new article, typed into the editor's fields.
    browser.click_and_wait("a[href$='/editor/new']").unwrap();
    assert_eq!(location(&browser), "/editor/new");
    let editor = form(&browser, "form[action$='/editor/new']");
    assert_eq!(editor["method"], "post", "{editor:#}");
    for (field, tag) in [
        ("title", "input"),
        ("body", "textarea"),
        ("summary", "textarea"),
        ("tags", "input"),
        ("lang", "input"),
    ] {
        assert_eq!(control(&editor, field, None)["tag"], tag, "{field}");
    }
    for action in ["preview", "save", "publish"] {
        assert_eq!(control(&editor, "action", Some(action))["type"], "submit");
    }
    let form_key = control(&editor, "form_key", None);
    assert_eq!(form_key["type"], "hidden");
    assert!(
        form_key["value"].as_str().unwrap().len() >= 20,
        "{form_key}"
    );
    for (selector, text) in [("#title", TITLE), ("#body", BODY), ("#tags", TAGS)] {
        browser.type_into(selector, text).unwrap();
        let typed = string(
            &browser,
            &format!("document.querySelector({}).value", json!(selector)),
        );
        assert_eq!(typed, text, "{selector}");
    }
    // The whole form, from the top, as the author sees it before Publish.
    browser
        .eval("document.activeElement.blur(); window.scrollTo(0, 0)")
        .unwrap();
    screenshot(&browser, "editor.png", true);

    // Publish: the browser follows the redirect back to the editor, which
    // links to the page.
    browser
        .click_and_wait("button[name=action][value=publish]")
        .unwrap();
    let here = location(&browser);
    assert!(
        here.starts_with("/editor/") && here.ends_with("?notice=published"),
        "{}",
        fail(&apache, &browser, &format!("landed at {here}"))
    );
    assert!(page_text(&browser).contains("Published"));
    let url = format!("https://example.org/articles/{SLUG}/");
    let view = string(
        &browser,
        "Array.from(document.links).find(a => a.textContent === 'view the page')?.href",
    );
    assert_eq!(view, url, "the editor does not link to the page");
    browser
        .navigate(&format!("{origin}/articles/{SLUG}/"))
        .unwrap();
    // The byline's avatar is `loading="lazy"`: it need not be there at the
    // load event, so wait for the picture itself before looking.
    let avatar_loaded = browser.wait_for(
        "(() => { const i = document.querySelector('img.u-photo.avatar'); \
         return !!i && i.complete && i.naturalWidth > 0; })()",
        Duration::from_secs(20),
    );
    assert_eq!(
        string(&browser, "document.querySelector('h1.p-name')?.innerText"),
        TITLE
    );
    assert_eq!(
        string(
            &browser,
            "document.querySelector('.e-content strong')?.innerText"
        ),
        "bold"
    );
    assert_eq!(
        string(
            &browser,
            "document.querySelector('.p-author .p-name')?.innerText"
        ),
        "Alice",
        "no author's name in the byline"
    );
    assert_eq!(
        string(&browser, "document.querySelector('.p-category')?.innerText"),
        TAGS
    );
    let avatar = browser
        .eval(
            "(() => { const i = document.querySelector('img.u-photo.avatar'); \
             return i && { path: new URL(i.src).pathname, width: i.naturalWidth }; })()",
        )
        .unwrap();
    assert!(
        avatar["path"]
            .as_str()
            .unwrap_or_default()
            .starts_with("/media/"),
        "the byline's avatar is not the copy: {avatar}"
    );
    assert!(
        avatar_loaded.is_ok() && avatar["width"].as_u64().unwrap_or_default() > 0,
        "the avatar did not load: {avatar} {avatar_loaded:?}"
    );
    screenshot(&browser, "article.png", false);

    // The fediverse was told, mentioning alice.
    let create = wait_create(&remote, &url);
    assert_eq!(create.verified, Ok(()));
    assert_eq!(create.body["actor"], "https://example.org/actor");
    let mentioned = create.body["object"]["tag"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|t| t["type"] == "Mention" && t["href"] == remote.actor());
    assert!(
        mentioned,
        "the Create does not mention alice: {}",
        create.body
    );
}
