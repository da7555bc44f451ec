//! Query strings as the web layer reads them: `form_urlencoded::parse` on
//! any bytes, and GET/HEAD `/webfinger?<query>` through `web::handle`,
//! which always answers with a status and never panics.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use affiche::config::Config;
use http::{Method, Request, StatusCode};
use libfuzzer_sys::fuzz_target;

/// WebFinger reads only the config: the folder is never written.
fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG
        .get_or_init(|| Config::default_for_test(&PathBuf::from("/nonexistent/affiche-fuzz-form")))
}

/// Bytes a URI query may not hold as they are, percent-encoded.
fn encode_query(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for &b in data {
        let plain = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b);
        if plain {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn answer(method: Method, uri: &str) {
    // A URI that `http` refuses never reaches the handler in production
    // either (the CGI adapter answers 400 first).
    let Ok(request) = Request::builder().method(method).uri(uri).body(Vec::new()) else {
        return;
    };
    let response = affiche::web::handle(config(), &request);
    let status = response.status();
    assert!(
        [
            StatusCode::OK,
            StatusCode::BAD_REQUEST,
            StatusCode::NOT_FOUND
        ]
        .contains(&status),
        "unexpected status {status} for {uri:?}"
    );
    if status == StatusCode::OK {
        let body: serde_json::Value =
            serde_json::from_slice(response.body()).unwrap_or_else(|err| {
                panic!("WebFinger answered 200 with a body that is not JSON ({err}) for {uri:?}")
            });
        assert!(
            body.is_object(),
            "WebFinger JSON is not an object for {uri:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(data)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    // Re-encoding and parsing again gives the same pairs.
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let again: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(pairs, again, "form round trip through {encoded:?}");

    let method = if data.first().is_some_and(|b| b & 1 == 1) {
        Method::HEAD
    } else {
        Method::GET
    };
    if let Ok(raw) = std::str::from_utf8(data) {
        answer(method.clone(), &format!("/webfinger?{raw}"));
    }
    answer(method, &format!("/webfinger?{}", encode_query(data)));
});
