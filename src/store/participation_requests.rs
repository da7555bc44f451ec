//! Registrations (and cancellations) for an event asked for on its page:
//! pending until the link sent by direct message is used in the browser
//! that asked, or in another one that types its code.

use anyhow::Result;
use rusqlite::{OptionalExtension as _, Row, params};

use super::Store;

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    Join,
    Leave,
}

impl RequestAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestAction::Join => "join",
            RequestAction::Leave => "leave",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewParticipationRequest {
    pub event_id: i64,
    pub action: RequestAction,
    pub actor_id: String,
    pub handle: String,
    pub name: String,
    pub inbox: String,
    pub token_hash: String,
    pub browser_hash: String,
    pub pair_hash: String,
    pub client_ip: String,
    pub now: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct ParticipationRequest {
    pub id: i64,
    pub event_id: i64,
    pub action: RequestAction,
    pub actor_id: String,
    pub handle: String,
    pub name: String,
    pub inbox: String,
    pub browser_hash: String,
    pub pair_hash: String,
    pub attempts: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

const COLUMNS: &str = "id, event_id, action, actor_id, handle, name, inbox, browser_hash, pair_hash, attempts, created_at, expires_at, used_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ParticipationRequest> {
    Ok(ParticipationRequest {
        id: row.get(0)?,
        event_id: row.get(1)?,
        action: if row.get::<_, String>(2)? == "leave" {
            RequestAction::Leave
        } else {
            RequestAction::Join
        },
        actor_id: row.get(3)?,
        handle: row.get(4)?,
        name: row.get(5)?,
        inbox: row.get(6)?,
        browser_hash: row.get(7)?,
        pair_hash: row.get(8)?,
        attempts: row.get(9)?,
        created_at: row.get(10)?,
        expires_at: row.get(11)?,
        used_at: row.get(12)?,
    })
}

impl Store {
    pub fn insert_participation_request(&self, request: &NewParticipationRequest) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO participation_requests (event_id, action, actor_id, handle, name, inbox,
                token_hash, browser_hash, pair_hash, client_ip, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                request.event_id,
                request.action.as_str(),
                request.actor_id,
                request.handle,
                request.name,
                request.inbox,
                request.token_hash,
                request.browser_hash,
                request.pair_hash,
                request.client_ip,
                request.now,
                request.expires_at,
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn participation_request_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<ParticipationRequest>> {
        let sql = format!("SELECT {COLUMNS} FROM participation_requests WHERE token_hash = ?1");
        Ok(self
            .conn
            .query_row(&sql, [token_hash], from_row)
            .optional()?)
    }

    /// The newest unfinished request this browser made for this event.
    pub fn pending_participation_request(
        &self,
        browser_hash: &str,
        event_id: i64,
        now: i64,
    ) -> Result<Option<ParticipationRequest>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM participation_requests
             WHERE browser_hash = ?1 AND event_id = ?2 AND used_at IS NULL AND expires_at > ?3
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, params![browser_hash, event_id, now], from_row)
            .optional()?)
    }

    /// Counts a wrong code; returns the attempts made so far.
    pub fn count_participation_attempt(&self, id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "UPDATE participation_requests SET attempts = attempts + 1 WHERE id = ?1 RETURNING attempts",
            [id],
            |row| row.get(0),
        )?)
    }

    /// Spends a request: true for the one caller that did, while valid.
    pub fn use_participation_request(&self, id: i64, now: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE participation_requests SET used_at = ?2
             WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![id, now],
        )? == 1)
    }

    /// Spends a request for nothing (too many wrong codes).
    pub fn burn_participation_request(&self, id: i64, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE participation_requests SET used_at = ?2, expires_at = min(expires_at, ?2) WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    }

    /// Forgets requests expired before `before`.
    pub fn prune_participation_requests(&self, before: i64) -> Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM participation_requests WHERE expires_at < ?1",
            [before],
        )?)
    }
}
