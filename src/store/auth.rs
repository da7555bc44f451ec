//! Logins, sessions, rate limits and the authors who logged in.

use anyhow::Result;
use rusqlite::{OptionalExtension as _, Row, params};

use super::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    /// The site sends a secret link by direct message.
    Link,
    /// The author sends the site a code by direct message.
    Code,
}

impl LoginMethod {
    fn as_str(self) -> &'static str {
        match self {
            LoginMethod::Link => "link",
            LoginMethod::Code => "code",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewLogin {
    pub actor_id: String,
    pub handle: String,
    pub method: LoginMethod,
    pub token_hash: Option<String>,
    pub code_hash: Option<String>,
    pub browser_hash: String,
    pub pair_hash: String,
    pub client_ip: String,
    pub now: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct LoginRequest {
    pub id: i64,
    pub actor_id: String,
    pub handle: String,
    pub method: LoginMethod,
    pub browser_hash: String,
    pub pair_hash: String,
    pub attempts: i64,
    pub expires_at: i64,
    pub proven_at: Option<i64>,
    pub used_at: Option<i64>,
    pub created_at: i64,
}

const LOGIN_COLUMNS: &str = "id, actor_id, handle, method, browser_hash, pair_hash, attempts, expires_at, proven_at, used_at, created_at";

fn login_from_row(row: &Row<'_>) -> rusqlite::Result<LoginRequest> {
    Ok(LoginRequest {
        id: row.get(0)?,
        actor_id: row.get(1)?,
        handle: row.get(2)?,
        method: if row.get::<_, String>(3)? == "code" {
            LoginMethod::Code
        } else {
            LoginMethod::Link
        },
        browser_hash: row.get(4)?,
        pair_hash: row.get(5)?,
        attempts: row.get(6)?,
        expires_at: row.get(7)?,
        proven_at: row.get(8)?,
        used_at: row.get(9)?,
        created_at: row.get(10)?,
    })
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub actor_id: String,
    pub csrf: String,
    pub expires_at: i64,
}

/// An author as the site shows her: from her actor, avatar copied here.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Author {
    pub actor_id: String,
    /// `alice@mastodon.social`, without the leading `@`.
    pub handle: String,
    pub name: String,
    /// A path on this site (`/media/…`), or empty.
    pub avatar: String,
    pub profile_url: String,
    pub inbox: String,
    /// Her profile lets Mastodon credit her in this site's link previews.
    pub credits_site: bool,
    pub updated_at: i64,
}

impl Store {
    pub fn insert_login(&self, login: &NewLogin) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO login_requests (actor_id, handle, method, token_hash, code_hash,
                browser_hash, pair_hash, client_ip, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                login.actor_id,
                login.handle,
                login.method.as_str(),
                login.token_hash,
                login.code_hash,
                login.browser_hash,
                login.pair_hash,
                login.client_ip,
                login.now,
                login.expires_at,
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn login_by_token(&self, token_hash: &str) -> Result<Option<LoginRequest>> {
        let sql = format!("SELECT {LOGIN_COLUMNS} FROM login_requests WHERE token_hash = ?1");
        Ok(self
            .conn
            .query_row(&sql, [token_hash], login_from_row)
            .optional()?)
    }

    /// The newest login this browser started and has not finished.
    pub fn pending_login(&self, browser_hash: &str, now: i64) -> Result<Option<LoginRequest>> {
        let sql = format!(
            "SELECT {LOGIN_COLUMNS} FROM login_requests
             WHERE browser_hash = ?1 AND used_at IS NULL AND expires_at > ?2
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, params![browser_hash, now], login_from_row)
            .optional()?)
    }

    /// Counts a wrong code; returns the attempts made so far.
    pub fn count_login_attempt(&self, id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "UPDATE login_requests SET attempts = attempts + 1 WHERE id = ?1 RETURNING attempts",
            [id],
            |row| row.get(0),
        )?)
    }

