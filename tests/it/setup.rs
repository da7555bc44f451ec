//! Install by upload, through a real Apache: a docroot holding what the
//! release zip ships (the names of `install/release-files.txt`, which
//! `install/build-release.sh` checks its zip against), no config anywhere;
//! the setup page, its secret guard, the site it creates and its owner
//! logging in by DM; and hosts where the setup cannot write, which get
//! advice and keep nothing.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::admin::write;
use crate::apache::Apache;
use crate::authors::{Browser, log_in};
use crate::harness::{Site, changed, command, http, is_root, snapshot, text};
use crate::remote::{Remote, our_public_key, with_db};

const OWNER: &str = "@owner@example.social";

/// The names the release zip holds at its top level.
fn release_files() -> Vec<String> {
    let list = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("install/release-files.txt"),
    )
    .unwrap();
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `affiche.example.toml` as build-release.sh makes it: what `init` writes,
/// with the paths made generic (mirrored from its `example_toml`, header
/// comment shortened).
fn example_toml() -> String {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("affiche");
    let output = command()
        .args(["init", site.to_str().unwrap(), "--title", "My Affiche site"])
        .args(["--base-url", "https://example.org"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let config = std::fs::read_to_string(site.join("affiche.toml")).unwrap();
    let site = site.display().to_string();
    format!(
        "# Example configuration, as written by 'affiche.cgi init'.\n\n{}",
        config
            .replace(&format!("{site}/public_html"), "/home/USER/public_html")
            .replace(&site, "/home/USER/affiche")
            .replace("docroot = \"public_html\"", "docroot = \"../public_html\"")
    )
}

/// Puts every file of the release zip into `docroot`, as an owner who
/// unzips it and uploads it all. The debug binary stands in for the static
/// one.
fn upload_release(docroot: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in release_files() {
        let target = docroot.join(name.trim_end_matches('/'));
        match name.as_str() {
            "affiche.cgi" => {
                std::fs::copy(crate::harness::BIN, &target).unwrap();
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            ".htaccess" => {
                std::fs::copy(repo.join("install/htaccess"), &target).unwrap();
            }
            "public/" => copy_tree(&repo.join("public"), &target),
            "affiche.example.toml" => std::fs::write(&target, example_toml()).unwrap(),
            "INSTALL.txt" => {
                std::fs::copy(repo.join("install/INSTALL.txt"), &target).unwrap();
            }
            other => panic!(
                "the release zip ships {other} (install/release-files.txt): teach upload_release to upload it"
            ),
        }
    }
}

/// A "site" that is only a docroot in an empty home folder, holding what
/// the release zip ships, and no config anywhere.
fn uploaded() -> (Site, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("home");
    let docroot = root.join("public_html");
    std::fs::create_dir_all(&docroot).unwrap();
    upload_release(&docroot);
    let site = Site {
        // Not created: only names the folder Apache::start opens up.
        config: root.join("affiche.toml"),
        docroot,
        dir,
    };
    (site, root)
}

/// Takes the right to write into `dir` away from the user the CGI runs as,
/// until dropped: as root (Apache's children are then www-data) the folder
/// goes back to root; otherwise it loses its write bits.
struct Locked {
    dir: PathBuf,
    mode: u32,
}

fn lock(dir: &Path) -> Locked {
    let mode = std::fs::metadata(dir).unwrap().permissions().mode();
    if is_root() {
        chown(dir, "root:root");
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    } else {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    Locked {
        dir: dir.to_path_buf(),
        mode,
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        if is_root() {
            chown(&self.dir, "www-data:www-data");
        }
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(self.mode));
    }
}

fn chown(path: &Path, owner: &str) {
    let status = std::process::Command::new("chown")
        .arg(owner)
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
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
    // What else the zip ships answers as before and stays private.
    let (status, example) = request(&apache, "GET", "/affiche.example.toml", "", "");
    assert!(status == 403 || status == 404, "{example}");
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

/// The fresh upload, end to end: the setup page, the owner logging in by
/// the DM the fake fediverse server receives, the admin pages, an article
/// written in the editor and served by Apache as a file. `inside`: the home
/// folder is not writable, so the private data goes into the docroot's
/// `.affiche/`, which must stay unreachable over HTTP.
fn fresh_upload_goes_live(inside: bool) {
    let (site, root) = uploaded();
    let apache = Apache::start(&site);
    let _home = inside.then(|| lock(&root));
    let private = if inside {
        site.docroot.join(".affiche")
    } else {
        root.join("affiche")
    };
    let at = if inside { "/.affiche" } else { "" };
    // Its key is only made by the setup: trusted once it exists.
    let remote = Remote::start(String::new());
    let uploaded_files = snapshot(&site.docroot);

    let mut owner = Browser::new(&apache);
    let form = owner.get("/");
    assert_eq!(form.status, 200, "{form:?}\n{}", apache.error_log());
    assert!(form.body.contains("id=\"secret\""), "{}", form.body);
    let secret_file = private.join("setup-secret.txt");
    let secret = std::fs::read_to_string(&secret_file).unwrap();
    let (status, page) = apache.get(&format!("{at}/setup-secret.txt"));
    assert!(status == 403 || status == 404, "{page}");
    assert!(!page.contains(secret.trim()), "{page}");
    // The rest of the zip neither breaks the setup nor leaks.
    let (status, page) = apache.get("/affiche.example.toml");
    assert!(status == 403 || status == 404, "{page}");
    let (status, page) = apache.get("/INSTALL.txt");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.to_lowercase().contains("content-type: text/plain"),
        "{page}"
    );

    let base_url = format!("http://{}", apache.address);
    let csrf = form.field("csrf");
    let done = owner.post(
        "/affiche.cgi/setup",
        &[
            ("csrf", csrf.as_str()),
            ("secret", secret.trim()),
            ("title", "Fresh upload"),
            ("language", "en"),
            ("base_url", base_url.as_str()),
            ("handle", remote.handle().as_str()),
        ],
    );
    assert_eq!(done.status, 200, "{done:?}\n{}", apache.error_log());
    assert!(done.body.contains("id=\"setup-done\""), "{}", done.body);
    let config_path = private.join("affiche.toml");
    let config = std::fs::read_to_string(&config_path).unwrap();
    assert!(
        config.contains(&format!("handles = [\"{}\"]", remote.handle())),
        "{config}"
    );
    assert!(
        config.contains(&format!(
            "docroot = \"{}\"",
            if inside { ".." } else { "../public_html" }
        )),
        "{config}"
    );
    // The setup writes the production value. The fake fediverse server
    // lives on loopback over plain http, which a real site must refuse to
    // talk to: this one line is all the test changes.
    let switch = "allow_private_addresses_for_testing = false";
    assert_eq!(config.matches(switch).count(), 1, "{config}");
    std::fs::write(
        &config_path,
        config.replace(switch, "allow_private_addresses_for_testing = true"),
    )
    .unwrap();
    remote.trust(our_public_key(&apache));

    // The owner proves the handle typed into the form by the DM's link.
    let mut owner = log_in(&apache, &remote);
    let dm = remote
        .received()
        .into_iter()
        .find(|r| r.body["object"]["to"] == json!([remote.actor()]))
        .unwrap();
    assert_eq!(dm.verified, Ok(()), "signed with the key the setup made");
    assert_eq!(dm.body["actor"], format!("{base_url}/actor"));
    let admin = owner.get("/admin/");
    assert_eq!(admin.status, 200, "{admin:?}\n{}", apache.error_log());
    assert!(admin.body.contains("id=\"review\""), "{}", admin.body);
    assert_eq!(owner.get("/admin/health").status, 200);

    // The first article, from the editor, live as a static file.
    write(&mut owner, "First words");
    let (status, page) = apache.get("/articles/first-words/");
    assert_eq!(status, 200, "{page}\n{}", apache.error_log());
    assert!(page.contains("Words enough to read."), "{page}");
    // Apache's own file serving, not the CGI: it sends validators.
    let head = page.split("\r\n\r\n").next().unwrap().to_lowercase();
    assert!(head.contains("\r\netag: "), "{head}");
    assert!(head.contains("\r\nlast-modified: "), "{head}");
    assert!(page.ends_with(&site.read("articles/first-words/index.html")));
    let (status, home) = apache.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("First words"), "{home}");
    assert!(!home.contains("id=\"secret\""), "{home}");
    let status: String = with_db(
        &Site {
            config: config_path.clone(),
            docroot: site.docroot.clone(),
            dir: tempfile::tempdir().unwrap(),
        },
        |db| {
            db.query_row(
                "SELECT status FROM articles WHERE slug = 'first-words'",
                [],
                |r| r.get(0),
            )
            .unwrap()
        },
    );
    assert_eq!(status, "published");

    // The private files, wherever they are, never over HTTP.
    assert!(private.join("affiche.sqlite").is_file());
    for name in [
        "affiche.sqlite",
        "affiche.sqlite-wal",
        "affiche.toml",
        "setup-secret.txt",
        ".htaccess",
    ] {
        let path = format!("{at}/{name}");
        let (status, body) = apache.get(&path);
        assert!(status == 403 || status == 404, "{path}: {body}");
        assert!(!body.contains("SQLite format"), "{path}: {body}");
        assert!(!body.contains("[admin]"), "{path}: {body}");
    }
    // The uploaded files are still there as uploaded.
    let now = snapshot(&site.docroot);
    for (name, (_, bytes)) in &uploaded_files {
        assert_eq!(now.get(name).map(|f| &f.1), Some(bytes), "{name} changed");
    }
}

#[test]
fn a_fresh_upload_goes_live_with_its_data_next_to_the_docroot() {
    fresh_upload_goes_live(false);
}

#[test]
fn a_fresh_upload_goes_live_with_its_data_inside_the_docroot() {
    fresh_upload_goes_live(true);
}

#[test]
fn a_host_where_the_setup_can_write_nothing_gets_advice_and_keeps_nothing() {
    let (site, root) = uploaded();
    let apache = Apache::start(&site);
    let _home = lock(&root);
    let _docroot = lock(&site.docroot);
    let before = snapshot(&root);

    let (status, page) = request(&apache, "GET", "/", "", "");
    assert_eq!(status, 503, "{page}\n{}", apache.error_log());
    assert!(
        page.contains("Affiche cannot write its private folder"),
        "{page}"
    );
    // Where, who, and what to do about it on a shared host.
    assert!(
        page.contains(&root.join("affiche").display().to_string()),
        "{page}"
    );
    assert!(
        page.contains(&site.docroot.join(".affiche").display().to_string()),
        "{page}"
    );
    assert!(page.contains("create the folder"), "{page}");
    assert!(page.contains("chmod 755"), "{page}");
    if is_root() {
        assert!(page.contains("www-data (uid "), "{page}");
    }
    assert!(
        !page.contains("id=\"secret\""),
        "no form without a secret: {page}"
    );
    let csrf = between(&page, "affiche_setup=", ";").to_string();
    let body = encode(&[
        ("csrf", csrf.as_str()),
        ("secret", "AAAA-BBBB-CCCC-DDDD"),
        ("title", "Nowhere"),
        ("language", "en"),
        ("base_url", "https://example.org"),
        ("handle", OWNER),
    ]);
    let (status, page) = request(&apache, "POST", "/affiche.cgi/setup", &csrf, &body);
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("No setup secret was made"), "{page}");
    assert_eq!(changed(&before, &snapshot(&root)), Vec::<String>::new());
    assert!(!root.join("affiche").exists());
    assert!(!site.docroot.join(".affiche").exists());
}

#[test]
fn a_setup_that_fails_halfway_takes_back_everything_it_made() {
    let (site, root) = uploaded();
    // A folder left by the site that was there before, which the web
    // server cannot write: the home page is rendered before it fails.
    let events = site.docroot.join("events");
    std::fs::create_dir_all(&events).unwrap();
    std::fs::write(events.join("old.html"), "An old page").unwrap();
    let apache = Apache::start(&site);
    let private = root.join("affiche");
    let (status, page) = request(&apache, "GET", "/", "", "");
    assert_eq!(status, 200, "{page}");
    let csrf = between(&page, "affiche_setup=", ";").to_string();
    let secret = std::fs::read_to_string(private.join("setup-secret.txt")).unwrap();
    let body = encode(&[
        ("csrf", csrf.as_str()),
        ("secret", secret.trim()),
        ("title", "Halfway"),
        ("language", "en"),
        ("base_url", &format!("http://{}", apache.address)),
        ("handle", OWNER),
    ]);
    let post = || request(&apache, "POST", "/affiche.cgi/setup", &csrf, &body);

    // The private folder took the secret but takes no config.
    let before = snapshot(&root);
    {
        let _private = lock(&private);
        let (status, page) = post();
        assert_eq!(status, 503, "{page}\n{}", apache.error_log());
        assert!(page.contains("id=\"setup-errors\""), "{page}");
        assert!(
            page.contains("cannot write into the private folder"),
            "{page}"
        );
        assert!(
            page.contains("Everything this attempt had made was removed"),
            "{page}"
        );
        assert_eq!(changed(&before, &snapshot(&root)), Vec::<String>::new());
    }

    // The config could be written, the pages only partly: the database,
    // key, the pages already rendered and the config all go again.
    {
        let _events = lock(&events);
        let (status, page) = post();
        assert_eq!(status, 503, "{page}\n{}", apache.error_log());
        assert!(page.contains("/public_html/events"), "{page}");
        assert!(page.contains("Permission denied"), "{page}");
        assert_eq!(changed(&before, &snapshot(&root)), Vec::<String>::new());
        assert!(!site.docroot.join("index.html").exists());
        // So the site root still shows the setup page, not a half-made site.
        let (status, page) = request(&apache, "GET", "/", "", "");
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("id=\"secret\""), "{page}");
    }

    // Fixed: the same form goes through.
    let (status, page) = post();
    assert_eq!(status, 200, "{page}\n{}", apache.error_log());
    assert!(page.contains("id=\"setup-done\""), "{page}");
    assert!(private.join("affiche.toml").is_file());
    let (status, home) = request(&apache, "GET", "/", "", "");
    assert_eq!(status, 200);
    assert!(home.contains("Halfway"), "{home}");
}

