//! Updates on a shared host: the owner replaces the binary or a template by
//! FTP, and the next request has the worker render the whole site again.

use std::time::{Duration, Instant};

use crate::apache::Apache;
use crate::harness::{Site, is_root};

/// Waits until `done` holds, for at most 30 s (the worker is a detached
/// process started after the request's answer).
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("gave up waiting: {what}");
}

fn published_site() -> Site {
    let site = Site::new();
    let file = site.article(
        "p",
        "title = \"Before the update\"\nslug = \"before\"",
        "Rendered by the old version.",
    );
    assert!(site.import(&[file]).status.success());
    site
}

#[test]
fn a_changed_template_is_rendered_on_every_page_after_the_next_request() {
    let site = published_site();
    let apache = Apache::start(&site);
    assert!(
        !site
            .read("articles/before/index.html")
            .contains("Updated footer")
    );

    // The owner uploads a restyled base template, as a theme would.
    let templates = site.root().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let base = affiche::render::templates::DEFAULTS
        .iter()
        .find(|(name, _)| *name == "base.html")
        .unwrap()
        .1
        .replace("</body>", "<p>Updated footer</p></body>");
    std::fs::write(templates.join("base.html"), base).unwrap();
    if is_root() {
        let _ = std::process::Command::new("chown")
            .args(["-R", "www-data:www-data"])
            .arg(&templates)
            .status();
    }

    // Any request the program answers will do (reading a page runs no
    // program): here, the health check a monitor would make.
    let (status, _) = apache.get("/health");
    assert_eq!(status, 200);
    wait_for("the article re-rendered with the new template", || {
        site.read("articles/before/index.html")
            .contains("Updated footer")
            && site.read("index.html").contains("Updated footer")
    });
    assert!(
        apache
            .error_log()
            .lines()
            .all(|l| !l.contains("re-rendering"))
    );

    // Rendered once: the next requests leave the pages alone.
    let before = site.snapshot();
    let (status, _) = apache.get("/health");
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(site.snapshot(), before);
}

#[test]
fn pages_rendered_by_an_older_version_are_rendered_again() {
    let site = published_site();
    let apache = Apache::start(&site);
    // What an older binary would have recorded.
    let marker = site.root().join("rendered-with");
    assert!(marker.is_file(), "init records what it rendered with");
    std::fs::write(&marker, "affiche 0.0.1 markdown 1 embedded 0\n").unwrap();
    let before = site.snapshot()["articles/before/index.html"].0;

    let (status, _) = apache.get("/health");
    assert_eq!(status, 200);
    wait_for("the article page rewritten", || {
        site.snapshot()
            .get("articles/before/index.html")
            .is_some_and(|(inode, _)| *inode != before)
    });
    wait_for("the new fingerprint recorded", || {
        std::fs::read_to_string(&marker)
            .is_ok_and(|t| t.starts_with(&format!("affiche {} ", env!("CARGO_PKG_VERSION"))))
    });
}
