//! The HTTP side of writes: a plain function from a request to a response,
//! so the same handler runs in-process in tests, as CGI under Apache, and
//! under `affiche serve`.

use http::{Method, Request, Response, StatusCode, header};

use crate::config::Config;
use crate::context::Context;
use crate::federation::documents;
use crate::federation::fetch::{FetchOptions, Fetcher};
use crate::federation::inbox;
use crate::federation::signer::SiteSigner;

/// The path of the CGI script as the web server saw it (`/blog/affiche.cgi`),
/// carried as a request extension for handlers that build links.
#[derive(Debug, Clone, Default)]
pub struct ScriptName(pub String);

/// Answers one request. The URI path is the route (CGI `PATH_INFO`).
pub fn handle(config: &Config, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let read_only = matches!(*request.method(), Method::GET | Method::HEAD);
    match request.uri().path() {
        "/health" if read_only => text(StatusCode::OK, &format!("affiche {}\n", crate::VERSION)),
        "/webfinger" if read_only => webfinger(config, request),
        "/health" | "/webfinger" => method_not_allowed("GET, HEAD"),
        "/inbox" if *request.method() == Method::POST => inbox(config, request),
        "/inbox" => method_not_allowed("POST"),
        _ => text(
            StatusCode::NOT_FOUND,
            "Not found: this address has no action.\n",
        ),
    }
}

/// POST /inbox (shared and the actor's own): opens the site, then hands over.
fn inbox(config: &Config, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let ctx = match Context::from_config(config.clone()) {
        Ok(ctx) => ctx,
        Err(err) => {
            eprintln!("affiche: inbox: {err:#}");
            return text(
                StatusCode::SERVICE_UNAVAILABLE,
                "The site cannot open its database; try again later.\n",
            );
        }
    };
    let signer = SiteSigner::lazy(&ctx);
    let fetcher = Fetcher::new(FetchOptions::for_site(config));
    inbox::receive(&ctx, &fetcher, &signer, request, jiff::Timestamp::now())
}

/// The value of one query parameter, percent-decoded.
pub fn query_param(request: &Request<Vec<u8>>, name: &str) -> Option<String> {
    let query = request.uri().query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// WebFinger (RFC 7033) for the site actor: 400 without a resource, 404
/// for anyone else, CORS open as the RFC asks.
fn webfinger(config: &Config, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let mut response = match query_param(request, "resource") {
        None => text(
            StatusCode::BAD_REQUEST,
            "Bad request: the `resource` parameter is missing (e.g. ?resource=acct:site@example.org).\n",
        ),
        Some(resource) if documents::is_site_resource(config, &resource) => {
            let body = documents::webfinger(config).to_string().into_bytes();
            let mut response = Response::new(body);
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/jrd+json; charset=utf-8"),
            );
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("max-age=3600"),
            );
            response
        }
        Some(_) => text(
            StatusCode::NOT_FOUND,
            "Not found: no account by that name here.\n",
        ),
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::HeaderValue::from_static("*"),
    );
    response
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

    #[test]
    fn webfinger_answers_for_the_site_only() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default_for_test(dir.path());
        let get = |uri: &str| handle(&config, &Request::get(uri).body(Vec::new()).unwrap());
        let found = get("/webfinger?resource=acct%3Asite%40example.org");
        assert_eq!(found.status(), StatusCode::OK);
        assert_eq!(
            found.headers()["content-type"],
            "application/jrd+json; charset=utf-8"
        );
        assert_eq!(found.headers()["access-control-allow-origin"], "*");
        let jrd: serde_json::Value = serde_json::from_slice(found.body()).unwrap();
        assert_eq!(jrd["links"][0]["href"], "https://example.org/actor");
        // Mastodon does not percent-encode the acct: value.
        assert_eq!(
            get("/webfinger?resource=acct:site@example.org").status(),
            StatusCode::OK
        );
        assert_eq!(
            get("/webfinger?resource=https://example.org/actor").status(),
            StatusCode::OK
        );
        assert_eq!(
            get("/webfinger?resource=acct:bob@example.org").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(get("/webfinger").status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            get("/webfinger?resource=%FF%FE").status(),
            StatusCode::NOT_FOUND
        );
    }
}
