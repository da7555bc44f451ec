//! Who is asking: the session cookie (an author logged in) and the CSRF
//! token every POST form carries — the session's own when there is one,
//! otherwise a random cookie the form must repeat (double submit).

use http::{Request, Response};

use crate::context::Context;
use crate::secrets;
use crate::store::{Author, Session};
use crate::web::forms::{CookieJar, Form, cookie};

pub const SESSION_COOKIE: &str = "affiche_session";
pub const CSRF_COOKIE: &str = "affiche_csrf";
pub const PENDING_COOKIE: &str = "affiche_login";
/// Sessions last 30 days after their last use.
pub const SESSION_SECONDS: i64 = 30 * 86_400;
/// A session in use is extended at most once a day (one write, not one
/// per request).
const EXTEND_AFTER: i64 = 86_400;

pub struct Visitor {
    pub session: Option<Session>,
    pub author: Option<Author>,
    pub csrf: String,
    /// A CSRF cookie to set: this browser had none.
    new_csrf: bool,
    pub jar: CookieJar,
}

impl Visitor {
    pub fn read(ctx: &Context, request: &Request<Vec<u8>>, now: i64) -> anyhow::Result<Visitor> {
        let url = ctx.renderer.site_url();
        let jar = CookieJar::new(&url.root, url.base.starts_with("https://"));
        let mut session = None;
        let mut author = None;
        if let Some(id) = cookie(request, SESSION_COOKIE) {
            let hash = secrets::hash(&id);
            if let Some(found) = ctx.store.session(&hash, now)? {
                if found.expires_at - SESSION_SECONDS + EXTEND_AFTER < now {
                    ctx.store
                        .extend_session(&hash, now, now + SESSION_SECONDS)?;
                }
                author = ctx.store.author_by_actor(&found.actor_id)?;
                session = Some(found);
            }
        }
        let (csrf, new_csrf) = match (&session, cookie(request, CSRF_COOKIE)) {
            (Some(s), _) => (s.csrf.clone(), false),
            (None, Some(value)) if value.len() == 43 => (value, false),
            (None, _) => (secrets::token()?, true),
        };
        Ok(Visitor {
            session: session.filter(|_| author.is_some()),
            author,
            csrf,
            new_csrf,
            jar,
        })
    }

    /// Whether a POSTed form carries this visitor's token.
    pub fn csrf_ok(&self, form: &Form) -> bool {
        let sent = form.get("csrf").unwrap_or_default();
        // Equal length first, then every byte: no early exit on the secret.
        sent.len() == self.csrf.len()
            && sent
                .bytes()
                .zip(self.csrf.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// Adds the cookies this visit needs to its answer.
    pub fn finish(&self, mut response: Response<Vec<u8>>) -> Response<Vec<u8>> {
        if self.new_csrf {
            self.jar
                .set(&mut response, CSRF_COOKIE, &self.csrf, SESSION_SECONDS);
        }
        response
    }

    /// Starts a session for an author: a new random id, of which the
    /// database keeps the hash.
    pub fn start_session(
        &self,
        ctx: &Context,
        response: &mut Response<Vec<u8>>,
        actor_id: &str,
        user_agent: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        let id = secrets::token()?;
        let csrf = secrets::token()?;
        let agent: String = user_agent.chars().take(200).collect();
        ctx.store.insert_session(
            &secrets::hash(&id),
            actor_id,
            &csrf,
            now,
            now + SESSION_SECONDS,
            &agent,
        )?;
        self.jar.set(response, SESSION_COOKIE, &id, SESSION_SECONDS);
        self.jar.clear(response, PENDING_COOKIE);
        Ok(())
    }
}
