//! Logging in with a fediverse handle: by a secret link the site sends in a
//! direct message, or by a code the author sends the site. Both prove
//! control of the account; neither gives anything to whoever only reads
//! the message: the login is bound to the browser that asked.

use http::{Request, Response, StatusCode, header};
use minijinja::context;

use crate::authors::{self, Limit};
use crate::config::LoginDm;
use crate::context::Context;
use crate::federation::documents::Endpoints;
use crate::federation::fetch::Fetcher;
use crate::federation::outbox;
use crate::federation::signer::SiteSigner;
use crate::participation::html_escape;
use crate::secrets;
use crate::store::{LoginMethod, LoginRequest, NewLogin};
use crate::web::forms::{Form, client_network, cookie, redirect};
use crate::web::pages::{Answer, message};
use crate::web::session::{PENDING_COOKIE, Visitor};

/// How long a link or code works.
pub const LOGIN_SECONDS: i64 = 15 * 60;
/// Wrong pairing codes before a link is spent for nothing.
const MAX_ATTEMPTS: i64 = 5;

/// What the pending-login cookie holds: the browser's secret (its hash
/// finds the login), and the codes this browser shows. They live in the
/// browser only: the database keeps their hashes.
struct Pending {
    secret: String,
    pair_code: String,
    dm_code: String,
}

impl Pending {
    fn read(request: &Request<Vec<u8>>) -> Option<Pending> {
        let value = cookie(request, PENDING_COOKIE)?;
        let mut parts = value.split('.');
        let secret = parts.next()?.to_string();
        let pair_code = secrets::normalize_code(parts.next()?)?;
        let dm_code = parts
            .next()
            .and_then(secrets::normalize_code)
            .unwrap_or_default();
        (secret.len() == 43).then_some(Pending {
            secret,
            pair_code,
            dm_code,
        })
    }

    fn value(&self) -> String {
        format!("{}.{}.{}", self.secret, self.pair_code, self.dm_code)
    }
}

pub fn form_page(
    ctx: &Context,
    visitor: &Visitor,
    handle: &str,
    error: &str,
    status: StatusCode,
) -> Answer {
    Answer::page(
        ctx,
        status,
        "login.html",
        &ctx.words().t("login-page-title"),
        "login",
        context! { csrf => &visitor.csrf, handle, error },
    )
}

/// GET /login
pub fn show(ctx: &Context, visitor: &Visitor) -> Answer {
    if visitor.author.is_some() {
        return Answer::Response(redirect(&format!(
            "{}/editor/",
            ctx.renderer.site_url().root
        )));
    }
    form_page(ctx, visitor, "", "", StatusCode::OK)
}

