//! The served pages in a real headless Chromium: no horizontal scroll on a
//! phone, readable without JavaScript, the stylesheet loaded, a dark theme.
//!
//! Chromium is driven from Rust only: a test-only wrapper page, written into
//! the served docroot so it shares the pages' origin, loads each page into a
//! 360px wide `<iframe sandbox="allow-same-origin">` (no `allow-scripts`: the
//! pages run without JavaScript), measures it once everything has loaded and
//! writes `key=value` lines into its own DOM, which `--dump-dom` prints.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::harness::{Server, Site, text};

const CHROMIUM: &str = "/usr/bin/chromium";

/// What every run needs in a closed network: without these Chromium waits on
/// connections that never open.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,1000",
    // Dump only once the load is over and no task or fetch is pending.
    "--virtual-time-budget=15000",
];

/// Explicitly light, whatever the machine's theme.
const LIGHT: &[&str] = &["--blink-settings=preferredColorScheme=1"];

/// Both flags flip `prefers-color-scheme` to dark in Chromium 156, each on its
/// own; the test proves it through `matchMedia` in the measured page.
const DARK: &[&str] = &[
    "--force-dark-mode",
    "--blink-settings=preferredColorScheme=0",
];

const PHONE_WIDTH: u32 = 360;

/// The pages the wrapper measures, by frame id.
const PAGES: &[(&str, &str)] = &[
    ("home", "/"),
    ("article", "/articles/narrow/"),
    // Controls that show the measurements can fail: a page wider than a
    // phone, and a page with no stylesheet and a script that must not run.
    ("wide", "/browser-control-wide.html"),
    ("bare", "/browser-control-bare.html"),
];

const TITLE: &str = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-more-unbroken-words";
const BODY_TEXT: &str = "This first paragraph is plain readable text.";

fn site_with_a_hard_article() -> Site {
    let site = Site::new();
    let word = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
        .repeat(3);
    let url = format!(
        "https://example.org/{}/index.html?query={}",
        "a-very-long-path-segment-without-any-break".repeat(6),
        "x".repeat(120)
    );
    let header: Vec<String> = (1..=12).map(|i| format!("Column number {i}")).collect();
    let row: Vec<String> = (1..=12)
        .map(|i| format!("value-{i}-that-is-rather-long"))
        .collect();
    let code = format!(
        "let a_very_long_line_of_code = \"{}\";",
        "no-wrap-here-".repeat(30)
    );
    let body = format!(
        "{BODY_TEXT} {word}\n\n\
         A bare link: <{url}> and a [named one]({url}).\n\n\
         | {} |\n|{}|\n| {} |\n\n\
         ```rust\n{code}\n```\n\n\
         The last paragraph.",
        header.join(" | "),
        ["---"; 12].join("|"),
        row.join(" | "),
    );
    let file = site.article(
        "narrow",
        &format!(
            "title = \"{TITLE}\"\nslug = \"narrow\"\ndate = \"2024-05-01T10:00:00Z\"\n\
             tags = [\"Layout\"]\nauthor = \"@alice@example.org\"\nauthor_name = \"Alice\""
        ),
        &body,
    );
    let output = site.import(&[file]);
    assert!(output.status.success(), "{}", text(&output));
    write_wrapper(&site.docroot);
    site
}

