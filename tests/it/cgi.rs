//! The real binary run as a CGI program: environment and stdin in, a
//! complete response out, whatever the input.

use crate::harness::{Site, cgi, cgi_status, text};

fn with_config<'a>(site: &'a Site, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut env = vec![("AFFICHE_CONFIG", site.config.to_str().unwrap())];
    env.extend_from_slice(extra);
    env
}

#[test]
fn health_answers_200_with_the_version() {
    let site = Site::new();
    let output = cgi(
        &with_config(
            &site,
            &[
                ("REQUEST_METHOD", "GET"),
                ("PATH_INFO", "/health"),
                ("SCRIPT_NAME", "/affiche.cgi"),
            ],
        ),
        b"",
    );
    assert_eq!(cgi_status(&output), 200, "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .ends_with(&format!("affiche {}\n", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn a_body_over_the_limit_gets_413_without_being_read() {
    let site = Site::new();
    let env = with_config(
        &site,
        &[
            ("REQUEST_METHOD", "POST"),
            ("PATH_INFO", "/health"),
            ("CONTENT_LENGTH", "104857600"),
        ],
    );
    // Only a few bytes are sent: a program that tried to read 100 MB would hang.
    let output = cgi(&env, b"tiny");
    assert_eq!(cgi_status(&output), 413, "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("the limit is 1048576"));
}

#[test]
fn malformed_requests_get_400_never_a_crash() {
    let site = Site::new();
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "many")],
        vec![("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "100")],
        vec![("REQUEST_METHOD", "BR EW")],
        vec![("REQUEST_METHOD", "GET"), ("PATH_INFO", "/he alth")],
        vec![("REQUEST_METHOD", "GET"), ("HTTP_X_BAD", "a\u{1}b")],
    ];
    for case in cases {
        let output = cgi(&with_config(&site, &case), b"short");
        assert_eq!(cgi_status(&output), 400, "{case:?}\n{}", text(&output));
        assert!(
            output.status.success(),
            "{case:?}: the process must end normally"
        );
    }
}

#[test]
fn odd_but_valid_requests_get_a_proper_answer() {
    let site = Site::new();
    for (case, expected) in [
        (
            vec![("REQUEST_METHOD", "DELETE"), ("PATH_INFO", "/health")],
            405,
        ),
        (
            vec![("REQUEST_METHOD", "GET"), ("PATH_INFO", "/nothing-here")],
            404,
        ),
        (vec![("REQUEST_METHOD", "GET")], 404),
        (
            vec![
                ("REQUEST_METHOD", "GET"),
                ("PATH_INFO", "/health"),
                ("SERVER_PROTOCOL", "HTTP/9"),
            ],
            200,
        ),
    ] {
        let output = cgi(&with_config(&site, &case), b"");
        assert_eq!(cgi_status(&output), expected, "{case:?}\n{}", text(&output));
    }
}

#[test]
fn a_missing_or_broken_config_gets_500_with_a_reason_in_the_log() {
    let output = cgi(
        &[
            ("REQUEST_METHOD", "GET"),
            ("PATH_INFO", "/health"),
            ("AFFICHE_CONFIG", "/nonexistent/affiche.toml"),
        ],
        b"",
    );
    assert_eq!(cgi_status(&output), 500, "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/affiche.toml"));
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("/nonexistent"),
        "paths must not leak to visitors"
    );
}