    /// Spends a login: true for the one caller that did, while it was valid.
    pub fn use_login(&self, id: i64, now: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE login_requests SET used_at = ?2
             WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![id, now],
        )? == 1)
    }

    /// Spends a login without logging anyone in (too many wrong codes).
    pub fn burn_login(&self, id: i64, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE login_requests SET used_at = ?2, expires_at = min(expires_at, ?2) WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    /// Records that `actor_id` sent us a code: the login it belongs to (if
    /// any, still valid, and started for that very actor) is proven.
    pub fn prove_login(&self, actor_id: &str, code_hash: &str, now: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE login_requests SET proven_at = ?3
             WHERE code_hash = ?2 AND actor_id = ?1 AND method = 'code'
               AND used_at IS NULL AND proven_at IS NULL AND expires_at > ?3",
            params![actor_id, code_hash, now],
        )? == 1)
    }

    pub fn insert_session(
        &self,
        id_hash: &str,
        actor_id: &str,
        csrf: &str,
        now: i64,
        expires_at: i64,
        user_agent: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sessions (id_hash, actor_id, csrf, created_at, seen_at, expires_at, user_agent)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
            params![id_hash, actor_id, csrf, now, expires_at, user_agent],
        )?;
        Ok(())
    }

    pub fn session(&self, id_hash: &str, now: i64) -> Result<Option<Session>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id_hash, actor_id, csrf, expires_at FROM sessions
                 WHERE id_hash = ?1 AND expires_at > ?2",
            )?
            .query_row(params![id_hash, now], |row| {
                Ok(Session {
                    id_hash: row.get(0)?,
                    actor_id: row.get(1)?,
                    csrf: row.get(2)?,
                    expires_at: row.get(3)?,
                })
            })
            .optional()?)
    }

    /// Keeps a session in use alive: it ends `ttl` after its last use.
    pub fn extend_session(&self, id_hash: &str, now: i64, expires_at: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE sessions SET seen_at = ?2, expires_at = ?3 WHERE id_hash = ?1",
            params![id_hash, now, expires_at],
        )?;
        Ok(())
    }

    pub fn delete_session(&self, id_hash: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
        Ok(())
    }

    /// Logs an author out everywhere; returns how many sessions ended.
    pub fn delete_sessions_of(&self, actor_id: &str) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM sessions WHERE actor_id = ?1", [actor_id])?)
    }

    /// Forgets what no longer matters: ended sessions and logins, old
    /// rate-limit events.
    pub fn prune_auth(&self, now: i64, keep_events_since: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
        self.conn.execute(
            "DELETE FROM login_requests WHERE expires_at <= ?1",
            [now - 86_400],
        )?;
        self.conn
            .execute("DELETE FROM rate_events WHERE at < ?1", [keep_events_since])?;
        Ok(())
    }

    /// How many events of this kind and key since `since`, and the oldest.
    pub fn rate_events(&self, kind: &str, key: &str, since: i64) -> Result<(usize, Option<i64>)> {
        let (count, oldest): (i64, Option<i64>) = self.conn.query_row(
            "SELECT count(*), min(at) FROM rate_events WHERE kind = ?1 AND key = ?2 AND at >= ?3",
            params![kind, key, since],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok((usize::try_from(count).unwrap_or(0), oldest))
    }

    pub fn record_rate_event(&self, kind: &str, key: &str, now: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO rate_events (kind, key, at) VALUES (?1, ?2, ?3)",
            params![kind, key, now],
        )?;
        Ok(())
    }

    pub fn save_author(&self, author: &Author) -> Result<()> {
        self.conn.execute(
            "INSERT INTO authors (actor_id, handle, name, avatar, profile_url, inbox, credits_site, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (actor_id) DO UPDATE SET handle = ?2, name = ?3, avatar = ?4,
                profile_url = ?5, inbox = ?6, credits_site = ?7, updated_at = ?8",
            params![
                author.actor_id,
                author.handle,
                author.name,
                author.avatar,
                author.profile_url,
                author.inbox,
                author.credits_site,
                author.updated_at,
            ],
        )?;
        Ok(())
    }

    pub fn author_by_actor(&self, actor_id: &str) -> Result<Option<Author>> {
        Ok(self
            .conn
            .query_row(
                "SELECT actor_id, handle, name, avatar, profile_url, inbox, credits_site, updated_at
                 FROM authors WHERE actor_id = ?1",
                [actor_id],
                |row| {
                    Ok(Author {
                        actor_id: row.get(0)?,
                        handle: row.get(1)?,
                        name: row.get(2)?,
                        avatar: row.get(3)?,
                        profile_url: row.get(4)?,
                        inbox: row.get(5)?,
                        credits_site: row.get(6)?,
                        updated_at: row.get(7)?,
                    })
                },
            )
            .optional()?)
    }
}