#[test]
fn a_form_sent_twice_at_once_is_refused_while_the_first_runs() {
    let (site, root) = uploaded();
    let apache = Apache::start(&site);
    let (_, page) = request(&apache, "GET", "/", "", "");
    let csrf = between(&page, "affiche_setup=", ";").to_string();
    let private = root.join("affiche");
    let secret = std::fs::read_to_string(private.join("setup-secret.txt")).unwrap();
    let body = encode(&[
        ("csrf", csrf.as_str()),
        ("secret", secret.trim()),
        ("title", "Twice"),
        ("language", "en"),
        ("base_url", "https://example.org"),
        ("handle", OWNER),
    ]);
    // The first request holds the lock while it creates the site.
    let lock = private.join(".setup.lock");
    std::fs::write(&lock, "").unwrap();
    let before = snapshot(&root);
    let (status, page) = request(&apache, "POST", "/affiche.cgi/setup", &csrf, &body);
    assert_eq!(status, 409, "{page}\n{}", apache.error_log());
    assert!(page.contains("being created by another request"), "{page}");
    assert_eq!(changed(&before, &snapshot(&root)), Vec::<String>::new());

    // A lock left by a request killed long ago does not block forever.
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&lock)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    let (status, page) = request(&apache, "POST", "/affiche.cgi/setup", &csrf, &body);
    assert_eq!(status, 200, "{page}\n{}", apache.error_log());
    assert!(page.contains("id=\"setup-done\""), "{page}");
    assert!(!lock.exists());
    assert!(!private.join("setup-secret.txt").exists());
}

