//! The CGI adapter: the environment and stdin in, an `http::Request` to
//! [`crate::web::handle`], its response out on stdout. Guarded so that no
//! input can make the process die without an answer: an oversized body gets
//! 413 before it is read, a malformed request 400, a panic 500.

use std::io::{Read, Write};
use std::path::PathBuf;

use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};

use crate::config::Config;
use crate::federation::inbox::{QueuedWork, RequestTarget};
use crate::web::forms::ClientAddress;
use crate::web::{self, ScriptName};

/// Body limit used when the config cannot be read, to still refuse floods.
const FALLBACK_MAX_BODY: u64 = 1024 * 1024;

/// Runs one CGI request from the real process environment.
pub fn run() {
    let env: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from));
    let response = std::panic::catch_unwind(|| {
        let stdin = std::io::stdin();
        respond(&env, &mut stdin.lock(), exe_dir.as_deref())
    })
    .unwrap_or_else(|_| {
        web::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error: the request could not be handled. The details are in the server's error log.\n",
        )
    });
    {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if let Err(err) = write_response(&mut out, &response) {
            eprintln!("affiche: cannot write the CGI response: {err}");
        }
    }
    // The answer is out; work a write queued (deliveries) starts now, in a
    // detached worker, so no request waits for remote servers.
    let queued = response.extensions().get::<QueuedWork>().is_some();
    if let Some(path) = find_config(&env, exe_dir.as_deref()).filter(|_| queued) {
        crate::jobs::kick(&path);
    }
}

/// Where the config is found: `AFFICHE_CONFIG`, else the usual places next
/// to the binary (`../affiche/affiche.toml`, `../affiche.toml`, and
/// `.affiche/affiche.toml` where the setup page puts it on a host whose
/// docroot has no writable parent).
pub fn find_config(env: &[(String, String)], exe_dir: Option<&std::path::Path>) -> Option<PathBuf> {
    if let Some((_, path)) = env.iter().find(|(k, _)| k == "AFFICHE_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let dir = exe_dir?;
    [
        "../affiche/affiche.toml",
        "../affiche.toml",
        ".affiche/affiche.toml",
    ]
    .iter()
    .map(|rel| dir.join(rel))
    .find(|p| p.is_file())
}

/// Builds the request, loads the config and answers.
pub fn respond(
    env: &[(String, String)],
    stdin: &mut dyn Read,
    exe_dir: Option<&std::path::Path>,
) -> Response<Vec<u8>> {
    let found = find_config(env, exe_dir);
    if let (None, Some(dir)) = (&found, exe_dir) {
        // No site yet: install by upload, the setup page answers.
        return match read_request(env, stdin, FALLBACK_MAX_BODY) {
            Ok(request) => web::setup::handle(env, &request, dir),
            Err(response) => *response,
        };
    }
    let config = match found {
        Some(path) => Config::load(&path).map_err(|err| format!("{err:#}")),
        None => Err("no config found: set AFFICHE_CONFIG in .htaccess (SetEnv AFFICHE_CONFIG /path/to/affiche.toml) or put affiche.toml in ../affiche/".to_string()),
    };
    // Only the editor takes uploads; everything else, the inbox first,
    // keeps the small limit.
    let uploads = get(env, "PATH_INFO").is_some_and(|p| p.starts_with("/editor/"));
    let limit = config
        .as_ref()
        .map(|c| {
            if uploads {
                c.limits.max_upload_bytes
            } else {
                c.limits.max_body_bytes
            }
        })
        .unwrap_or(FALLBACK_MAX_BODY);
    let request = match read_request(env, stdin, limit) {
        Ok(request) => request,
        Err(response) => return *response,
    };
    match config {
        Ok(config) => {
            let mut response = web::handle(&config, &request);
            // A new binary or template: the worker renders the site again.
            if crate::render::fingerprint::is_stale(&config) {
                response.extensions_mut().insert(QueuedWork);
            }
            response
        }
        Err(message) => {
            eprintln!("affiche: {message}");
            web::text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "This site is not configured correctly; its owner can run `affiche doctor` or read the server's error log.\n",
            )
        }
    }
}

fn get<'a>(env: &'a [(String, String)], key: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn bad_request(why: &str) -> Box<Response<Vec<u8>>> {
    Box::new(web::text(
        StatusCode::BAD_REQUEST,
        &format!("Bad request: {why}\n"),
    ))
}

