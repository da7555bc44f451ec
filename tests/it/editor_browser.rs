//! An author's whole path in a real headless Chromium, driven through the
//! DevTools protocol ([`crate::cdp`]): the login form, the link from the
//! DM, the editor, Publish and the published article, with screenshots of
//! the login page, the editor and the article in `target/screenshots/`;
//! then an organizer's: "New event", the event editor filled for a morning
//! in Paris on the day the clocks go forward, Publish and the event's page
//! (its time, place, map, places left, calendar file and schema.org data),
//! with screenshots of the filled editor and the page.
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

const EVENT_TITLE: &str = "Breakfast as the clocks go forward";
const EVENT_SLUG: &str = "breakfast-as-the-clocks-go-forward";
const EVENT_BODY: &str =
    "Coffee and **croissants** on the morning summer time starts.\n\n- bring a mug\n- come early";
const EVENT_TAGS: &str = "Breakfast, Neighbours";

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

/// Logs alice in as a person would, in `browser`: the login form (its
/// fields checked, and screenshot as `shot` when given), her handle typed,
/// "Send me a link", the link from the DM that arrives opened in the same
/// browser and confirmed. Leaves the browser on her editor's list.
fn log_in(apache: &Apache, remote: &Remote, browser: &Chromium, shot: Option<&str>) {
    let origin = format!("http://{}", apache.address);
    // The login form, as the browser sees it.
    browser.navigate(&format!("{origin}/login")).unwrap();
    assert_eq!(location(browser), "/login");
    let login = form(browser, "form[action$='/login']");
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
    if let Some(shot) = shot {
        screenshot(browser, shot, false);
    }

    // Alice types her handle and asks for a link: the browser posts the
    // form and lands on the waiting page, with the pairing code.
    let before = remote.received().len();
    browser.type_into("#handle", &remote.handle()).unwrap();
    assert_eq!(
        string(browser, "document.getElementById('handle').value"),
        remote.handle()
    );
    browser
        .click_and_wait("button[name=method][value=link]")
        .unwrap();
    assert_eq!(
        location(browser),
        "/login/wait",
        "{}",
        fail(apache, browser, "")
    );
    let pair = string(browser, "document.getElementById('pair-code').textContent");
    let pair = pair.trim();
    assert_eq!(pair.len(), 9, "pair code {pair:?}");
    assert_eq!(pair.as_bytes()[4], b'-', "pair code {pair:?}");
    assert!(page_text(browser).contains("Check your messages"));
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
        fail(apache, browser, "the login DM did not arrive")
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
    let confirm = form(browser, "form[action$='/login/link']");
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
        location(browser),
        "/editor/",
        "{}",
        fail(apache, browser, "")
    );
    let list = page_text(browser);
    assert!(list.contains("My articles"), "{list}");
    assert!(list.contains(&remote.handle()), "{list}");
    assert!(browser.cookies().unwrap().contains_key("affiche_session"));
}

/// Types each text into its field, as a keyboard would, and checks the
/// field holds it.
fn fill(browser: &Chromium, fields: &[(&str, &str)]) {
    for (selector, text) in fields {
        browser.type_into(selector, text).unwrap();
        let typed = string(
            browser,
            &format!("document.querySelector({}).value", json!(selector)),
        );
        assert_eq!(typed, *text, "{selector}");
    }
}

/// Types into a date (`2026-03-29`) or time (`10:00`) field key by key, as
/// a person does: Chromium shows these as separate parts (month, day, year;
/// hour, minute and maybe AM/PM) in the order of its locale, and takes
/// their digits as they are typed; text pasted in whole is ignored. The
/// keys are worked out in the page, from the same locale.
fn key_in(browser: &Chromium, selector: &str, value: &str) {
    let keys = string(
        browser,
        &format!(
            "(() => {{ const el = document.querySelector({selector}); el.focus(); \
             const v = {value}; const time = el.type === 'time'; \
             const d = time ? new Date(2000, 0, 1, +v.slice(0, 2), +v.slice(3, 5)) \
               : new Date(+v.slice(0, 4), +v.slice(5, 7) - 1, +v.slice(8, 10)); \
             const options = time ? {{ hour: '2-digit', minute: '2-digit' }} \
               : {{ year: 'numeric', month: '2-digit', day: '2-digit' }}; \
             return new Intl.DateTimeFormat(navigator.language, options).formatToParts(d) \
               .filter(p => p.type !== 'literal') \
               .map(p => p.type === 'dayPeriod' ? p.value.slice(0, 1) : p.value).join(''); }})()",
            selector = json!(selector),
            value = json!(value),
        ),
    );
    assert!(!keys.is_empty(), "{selector}: no keys for {value}");
    for key in keys.chars() {
        let key = key.to_string();
        for kind in ["keyDown", "keyUp"] {
            let mut event = json!({"type": kind, "key": key});
            if kind == "keyDown" {
                event["text"] = json!(key);
            }
            browser.send("Input.dispatchKeyEvent", event).unwrap();
        }
    }
    let typed = string(
        browser,
        &format!("document.querySelector({}).value", json!(selector)),
    );
    assert_eq!(typed, value, "{selector}: typed {keys:?}");
}