/// The test-only pages: controls and the wrapper that measures every page.
fn write_wrapper(docroot: &Path) {
    std::fs::write(
        docroot.join("browser-control-wide.html"),
        "<!doctype html><html><body><div style=\"width:1000px\">wide</div></body></html>",
    )
    .unwrap();
    std::fs::write(
        docroot.join("browser-control-bare.html"),
        "<!doctype html><html><body><main><h1>Bare</h1></main>\
         <script>document.querySelector('h1').textContent = 'Script ran';</script></body></html>",
    )
    .unwrap();
    let frames: String = PAGES
        .iter()
        .map(|(id, path)| {
            format!(
                "<iframe id=\"{id}\" sandbox=\"allow-same-origin\" src=\"{path}\" \
                 width=\"{PHONE_WIDTH}\" height=\"640\"></iframe>\n"
            )
        })
        .collect();
    let ids: Vec<String> = PAGES.iter().map(|(id, _)| format!("'{id}'")).collect();
    let wrapper = format!(
        r#"<!doctype html>
<html><head><meta charset="utf-8"><title>browser test</title>
<style>iframe {{ border: 0; display: inline-block; vertical-align: top; }}</style>
</head><body>
{frames}<pre id="results"></pre>
<script>
function measure(id, out) {{
  const frame = document.getElementById(id);
  const win = frame.contentWindow;
  const doc = frame.contentDocument;
  const root = doc.documentElement;
  const put = (key, value) => out.push(id + '.' + key + '=' + String(value).replace(/\s+/g, ' ').trim());
  const style = (el) => win.getComputedStyle(el);
  put('path', win.location.pathname);
  put('innerWidth', win.innerWidth);
  put('scrollWidth', root.scrollWidth);
  put('clientWidth', root.clientWidth);
  // What sticks out on the right, outside any element that scrolls itself.
  const clips = (el) => {{
    for (let p = el.parentElement; p && p !== doc.body; p = p.parentElement) {{
      if (style(p).overflowX !== 'visible') return true;
    }}
    return false;
  }};
  const out_right = [];
  for (const el of doc.body.querySelectorAll('*')) {{
    if (el.getBoundingClientRect().right > root.clientWidth + 0.5 && !clips(el)) {{
      out_right.push(el.tagName.toLowerCase() + (el.classList.length ? '.' + Array.from(el.classList).join('.') : ''));
    }}
  }}
  put('sticksOut', out_right.slice(0, 8).join(' '));
  put('lang', root.getAttribute('lang') || '');
  const h1 = doc.querySelector('h1');
  put('h1', h1 ? h1.innerText : '');
  put('h1Height', h1 ? h1.getBoundingClientRect().height : 0);
  const main = doc.querySelector('main');
  put('mainText', main ? main.innerText : '');
  put('mainMaxWidth', main ? style(main).maxWidth : '');
  put('bodyFont', style(doc.body).fontFamily);
  put('bodyBackground', style(doc.body).backgroundColor);
  put('bodyColor', style(doc.body).color);
  put('dark', win.matchMedia('(prefers-color-scheme: dark)').matches);
  put('stylesheets', Array.from(doc.styleSheets).map((s) => {{
    let rules;
    try {{ rules = s.cssRules.length; }} catch (e) {{ rules = 'unreadable'; }}
    return (s.href ? new URL(s.href).pathname : 'inline') + ':' + rules;
  }}).join(' '));
  const scrolls = (el) => el ? (el.scrollWidth > el.clientWidth) + ' ' + style(el).overflowX : 'missing';
  put('preScrolls', scrolls(doc.querySelector('main pre')));
  put('tableScrolls', scrolls(doc.querySelector('main table')));
}}
window.addEventListener('load', () => {{
  const out = [];
  for (const id of [{ids}]) {{
    try {{ measure(id, out); }} catch (e) {{ out.push(id + '.error=' + e); }}
  }}
  out.push('done=yes');
  document.getElementById('results').textContent = out.join('\n');
}});
</script>
</body></html>
"#,
        ids = ids.join(", ")
    );
    std::fs::write(docroot.join("browser-test.html"), wrapper).unwrap();
}

/// Fails, never skips, where Chromium is missing: CI installs it.
fn require_chromium() {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: these tests need a real headless Chromium; \
         install it with `apt-get install -y chromium`"
    );
}

/// Loads the wrapper in a fresh headless Chromium and returns its results.
fn measure(server: &Server, scheme: &[&str]) -> BTreeMap<String, String> {
    let profile = tempfile::tempdir().unwrap();
    let stderr_path = profile.path().join("chromium.stderr");
    let mut child = Command::new(CHROMIUM)
        .args(FLAGS)
        .args(scheme)
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("http://{}/browser-test.html", server.address))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {CHROMIUM}: {err}"));
    let mut stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut dom = String::new();
        let _ = stdout.read_to_string(&mut dom);
        let _ = sender.send(dom);
    });
    let dom = receiver.recv_timeout(Duration::from_secs(60));
    if dom.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().unwrap();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let dom = dom.unwrap_or_else(|_| panic!("Chromium did not finish in 60 s:\n{stderr}"));
    let results = dom
        .split_once("<pre id=\"results\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(results, _)| unescape(results))
        .unwrap_or_default();
    let results: BTreeMap<String, String> = results
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert!(
        results.get("done").map(String::as_str) == Some("yes"),
        "the wrapper page did not finish ({status}):\n{dom}\nstderr:\n{stderr}"
    );
    let errors: Vec<_> = results
        .iter()
        .filter(|(k, _)| k.ends_with(".error"))
        .collect();
    assert!(errors.is_empty(), "measuring failed: {errors:?}");
    results
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn get<'a>(results: &'a BTreeMap<String, String>, id: &str, key: &str) -> &'a str {
    results
        .get(&format!("{id}.{key}"))
        .unwrap_or_else(|| panic!("no {id}.{key} in {results:#?}"))
}

fn number(results: &BTreeMap<String, String>, id: &str, key: &str) -> f64 {
    let value = get(results, id, key);
    value
        .parse()
        .unwrap_or_else(|_| panic!("{id}.{key} is not a number: {value:?}"))
}

/// `rgb(r, g, b)` or `rgba(r, g, b, a)` as channels in 0..=255 and alpha.
fn color(css: &str) -> ([f64; 3], f64) {
    let inner = css
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not an rgb() colour: {css:?}"));
    let parts: Vec<f64> = inner
        .split(',')
        .map(|p| p.trim().parse().unwrap())
        .collect();
    (
        [parts[0], parts[1], parts[2]],
        *parts.get(3).unwrap_or(&1.0),
    )
}

