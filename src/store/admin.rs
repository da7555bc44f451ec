//! What the admin pages read across the whole site: articles by status,
//! held replies, reports, followers and the inbox's failures.

use anyhow::Result;
use rusqlite::{OptionalExtension as _, params};

use super::{Article, Comment, Status, Store};

/// A report: a Flag received from the fediverse, or a reader's report
/// made with the site's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub id: i64,
    pub activity_id: String,
    /// Who reported (a Flag's actor; empty for a reader's report).
    pub actor_id: String,
    pub content: String,
    /// The ids of what was reported (actors, notes, our articles).
    pub objects: Vec<String>,
    pub received_at: i64,
    /// `activitypub` or `web`.
    pub source: String,
    /// A reader's reason: `spam`, `illegal`, `harassment`, `other`.
    pub reason: String,
    /// How a reader may be reached; for the admin only, never forwarded.
    pub contact: String,
    /// The address a reader reported.
    pub url: String,
    pub handled_at: Option<i64>,
    /// What the admin did: `hidden`, `deleted`, `unpublished`, `dismissed`...
    pub outcome: String,
    pub forwarded_at: Option<i64>,
}

/// A reader's report, as the form gives it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub reason: String,
    pub text: String,
    pub contact: String,
    pub url: String,
    /// What it is about: the comment's object id, or the article's URL.
    pub object: String,
}

const FLAG_COLUMNS: &str = "id, activity_id, actor_id, content, objects, received_at, source, reason, contact, url, handled_at, outcome, forwarded_at";

fn flag_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Flag> {
    let objects: String = row.get(4)?;
    Ok(Flag {
        id: row.get(0)?,
        activity_id: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
        actor_id: row.get(2)?,
        content: row.get(3)?,
        objects: serde_json::from_str(&objects).unwrap_or_default(),
        received_at: row.get(5)?,
        source: row.get(6)?,
        reason: row.get(7)?,
        contact: row.get(8)?,
        url: row.get(9)?,
        handled_at: row.get(10)?,
        outcome: row.get(11)?,
        forwarded_at: row.get(12)?,
    })
}

/// An activity the inbox could not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxFailure {
    pub kind: String,
    pub actor: String,
    pub state: String,
    pub error: String,
    pub received_at: i64,
}

impl Store {
    /// Every article or event in `status`, newest change first.
    pub fn articles_with_status(&self, status: Status) -> Result<Vec<Article>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM articles WHERE status = ?1 ORDER BY updated_at DESC, id DESC",
        )?;
        let ids = stmt
            .query_map([status.as_str()], |row| row.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut articles = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(article) = self.article_by_id(id)? {
                articles.push(article);
            }
        }
        Ok(articles)
    }

    /// The replies waiting for approval, on every article, oldest first.
    pub fn held_comments(&self) -> Result<Vec<Comment>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM comments WHERE state = 'held' ORDER BY received_at, id")?;
        let ids = stmt
            .query_map([], |row| row.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut comments = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(comment) = self.comment_by_id(id)? {
                comments.push(comment);
            }
        }
        Ok(comments)
    }

    /// Removes a reply for good (a moderator's delete; its answers stay,
    /// attached to nothing). Returns its article's id.
    pub fn remove_comment(&self, id: i64) -> Result<Option<i64>> {
        let article: Option<i64> = self
            .conn
            .query_row(
                "SELECT article_id FROM comments WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?;
        if article.is_some() {
            // Remembered as deleted by its author would be: the same reply
            // delivered again (a retry, an edit) must not come back.
            self.conn.execute(
                "INSERT OR IGNORE INTO tombstones (object_id, actor_id, deleted_at)
                 SELECT object_id, actor_id, unixepoch() FROM comments WHERE id = ?1",
                [id],
            )?;
            self.conn
                .execute("DELETE FROM comments WHERE id = ?1", [id])?;
        }
        Ok(article)
    }

    /// The reports still open, newest first.
    pub fn flags(&self) -> Result<Vec<Flag>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {FLAG_COLUMNS} FROM flags WHERE handled_at IS NULL
             ORDER BY received_at DESC, id DESC"
        ))?;
        let flags = stmt
            .query_map([], flag_row)?
            .collect::<rusqlite::Result<Vec<Flag>>>()?;
        Ok(flags)
    }

    /// The last `limit` reports handled, latest first.
    pub fn handled_flags(&self, limit: usize) -> Result<Vec<Flag>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {FLAG_COLUMNS} FROM flags WHERE handled_at IS NOT NULL
             ORDER BY handled_at DESC, id DESC LIMIT ?1"
        ))?;
        let flags = stmt
            .query_map([super::count_param(limit)], flag_row)?
            .collect::<rusqlite::Result<Vec<Flag>>>()?;
        Ok(flags)
    }

    pub fn flag(&self, id: i64) -> Result<Option<Flag>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {FLAG_COLUMNS} FROM flags WHERE id = ?1"),
                [id],
                flag_row,
            )
            .optional()?)
    }

    /// Stores a reader's report; returns its id.
    pub fn insert_web_report(&self, report: &NewReport, now: i64) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO flags (actor_id, content, objects, received_at, source, reason, contact, url)
             VALUES ('', ?1, ?2, ?3, 'web', ?4, ?5, ?6)",
            params![
                report.text,
                serde_json::to_string(&[&report.object])?,
                now,
                report.reason,
                report.contact,
                report.url
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Closes an open report with what was done; false when it was
    /// already closed (by another admin, or a double click).
    pub fn close_flag(&self, id: i64, outcome: &str, now: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE flags SET handled_at = ?2, outcome = ?3 WHERE id = ?1 AND handled_at IS NULL",
            params![id, now, outcome],
        )? == 1)
    }

    /// Notes that a Flag about this report went to the reported server;
    /// false when it had gone already.
    pub fn mark_flag_forwarded(&self, id: i64, now: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE flags SET forwarded_at = ?2 WHERE id = ?1 AND forwarded_at IS NULL",
            params![id, now],
        )? == 1)
    }

    /// The followers' actor ids and when they followed, newest first.
    pub fn follower_list(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT actor_id, created_at FROM followers ORDER BY created_at DESC, actor_id",
        )?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, i64)>>>()?;
        Ok(rows)
    }

    /// The last activities the inbox failed on or refused.
    pub fn inbox_failures(&self, limit: usize) -> Result<Vec<InboxFailure>> {
        let mut stmt = self.conn.prepare(
            "SELECT type, actor, state, error, received_at FROM inbox
             WHERE state IN ('failed', 'rejected') ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                Ok(InboxFailure {
                    kind: row.get(0)?,
                    actor: row.get(1)?,
                    state: row.get(2)?,
                    error: row.get(3)?,
                    received_at: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<InboxFailure>>>()?;
        Ok(rows)
    }
}
