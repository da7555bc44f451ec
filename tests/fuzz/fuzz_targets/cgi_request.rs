//! The CGI adapter's reading of a request: `cgi::read_request` with an
//! environment of fuzzed names and values and fuzzed stdin never panics,
//! and a request it builds has the body its Content-Length announced.

#![no_main]

use affiche::cgi::read_request;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

/// The variables the adapter reads, and a few it should ignore.
const NAMES: &[&str] = &[
    "REQUEST_METHOD",
    "CONTENT_LENGTH",
    "CONTENT_TYPE",
    "PATH_INFO",
    "QUERY_STRING",
    "REQUEST_URI",
    "SCRIPT_NAME",
    "HTTP_HOST",
    "HTTP_DATE",
    "HTTP_DIGEST",
    "HTTP_SIGNATURE",
    "HTTP_ACCEPT",
    "HTTP_CONTENT_TYPE",
    "HTTP_",
    "HTTP__",
    "HTTP_X_FORWARDED_FOR",
    "SERVER_NAME",
    "AFFICHE_CONFIG",
];

#[derive(Debug, Arbitrary)]
enum Name {
    Known(u8),
    Header(String),
    Other(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    env: Vec<(Name, String)>,
    /// The body limit, in KiB (the default config says 1 MiB).
    limit_kib: u16,
    stdin: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let env: Vec<(String, String)> = input
        .env
        .into_iter()
        .map(|(name, value)| {
            let name = match name {
                Name::Known(i) => NAMES[usize::from(i) % NAMES.len()].to_string(),
                Name::Header(rest) => format!("HTTP_{rest}"),
                Name::Other(name) => name,
            };
            (name, value)
        })
        .collect();
    // Capped so a huge Content-Length under the limit cannot exhaust memory:
    // the limit is what protects the real adapter too.
    let limit = u64::from(input.limit_kib % 2048) * 1024;
    let mut stdin = input.stdin.as_slice();
    let Ok(request) = read_request(&env, &mut stdin, limit) else {
        return;
    };
    let announced = env
        .iter()
        .find(|(k, _)| k == "CONTENT_LENGTH")
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .map_or(0, |v| v.parse::<u64>().unwrap_or(u64::MAX));
    assert!(
        announced <= limit,
        "a body over the limit was read: {env:?}"
    );
    assert_eq!(
        request.body().len() as u64,
        announced,
        "the body is not the announced length: {env:?}"
    );
    assert!(
        request.uri().path().starts_with('/'),
        "the path does not start with /: {env:?}"
    );
});
