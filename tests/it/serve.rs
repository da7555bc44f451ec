//! `affiche serve`: static files as Apache serves them, writes through the
//! binary itself as a CGI child.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};

use crate::harness::{Site, command, http};

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site) -> Server {
    let mut child = command()
        .arg("--config")
        .arg(&site.config)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, address }
}

#[test]
fn serve_gives_files_runs_the_cgi_and_hides_private_files() {
    let site = Site::new();
    let file = site.article("p", "title = \"Served\"", "Hello.");
    assert!(site.import(&[file]).status.success());
    let server = start(&site);
    let (status, page) = http(
        &server.address,
        "GET /articles/served/ HTTP/1.0\r\n\r\n",
        b"",
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Hello."));
    let (status, page) = http(
        &server.address,
        "GET /articles/served HTTP/1.0\r\n\r\n",
        b"",
    );
    assert_eq!(status, 301, "{page}");
    let (status, page) = http(
        &server.address,
        "GET /affiche.cgi/health HTTP/1.0\r\n\r\n",
        b"",
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("affiche "), "{page}");
    for private in [
        "/../affiche.sqlite",
        "/.htaccess",
        "/%2e%2e/affiche.toml",
        "/nope/",
    ] {
        let (status, page) = http(
            &server.address,
            &format!("GET {private} HTTP/1.0\r\n\r\n"),
            b"",
        );
        assert_eq!(status, 404, "{private}: {page}");
    }
    let big = "POST /affiche.cgi/health HTTP/1.0\r\nContent-Length: 5000000\r\n\r\n";
    let (status, page) = http(&server.address, big, b"x");
    assert_eq!(status, 413, "{page}");
}
