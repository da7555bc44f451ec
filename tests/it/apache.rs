//! A private Apache, as a shared host runs it: mod_cgi, mod_rewrite,
//! mod_headers, `AllowOverride All`, the `.htaccess` shipped in `install/`
//! and the real binary as `affiche.cgi`. Started on a free loopback port.

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{BIN, Site, http, is_root};

const MODULES: &[&str] = &[
    "mpm_prefork",
    "authz_core",
    "authz_host",
    "mime",
    "dir",
    "alias",
    "rewrite",
    "headers",
    "cgi",
    "env",
    "setenvif",
];

pub struct Apache {
    child: Child,
    pub address: String,
    root: tempfile::TempDir,
}

impl Drop for Apache {
    fn drop(&mut self) {
        // SIGTERM lets Apache stop its children too.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn apache_binary() -> PathBuf {
    ["/usr/sbin/apache2", "/usr/sbin/httpd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("Apache is not installed: apt-get install apache2 (the CI script does)")
}

/// Makes every folder from `/` down to `path` traversable, and the site
/// owned by the user Apache runs CGI programs as.
fn open_to_apache(site_root: &Path) {
    let mut dir = site_root.to_path_buf();
    while let Some(parent) = dir.parent() {
        if let Ok(meta) = std::fs::metadata(&dir) {
            let mode = meta.permissions().mode();
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode | 0o711));
        }
        dir = parent.to_path_buf();
    }
    if is_root() {
        let status = Command::new("chown")
            .args(["-R", "www-data:www-data"])
            .arg(site_root)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Apache {
    /// Installs the binary and the shipped `.htaccess` into the site's
    /// docroot and starts Apache on it.
    pub fn start(site: &Site) -> Apache {
        let cgi = site.docroot.join("affiche.cgi");
        std::fs::copy(BIN, &cgi).unwrap();
        std::fs::set_permissions(&cgi, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("install/htaccess"),
            site.docroot.join(".htaccess"),
        )
        .unwrap();
        open_to_apache(&site.root());
        let mut last_error = String::new();
        for _ in 0..5 {
            match Apache::try_start(&site.docroot) {
                Ok(apache) => return apache,
                Err(err) => last_error = err,
            }
        }
        panic!("Apache did not start: {last_error}");
    }

    fn try_start(docroot: &Path) -> Result<Apache, String> {
        let root = tempfile::tempdir().unwrap();
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let modules: String = MODULES
            .iter()
            .map(|m| format!("LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so\n"))
            .collect();
        let user = if is_root() {
            "User www-data\nGroup www-data\n"
        } else {
            ""
        };
        let conf = format!(
            "ServerRoot \"{root}\"\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile \"{root}/httpd.pid\"\n\
             DefaultRuntimeDir \"{root}\"\nErrorLog \"{root}/error.log\"\nLogLevel warn\n{modules}{user}\
             TypesConfig /etc/mime.types\nStartServers 2\nMinSpareServers 2\nMaxSpareServers 4\nMaxRequestWorkers 16\n\
             DocumentRoot \"{docroot}\"\n<Directory />\n  AllowOverride None\n  Require all denied\n</Directory>\n\
             <Directory \"{docroot}\">\n  AllowOverride All\n  Require all granted\n</Directory>\n",
            root = root.path().display(),
            docroot = docroot.display(),
        );
        let conf_path = root.path().join("httpd.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(apache_binary())
            .arg("-f")
            .arg(&conf_path)
            .args(["-DFOREGROUND"])
            // Apache signals its whole process group when it stops: give it
            // its own, or it takes the test runner down with it.
            .process_group(0)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut apache = Apache {
            child,
            address: format!("127.0.0.1:{port}"),
            root,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = apache.child.try_wait() {
                let log = std::fs::read_to_string(apache.root.path().join("error.log"))
                    .unwrap_or_default();
                return Err(format!("exited with {status}: {log}"));
            }
            if std::net::TcpStream::connect(&apache.address).is_ok() {
                return Ok(apache);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err("not listening after 15 s".into())
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http(
            &self.address,
            &format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"),
            b"",
        )
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("error.log")).unwrap_or_default()
    }
}

#[test]
fn apache_serves_pages_as_files_and_writes_through_the_cgi() {
    let site = Site::new();
    let file = site.article(
        "p",
        "title = \"Under Apache\"\ntags = [\"Web\"]",
        "Served by Apache.",
    );
    assert!(site.import(&[file]).status.success());
    let apache = Apache::start(&site);

    let (status, page) = apache.get("/articles/under-apache/");
    assert_eq!(status, 200, "{page}\n{}", apache.error_log());
    assert!(page.contains("Served by Apache."));
    let (status, feed) = apache.get("/feed.atom");
    assert_eq!(status, 200);
    assert!(
        feed.to_lowercase()
            .contains("content-type: application/atom+xml"),
        "{feed}"
    );

    for route in ["/health", "/affiche.cgi/health"] {
        let (status, body) = apache.get(route);
        assert_eq!(status, 200, "{route}: {body}\n{}", apache.error_log());
        assert!(
            body.ends_with(&format!("affiche {}\n", env!("CARGO_PKG_VERSION"))),
            "{body}"
        );
    }
    let (status, _) = apache.get("/no/such/page/");
    assert_eq!(status, 404);
}

#[test]
fn apache_refuses_an_oversized_body_with_413() {
    let site = Site::new();
    let apache = Apache::start(&site);
    let body = vec![b'x'; 2 * 1024 * 1024];
    for route in ["/health", "/inbox", "/actor/inbox"] {
        let head = format!(
            "POST {route} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/activity+json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let (status, response) = http(&apache.address, &head, &body);
        assert_eq!(status, 413, "{route}: {response}\n{}", apache.error_log());
    }
    assert!(
        !apache
            .error_log()
            .contains("Premature end of script headers"),
        "{}",
        apache.error_log()
    );
}

#[test]
fn private_files_inside_the_docroot_are_never_served() {
    let site = Site::new();
    // The worst layout a host can impose: config and database in the docroot.
    let private = site.docroot.join("private");
    std::fs::create_dir_all(&private).unwrap();
    for name in ["affiche.sqlite", "affiche.sqlite-wal", "affiche.sqlite-shm"] {
        let from = site.root().join(name);
        if from.exists() {
            std::fs::rename(&from, private.join(name)).unwrap();
        }
    }
    let config = std::fs::read_to_string(&site.config).unwrap();
    std::fs::write(
        private.join("affiche.toml"),
        config.replace("docroot = \"public_html\"", "docroot = \"..\""),
    )
    .unwrap();
    std::fs::write(
        private.join("affiche.sqlite.backup-v1-20260101T000000Z"),
        "backup",
    )
    .unwrap();
    let apache = Apache::start(&site);
    for path in [
        "/private/affiche.sqlite",
        "/private/affiche.sqlite-wal",
        "/private/affiche.toml",
        "/private/affiche.sqlite.backup-v1-20260101T000000Z",
        "/.htaccess",
    ] {
        let (status, body) = apache.get(path);
        assert!(
            status == 403 || status == 404,
            "{path} answered {status}: {body}"
        );
        assert!(
            !body.contains("SQLite format"),
            "{path} leaked the database"
        );
    }
}

fn header_value(response: &str, name: &str) -> Option<String> {
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_string())
}

fn body_json(response: &str) -> serde_json::Value {
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|err| panic!("not JSON ({err}):\n{response}"))
}

#[test]
fn webfinger_loops_back_to_the_actor_served_as_activity_json() {
    let site = Site::new();
    let apache = Apache::start(&site);
    let (status, response) = apache.get("/.well-known/webfinger?resource=acct:site@example.org");
    assert_eq!(status, 200, "{response}\n{}", apache.error_log());
    assert_eq!(
        header_value(&response, "content-type").as_deref(),
        Some("application/jrd+json; charset=utf-8")
    );
    assert_eq!(
        header_value(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    let jrd = body_json(&response);
    let self_link = jrd["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .unwrap();
    assert_eq!(self_link["type"], "application/activity+json");
    let actor_url = self_link["href"].as_str().unwrap();
    // The actor is fetched by its id; the id must be the very URL fetched.
    let path = actor_url.strip_prefix("https://example.org").unwrap();
    let (status, response) = http(
        &apache.address,
        &format!(
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/activity+json\r\n\r\n"
        ),
        b"",
    );
    assert_eq!(status, 200, "{response}");
    assert!(
        header_value(&response, "content-type")
            .unwrap()
            .starts_with("application/activity+json")
    );
    let actor = body_json(&response);
    assert_eq!(actor["id"], actor_url);
    assert_eq!(actor["preferredUsername"], "site");
    assert!(
        actor["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    // Mastodon builds acct:{preferredUsername}@{host of id} and looks it up again.
    assert_eq!(jrd["subject"], "acct:site@example.org");

    for (query, expected) in [("", 400), ("?resource=acct:nobody@example.org", 404)] {
        let (status, response) = apache.get(&format!("/.well-known/webfinger{query}"));
        assert_eq!(status, expected, "{query}: {response}");
    }
}

#[test]
fn a_page_and_its_activitypub_twin_share_one_address() {
    let site = Site::new();
    let file = site.article("p", "title = \"Twins\"\ntags = [\"Web\"]", "Hello twins.");
    assert!(site.import(&[file]).status.success());
    let apache = Apache::start(&site);
    let get = |accept: &str| {
        http(
            &apache.address,
            &format!(
                "GET /articles/twins/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n"
            ),
            b"",
        )
    };
    let (status, html) = get("text/html,application/xhtml+xml");
    assert_eq!(status, 200);
    assert!(
        header_value(&html, "content-type")
            .unwrap()
            .starts_with("text/html"),
        "{html}"
    );
    assert!(
        header_value(&html, "vary")
            .unwrap_or_default()
            .contains("Accept"),
        "{html}"
    );
    for accept in [
        "application/activity+json",
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let (status, json) = get(accept);
        assert_eq!(status, 200, "{accept}: {json}\n{}", apache.error_log());
        assert!(
            header_value(&json, "content-type")
                .unwrap()
                .starts_with("application/activity+json"),
            "{json}"
        );
        assert!(
            header_value(&json, "vary")
                .unwrap_or_default()
                .contains("Accept"),
            "{json}"
        );
        let object = body_json(&json);
        // The default announcement: a Note with the summary and the link,
        // the very object the fediverse was sent.
        assert_eq!(object["type"], "Note");
        assert_eq!(object["id"], "https://example.org/articles/twins/");
        let content = object["content"].as_str().unwrap();
        assert!(content.contains("Hello twins."), "{content}");
        assert!(
            content.contains("href=\"https://example.org/articles/twins/\""),
            "{content}"
        );
        assert_eq!(object["replies"]["type"], "Collection");
    }
    // The outbox lists it as a Create.
    let (status, outbox) = apache.get("/outbox");
    assert_eq!(status, 200, "{outbox}");
    assert!(
        header_value(&outbox, "content-type")
            .unwrap()
            .starts_with("application/activity+json")
    );
    let outbox = body_json(&outbox);
    assert_eq!(outbox["totalItems"], 1);
    assert_eq!(outbox["orderedItems"][0]["type"], "Create");
    assert_eq!(
        outbox["orderedItems"][0]["object"]["id"],
        "https://example.org/articles/twins/"
    );

    // Without the trailing slash: a redirect to the canonical address, the
    // object's id, which fetchers then compare with the final URL.
    let (status, json) = http(
        &apache.address,
        "GET /articles/twins HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/activity+json\r\n\r\n",
        b"",
    );
    assert_eq!(status, 301, "{json}");
    assert!(
        header_value(&json, "location")
            .unwrap()
            .ends_with("/articles/twins/"),
        "{json}"
    );
}

#[test]
fn nodeinfo_and_host_meta_are_served_with_their_types() {
    let site = Site::new();
    let apache = Apache::start(&site);
    let (status, links) = apache.get("/.well-known/nodeinfo");
    assert_eq!(status, 200, "{links}\n{}", apache.error_log());
    let href = body_json(&links)["links"][0]["href"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(href, "https://example.org/nodeinfo/2.1");
    let (status, nodeinfo) = apache.get("/nodeinfo/2.1");
    assert_eq!(status, 200, "{nodeinfo}");
    assert!(
        header_value(&nodeinfo, "content-type")
            .unwrap()
            .starts_with("application/json"),
        "{nodeinfo}"
    );
    let doc = body_json(&nodeinfo);
    assert_eq!(doc["software"]["name"], "affiche");
    assert_eq!(doc["protocols"][0], "activitypub");
    let (status, xrd) = apache.get("/.well-known/host-meta");
    assert_eq!(status, 200, "{xrd}");
    assert!(
        header_value(&xrd, "content-type")
            .unwrap()
            .starts_with("application/xrd+xml"),
        "{xrd}"
    );
    assert!(xrd.contains("/.well-known/webfinger?resource={uri}"));
}
