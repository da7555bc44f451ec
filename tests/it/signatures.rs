//! HTTP signatures against an independent implementation: Python's
//! `cryptography` (tests/fixtures/httpsig_check.py) verifies what we sign,
//! and we verify what it signs.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use affiche::federation::signatures::{self, SignatureError, SigningKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{Method, Request};
use jiff::Timestamp;
use serde_json::{Value, json};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/httpsig_check.py"
);
const KEY_ID: &str = "https://blog.example/actor#main-key";
const DATE: &str = "Tue, 05 Mar 2024 10:00:00 GMT";
/// The same instant as `DATE`.
const NOW: i64 = 1_709_632_800;

const INSTALL: &str = "these tests need python3 with the `cryptography` package: \
     `python3 -m pip install cryptography` for a pyenv or venv python3, \
     or `apt-get install python3-cryptography` for Debian's /usr/bin/python3";

/// Runs the Python peer on `tasks`; fails, never skips, when it cannot run.
fn python(tasks: &Value) -> Vec<Value> {
    let mut child = match Command::new("python3")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("cannot run python3 ({error}); {INSTALL}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(tasks.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(3) {
        // The script's own message says what is missing and how to install it.
        panic!("{stderr}");
    }
    assert!(
        output.status.success(),
        "{SCRIPT} failed: {}\n{stderr}",
        output.status
    );
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results.len(), tasks.as_array().unwrap().len());
    results
}

fn now() -> Timestamp {
    Timestamp::from_second(NOW).unwrap()
}

/// A task for the Python verifier: the request as the receiver sees it.
fn verify_task(
    public_pem: &str,
    method: &str,
    target: &str,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Value {
    let headers: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(name, value)| (name.to_string(), json!(value.to_str().unwrap())))
        .collect();
    json!({
        "op": "verify",
        "public_key_pem": public_pem,
        "method": method,
        "target": target,
        "headers": headers,
        "body_b64": BASE64.encode(body),
    })
}

#[test]
fn python_verifies_our_signatures() {
    assert!(Path::new(SCRIPT).is_file(), "{SCRIPT} is missing");
    let site_key = affiche::keys::generate(0).unwrap();
    let key = SigningKey::from_pem(KEY_ID, &site_key.private_pem).unwrap();
    let public = &site_key.public_pem;
    let body = br#"{"type":"Create","object":{"content":"caf\u00e9"}}"#;

    let post = signatures::sign(
        &key,
        &Method::POST,
        "https://mastodon.example/users/alice/inbox",
        Some(body),
        now(),
    )
    .unwrap();
    let get_port_query = signatures::sign(
        &key,
        &Method::GET,
        "http://127.0.0.1:8080/users/bob/outbox?page=2&min_id=5",
        None,
        now(),
    )
    .unwrap();
    let get_plain = signatures::sign(
        &key,
        &Method::GET,
        "https://remote.example/actor",
        None,
        now(),
    )
    .unwrap();
    let mut tampered_date = post.clone();
    tampered_date.insert("date", "Tue, 05 Mar 2024 10:00:01 GMT".parse().unwrap());

    let tasks = json!([
        verify_task(public, "POST", "/users/alice/inbox", &post, body),
        verify_task(
            public,
            "GET",
            "/users/bob/outbox?page=2&min_id=5",
            &get_port_query,
            b""
        ),
        verify_task(public, "GET", "/actor", &get_plain, b""),
        // The controls: the peer must refuse these, or it proves nothing.
        verify_task(public, "POST", "/users/alice/inbox", &post, b"{}"),
        verify_task(public, "POST", "/users/alice/inbox", &tampered_date, body),
    ]);
    let results = python(&tasks);
    let verdicts: Vec<(bool, &str)> = results
        .iter()
        .map(|r| (r["ok"].as_bool().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            (true, ""),
            (true, ""),
            (true, ""),
            (false, "digest does not match"),
            (false, "signature does not verify"),
        ],
        "results: {results:#?}"
    );
}

/// The request a CGI receiver builds: lowercase header names, and a URI that
/// is the CGI route, not the signed target.
fn received(method: Method, headers: &Value, body: &[u8]) -> Request<Vec<u8>> {
    let mut builder = Request::builder().method(method).uri("/inbox");
    for (name, value) in headers.as_object().unwrap() {
        builder = builder.header(name.as_str(), value.as_str().unwrap());
    }
    builder.body(body.to_vec()).unwrap()
}

#[test]
fn we_verify_python_signatures() {
    let body = br#"{"type":"Like","object":"https://blog.example/articles/hello"}"#;
    let body_b64 = BASE64.encode(body);
    let sign_task = |method: &str, url: &str, body: Option<&str>, algorithm: &str, names: &str| {
        json!({
            "op": "sign",
            "method": method,
            "url": url,
            "body_b64": body,
            "key_id": "https://python.example/users/py#main-key",
            "date": DATE,
            "algorithm": algorithm,
            "headers": names.split(' ').collect::<Vec<_>>(),
        })
    };
    let tasks = json!([
        // Mastodon's POST.
        sign_task(
            "POST",
            "https://blog.example/actor/inbox",
            Some(&body_b64),
            "rsa-sha256",
            "(request-target) host date digest content-type"
        ),
        // Mastodon's GET, with a port and a query.
        sign_task(
            "GET",
            "http://blog.example:8080/articles/hello/replies?page=1",
            None,
            "rsa-sha256",
            "(request-target) host date"
        ),
        // GoToSocial's label, and no content-type signed.
        sign_task(
            "POST",
            "https://blog.example/inbox",
            Some(&body_b64),
            "hs2019",
            "(request-target) host date digest"
        ),
    ]);
    let results = python(&tasks);
    let cases = [
        (Method::POST, "/actor/inbox", &body[..]),
        (Method::GET, "/articles/hello/replies?page=1", &b""[..]),
        (Method::POST, "/inbox", &body[..]),
    ];
    for ((method, target, body), result) in cases.into_iter().zip(&results) {
        let request = received(method, &result["headers"], body);
        let signed = signatures::check(&request, target, now())
            .unwrap_or_else(|e| panic!("{target}: {e}\n{result:#}"));
        assert_eq!(signed.key_id(), "https://python.example/users/py#main-key");
        let public = result["public_key_pem"].as_str().unwrap();
        signed
            .verify(public)
            .unwrap_or_else(|e| panic!("{target}: {e}\n{result:#}"));
    }

    // Controls: the same requests, changed, must fail.
    let post = &results[0];
    let request = received(Method::POST, &post["headers"], b"{}");
    let error = signatures::check(&request, "/actor/inbox", now()).unwrap_err();
    assert_eq!(error.to_string(), "digest does not match the body");
    let request = received(Method::POST, &post["headers"], body);
    let signed = signatures::check(&request, "/inbox", now()).unwrap();
    let error = signed
        .verify(post["public_key_pem"].as_str().unwrap())
        .unwrap_err();
    assert!(
        matches!(error, SignatureError::DoesNotVerify { .. }),
        "{error}"
    );
}