/// Turns the CGI environment and stdin into a request, or an error response.
pub fn read_request(
    env: &[(String, String)],
    stdin: &mut dyn Read,
    limit: u64,
) -> Result<Request<Vec<u8>>, Box<Response<Vec<u8>>>> {
    let method = get(env, "REQUEST_METHOD").unwrap_or("GET");
    let method =
        Method::from_bytes(method.as_bytes()).map_err(|_| bad_request("invalid method"))?;
    let length = match get(env, "CONTENT_LENGTH").map(str::trim) {
        None | Some("") => 0,
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| bad_request("Content-Length is not a number"))?,
    };
    if length > limit {
        return Err(Box::new(web::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("Request body too large: {length} bytes, the limit is {limit}.\n"),
        )));
    }
    let mut uri = get(env, "PATH_INFO").unwrap_or("").to_string();
    if !uri.starts_with('/') {
        uri.insert(0, '/');
    }
    if let Some(query) = get(env, "QUERY_STRING").filter(|q| !q.is_empty()) {
        uri.push('?');
        uri.push_str(query);
    }
    // What the client asked for, before any rewrite: what it signed.
    let target = get(env, "REQUEST_URI")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}{uri}", get(env, "SCRIPT_NAME").unwrap_or("")));
    let mut builder = Request::builder()
        .method(method)
        .uri(uri.as_str())
        .extension(ScriptName(
            get(env, "SCRIPT_NAME").unwrap_or("").to_string(),
        ))
        .extension(RequestTarget(target))
        .extension(ClientAddress(
            get(env, "REMOTE_ADDR").unwrap_or("").to_string(),
        ));
    for (key, value) in env {
        let name = match key.as_str() {
            "CONTENT_TYPE" => "content-type".to_string(),
            "CONTENT_LENGTH" => "content-length".to_string(),
            _ => match key.strip_prefix("HTTP_") {
                Some(rest) => rest.to_ascii_lowercase().replace('_', "-"),
                None => continue,
            },
        };
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| bad_request("invalid header name"))?;
        let value =
            HeaderValue::from_str(value).map_err(|_| bad_request("invalid header value"))?;
        builder = builder.header(name, value);
    }
    let size = usize::try_from(length).map_err(|_| bad_request("body too large"))?;
    let mut body = vec![0u8; size];
    stdin
        .read_exact(&mut body)
        .map_err(|_| bad_request("the body is shorter than its Content-Length"))?;
    builder
        .body(body)
        .map_err(|_| bad_request("invalid request line"))
}

/// Writes a CGI response: `Status:` and the headers, a blank line, the body.
pub fn write_response(out: &mut dyn Write, response: &Response<Vec<u8>>) -> std::io::Result<()> {
    let status = response.status();
    let mut head = format!(
        "Status: {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in response.headers() {
        if let Ok(value) = value.to_str() {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\n\r\n",
        response.body().len()
    ));
    out.write_all(head.as_bytes())?;
    out.write_all(response.body())?;
    out.flush()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_oversized_body_is_refused_before_reading() {
        struct Explodes;
        impl Read for Explodes {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                panic!("the body must not be read")
            }
        }
        let e = env(&[
            ("REQUEST_METHOD", "POST"),
            ("CONTENT_LENGTH", "999999999999"),
        ]);
        let response = read_request(&e, &mut Explodes, 1024).unwrap_err();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn malformed_requests_get_400() {
        for pairs in [
            vec![("REQUEST_METHOD", "GET"), ("CONTENT_LENGTH", "-1")],
            vec![("REQUEST_METHOD", "G E T")],
            vec![("REQUEST_METHOD", "GET"), ("PATH_INFO", "/a b")],
            vec![("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "10")],
        ] {
            let response = read_request(&env(&pairs), &mut &b"short"[..], 1024).unwrap_err();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{pairs:?}");
        }
    }

    #[test]
    fn headers_and_body_are_mapped() {
        let e = env(&[
            ("REQUEST_METHOD", "POST"),
            ("PATH_INFO", "/inbox"),
            ("QUERY_STRING", "a=1"),
            ("CONTENT_LENGTH", "4"),
            ("CONTENT_TYPE", "application/activity+json"),
            ("HTTP_SIGNATURE", "keyId=\"x\""),
            ("HTTP_HOST", "example.org"),
        ]);
        let request = read_request(&e, &mut &b"body"[..], 1024).unwrap();
        assert_eq!(request.uri(), "/inbox?a=1");
        assert_eq!(
            request.headers()["content-type"],
            "application/activity+json"
        );
        assert_eq!(request.headers()["signature"], "keyId=\"x\"");
        assert_eq!(request.headers()["host"], "example.org");
        assert_eq!(request.body(), b"body");
    }

    #[test]
    fn the_response_has_a_status_line_and_length() {
        let mut out = Vec::new();
        write_response(&mut out, &web::text(StatusCode::NOT_FOUND, "no")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Status: 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 2\r\n\r\nno"), "{text}");
    }
}
