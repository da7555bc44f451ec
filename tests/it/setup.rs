//! Install by upload, through a real Apache: a docroot holding only what
//! the release zip ships (`affiche.cgi`, `.htaccess`), no config anywhere;
//! the setup page, its secret guard, and the site it creates.

use std::path::PathBuf;

use crate::apache::Apache;
use crate::harness::{Site, changed, http, snapshot};

const OWNER: &str = "@owner@example.social";

/// A "site" that is only an empty docroot in an empty folder: `Apache::start`
/// copies in the binary and the shipped `.htaccess`, nothing else.
fn uploaded() -> (Site, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("home");
    let docroot = root.join("public_html");
    std::fs::create_dir_all(&docroot).unwrap();
    let site = Site {
        // Not created: only names the folder Apache::start opens up.
        config: root.join("affiche.toml"),
        docroot,
        dir,
    };
    (site, root)
}

fn request(apache: &Apache, method: &str, path: &str, cookie: &str, body: &str) -> (u16, String) {
    let cookie = if cookie.is_empty() {
        String::new()
    } else {
        format!("Cookie: affiche_setup={cookie}\r\n")
    };
    let form = if method == "POST" {
        format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        )
    } else {
        String::new()
    };
    let (status, response) = http(
        &apache.address,
        &format!(
            "{method} {path} HTTP/1.0\r\nHost: {}\r\n{cookie}{form}\r\n",
            apache.address
        ),
        body.as_bytes(),
    );
    // minijinja escapes `/` too; the browser reads it back.
    (status, response.replace("&#x2f;", "/"))
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"))
        + start.len();
    let len = text[from..].find(end).unwrap();
    &text[from..from + len]
}

fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[test]
fn a_site_is_set_up_from_the_browser_once_with_the_secret_read_by_ftp() {
    let (site, root) = uploaded();
    let apache = Apache::start(&site);
    let private = root.join("affiche");
    let base_url = format!("http://{}", apache.address);

    // The site root has no index.html yet: the setup page answers there too.
    for path in ["/", "/affiche.cgi", "/login"] {
        let (status, page) = request(&apache, "GET", path, "", "");
        assert_eq!(status, 200, "{path}: {page}\n{}", apache.error_log());
        assert!(page.contains("Set up your Affiche site"), "{path}: {page}");
    }
    let (status, page) = request(&apache, "GET", "/affiche.cgi", "", "");
    assert_eq!(status, 200);
    let csrf = between(&page, "affiche_setup=", ";").to_string();
    assert_eq!(between(&page, "name=\"csrf\" value=\"", "\""), csrf);
    assert_eq!(
        between(&page, "name=\"base_url\" required value=\"", "\""),
        base_url
    );
    // The secret lies outside the docroot, and the page says where.
    let secret_path = private.join("setup-secret.txt");
    assert!(page.contains(&secret_path.display().to_string()), "{page}");
    let secret = std::fs::read_to_string(&secret_path).unwrap();
    let secret = secret.trim();
    assert_eq!(secret.len(), 19, "{secret}");
    assert!(!page.contains(secret));
    // Reloading keeps the same secret.
    request(&apache, "GET", "/affiche.cgi", "", "");
    assert_eq!(
        std::fs::read_to_string(&secret_path).unwrap().trim(),
        secret
    );

    let fields = |secret: &str, handle: &str| {
        encode(&[
            ("csrf", csrf.as_str()),
            ("secret", secret),
            ("title", "Uploaded <site>"),
            ("language", "fr"),
            ("base_url", base_url.as_str()),
            ("handle", handle),
        ])
    };
    let before = snapshot(&root);
    let refusals = [
        ("no secret", csrf.as_str(), fields("", OWNER), 403),
        (
            "a wrong secret",
            csrf.as_str(),
            fields("AAAA-BBBB-CCCC-DDDD", OWNER),
            403,
        ),
        // A stranger's page posting into the owner's browser: no cookie.
        ("no cookie", "", fields(secret, OWNER), 403),
        ("a bad handle", csrf.as_str(), fields(secret, "owner"), 422),
    ];
    for (what, cookie, body, expected) in refusals {
        let (status, page) = request(&apache, "POST", "/affiche.cgi/setup", cookie, &body);
        assert_eq!(status, expected, "{what}: {page}\n{}", apache.error_log());
        assert!(!page.contains("setup-done"), "{what}: {page}");
        assert_eq!(
            changed(&before, &snapshot(&root)),
            Vec::<String>::new(),
            "{what} wrote something"
        );
    }
    let (_, page) = request(
        &apache,
        "POST",
        "/affiche.cgi/setup",
        &csrf,
        &fields(secret, "owner"),
    );
    assert!(
        page.contains("Your handle: expected a fediverse handle"),
        "{page}"
    );
    // The form keeps what was typed, escaped.
    assert!(page.contains("value=\"Uploaded &lt;site&gt;\""), "{page}");

    // The owner, with the secret: the site is created.
    let typed = secret.to_lowercase().replace('-', " ");
    let (status, page) = request(
        &apache,
        "POST",
        "/affiche.cgi/setup",
        &csrf,
        &fields(&typed, "owner@example.social"),
    );
    assert_eq!(status, 200, "{page}\n{}", apache.error_log());
    assert!(page.contains("id=\"setup-done\""), "{page}");
    assert!(page.contains("href=\"/login\""), "{page}");
    let config = std::fs::read_to_string(private.join("affiche.toml")).unwrap();
    assert!(
        config.contains("handles = [\"@owner@example.social\"]"),
        "{config}"
    );
    assert!(config.contains("docroot = \"../public_html\""), "{config}");
    assert!(config.contains("language = \"fr\""), "{config}");
    assert!(
        config.contains(&format!("base_url = \"{base_url}\"")),
        "{config}"
    );
    assert!(private.join("affiche.sqlite").is_file());
    assert!(!secret_path.exists(), "the secret outlives the setup");
    assert!(site.docroot.join("index.html").is_file());

    // The normal site answers from now on.
    let (status, home) = request(&apache, "GET", "/", "", "");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("Uploaded &lt;site&gt;"), "{home}");
    assert!(!home.contains("Set up your Affiche site"), "{home}");
    let (status, page) = request(&apache, "GET", "/affiche.cgi", "", "");
    assert!(
        !page.contains("Set up your Affiche site"),
        "{status}: {page}"
    );
    let (status, login) = request(&apache, "GET", "/login", "", "");
    assert_eq!(status, 200, "{login}\n{}", apache.error_log());
    assert!(!login.contains("Set up your Affiche site"), "{login}");
    let (status, _) = request(&apache, "GET", "/health", "", "");
    assert_eq!(status, 200);

    // A replay of the owner's form: the setup route is gone.
    let before = snapshot(&root);
    let (status, page) = request(
        &apache,
        "POST",
        "/affiche.cgi/setup",
        &csrf,
        &fields(secret, "@mallory@example.social"),
    );
    assert_eq!(status, 404, "{page}");
    assert_eq!(
        std::fs::read_to_string(private.join("affiche.toml")).unwrap(),
        config
    );
    assert_eq!(changed(&before, &snapshot(&root)), Vec::<String>::new());
}
