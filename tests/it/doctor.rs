//! `affiche doctor` against the test Apache: a good install passes; a
//! missing `.htaccess`, a downloadable database, a firewall in front of the
//! inbox and a wrong clock each fail the check they should, with advice.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::time::Duration;

use affiche::config::Config;
use affiche::doctor::{self, Check, Options, Outcome};

use crate::apache::Apache;
use crate::harness::{Site, give_to_apache, is_root};
use crate::remote::federating_site;

/// A federating site with one article, served by Apache at the address its
/// `base_url` names (plain http on loopback: the testing switch is on).
fn good_install() -> (Site, Apache) {
    let site = federating_site();
    let file = site.article("p", "title = \"Checked\"", "Looked at by the doctor.");
    assert!(site.import(&[file]).status.success());
    let apache = Apache::start(&site);
    let config = std::fs::read_to_string(&site.config).unwrap();
    let config = config.replace(
        "base_url = \"https://example.org\"",
        &format!("base_url = \"http://{}\"", apache.address),
    );
    std::fs::write(&site.config, config).unwrap();
    // The actor and the twins now carry the loopback address.
    site.ok(&["rebuild"]);
    give_to_apache(&site);
    (site, apache)
}

fn run(site: &Site, options: &Options) -> Vec<Check> {
    let config = Config::load(&site.config).unwrap();
    let checks = doctor::run(&config, options);
    // The doctor opened the database as this user: give it back.
    give_to_apache(site);
    checks
}

fn find<'a>(checks: &'a [Check], name: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name} in {checks:#?}"))
}

/// The failure of check `name`: (what, advice).
fn failure<'a>(checks: &'a [Check], name: &str, apache: &Apache) -> (&'a str, &'a str) {
    match &find(checks, name).outcome {
        Outcome::Fail { what, advice } => (what, advice),
        other => panic!(
            "{name} should fail, got {other:?}\n{}\n{}",
            doctor::report(checks),
            apache.error_log()
        ),
    }
}

#[test]
fn a_good_install_passes_every_check() {
    let (site, apache) = good_install();
    let checks = run(&site, &Options::default());
    let report = doctor::report(&checks);
    let names: Vec<&str> = checks.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "htaccess",
            "cgi",
            "webfinger-root",
            "json-twin",
            "private-files",
            "permissions",
            "outbound-https",
            "clock",
            "inbox"
        ]
    );
    for check in &checks {
        match (&check.outcome, check.name) {
            (Outcome::Pass, _) => {}
            // Run as root, the tests write as root into www-data's files:
            // exactly what the warning is for.
            (Outcome::Warn(why), "permissions") if is_root() => {
                assert!(why.contains("www-data"), "{why}");
            }
            _ => panic!("{report}\n{}", apache.error_log()),
        }
    }
    assert_eq!(doctor::exit_code(&checks), 0, "{report}");
    assert!(report.ends_with("0 failure(s)\n"), "{report}");
    assert!(
        !apache
            .error_log()
            .contains("Premature end of script headers"),
        "{}",
        apache.error_log()
    );
}

#[test]
fn without_the_htaccess_the_rewrites_and_the_cgi_fail_with_advice() {
    let (site, apache) = good_install();
    std::fs::remove_file(site.docroot.join(".htaccess")).unwrap();
    let checks = run(&site, &Options::default());
    let (what, advice) = failure(&checks, "htaccess", &apache);
    assert!(what.contains("/.well-known/webfinger"), "{what}");
    assert!(what.contains("404"), "{what}");
    assert!(advice.contains(".htaccess"), "{advice}");
    assert!(advice.contains("AllowOverride"), "{advice}");
    let (what, advice) = failure(&checks, "cgi", &apache);
    assert!(what.contains("download"), "{what}");
    assert!(advice.contains(".htaccess"), "{advice}");
    assert!(advice.contains("AllowOverride"), "{advice}");
    assert!(advice.contains("ExecCGI"), "{advice}");
    // The inbox is not reached either; that is not a firewall's doing.
    let (_, advice) = failure(&checks, "inbox", &apache);
    assert!(advice.contains("AllowOverride"), "{advice}");
    assert_eq!(doctor::exit_code(&checks), 1);
    let report = doctor::report(&checks);
    assert!(report.contains("FAIL  .htaccess honoured"), "{report}");
    assert!(report.contains("what to do: "), "{report}");
}

