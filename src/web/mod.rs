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

pub mod admin;
pub mod admin_settings;
pub mod admin_tools;
pub mod editor;
pub mod events;
pub mod forms;
pub mod join;
pub mod login;
pub mod pages;
pub mod report;
pub mod session;
pub mod setup;
pub mod upload;

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
        path if is_app_path(path) || join::handles(path) => app(config, request),
        _ => text(
            StatusCode::NOT_FOUND,
            &format!("{}\n", plain_words(config, request).t("error-no-action")),
        ),
    }
}

/// The pages of people: login, the editor, the admin, the report form.
fn is_app_path(path: &str) -> bool {
    ["/login", "/logout", "/editor", "/admin", "/report"]
        .iter()
        .any(|p| {
            path == *p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// Opens the site, reads who is asking, answers, and adds the cookies.
fn app(config: &Config, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let mut ctx = match Context::from_config(config.clone()) {
        Ok(ctx) => ctx,
        Err(err) => {
            eprintln!("affiche: {err:#}");
            return text(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!("{}\n", plain_words(config, request).t("error-no-database")),
            );
        }
    };
    ctx.lang = visitor_language(config, request);
    let now = jiff::Timestamp::now().as_second();
    let outcome = session::Visitor::read(&ctx, request, now).and_then(|visitor| {
        let (answer, queued) = route_app(&ctx, &visitor, request, now)?;
        let mut response = visitor.finish(answer.into_response());
        if queued {
            response.extensions_mut().insert(inbox::QueuedWork);
        }
        Ok(response)
    });
    match outcome {
        Ok(response) => response,
        Err(err) => {
            eprintln!(
                "affiche: {} {}: {err:#}",
                request.method(),
                request.uri().path()
            );
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("{}\n", ctx.words().t("error-internal")),
            )
        }
    }
}

/// Words for a plain-text answer made before the site is open.
fn plain_words(config: &Config, request: &Request<Vec<u8>>) -> crate::i18n::Messages {
    crate::i18n::Messages::for_tag(
        std::sync::Arc::new(crate::i18n::I18n::new()),
        &visitor_language(config, request),
        &config.language,
    )
}

/// The language of the pages a visitor uses: the browser's first choice
/// that has a catalog, else the site's.
pub fn visitor_language(config: &Config, request: &Request<Vec<u8>>) -> String {
    let header = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    crate::i18n::negotiate(header, &config.language)
}

fn route_app(
    ctx: &Context,
    visitor: &session::Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<(pages::Answer, bool)> {
    let path = request.uri().path().trim_end_matches('/');
    let get = matches!(*request.method(), Method::GET | Method::HEAD);
    let post = *request.method() == Method::POST;
    let form = || forms::Form::parse(request);
    let bad_form = |why: String| {
        Ok((
            pages::message(
                ctx,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &ctx.words().t("error-not-a-form"),
                &[&why],
                None,
                true,
            ),
            false,
        ))
    };
    let queued_pair = |answer: pages::Answer| -> anyhow::Result<(pages::Answer, bool)> {
        let queued = matches!(&answer, pages::Answer::Response(r) if r.extensions().get::<inbox::QueuedWork>().is_some());
        Ok((answer, queued))
    };
    if let Some(answer) = join::route(ctx, visitor, request, now)? {
        return Ok(answer);
    }
    // A blocked author keeps no access to the editor, even with a session
    // opened before the block.
    if let Some(author) = visitor
        .author
        .as_ref()
        .filter(|_| visitor.session.is_some())
    {
        if path.starts_with("/editor") && ctx.config.authors.is_blocked(&author.handle) {
            return Ok((
                pages::message(
                    ctx,
                    StatusCode::FORBIDDEN,
                    &ctx.words().t("settings-account-blocked"),
                    &[&ctx.words().t_with(
                        "settings-account-blocked-text",
                        &[("handle", format!("@{}", author.handle).into())],
                    )],
                    None,
                    true,
                ),
                false,
            ));
        }
    }
    match path {
        "/login" if get => Ok((login::show(ctx, visitor), false)),
        "/login" if post => match form() {
            Ok(form) => queued_pair(login::start(ctx, visitor, request, &form, now)?),
            Err(why) => bad_form(why),
        },
        "/login/wait" if get => Ok((login::wait(ctx, visitor, request, now)?, false)),
        "/login/link" if get => Ok((login::link_page(ctx, visitor, request, now)?, false)),
        "/login/link" if post => match form() {
            Ok(form) => Ok((
                login::link_confirm(ctx, visitor, request, &form, now)?,
                false,
            )),
            Err(why) => bad_form(why),
        },
        "/logout" | "/logout/everywhere" if post => match form() {
            Ok(form) => Ok((
                login::logout(ctx, visitor, &form, path.ends_with("everywhere"))?,
                false,
            )),
            Err(why) => bad_form(why),
        },
        "/editor" if get => Ok((editor::list(ctx, visitor, request)?, false)),
        "/editor/new" if get => Ok((editor::new(ctx, visitor)?, false)),
        "/editor/new" if post => match form() {
            Ok(form) => editor::submit(ctx, visitor, &form, None, now),
            Err(why) => bad_form(why),
        },
        p if admin::handles(p) => admin::route(ctx, visitor, request, now),
        p if report::handles(p) => report::route(ctx, visitor, request, now),
        p if p == "/editor/events" || p.starts_with("/editor/events/") => {
            events::route(ctx, visitor, request, now)
        }
        _ => {
            let rest = path.strip_prefix("/editor/").unwrap_or("");
            let (id, sub) = rest.split_once('/').unwrap_or((rest, ""));
            let id = id.parse::<i64>().ok().filter(|_| !rest.is_empty());
            match (id, sub) {
                (Some(id), "") if get => Ok((editor::edit(ctx, visitor, request, id)?, false)),
                (Some(id), "") if post => match form() {
                    Ok(form) => editor::submit(ctx, visitor, &form, Some(id), now),
                    Err(why) => bad_form(why),
                },
                (Some(id), "cover") if post => {
                    if visitor.session.is_none() {
                        return Ok((editor::login_redirect(ctx), false));
                    }
                    match editor::owned_article(ctx, visitor, id)? {
                        Some(article) => upload::cover(ctx, visitor, request, &article, now),
                        None => Ok((editor::missing(ctx), false)),
                    }
                }
                (Some(_), "" | "cover") => Ok((
                    pages::Answer::Response(method_not_allowed(if sub.is_empty() {
                        "GET, POST"
                    } else {
                        "POST"
                    })),
                    false,
                )),
                _ if path == "/login" || path == "/login/link" || path == "/editor/new" => Ok((
                    pages::Answer::Response(method_not_allowed("GET, POST")),
                    false,
                )),
                _ if path == "/login/wait" || path == "/editor" => {
                    Ok((pages::Answer::Response(method_not_allowed("GET")), false))
                }
                _ if path.starts_with("/logout") && !get => {
                    Ok((pages::Answer::Response(method_not_allowed("POST")), false))
                }
                _ => Ok((
                    pages::message(
                        ctx,
                        StatusCode::NOT_FOUND,
                        &ctx.words().t("not-found-title"),
                        &[&ctx.words().t("not-found-here")],
                        None,
                        true,
                    ),
                    false,
                )),
            }
        }
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