/// A host that ignores `.htaccess` (here: the shipped rules that hide dot
/// folders taken out, the private folder's deny-all replaced): the secret
/// inside the docroot could be downloaded, so the page deletes it and
/// refuses, and a stranger who fetched it cannot use it.
#[test]
fn a_host_that_serves_the_private_folder_refuses_the_setup() {
    let (site, root) = uploaded();
    let apache = Apache::start(&site);
    let _home = lock(&root);
    let htaccess = site.docroot.join(".htaccess");
    let rules = std::fs::read_to_string(&htaccess).unwrap();
    let rules: String = rules
        .lines()
        .filter(|l| !l.starts_with("RedirectMatch 404"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&htaccess, rules).unwrap();
    let private = site.docroot.join(".affiche");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::write(private.join(".htaccess"), "Require all granted\n").unwrap();
    to_www_data(&private);

    let (status, page) = request(&apache, "GET", "/affiche.cgi", "", "");
    assert_eq!(status, 503, "{page}\n{}", apache.error_log());
    assert!(page.contains("/.affiche/setup-secret.txt"), "{page}");
    assert!(page.contains("can be downloaded by anyone"), "{page}");
    assert!(!private.join("setup-secret.txt").exists());

    // A stranger quick enough to read the secret before the page checked:
    // the form is refused all the same, and nothing is created.
    let (_, page) = request(&apache, "GET", "/affiche.cgi", "", "");
    let csrf = between(&page, "affiche_setup=", ";").to_string();
    std::fs::write(private.join("setup-secret.txt"), "AAAA-BBBB-CCCC-DDDD\n").unwrap();
    to_www_data(&private);
    let (status, secret) = request(&apache, "GET", "/.affiche/setup-secret.txt", "", "");
    assert_eq!(status, 200);
    assert!(
        secret.trim_end().ends_with("\r\n\r\nAAAA-BBBB-CCCC-DDDD"),
        "{secret}"
    );
    let before = snapshot(&root);
    let body = encode(&[
        ("csrf", csrf.as_str()),
        ("secret", "AAAA-BBBB-CCCC-DDDD"),
        ("title", "Taken"),
        ("language", "en"),
        ("base_url", &format!("http://{}", apache.address)),
        ("handle", "@mallory@example.social"),
    ]);
    let (status, page) = request(&apache, "POST", "/affiche.cgi/setup", &csrf, &body);
    assert_eq!(status, 503, "{page}\n{}", apache.error_log());
    assert!(page.contains("can be downloaded by anyone"), "{page}");
    let mut expected = before.clone();
    expected.remove("public_html/.affiche/setup-secret.txt");
    assert_eq!(
        changed(&expected, &snapshot(&root)),
        Vec::<String>::new(),
        "only the exposed secret may go"
    );
    assert!(!private.join("affiche.toml").exists());
    assert!(!private.join("affiche.sqlite").exists());
}

/// Files a test made as root go to the user Apache runs CGI programs as.
fn to_www_data(path: &Path) {
    if is_root() {
        let status = std::process::Command::new("chown")
            .args(["-R", "www-data:www-data"])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}
