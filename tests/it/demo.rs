//! The README's first command: `affiche demo` makes a site with sample
//! articles, serves it on loopback and runs its own fediverse account, so
//! a newcomer logs in (the link printed on the console), reaches the admin
//! and publishes, with no network and no config to write.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::authors::Browser;
use crate::harness::BIN;

struct Demo {
    child: Child,
    output: Arc<Mutex<Vec<String>>>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Demo {
    fn start(dir: &std::path::Path, port: u16) -> Demo {
        let mut child = Command::new(BIN)
            .arg("demo")
            .arg(dir)
            .args(["--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    output.lock().unwrap().push(line);
                }
            });
        }
        Demo { child, output }
    }

    /// The first printed line containing `needle`, waiting up to 60 s.
    fn line_with(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(line) = self
                .output
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return line.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no line with {needle:?} in:\n{}",
                self.output.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Two free loopback ports side by side: the site and its account.
fn free_ports() -> u16 {
    for _ in 0..50 {
        let first = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = first.local_addr().unwrap().port();
        if port < 65535 && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
    panic!("no two free ports side by side");
}

#[test]
fn the_demo_serves_a_site_whose_account_logs_in_reaches_the_admin_and_publishes() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_ports();
    let demo = Demo::start(&dir.path().join("site"), port);
    demo.line_with("Serving Affiche demo on");
    let address = format!("127.0.0.1:{port}");
    let mut browser = Browser::at(&address);

    let home = browser.get("/");
    assert_eq!(home.status, 200, "{home:?}");
    assert!(home.body.contains("Affiche demo"), "{}", home.body);

    let handle = format!("@demo@127.0.0.1:{}", port + 1);
    let form = browser.get("/login");
    let asked = browser.post(
        "/login",
        &[
            ("csrf", &form.field("csrf")),
            ("handle", &handle),
            ("method", "link"),
        ],
    );
    assert_eq!(asked.status, 303, "{asked:?}");
    let printed = demo.line_with("/login/link?token=");
    let token = printed
        .split("token=")
        .nth(1)
        .unwrap()
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_string();
    let page = browser.get(&format!("/login/link?token={token}"));
    let done = browser.post(
        "/login/link",
        &[("csrf", &page.field("csrf")), ("token", &token)],
    );
    assert_eq!(done.status, 303, "{done:?}");

    // The demo account is the site's admin.
    let admin = browser.get("/admin");
    assert_eq!(admin.status, 200, "{admin:?}");
    assert!(admin.body.contains("/admin/settings"), "{}", admin.body);

    let form = browser.get("/editor/new");
    let sent = browser.post(
        "/editor/new",
        &[
            ("csrf", &form.field("csrf")),
            ("form_key", &form.field("form_key")),
            ("title", "Written in the demo"),
            ("body", "Words enough to read."),
            ("summary", ""),
            ("tags", ""),
            ("lang", "en"),
            ("action", "publish"),
        ],
    );
    assert_eq!(sent.status, 303, "{sent:?}");
    let page = browser.get("/articles/written-in-the-demo/");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("Written in the demo"));
    assert!(page.body.contains(&handle), "signed by the demo account");
}