/// WCAG relative luminance, 0 (black) to 1 (white).
fn luminance(css: &str) -> f64 {
    let (rgb, alpha) = color(css);
    assert!(alpha == 1.0, "{css} is not opaque");
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// One site, one server, two Chromium runs side by side (light and dark):
/// the whole module costs about as much as one browser start.
#[test]
fn pages_fit_a_phone_read_without_javascript_and_follow_the_dark_scheme() {
    require_chromium();
    let site = site_with_a_hard_article();
    let server = site.serve();
    let (light, dark) = std::thread::scope(|scope| {
        let light = scope.spawn(|| measure(&server, LIGHT));
        let dark = scope.spawn(|| measure(&server, DARK));
        (light.join().unwrap(), dark.join().unwrap())
    });

    for (id, path) in PAGES {
        assert_eq!(get(&light, id, "path"), *path, "{id} loaded another page");
        assert_eq!(
            number(&light, id, "innerWidth"),
            f64::from(PHONE_WIDTH),
            "{id} is not measured at phone width"
        );
    }
    // The controls prove a page wider than the phone is caught, and that the
    // measured frames run no script (the pages are read without JavaScript).
    assert!(
        number(&light, "wide", "scrollWidth") > number(&light, "wide", "clientWidth"),
        "the overflow measurement cannot fail: {light:#?}"
    );
    assert_eq!(
        get(&light, "bare", "h1"),
        "Bare",
        "scripts run in the measured frames"
    );

    for results in [&light, &dark] {
        for id in ["home", "article"] {
            // Readable without JavaScript, with the stylesheet applied (checked
            // first: a missing stylesheet also makes the page overflow).
            let lang = get(results, id, "lang");
            assert!(
                !lang.is_empty() && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{id} has no usable lang attribute: {lang:?}"
            );
            let sheets = get(results, id, "stylesheets");
            let loaded = sheets.split(' ').any(|s| {
                s.strip_prefix("/assets/style.css:")
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|n| n > 0)
            });
            assert!(loaded, "{id}: /assets/style.css did not load: {sheets:?}");
            for key in ["mainMaxWidth", "bodyFont"] {
                assert_ne!(
                    get(results, id, key),
                    get(results, "bare", key),
                    "{id}: {key} is the browser default, the stylesheet is not applied"
                );
            }
            assert!(
                get(results, id, "mainText").contains(TITLE),
                "{id} does not show the article title: {}",
                get(results, id, "mainText")
            );
            // No horizontal scroll at phone width.
            let scroll = number(results, id, "scrollWidth");
            let client = number(results, id, "clientWidth");
            assert!(
                scroll <= client,
                "{id} scrolls sideways on a {PHONE_WIDTH}px phone: scrollWidth {scroll} > \
                 clientWidth {client}; sticking out: {}",
                get(results, id, "sticksOut")
            );
        }
        assert_eq!(get(results, "article", "h1"), TITLE);
        assert!(number(results, "article", "h1Height") > 0.0);
        assert!(
            get(results, "article", "mainText").contains(BODY_TEXT),
            "the article body is not rendered: {}",
            get(results, "article", "mainText")
        );
        // The hard content is really wider than the phone: it scrolls
        // inside its own box, which is allowed.
        for key in ["preScrolls", "tableScrolls"] {
            let scrolls = get(results, "article", key);
            assert!(
                scrolls.starts_with("true ") && !scrolls.ends_with(" visible"),
                "article {key}: {scrolls}"
            );
        }
    }

    // Dark mode: the media feature is really emulated, and the page follows.
    for id in ["home", "article", "bare"] {
        assert_eq!(get(&light, id, "dark"), "false", "{id} in the light run");
        assert_eq!(
            get(&dark, id, "dark"),
            "true",
            "{id}: the dark flags ({DARK:?}) no longer emulate prefers-color-scheme: dark"
        );
    }
    for id in ["home", "article"] {
        let light_bg = get(&light, id, "bodyBackground");
        let dark_bg = get(&dark, id, "bodyBackground");
        assert_ne!(
            light_bg, dark_bg,
            "{id}: the same background in both schemes"
        );
        assert!(
            luminance(light_bg) > 0.5,
            "{id}: the light background {light_bg} is not light"
        );
        assert!(
            luminance(dark_bg) < 0.05,
            "{id}: the dark background {dark_bg} is not dark"
        );
        for (scheme, results) in [("light", &light), ("dark", &dark)] {
            let fg = get(results, id, "bodyColor");
            let bg = get(results, id, "bodyBackground");
            let ratio = contrast(fg, bg);
            assert!(
                ratio >= 4.5,
                "{id} in {scheme}: text {fg} on {bg} has a contrast of {ratio:.2}"
            );
        }
    }
}
