//! The HTTP side of writes: a plain function from a request to a response,
//! so the same handler runs in-process in tests, as CGI under Apache, and
//! under `affiche serve`.

use http::{Method, Request, Response, StatusCode, header};

use crate::config::Config;

/// The path of the CGI script as the web server saw it (`/blog/affiche.cgi`),
/// carried as a request extension for handlers that build links.
#[derive(Debug, Clone, Default)]
pub struct ScriptName(pub String);

/// Answers one request. The URI path is the route (CGI `PATH_INFO`).
pub fn handle(_config: &Config, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    match request.uri().path() {
        "/health" => match *request.method() {
            Method::GET | Method::HEAD => {
                text(StatusCode::OK, &format!("affiche {}\n", crate::VERSION))
            }
            _ => method_not_allowed("GET, HEAD"),
        },
        _ => text(
            StatusCode::NOT_FOUND,
            "Not found: this address has no action.\n",
        ),
    }
}

/// A plain-text response; every error the CGI gives is readable by a person.
pub fn text(status: StatusCode, body: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(body.as_bytes().to_vec());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

fn method_not_allowed(allow: &'static str) -> Response<Vec<u8>> {
    let mut response = text(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("Method not allowed: use {allow}.\n"),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static(allow));
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn health_answers_with_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default_for_test(dir.path());
        let request = Request::get("/health").body(Vec::new()).unwrap();
        let response = handle(&config, &request);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            String::from_utf8(response.into_body()).unwrap(),
            format!("affiche {}\n", crate::VERSION)
        );
        let request = Request::post("/health").body(Vec::new()).unwrap();
        assert_eq!(
            handle(&config, &request).status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
    }
}
