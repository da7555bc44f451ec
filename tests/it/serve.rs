//! `affiche serve`: static files as Apache serves them, writes through the
//! binary itself as a CGI child.

use crate::harness::{Site, http};

#[test]
fn serve_gives_files_runs_the_cgi_and_hides_private_files() {
    let site = Site::new();
    let file = site.article("p", "title = \"Served\"", "Hello.");
    assert!(site.import(&[file]).status.success());
    let server = site.serve();
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
