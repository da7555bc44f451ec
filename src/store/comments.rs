//! Comments (replies from the fediverse), their deletions, reactions and
//! reports, and the replies collections left to walk.

use anyhow::Result;
use rusqlite::{OptionalExtension as _, Row, params};
use serde::Serialize;

use super::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentState {
    Visible,
    /// Waits for the author's or the owner's approval.
    Held,
    /// Refused by a moderator: kept, never shown.
    Hidden,
}

impl CommentState {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentState::Visible => "visible",
            CommentState::Held => "held",
            CommentState::Hidden => "hidden",
        }
    }

    fn parse(text: &str) -> CommentState {
        match text {
            "visible" => CommentState::Visible,
            "held" => CommentState::Held,
            _ => CommentState::Hidden,
        }
    }
}

/// One attachment of a reply, shown as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Attachment {
    pub url: String,
    pub media_type: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct NewComment {
    pub object_id: String,
    pub article_id: i64,
    pub in_reply_to: String,
    pub actor_id: String,
    pub author_handle: String,
    pub author_name: String,
    pub author_url: String,
    pub author_avatar: String,
    pub url: String,
    /// Sanitized HTML.
    pub content: String,
    pub summary: String,
    pub lang: String,
    pub attachments: Vec<Attachment>,
    pub published: i64,
    pub updated: Option<i64>,
    pub state: CommentState,
    pub received_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub object_id: String,
    pub article_id: i64,
    pub in_reply_to: String,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub actor_id: String,
    pub author_handle: String,
    pub author_name: String,
    pub author_url: String,
    pub author_avatar: String,
    pub url: String,
    pub content: String,
    pub summary: String,
    pub lang: String,
    pub attachments: Vec<Attachment>,
    pub published: i64,
    pub updated: Option<i64>,
    pub state: CommentState,
}

const COLUMNS: &str = "id, object_id, article_id, in_reply_to, parent_id, depth, actor_id,
    author_handle, author_name, author_url, author_avatar, url, content, summary, lang,
    attachments, published, updated, state";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Comment> {
    let attachments: String = row.get(15)?;
    Ok(Comment {
        id: row.get(0)?,
        object_id: row.get(1)?,
        article_id: row.get(2)?,
        in_reply_to: row.get(3)?,
        parent_id: row.get(4)?,
        depth: row.get(5)?,
        actor_id: row.get(6)?,
        author_handle: row.get(7)?,
        author_name: row.get(8)?,
        author_url: row.get(9)?,
        author_avatar: row.get(10)?,
        url: row.get(11)?,
        content: row.get(12)?,
        summary: row.get(13)?,
        lang: row.get(14)?,
        attachments: serde_json::from_str(&attachments).unwrap_or_default(),
        published: row.get(16)?,
        updated: row.get(17)?,
        state: CommentState::parse(&row.get::<_, String>(18)?),
    })
}

/// How many times an object was liked and boosted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reactions {
    pub likes: usize,
    pub boosts: usize,
}

/// Deeper than this, a reply is attached to its ancestor at this depth:
/// a thread of a hundred replies must not make a page a hundred indents wide.
pub const MAX_DEPTH: i64 = 8;

impl Store {
    /// Stores a reply; `None` when it is already known, or was deleted
    /// before it arrived.
    pub fn insert_comment(&self, comment: &NewComment) -> Result<Option<i64>> {
        if self.is_tombstoned_by(&comment.object_id, &comment.actor_id)? {
            return Ok(None);
        }
        let parent = self.comment_by_object(&comment.in_reply_to)?;
        let (parent_id, depth) = match parent {
            Some(parent) if parent.article_id == comment.article_id => {
                (Some(parent.id), (parent.depth + 1).min(MAX_DEPTH))
            }
            _ => (None, 0),
        };
        let attachments = serde_json::to_string(&comment.attachments)?;
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO comments (object_id, article_id, in_reply_to, parent_id, depth,
                actor_id, author_handle, author_name, author_url, author_avatar, url, content,
                summary, lang, attachments, published, updated, state, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            params![
                comment.object_id,
                comment.article_id,
                comment.in_reply_to,
                parent_id,
                depth,
                comment.actor_id,
                comment.author_handle,
                comment.author_name,
                comment.author_url,
                comment.author_avatar,
                comment.url,
                comment.content,
                comment.summary,
                comment.lang,
                attachments,
                comment.published,
                comment.updated,
                comment.state.as_str(),
                comment.received_at,
            ],
        )?;
        Ok((inserted == 1).then(|| self.conn.last_insert_rowid()))
    }