#[test]
fn a_downloadable_database_fails_the_private_files_check() {
    let (site, apache) = good_install();
    std::fs::copy(
        site.root().join("affiche.sqlite"),
        site.docroot.join("affiche.sqlite"),
    )
    .unwrap();
    let htaccess = std::fs::read_to_string(site.docroot.join(".htaccess")).unwrap();
    let start = htaccess.find("<FilesMatch \"(\\.(sqlite").unwrap();
    let end = start + htaccess[start..].find("</FilesMatch>").unwrap() + "</FilesMatch>".len();
    let open = format!("{}{}", &htaccess[..start], &htaccess[end..]);
    std::fs::write(site.docroot.join(".htaccess"), open).unwrap();
    give_to_apache(&site);

    let checks = run(&site, &Options::default());
    let (what, advice) = failure(&checks, "private-files", &apache);
    assert!(
        what.contains("/affiche.sqlite gave the database itself"),
        "{what}"
    );
    assert!(advice.contains("out of the docroot"), "{advice}");
    assert!(advice.contains("Require all denied"), "{advice}");
    assert_eq!(find(&checks, "htaccess").outcome, Outcome::Pass);
    assert_eq!(doctor::exit_code(&checks), 1);
}

#[test]
fn a_firewall_in_front_of_the_inbox_is_named() {
    let (site, apache) = good_install();
    // What ModSecurity does to a POST it dislikes: a 403 page from the server.
    let htaccess = std::fs::read_to_string(site.docroot.join(".htaccess")).unwrap();
    let waf = htaccess.replacen(
        "RewriteEngine On\n",
        "RewriteEngine On\nRewriteCond %{REQUEST_METHOD} POST\nRewriteRule ^(actor/)?inbox$ - [F]\n",
        1,
    );
    assert_ne!(waf, htaccess);
    std::fs::write(site.docroot.join(".htaccess"), waf).unwrap();
    give_to_apache(&site);

    let checks = run(&site, &Options::default());
    let (what, advice) = failure(&checks, "inbox", &apache);
    assert!(what.contains("403"), "{what}");
    assert!(what.contains("not an answer from Affiche"), "{what}");
    assert!(advice.contains("ModSecurity"), "{advice}");
    assert_eq!(find(&checks, "htaccess").outcome, Outcome::Pass);
}

/// A server whose `Date` is `offset` seconds off; it answers everything 200.
fn server_with_clock_off(offset: i64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&request).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let body_start = head.find("\r\n\r\n").map_or(request.len(), |i| i + 4);
            let mut got = request.len().saturating_sub(body_start);
            while got < length {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got += n,
                }
            }
            let date = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(offset);
            let date = jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_rfc9110_string(&date)
                .unwrap();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            );
        }
    });
    format!("http://{address}")
}

#[test]
fn a_server_clock_off_by_minutes_fails_and_by_two_a_warning() {
    let site = federating_site();
    for (offset, failed) in [(-600, true), (120, false)] {
        let options = Options {
            base_url: Some(server_with_clock_off(offset)),
            timeout: Duration::from_secs(5),
            outbound_url: None,
        };
        let config = Config::load(&site.config).unwrap();
        let checks = doctor::run(&config, &options);
        let clock = find(&checks, "clock");
        match (&clock.outcome, failed) {
            (Outcome::Fail { what, advice }, true) => {
                // A second or so may pass between the answer and our reading.
                assert!(what.contains("s behind this machine"), "{what}");
                let seconds: i64 = what
                    .split_whitespace()
                    .find_map(|w| w.parse().ok())
                    .unwrap();
                assert!((598..=602).contains(&seconds), "{what}");
                assert!(advice.contains("NTP"), "{advice}");
            }
            (Outcome::Warn(why), false) => assert!(why.contains("ahead of"), "{why}"),
            other => panic!("offset {offset}: {other:?}"),
        }
        // The fake server is no site: the other checks fail, the run goes on.
        assert!(find(&checks, "htaccess").failed());
        assert_eq!(doctor::exit_code(&checks), 1);
    }
}

#[test]
fn a_program_that_cannot_run_fails_the_local_permissions_check() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = federating_site();
    let cgi = site.docroot.join("affiche.cgi");
    std::fs::copy(crate::harness::BIN, &cgi).unwrap();
    std::fs::set_permissions(&cgi, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Nothing listens there: the network checks fail at once.
    let options = Options {
        base_url: Some("http://127.0.0.1:1".into()),
        timeout: Duration::from_secs(2),
        outbound_url: None,
    };
    let checks = doctor::run(&Config::load(&site.config).unwrap(), &options);
    match &find(&checks, "permissions").outcome {
        Outcome::Fail { what, advice } => {
            assert!(what.contains("affiche.cgi is not executable"), "{what}");
            assert!(advice.contains("755"), "{advice}");
        }
        other => panic!("{other:?}"),
    }
    std::fs::set_permissions(&cgi, std::fs::Permissions::from_mode(0o775)).unwrap();
    let checks = doctor::run(&Config::load(&site.config).unwrap(), &options);
    match &find(&checks, "permissions").outcome {
        Outcome::Warn(why) => assert!(why.contains("suEXEC"), "{why}"),
        other => panic!("{other:?}"),
    }
    let (what, advice) = match &find(&checks, "htaccess").outcome {
        Outcome::Fail { what, advice } => (what, advice),
        other => panic!("{other:?}"),
    };
    assert!(what.contains("could not be fetched"), "{what}");
    assert!(advice.contains("DNS"), "{advice}");
}