/// POST /login: checks, looks the account up, then sends the link (or
/// shows the code to send), and sends the browser to the waiting page.
pub fn start(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    form: &Form,
    now: i64,
) -> anyhow::Result<Answer> {
    let typed = form.text("handle");
    let refuse = |why: &str, status| Ok(form_page(ctx, visitor, &typed, why, status));
    if !visitor.csrf_ok(form) {
        return refuse(&ctx.words().t("error-form-expired"), StatusCode::FORBIDDEN);
    }
    let method = match form.get("method") {
        Some("code") => LoginMethod::Code,
        _ => LoginMethod::Link,
    };
    if typed.trim().is_empty() {
        return refuse(
            &ctx.words().t("login-type-handle"),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    // A double click, or a reload of the form: the login this browser
    // started a moment ago for the same account stands; nothing is sent
    // twice, and nothing more is counted against the limits.
    if let Some(previous) = Pending::read(request) {
        if let Some(login) = ctx
            .store
            .pending_login(&secrets::hash(&previous.secret), now)?
        {
            let same = login.handle == authors::normalize_handle(&typed) && login.method == method;
            if same && now - login.created_at < 60 {
                return Ok(Answer::Response(redirect(&format!(
                    "{}/login/wait",
                    ctx.renderer.site_url().root
                ))));
            }
        }
    }
    let address = client_network(request);
    let limits = &ctx.config.limits;
    // Old sessions, logins and counted events go here, where they pile up.
    ctx.store.prune_auth(now, now - 3600)?;
    if let Err(minutes) = authors::take(&ctx.store, limits, Limit::PerAddress, &address, now)? {
        return refuse(
            &ctx.words()
                .t_with("login-too-many-network", &[("minutes", minutes.into())]),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    // The policy is checked on the handle as typed before any lookup, and
    // again on the account found (a profile URL names its host only then).
    if !typed.contains("://") {
        if let Err(why) = crate::federation::fetch::Handle::parse(&typed)
            .map_err(|e| e.to_string())
            .and_then(|_| authors::check_policy(&ctx.config, &typed, &ctx.words()))
        {
            let why = if why.contains("handle") || why.contains("expected") {
                format!(
                    "'{}' is not a fediverse handle: type it as @user@instance, for example @alice@mastodon.social.",
                    typed.trim()
                )
            } else {
                why
            };
            return refuse(&why, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    let fetcher = Fetcher::new(crate::federation::fetch::FetchOptions::for_site(
        &ctx.config,
    ));
    let signer = SiteSigner::lazy(ctx);
    let found = match authors::look_up(&ctx.config, &fetcher, &signer, &typed, now, &ctx.words()) {
        Ok(found) => found,
        Err(why) => return refuse(&why, StatusCode::UNPROCESSABLE_ENTITY),
    };
    if let Err(why) = authors::check_policy(&ctx.config, &found.handle, &ctx.words()) {
        return refuse(&why, StatusCode::FORBIDDEN);
    }
    if method == LoginMethod::Link {
        for (limit, key, who) in [
            (
                Limit::PerHandle,
                found.handle.as_str(),
                "login-too-many-account",
            ),
            (Limit::Site, "", "login-too-many-site"),
        ] {
            if let Err(minutes) = authors::take(&ctx.store, limits, limit, key, now)? {
                return refuse(
                    &ctx.words().t_with(who, &[("minutes", minutes.into())]),
                    StatusCode::TOO_MANY_REQUESTS,
                );
            }
        }
    }
    let pending = Pending {
        secret: secrets::token()?,
        pair_code: secrets::code()?,
        dm_code: if method == LoginMethod::Code {
            secrets::code()?
        } else {
            String::new()
        },
    };
    let token = secrets::token()?;
    ctx.store.save_remote_actor(&found.actor)?;
    let mut queued = false;
    ctx.store.transaction(|store| {
        store.insert_login(&NewLogin {
            actor_id: found.actor.id.clone(),
            handle: found.handle.clone(),
            method,
            token_hash: (method == LoginMethod::Link).then(|| secrets::hash(&token)),
            code_hash: (method == LoginMethod::Code).then(|| secrets::hash(&pending.dm_code)),
            browser_hash: secrets::hash(&pending.secret),
            pair_hash: secrets::hash(&pending.pair_code),
            client_ip: address.clone(),
            now,
            expires_at: now + LOGIN_SECONDS,
        })?;
        if method == LoginMethod::Link {
            let link = format!("{}/login/link?token={token}", ctx.renderer.site_url().base);
            queued = send_link(ctx, store, &found, &link, &token, now)?;
        }
        Ok(())
    })?;
    let mut response = redirect(&format!("{}/login/wait", ctx.renderer.site_url().root));
    visitor.jar.set(
        &mut response,
        PENDING_COOKIE,
        &pending.value(),
        LOGIN_SECONDS,
    );
    if queued {
        response
            .extensions_mut()
            .insert(crate::federation::inbox::QueuedWork);
    }
    Ok(Answer::Response(response))
}

/// The login message: a direct message from the site actor, or a line in
/// the server's log for a site tried offline.
fn send_link(
    ctx: &Context,
    store: &crate::store::Store,
    found: &authors::Found,
    link: &str,
    token: &str,
    now: i64,
) -> anyhow::Result<bool> {
    match ctx.config.authors.login_dm {
        LoginDm::Console => {
            eprintln!(
                "affiche: login link for @{} (console transport, nothing sent): {link}",
                found.handle
            );
            Ok(false)
        }
        LoginDm::ActivityPub => {
            let ends = Endpoints::new(&ctx.config);
            // Our own words in the site's language; the title and link
            // are escaped (the DM is HTML).
            let text = ctx.site_words().t_with(
                "dm-login-link-html",
                &[
                    ("site", html_escape(&ctx.config.title).into()),
                    ("link", html_escape(link).into()),
                ],
            );
            let dm =
                outbox::direct_message(&ends, &found.actor.id, &found.handle, &text, now, token);
            let id = dm["id"].as_str().unwrap_or_default().to_string();
            store.enqueue(
                &id,
                &dm.to_string(),
                std::slice::from_ref(&found.inbox),
                now,
            )?;
            Ok(true)
        }
    }
}

/// GET /login/wait: what to do next; logs in once a sent code arrived.
pub fn wait(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<Answer> {
    let root = &ctx.renderer.site_url().root;
    let Some(pending) = Pending::read(request) else {
        return Ok(message(
            ctx,
            StatusCode::OK,
            &ctx.words().t("login-none-title"),
            &[&ctx.words().t("login-none-text")],
            Some((&format!("{root}/login"), &ctx.words().t("login-page-title"))),
            false,
        ));
    };
    let Some(login) = ctx
        .store
        .pending_login(&secrets::hash(&pending.secret), now)?
    else {
        return Ok(message(
            ctx,
            StatusCode::OK,
            &ctx.words().t("login-expired-title"),
            &[&ctx.words().t("login-expired-text")],
            Some((&format!("{root}/login"), &ctx.words().t("login-page-title"))),
            false,
        ));
    };
    if login.proven_at.is_some() && ctx.store.use_login(login.id, now)? {
        return finish_login(ctx, visitor, request, &login, now);
    }
    let method = match login.method {
        LoginMethod::Link => "link",
        LoginMethod::Code => "code",
    };
    Ok(Answer::page(
        ctx,
        StatusCode::OK,
        "login_wait.html",
        &ctx.words().t("login-page-title"),
        "login/wait",
        context! {
            method,
            handle => login.handle,
            pair_code => pending.pair_code,
            dm_code => pending.dm_code,
            csrf => &visitor.csrf,
            minutes => (login.expires_at - now + 59) / 60,
        },
    ))
}

fn invalid_link(ctx: &Context) -> Answer {
    let root = &ctx.renderer.site_url().root;
    message(
        ctx,
        StatusCode::GONE,
        &ctx.words().t("login-bad-link-title"),
        &[&ctx.words().t("login-bad-link-text")],
        Some((&format!("{root}/login"), &ctx.words().t("login-page-title"))),
        true,
    )
}

/// GET /login/link?token=…: a page with a button, never a login: link
/// previews and scanners GET every link they see.
pub fn link_page(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    now: i64,
) -> anyhow::Result<Answer> {
    let token = crate::web::query_param(request, "token").unwrap_or_default();
    let login = match ctx.store.login_by_token(&secrets::hash(&token))? {
        Some(login) if login.used_at.is_none() && login.expires_at > now => login,
        _ => return Ok(invalid_link(ctx)),
    };
    let same_browser =
        Pending::read(request).is_some_and(|p| secrets::hash(&p.secret) == login.browser_hash);
    Ok(Answer::page(
        ctx,
        StatusCode::OK,
        "login_link.html",
        &ctx.words().t("login-page-title"),
        "login/link",
        context! { csrf => &visitor.csrf, token, handle => login.handle, needs_code => !same_browser, error => "" },
    ))
}

/// POST /login/link: the browser that asked (or one that knows its code)
/// spends the link and gets a session.
pub fn link_confirm(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    form: &Form,
    now: i64,
) -> anyhow::Result<Answer> {
    let token = form.text("token");
    let login = match ctx.store.login_by_token(&secrets::hash(&token))? {
        Some(login) if login.used_at.is_none() && login.expires_at > now => login,
        _ => return Ok(invalid_link(ctx)),
    };
    let same_browser =
        Pending::read(request).is_some_and(|p| secrets::hash(&p.secret) == login.browser_hash);
    let again = |error: &str, status| {
        Answer::page(
            ctx,
            status,
            "login_link.html",
            &ctx.words().t("login-page-title"),
            "login/link",
            context! { csrf => &visitor.csrf, token => &token, handle => &login.handle, needs_code => !same_browser, error },
        )
    };
    if !visitor.csrf_ok(form) {
        return Ok(again(
            &ctx.words().t("error-page-expired-press"),
            StatusCode::FORBIDDEN,
        ));
    }
    if !same_browser {
        let typed = form.get("pair").and_then(secrets::normalize_code);
        let matches = typed.is_some_and(|code| secrets::hash(&code) == login.pair_hash);
        if !matches {
            let attempts = ctx.store.count_login_attempt(login.id)?;
            if attempts >= MAX_ATTEMPTS {
                ctx.store.burn_login(login.id, now)?;
                return Ok(invalid_link(ctx));
            }
            return Ok(again(
                &ctx.words().t_with(
                    "login-wrong-code",
                    &[("tries", (MAX_ATTEMPTS - attempts).into())],
                ),
                StatusCode::FORBIDDEN,
            ));
        }
    }
    if !ctx.store.use_login(login.id, now)? {
        return Ok(invalid_link(ctx));
    }
    finish_login(ctx, visitor, request, &login, now)
}

/// The author proved who she is: her profile is saved (avatar copied) and
/// a session starts.
fn finish_login(
    ctx: &Context,
    visitor: &Visitor,
    request: &Request<Vec<u8>>,
    login: &LoginRequest,
    now: i64,
) -> anyhow::Result<Answer> {
    let fetcher = Fetcher::new(crate::federation::fetch::FetchOptions::for_site(
        &ctx.config,
    ));
    let signer = SiteSigner::lazy(ctx);
    // Fresh from her server: name, avatar and attribution may have changed
    // since the login started. What is known is used if it cannot answer.
    let found = match authors::look_up(
        &ctx.config,
        &fetcher,
        &signer,
        &login.handle,
        now,
        &ctx.words(),
    ) {
        Ok(found) if found.actor.id == login.actor_id => found,
        _ => {
            let actor = ctx
                .store
                .remote_actor(&login.actor_id)?
                .ok_or_else(|| anyhow::anyhow!("the account {} is not known", login.actor_id))?;
            authors::Found {
                inbox: actor.personal_inbox(),
                handle: login.handle.clone(),
                credits_site: false,
                actor,
            }
        }
    };
    authors::save_author(ctx, &fetcher, &found, now)?;
    let mut response = redirect(&format!("{}/editor/", ctx.renderer.site_url().root));
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    visitor.start_session(ctx, &mut response, &login.actor_id, agent, now)?;
    Ok(Answer::Response(response))
}

/// POST /logout and /logout/everywhere.
pub fn logout(
    ctx: &Context,
    visitor: &Visitor,
    form: &Form,
    everywhere: bool,
) -> anyhow::Result<Answer> {
    let root = &ctx.renderer.site_url().root;
    if !visitor.csrf_ok(form) {
        return Ok(message(
            ctx,
            StatusCode::FORBIDDEN,
            &ctx.words().t("logout-failed-title"),
            &[&ctx.words().t("error-page-expired-reload")],
            Some((
                &format!("{root}/editor/"),
                &ctx.words().t("editor-my-articles"),
            )),
            true,
        ));
    }
    if let Some(session) = &visitor.session {
        if everywhere {
            ctx.store.delete_sessions_of(&session.actor_id)?;
        } else {
            ctx.store.delete_session(&session.id_hash)?;
        }
    }
    let mut response: Response<Vec<u8>> = redirect(&format!("{root}/"));
    visitor
        .jar
        .clear(&mut response, crate::web::session::SESSION_COOKIE);
    Ok(Answer::Response(response))
}
