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
    let head = format!(
        "POST /health HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/activity+json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (status, response) = http(&apache.address, &head, &body);
    assert_eq!(status, 413, "{response}\n{}", apache.error_log());
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