/// The whole form, from the top, as the author sees it before Publish.
fn screenshot_form(browser: &Chromium, name: &str) {
    browser
        .eval("document.activeElement.blur(); window.scrollTo(0, 0)")
        .unwrap();
    screenshot(browser, name, true);
}

/// Clicks Publish: the browser follows the redirect back to the editor,
/// which says so and links to the page at `url`. Opens that page's path on
/// the test's Apache (the site's own address is out of reach).
fn publish_and_open(apache: &Apache, browser: &Chromium, url: &str) {
    browser
        .click_and_wait("button[name=action][value=publish]")
        .unwrap();
    let here = location(browser);
    assert!(
        here.starts_with("/editor/") && here.ends_with("?notice=published"),
        "{}",
        fail(apache, browser, &format!("landed at {here}"))
    );
    assert!(page_text(browser).contains("Published"));
    let view = string(
        browser,
        "Array.from(document.links).find(a => a.textContent === 'view the page')?.href",
    );
    assert_eq!(view, url, "the editor does not link to the page");
    let path = url.strip_prefix("https://example.org").unwrap();
    browser
        .navigate(&format!("http://{}{path}", apache.address))
        .unwrap();
    assert_eq!(location(browser), path, "{}", fail(apache, browser, ""));
}

#[test]
fn an_author_logs_in_writes_and_publishes_in_a_real_browser() {
    let (_site, apache, remote) = setup(|c| c);
    let browser = Chromium::launch().unwrap();
    log_in(&apache, &remote, &browser, Some("login.png"));

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
    fill(
        &browser,
        &[("#title", TITLE), ("#body", BODY), ("#tags", TAGS)],
    );
    screenshot_form(&browser, "editor.png");

    // Publish, then the page the editor links to.
    let url = format!("https://example.org/articles/{SLUG}/");
    publish_and_open(&apache, &browser, &url);
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

#[test]
fn an_organizer_creates_an_event_in_a_real_browser() {
    let (_site, apache, remote) = setup(|c| c);
    let browser = Chromium::launch().unwrap();
    log_in(&apache, &remote, &browser, None);

    // "New event", from the editor's list.
    browser
        .click_and_wait("a[href$='/editor/events/new']")
        .unwrap();
    assert_eq!(
        location(&browser),
        "/editor/events/new",
        "{}",
        fail(&apache, &browser, "")
    );
    let editor = form(&browser, "form[action$='/editor/events/new']");
    assert_eq!(editor["method"], "post", "{editor:#}");
    for (field, kind) in [
        ("title", "text"),
        ("body", "textarea"),
        ("all_day", "checkbox"),
        ("start_date", "date"),
        ("start_time", "time"),
        ("end_date", "date"),
        ("end_time", "time"),
        ("time_zone", "text"),
        ("place_name", "text"),
        ("street", "text"),
        ("city", "text"),
        ("country", "text"),
        ("latitude", "text"),
        ("longitude", "text"),
        ("capacity", "number"),
        ("join_mode", "select-one"),
        ("status", "select-one"),
        ("tags", "text"),
    ] {
        assert_eq!(control(&editor, field, None)["type"], kind, "{field}");
    }
    for action in ["preview", "save", "publish"] {
        assert_eq!(control(&editor, "action", Some(action))["type"], "submit");
    }

    // 10:00 to 12:00 in Paris on the day the clocks go forward (at 02:00):
    // already summer time, UTC+2.
    fill(
        &browser,
        &[
            ("#title", EVENT_TITLE),
            ("#body", EVENT_BODY),
            ("#time_zone", "Europe/Paris"),
            ("#place_name", "Le Local"),
            ("#street", "12 rue de la Paix"),
            ("#city", "Paris"),
            ("#country", "France"),
            ("#latitude", "48.8686"),
            ("#longitude", "2.3317"),
            ("#capacity", "30"),
            ("#tags", EVENT_TAGS),
        ],
    );
    for (selector, value) in [
        ("#start_date", "2026-03-29"),
        ("#start_time", "10:00"),
        ("#end_date", "2026-03-29"),
        ("#end_time", "12:00"),
    ] {
        key_in(&browser, selector, value);
    }
    screenshot_form(&browser, "event-editor.png");

    let url = format!("https://example.org/events/{EVENT_SLUG}/");
    publish_and_open(&apache, &browser, &url);
    let text = page_text(&browser);
    assert_eq!(
        string(&browser, "document.querySelector('h1.p-name')?.innerText"),
        EVENT_TITLE
    );
    assert_eq!(
        string(
            &browser,
            "document.querySelector('.e-content strong')?.innerText"
        ),
        "croissants"
    );
    let when = string(
        &browser,
        "document.querySelector('time.dt-start')?.innerText",
    );
    assert!(
        when.contains("29 March 2026") && when.contains("10:00") && when.contains("Europe/Paris"),
        "{when}"
    );
    assert_eq!(
        string(
            &browser,
            "document.querySelector('time.dt-start')?.getAttribute('datetime')"
        ),
        "2026-03-29T10:00:00+02:00"
    );
    let place = string(&browser, "document.querySelector('.p-location')?.innerText");
    for line in ["Le Local", "12 rue de la Paix", "Paris", "France"] {
        assert!(place.contains(line), "{line} is not in {place:?}");
    }
    let map = string(&browser, "document.querySelector('a.event__map')?.href");
    assert!(
        map.starts_with("https://www.openstreetmap.org/") && map.contains("48.8686"),
        "no OpenStreetMap link: {map:?}\n{text}"
    );
    assert!(text.contains("30 places left of 30"), "{text}");

    // "Add to calendar": the file Apache serves puts the start in UTC, an
    // hour earlier than it would be a day before.
    let ics = browser
        .eval(
            "(() => { const a = Array.from(document.links)\
             .find(a => a.textContent.trim() === 'Add to calendar'); \
             return a && new URL(a.href).pathname; })()",
        )
        .unwrap();
    let ics = ics
        .as_str()
        .unwrap_or_else(|| panic!("no Add to calendar link:\n{text}"));
    assert_eq!(ics, format!("/events/{EVENT_SLUG}/event.ics"));
    let (status, calendar) = apache.get(ics);
    assert_eq!(status, 200, "{calendar}\n{}", apache.error_log());
    assert!(calendar.contains("BEGIN:VEVENT"), "{calendar}");
    assert!(calendar.contains("DTSTART:20260329T080000Z"), "{calendar}");
    assert!(calendar.contains("DTEND:20260329T100000Z"), "{calendar}");

    // The schema.org Event for search engines parses as JSON.
    let ld = string(
        &browser,
        "document.querySelector('script[type=\"application/ld+json\"]').textContent",
    );
    let ld: Value = serde_json::from_str(&ld).unwrap_or_else(|e| panic!("{e}: {ld}"));
    assert_eq!(ld["@context"], "https://schema.org", "{ld:#}");
    assert_eq!(ld["@type"], "Event", "{ld:#}");
    assert_eq!(ld["name"], EVENT_TITLE, "{ld:#}");
    assert_eq!(ld["startDate"], "2026-03-29T10:00:00+02:00", "{ld:#}");
    assert_eq!(ld["endDate"], "2026-03-29T12:00:00+02:00", "{ld:#}");
    assert_eq!(ld["url"], url.as_str(), "{ld:#}");
    assert_eq!(ld["location"][0]["name"], "Le Local", "{ld:#}");
    assert_eq!(ld["location"][0]["geo"]["latitude"], 48.8686, "{ld:#}");
    screenshot(&browser, "event.png", false);

    // The fediverse was told: a Create of an Event.
    let create = wait_create(&remote, &url);
    assert_eq!(create.verified, Ok(()));
    assert_eq!(create.body["actor"], "https://example.org/actor");
    let object = &create.body["object"];
    assert_eq!(object["type"], "Event", "{object:#}");
    assert_eq!(object["name"], EVENT_TITLE, "{object:#}");
    assert_eq!(
        object["startTime"], "2026-03-29T10:00:00+02:00",
        "{object:#}"
    );
    assert_eq!(object["timezone"], "Europe/Paris", "{object:#}");
}
