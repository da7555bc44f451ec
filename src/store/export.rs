//! "Everything" queries for `affiche export` and `affiche import`: every
//! article whatever its status, every reaction, every follower, and the
//! fix-ups an import applies after the ordinary inserts (exact dates and
//! counters, the key pair it brings).

use anyhow::Result;
use rusqlite::params;

use super::{Follower, Store};

/// A like or boost as stored, for the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionRow {
    pub activity_id: String,
    pub kind: String,
    pub actor_id: String,
    pub object_id: String,
    pub created_at: i64,
}

impl Store {
    /// Every article and event, whatever its status, with its form key.
    pub fn all_article_ids(&self) -> Result<Vec<(i64, Option<String>)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, form_key FROM articles ORDER BY id")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// How many articles and events there are, whatever their status.
    pub fn article_count_all(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |row| row.get(0))?)
    }

    /// Every like and boost of an article and of its comments, oldest first.
    pub fn reactions_of_article(&self, article_id: i64) -> Result<Vec<ReactionRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT activity_id, kind, actor_id, object_id, created_at FROM reactions
             WHERE article_id = ?1 ORDER BY created_at, activity_id",
        )?;
        let rows = stmt
            .query_map([article_id], |row| {
                Ok(ReactionRow {
                    activity_id: row.get(0)?,
                    kind: row.get(1)?,
                    actor_id: row.get(2)?,
                    object_id: row.get(3)?,
                    created_at: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every follower with its Follow's id, oldest first.
    pub fn all_followers(&self) -> Result<Vec<Follower>> {
        let mut stmt = self.conn.prepare(
            "SELECT actor_id, follow_id, created_at FROM followers ORDER BY created_at, actor_id",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok(Follower {
                    actor_id: row.get(0)?,
                    follow_id: row.get(1)?,
                    created_at: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// An imported article's exact edit date and save counters.
    pub fn restore_article_counters(
        &self,
        id: i64,
        updated_at: i64,
        version: i64,
        announced_version: i64,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE articles SET updated_at = ?2, version = ?3, announced_version = ?4 WHERE id = ?1",
            params![id, updated_at, version, announced_version],
        )?;
        Ok(())
    }

    /// An imported event's calendar sequence.
    pub fn restore_event_sequence(&self, article_id: i64, sequence: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE events SET sequence = ?2 WHERE article_id = ?1",
            params![article_id, sequence],
        )?;
        Ok(())
    }

    /// An imported participant's registration date.
    pub fn restore_participant_date(
        &self,
        event_id: i64,
        actor_id: &str,
        created_at: i64,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE participants SET created_at = ?3, updated_at = ?3 WHERE event_id = ?1 AND actor_id = ?2",
            params![event_id, actor_id, created_at],
        )?;
        Ok(())
    }

    /// An imported follower's follow date.
    pub fn restore_follower_date(&self, actor_id: &str, created_at: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE followers SET created_at = ?2 WHERE actor_id = ?1",
            params![actor_id, created_at],
        )?;
        Ok(())
    }

    /// Replaces the site's key pair with an imported one (the site keeps
    /// its fediverse identity on the new host).
    pub fn replace_site_key(
        &self,
        private_pem: &str,
        public_pem: &str,
        created_at: i64,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE site_key SET private_pem = ?1, public_pem = ?2, created_at = ?3 WHERE id = 1",
            params![private_pem, public_pem, created_at],
        )?;
        Ok(())
    }
}