    pub fn comment_by_object(&self, object_id: &str) -> Result<Option<Comment>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM comments WHERE object_id = ?1"
            ))?
            .query_row([object_id], from_row)
            .optional()?)
    }

    pub fn comment_by_id(&self, id: i64) -> Result<Option<Comment>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM comments WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?)
    }

    /// An article's comments in thread order's raw material: oldest first.
    /// Hidden and held ones only when asked (the editor's view).
    pub fn comments_of(&self, article_id: i64, all: bool) -> Result<Vec<Comment>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM comments WHERE article_id = ?1 AND (?2 OR state = 'visible')
             ORDER BY published, id"
        ))?;
        let rows = stmt
            .query_map(params![article_id, all], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn visible_comment_count(&self, article_id: i64) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM comments WHERE article_id = ?1 AND state = 'visible'",
            [article_id],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Replaces a reply's text after an edit by its author; returns its
    /// article, or `None` when there is no such reply of that author, or
    /// the edit is older than what we hold.
    pub fn update_comment(
        &self,
        object_id: &str,
        actor_id: &str,
        content: &str,
        summary: &str,
        attachments: &[Attachment],
        updated: i64,
    ) -> Result<Option<i64>> {
        let attachments = serde_json::to_string(attachments)?;
        Ok(self
            .conn
            .query_row(
                "UPDATE comments SET content = ?3, summary = ?4, attachments = ?5, updated = ?6
                 WHERE object_id = ?1 AND actor_id = ?2 AND coalesce(updated, published) <= ?6
                 RETURNING article_id",
                params![object_id, actor_id, content, summary, attachments, updated],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Deletes a reply at its author's request and remembers that it was
    /// deleted; returns its article when it was shown somewhere.
    pub fn delete_comment(&self, object_id: &str, actor_id: &str, now: i64) -> Result<Option<i64>> {
        // Only its author deletes a reply: a Delete by anyone else neither
        // removes it nor keeps it out when it arrives later.
        let someone_else: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM comments WHERE object_id = ?1 AND actor_id != ?2)",
            params![object_id, actor_id],
            |row| row.get(0),
        )?;
        if someone_else {
            return Ok(None);
        }
        self.conn.execute(
            "INSERT OR IGNORE INTO tombstones (object_id, actor_id, deleted_at) VALUES (?1, ?2, ?3)",
            params![object_id, actor_id, now],
        )?;
        Ok(self
            .conn
            .query_row(
                "DELETE FROM comments WHERE object_id = ?1 AND actor_id = ?2 RETURNING article_id",
                params![object_id, actor_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Whether `actor_id` deleted `object_id` (before or after we saw it).
    pub fn is_tombstoned_by(&self, object_id: &str, actor_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM tombstones WHERE object_id = ?1 AND actor_id = ?2)",
            )?
            .query_row([object_id, actor_id], |row| row.get(0))?)
    }

    pub fn is_tombstoned(&self, object_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM tombstones WHERE object_id = ?1)")?
            .query_row([object_id], |row| row.get(0))?)
    }

    /// An account deleted on its server: all its replies and reactions go.
    /// Returns the articles whose pages change.
    pub fn delete_actor_traces(&self, actor_id: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("DELETE FROM comments WHERE actor_id = ?1 RETURNING article_id")?;
        let mut articles = stmt
            .query_map([actor_id], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut stmt = self
            .conn
            .prepare("DELETE FROM reactions WHERE actor_id = ?1 RETURNING article_id")?;
        articles.extend(
            stmt.query_map([actor_id], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?,
        );
        articles.sort_unstable();
        articles.dedup();
        Ok(articles)
    }

    pub fn set_comment_state(&self, id: i64, state: CommentState) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "UPDATE comments SET state = ?2 WHERE id = ?1 RETURNING article_id",
                params![id, state.as_str()],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Counts a like or a boost once per actor and object; true if new.
    pub fn add_reaction(
        &self,
        activity_id: &str,
        kind: &str,
        actor_id: &str,
        object_id: &str,
        article_id: i64,
        now: i64,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "INSERT OR IGNORE INTO reactions (activity_id, kind, actor_id, object_id, article_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![activity_id, kind, actor_id, object_id, article_id, now],
        )? == 1)
    }

    /// Takes back a reaction, by its activity id, or (when the Undo names
    /// only the object, or an id we never saw) by kind, actor and object.
    /// Returns its article.
    pub fn remove_reaction(
        &self,
        activity_id: Option<&str>,
        kind: &str,
        actor_id: &str,
        object_id: Option<&str>,
    ) -> Result<Option<i64>> {
        if let Some(activity_id) = activity_id {
            let found = self
                .conn
                .query_row(
                    "DELETE FROM reactions WHERE activity_id = ?1 AND actor_id = ?2 RETURNING article_id",
                    params![activity_id, actor_id],
                    |row| row.get(0),
                )
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        let Some(object_id) = object_id else {
            return Ok(None);
        };
        Ok(self
            .conn
            .query_row(
                "DELETE FROM reactions WHERE kind = ?1 AND actor_id = ?2 AND object_id = ?3 RETURNING article_id",
                params![kind, actor_id, object_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    pub fn reactions_to(&self, object_id: &str) -> Result<Reactions> {
        let (likes, boosts): (i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE kind = 'like'), count(*) FILTER (WHERE kind = 'announce')
                 FROM reactions WHERE object_id = ?1",
            )?
            .query_row([object_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(Reactions {
            likes: usize::try_from(likes).unwrap_or(0),
            boosts: usize::try_from(boosts).unwrap_or(0),
        })
    }

    pub fn insert_flag(
        &self,
        activity_id: Option<&str>,
        actor_id: &str,
        content: &str,
        objects: &[String],
        now: i64,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "INSERT OR IGNORE INTO flags (activity_id, actor_id, content, objects, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                activity_id,
                actor_id,
                content,
                serde_json::to_string(objects)?,
                now
            ],
        )? == 1)
    }

    pub fn flag_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM flags", [], |row| row.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// An article's own comment setting (`None`: the site's).
    pub fn article_comments_setting(&self, article_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT comments FROM articles WHERE id = ?1",
                [article_id],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn set_article_comments_setting(
        &self,
        article_id: i64,
        setting: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE articles SET comments = ?2 WHERE id = ?1",
            params![article_id, setting],
        )?;
        Ok(())
    }

    /// Queues a replies collection to read, once.
    pub fn queue_reply_walk(
        &self,
        url: &str,
        article_id: i64,
        depth: i64,
        at: i64,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "INSERT OR IGNORE INTO reply_walks (url, article_id, depth, next_at) VALUES (?1, ?2, ?3, ?4)",
            params![url, article_id, depth, at],
        )? == 1)
    }

    /// Replies collections due for reading: (url, article, depth, attempts).
    pub fn due_reply_walks(&self, now: i64, limit: usize) -> Result<Vec<(String, i64, i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, article_id, depth, attempts FROM reply_walks
             WHERE done = 0 AND next_at <= ?1 ORDER BY next_at LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![now, super::count_param(limit)], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A walk read (`retry_at` None) or failed (tried again later).
    pub fn finish_reply_walk(&self, url: &str, retry_at: Option<i64>) -> Result<()> {
        match retry_at {
            None => self
                .conn
                .execute("UPDATE reply_walks SET done = 1 WHERE url = ?1", [url])?,
            Some(at) => self.conn.execute(
                "UPDATE reply_walks SET attempts = attempts + 1, next_at = ?2,
                    done = CASE WHEN attempts + 1 >= 5 THEN 1 ELSE 0 END
                 WHERE url = ?1",
                params![url, at],
            )?,
        };
        Ok(())
    }

    /// The article whose page answers at `slug`, published or not.
    pub fn article_id_by_slug(&self, slug: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE slug = ?1")?
            .query_row([slug], |row| row.get(0))
            .optional()?)
    }
}
