//! What the editor changes: an author's own articles, by id.

use anyhow::{Context as _, Result};
use rusqlite::{OptionalExtension as _, params};

use super::articles::{COLUMNS, from_row};
use super::{Article, ArticleTag, RenderedBody, Store};

/// The fields the editor form sets.
#[derive(Debug, Clone, Default)]
pub struct ArticleEdit {
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body: RenderedBody,
    pub lang: String,
    pub tags: Vec<ArticleTag>,
    pub cover: String,
}

impl Store {
    pub fn article_by_id(&self, id: i64) -> Result<Option<Article>> {
        let sql = format!("SELECT {COLUMNS} FROM articles a WHERE a.id = ?1");
        let mut statement = self.conn.prepare_cached(&sql)?;
        Ok(statement.query_row([id], from_row).optional()?)
    }

    pub fn article_by_form_key(&self, key: &str) -> Result<Option<Article>> {
        let sql = format!("SELECT {COLUMNS} FROM articles a WHERE a.form_key = ?1");
        Ok(self.conn.query_row(&sql, [key], from_row).optional()?)
    }

    /// An author's articles, deleted ones aside, last edited first.
    pub fn articles_by_actor(&self, actor_id: &str) -> Result<Vec<Article>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM articles a
             WHERE a.author_actor_id = ?1 AND a.status != 'deleted'
             ORDER BY a.updated_at DESC, a.id DESC"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([actor_id], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn slug_taken(&self, slug: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?1)",
            [slug],
            |row| row.get(0),
        )?)
    }

    /// Replaces what the editor sets; the version counts the saves that
    /// changed something, so a second identical save announces nothing.
    pub fn update_article(&self, id: i64, edit: &ArticleEdit, now: i64) -> Result<bool> {
        let before = self
            .article_by_id(id)?
            .with_context(|| format!("article {id} does not exist"))?;
        let markdown = self.body_markdown(id)?.unwrap_or_default();
        let same = before.title == edit.title
            && before.summary == edit.summary
            && before.lang == edit.lang
            && before.cover == edit.cover
            && before.tags == edit.tags
            && markdown == edit.body_md;
        if same {
            return Ok(false);
        }
        self.conn.execute(
            "UPDATE articles SET title = ?2, summary = ?3, lang = ?4, cover = ?5,
                word_count = ?6, updated_at = ?7, version = version + 1
             WHERE id = ?1",
            params![
                id,
                edit.title,
                edit.summary,
                edit.lang,
                edit.cover,
                edit.body.words,
                now
            ],
        )?;
        self.conn.execute(
            "UPDATE article_bodies SET markdown = ?2, html = ?3, html_version = ?4 WHERE article_id = ?1",
            params![id, edit.body_md, edit.body.html, edit.body.version],
        )?;
        self.conn
            .execute("DELETE FROM article_tags WHERE article_id = ?1", [id])?;
        for tag in &edit.tags {
            self.conn.execute(
                "INSERT OR IGNORE INTO article_tags (article_id, tag, name) VALUES (?1, ?2, ?3)",
                params![id, tag.slug, tag.name],
            )?;
        }
        self.relist(id)?;
        Ok(true)
    }

    /// Publishes (or re-publishes) an article; its first publication date
    /// is kept, so a republished article keeps its address in the archive.
    pub fn publish_article(
        &self,
        id: i64,
        now: i64,
        month_of: impl Fn(i64) -> String,
    ) -> Result<()> {
        let published: Option<i64> = self.conn.query_row(
            "SELECT published_at FROM articles WHERE id = ?1",
            [id],
            |row| row.get(0),
        )?;
        let at = published.unwrap_or(now);
        self.conn.execute(
            "UPDATE articles SET status = 'published', published_at = ?2, month = ?3, updated_at = ?4
             WHERE id = ?1",
            params![id, at, month_of(at), now],
        )?;
        self.relist(id)?;
        Ok(())
    }

    /// Sets an article's status by id (see `set_article_status`).
    pub fn set_status_by_id(&self, id: i64, status: super::Status, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE articles SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, status.as_str(), now],
        )?;
        self.relist(id)?;
        Ok(())
    }

    /// Records that the fediverse was told about this version (0: that it
    /// was told the article is gone).
    pub fn mark_announced(&self, id: i64, version: i64, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE articles SET announced_version = ?2, announced_at = ?3 WHERE id = ?1",
            params![id, version, now],
        )?;
        Ok(())
    }
}
