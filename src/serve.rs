//! `affiche serve`: a local web server for previews and the demo. It serves
//! the docroot as plain files, as Apache would, and runs every dynamic route
//! by executing this very binary as a CGI child with the environment Apache
//! gives, so `serve` and Apache exercise one code path.

use std::io::{Read as _, Write as _};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow};
use tiny_http::{Header, Request, Response, Server};

/// What the server needs to know; built once, shared by the worker threads.
pub struct ServeSettings {
    pub docroot: PathBuf,
    pub config_path: PathBuf,
    /// `""` or `/blog`: where the site lives under the server's root.
    pub root: String,
    pub program: PathBuf,
    pub max_body_bytes: u64,
    /// The editor's requests (uploads) have their own limit.
    pub max_upload_bytes: u64,
}

/// Binds, prints the address, and serves until the process is stopped.
pub fn serve(
    settings: ServeSettings,
    bind: &str,
    port: u16,
    on_ready: impl FnOnce(&str),
) -> Result<()> {
    let server = Server::http((bind, port))
        .map_err(|err| anyhow!("cannot listen on {bind}:{port}: {err}"))?;
    let address = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| format!("{bind}:{port}"));
    on_ready(&address);
    let server = Arc::new(server);
    let settings = Arc::new(settings);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let server = Arc::clone(&server);
            let settings = Arc::clone(&settings);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    if let Err(err) = answer(&settings, request) {
                        eprintln!("serve: {err:#}");
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn answer(settings: &ServeSettings, request: Request) -> Result<()> {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let script = format!("{}/affiche.cgi", settings.root);
    if path == script || path.starts_with(&format!("{script}/")) {
        let path_info = path[script.len()..].to_string();
        return run_cgi(settings, request, &script, &path_info, query);
    }
    let relative = path.strip_prefix(&settings.root).unwrap_or(path);
    if let Some(path_info) = dynamic_route(relative) {
        return run_cgi(settings, request, &script, &path_info, query);
    }
    serve_file(settings, request, relative)
}

/// The first segments of the pages the program answers (the .htaccess's
/// `^(login|logout|...)(/.*)?$` rule; a test keeps the two the same).
const APP_PREFIXES: &[&str] = &["login", "logout", "editor", "admin", "report"];

/// The addresses the shipped .htaccess hands to the program, mapped the
/// same way, so pages link to `/login` here as on the real host.
fn dynamic_route(relative: &str) -> Option<String> {
    let path = relative.trim_start_matches('/');
    let under = |prefix: &str, path: &str| {
        path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    let app = APP_PREFIXES.iter().any(|p| under(p, path));
    // events/<slug>/join, /leave, /participation...
    let taking_part = path.strip_prefix("events/").is_some_and(|rest| {
        rest.split_once('/').is_some_and(|(slug, action)| {
            !slug.is_empty()
                && ["join", "leave", "participation"]
                    .iter()
                    .any(|p| under(p, action))
        })
    });
    match path {
        ".well-known/webfinger" => Some("/webfinger".into()),
        "health" => Some("/health".into()),
        "inbox" | "actor/inbox" => Some("/inbox".into()),
        _ if app || taking_part => Some(format!("/{path}")),
        _ => None,
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "json" => "application/activity+json; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn serve_file(settings: &ServeSettings, request: Request, relative: &str) -> Result<()> {
    let decoded = percent_decode(relative);
    let safe = Path::new(decoded.trim_start_matches('/'))
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    // Private files never leave, as the shipped .htaccess denies them.
    let private =
        decoded.contains("/.") || decoded.ends_with(".sqlite") || decoded.ends_with(".toml");
    let mut file = settings.docroot.join(decoded.trim_start_matches('/'));
    if safe && !private && file.is_dir() {
        if !relative.ends_with('/') {
            let location = format!("{}{relative}/", settings.root);
            let mut response = Response::empty(301);
            if let Some(h) = header("Location", &location) {
                response.add_header(h);
            }
            return Ok(request.respond(response)?);
        }
        file = file.join("index.html");
    }
    if !safe || private || !file.is_file() {
        let page = std::fs::read(settings.docroot.join("404.html"))
            .unwrap_or_else(|_| b"Not found".to_vec());
        let mut response = Response::from_data(page).with_status_code(404);
        if let Some(h) = header("Content-Type", "text/html; charset=utf-8") {
            response.add_header(h);
        }
        return Ok(request.respond(response)?);
    }
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut response = Response::from_data(bytes);
    if let Some(h) = header("Content-Type", content_type(&file)) {
        response.add_header(h);
    }
    Ok(request.respond(response)?)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn run_cgi(
    settings: &ServeSettings,
    mut request: Request,
    script: &str,
    path_info: &str,
    query: &str,
) -> Result<()> {
    let limit = if path_info.starts_with("/editor/") {
        settings.max_upload_bytes
    } else {
        settings.max_body_bytes
    };
    let length = request.body_length().unwrap_or(0) as u64;
    if length > limit {
        let response = Response::from_string("Request body too large.\n").with_status_code(413);
        return Ok(request.respond(response)?);
    }
    let mut body = Vec::new();
    request.as_reader().take(limit + 1).read_to_end(&mut body)?;
    let remote = request
        .remote_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let mut command = Command::new(&settings.program);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env(
            "SERVER_SOFTWARE",
            format!("affiche-serve/{}", crate::VERSION),
        )
        .env("REQUEST_METHOD", request.method().as_str())
        .env("SCRIPT_NAME", script)
        .env("PATH_INFO", path_info)
        .env("QUERY_STRING", query)
        .env("REQUEST_URI", request.url())
        .env("REMOTE_ADDR", remote)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("AFFICHE_CONFIG", &settings.config_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for h in request.headers() {
        let name = h
            .field
            .as_str()
            .as_str()
            .to_ascii_uppercase()
            .replace('-', "_");
        match name.as_str() {
            "CONTENT_TYPE" => {
                command.env("CONTENT_TYPE", h.value.as_str());
            }
            "CONTENT_LENGTH" | "PROXY" => {}
            _ => {
                command.env(format!("HTTP_{name}"), h.value.as_str());
            }
        }
    }
    let mut child = command.spawn().context("cannot start the CGI program")?;
    if let Some(mut stdin) = child.stdin.take() {
        // A child that stops reading early must not hang us: ignore the error.
        let _ = stdin.write_all(&body);
    }
    let output = child.wait_with_output().context("the CGI program failed")?;
    let (status, headers, body) = parse_cgi_output(&output.stdout)?;
    let mut response = Response::from_data(body).with_status_code(status);
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("content-length") {
            if let Some(h) = header(&name, &value) {
                response.add_header(h);
            }
        }
    }
    Ok(request.respond(response)?)
}

/// A CGI program's answer: status, headers, body.
pub type CgiOutput = (u16, Vec<(String, String)>, Vec<u8>);

/// Splits a CGI program's output into status, headers and body.
pub fn parse_cgi_output(output: &[u8]) -> Result<CgiOutput> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let (consumed, parsed) = match httparse::parse_headers(output, &mut headers) {
        Ok(httparse::Status::Complete(done)) => done,
        _ => {
            return Err(anyhow!(
                "malformed CGI response headers (\"Premature end of script headers\")"
            ));
        }
    };
    let mut status = 200;
    let mut out = Vec::new();
    for h in parsed {
        let value = String::from_utf8_lossy(h.value).into_owned();
        if h.name.eq_ignore_ascii_case("status") {
            status = value
                .split_whitespace()
                .next()
                .and_then(|code| code.parse().ok())
                .ok_or_else(|| anyhow!("malformed CGI Status header '{value}'"))?;
        } else {
            if h.name.eq_ignore_ascii_case("location") && status == 200 {
                status = 302;
            }
            out.push((h.name.to_string(), value));
        }
    }
    Ok((status, out, output[consumed..].to_vec()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cgi_output_is_split() {
        let (status, headers, body) = parse_cgi_output(
            b"Status: 413 Payload Too Large\r\nContent-Type: text/plain\r\n\r\nbig",
        )
        .unwrap();
        assert_eq!(status, 413);
        assert_eq!(
            headers,
            vec![("Content-Type".to_string(), "text/plain".to_string())]
        );
        assert_eq!(body, b"big");
        assert!(parse_cgi_output(b"garbage without end").is_err());
    }

    #[test]
    fn the_program_answers_what_the_htaccess_hands_it() {
        let htaccess = include_str!("../install/htaccess");
        let rule = htaccess
            .lines()
            .find(|l| l.starts_with("RewriteRule ^(login|"))
            .expect("the app pages' rule in install/htaccess");
        let words = &rule["RewriteRule ^(".len()..rule.find(')').expect("a group")];
        assert_eq!(words.split('|').collect::<Vec<_>>(), APP_PREFIXES);
        for word in APP_PREFIXES {
            assert_eq!(dynamic_route(word), Some(format!("/{word}")));
            assert_eq!(
                dynamic_route(&format!("/{word}/x")),
                Some(format!("/{word}/x"))
            );
        }
        assert_eq!(dynamic_route("/loginx"), None);
        assert_eq!(
            dynamic_route("/events/picnic/join"),
            Some("/events/picnic/join".into())
        );
        assert_eq!(
            dynamic_route("/events/picnic/participation/confirm"),
            Some("/events/picnic/participation/confirm".into())
        );
        assert_eq!(dynamic_route("/events/picnic/"), None);
        assert_eq!(dynamic_route("/events/join"), None);
        assert_eq!(dynamic_route("/health"), Some("/health".into()));
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("/authors/a%40b.c/"), "/authors/a@b.c/");
        assert_eq!(percent_decode("/x%2"), "/x%2");
        assert_eq!(percent_decode("/caf%C3%A9"), "/café");
    }
}
