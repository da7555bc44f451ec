//! Articles and their tags.

use anyhow::{Context as _, Result, bail};
use rusqlite::{OptionalExtension as _, Row, params};

use super::{Store, count_param};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Pending,
    Published,
    Deleted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Pending => "pending",
            Status::Published => "published",
            Status::Deleted => "deleted",
        }
    }

    fn parse(text: &str) -> Status {
        match text {
            "published" => Status::Published,
            "pending" => Status::Pending,
            "deleted" => Status::Deleted,
            _ => Status::Draft,
        }
    }
}

/// The fediverse identity that signs an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleAuthor {
    pub actor_id: String,
    /// `alice@mastodon.social`, without the leading `@`.
    pub handle: String,
    pub name: String,
    pub avatar: String,
    pub profile_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTag {
    /// Used in URLs: lowercase, no spaces.
    pub slug: String,
    /// As the author wrote it.
    pub name: String,
}

/// The body as rendered when it was saved: sanitized HTML, the version of
/// the renderer that made it, and its length in words.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    pub html: String,
    pub version: i64,
    pub words: i64,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub lang: String,
    pub status: Status,
    pub author: ArticleAuthor,
    pub tags: Vec<ArticleTag>,
    /// Words in the body, for the reading time.
    pub words: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
    /// `YYYY-MM` in the site's time zone, set while published.
    pub month: Option<String>,
    /// A path on this site (`/media/…`), or empty.
    pub cover: String,
    /// Counts the saves of what readers see; the fediverse was last told
    /// about `announced_version`.
    pub version: i64,
    pub announced_version: i64,
    /// An article, or an event (its fields are in `events`).
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Article,
    Event,
}

#[derive(Debug, Clone)]
pub struct NewArticle {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub body: RenderedBody,
    pub lang: String,
    pub status: Status,
    pub author: ArticleAuthor,
    pub tags: Vec<ArticleTag>,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub month: Option<String>,
    pub cover: String,
    /// The editor form's random key: the same form sent twice is one article.
    pub form_key: Option<String>,
}

/// Which published articles a list page shows.
#[derive(Debug, Clone, Copy)]
pub enum Filter<'a> {
    All,
    Tag(&'a str),
    Author(&'a str),
    Month(&'a str),
}

/// Which slice of a list: the newest ones, or a fixed chunk counted from the
/// oldest (so that publishing leaves older chunks untouched).
#[derive(Debug, Clone, Copy)]
pub enum Window {
    Newest(usize),
    Chunk { index: usize, size: usize },
    Everything,
}

pub(super) const COLUMNS: &str = "a.id, a.slug, a.title, a.summary, a.lang, a.status,
    a.author_actor_id, a.author_handle, a.author_name, a.author_avatar, a.author_url,
    a.created_at, a.updated_at, a.published_at, a.month, a.word_count,
    a.cover, a.version, a.announced_version, a.kind,
    (SELECT group_concat(t.tag || char(31) || t.name, char(30)) FROM article_tags t WHERE t.article_id = a.id)";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Article> {
    let tags: Option<String> = row.get(20)?;
    let tags = tags
        .unwrap_or_default()
        .split('\u{1e}')
        .filter(|t| !t.is_empty())
        .map(|pair| {
            let (slug, name) = pair.split_once('\u{1f}').unwrap_or((pair, pair));
            ArticleTag {
                slug: slug.to_string(),
                name: name.to_string(),
            }
        })
        .collect();
    Ok(Article {
        id: row.get(0)?,
        slug: row.get(1)?,
        title: row.get(2)?,
        summary: row.get(3)?,
        lang: row.get(4)?,
        status: Status::parse(&row.get::<_, String>(5)?),
        author: ArticleAuthor {
            actor_id: row.get(6)?,
            handle: row.get(7)?,
            name: row.get(8)?,
            avatar: row.get(9)?,
            profile_url: row.get(10)?,
        },
        tags,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
        published_at: row.get(13)?,
        month: row.get(14)?,
        words: row.get(15)?,
        cover: row.get(16)?,
        version: row.get(17)?,
        announced_version: row.get(18)?,
        kind: if row.get::<_, String>(19)? == "event" {
            Kind::Event
        } else {
            Kind::Article
        },
    })
}

impl Filter<'_> {
    /// The name of the list in `listings`.
    fn list(self) -> String {
        match self {
            Filter::All => "all".to_string(),
            Filter::Tag(tag) => format!("tag:{tag}"),
            Filter::Author(handle) => format!("author:{handle}"),
            Filter::Month(month) => format!("month:{month}"),
        }
    }
}

/// Every list a published article belongs to, for one article id.
const LIST_ENTRIES: &str = "
    INSERT INTO listings (list, published_at, article_id)
    SELECT 'all', published_at, id FROM articles WHERE id = ?1 AND status = 'published' AND kind = 'article'
    UNION ALL
    SELECT 'month:' || month, published_at, id FROM articles
        WHERE id = ?1 AND status = 'published' AND month IS NOT NULL AND kind = 'article'
    UNION ALL
    SELECT 'author:' || author_handle, published_at, id FROM articles
        WHERE id = ?1 AND status = 'published' AND kind = 'article'
    UNION ALL
    SELECT 'tag:' || t.tag, a.published_at, a.id FROM article_tags t JOIN articles a ON a.id = t.article_id
        WHERE a.id = ?1 AND a.status = 'published' AND a.kind = 'article'";

/// Names in `list_stats` with a prefix, and non-empty: `prefix:` up to `prefix;`.
fn lists_with_prefix(prefix: &str) -> (String, String) {
    (format!("{prefix}:"), format!("{prefix};"))
}

impl Store {
    /// Stores a new article; a slug already taken is an error naming it.
    pub fn insert_article(&self, article: &NewArticle) -> Result<i64> {
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?1)",
            [&article.slug],
            |row| row.get(0),
        )?;
        if taken {
            bail!(
                "an article with the slug '{}' already exists; give this one another `slug` in its front matter",
                article.slug
            );
        }
        self.conn
            .execute(
                "INSERT INTO articles (slug, title, summary, lang, status,
                    author_actor_id, author_handle, author_name, author_avatar, author_url,
                    created_at, updated_at, published_at, month, word_count, cover, form_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    article.slug,
                    article.title,
                    article.summary,
                    article.lang,
                    article.status.as_str(),
                    article.author.actor_id,
                    article.author.handle,
                    article.author.name,
                    article.author.avatar,
                    article.author.profile_url,
                    article.created_at,
                    article.published_at,
                    article.month,
                    article.body.words,
                    article.cover,
                    article.form_key,
                ],
            )
            .with_context(|| format!("cannot store the article '{}'", article.slug))?;
        let id = self.conn.last_insert_rowid();
        self.conn.execute(
            "INSERT INTO article_bodies (article_id, html_version, html, markdown) VALUES (?1, ?2, ?3, ?4)",
            params![id, article.body.version, article.body.html, article.body_md],
        )?;
        for tag in &article.tags {
            self.conn.execute(
                "INSERT OR IGNORE INTO article_tags (article_id, tag, name) VALUES (?1, ?2, ?3)",
                params![id, tag.slug, tag.name],
            )?;
        }
        self.relist(id)?;
        Ok(id)
    }

    /// Puts an article in the lists it belongs to now, and out of the others.
    pub(super) fn relist(&self, id: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM listings WHERE article_id = ?1")?
            .execute([id])?;
        self.conn.prepare_cached(LIST_ENTRIES)?.execute([id])?;
        Ok(())
    }

    /// Changes an article's status; leaving `published` keeps the date so a
    /// gone page can still say what was there.
    pub fn set_article_status(&self, slug: &str, status: Status, now: i64) -> Result<bool> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "UPDATE articles SET status = ?2, updated_at = ?3 WHERE slug = ?1 RETURNING id",
                params![slug, status.as_str(), now],
                |row| row.get(0),
            )
            .optional()?;
        match id {
            Some(id) => {
                self.relist(id)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub fn article_by_slug(&self, slug: &str) -> Result<Option<Article>> {
        // Cached: a full rebuild asks once per article, and parsing this
        // statement each time was a sixth of the rebuild.
        let sql = format!("SELECT {COLUMNS} FROM articles a WHERE a.slug = ?1");
        let mut statement = self.conn.prepare_cached(&sql)?;
        Ok(statement.query_row([slug], from_row).optional()?)
    }

    /// Published articles matching `filter`, newest first.
    pub fn published(&self, filter: Filter<'_>, window: Window) -> Result<Vec<Article>> {
        // The window is cut from the listing alone, then joined: joining
        // first would read every skipped article row for an OFFSET.
        // LIMIT -1 is SQLite's "no limit"; one statement per direction is
        // parsed once and cached.
        let (order, limit, offset) = match window {
            Window::Newest(n) => ("DESC", count_param(n), 0),
            Window::Chunk { index, size } => (
                "ASC",
                count_param(size),
                count_param(index.saturating_sub(1).saturating_mul(size)),
            ),
            Window::Everything => ("DESC", -1, 0),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM (
                SELECT article_id, published_at FROM listings WHERE list = ?1
                ORDER BY published_at {order}, article_id {order} LIMIT ?2 OFFSET ?3
             ) l JOIN articles a ON a.id = l.article_id
             ORDER BY l.published_at {order}, l.article_id {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(params![filter.list(), limit, offset], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if matches!(window, Window::Chunk { .. }) {
            rows.reverse();
        }
        Ok(rows)
    }

    pub fn count_published(&self, filter: Filter<'_>) -> Result<usize> {
        let count: Option<i64> = self
            .conn
            .prepare_cached("SELECT count FROM list_stats WHERE list = ?1")?
            .query_row([filter.list()], |row| row.get(0))
            .optional()?;
        Ok(usize::try_from(count.unwrap_or(0)).unwrap_or(0))
    }

    /// How many published articles matching `filter` are older than `article`.
    pub fn position(&self, filter: Filter<'_>, article: &Article) -> Result<usize> {
        let count: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM listings WHERE list = ?1
                 AND (published_at < ?2 OR (published_at = ?2 AND article_id < ?3))",
            )?
            .query_row(
                params![filter.list(), article.published_at.unwrap_or(0), article.id],
                |row| row.get(0),
            )?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Months that have published articles, newest first, with their counts
    /// and their latest change.
    pub fn months(&self) -> Result<Vec<(String, usize, i64)>> {
        let (from, to) = lists_with_prefix("month");
        let mut stmt = self.conn.prepare_cached(
            "SELECT substr(list, 7), count, changed_at FROM list_stats
             WHERE list >= ?1 AND list < ?2 AND count > 0 ORDER BY list DESC",
        )?;
        let rows = stmt
            .query_map([from, to], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|(m, c, u)| (m, usize::try_from(c).unwrap_or(0), u))
            .collect())
    }

    /// Every tag slug with at least one published article, and its display name.
    pub fn tags(&self) -> Result<Vec<ArticleTag>> {
        let (from, to) = lists_with_prefix("tag");
        let mut stmt = self.conn.prepare_cached(
            "SELECT substr(s.list, 5),
                    (SELECT min(t.name) FROM article_tags t WHERE t.tag = substr(s.list, 5))
             FROM list_stats s WHERE s.list >= ?1 AND s.list < ?2 AND s.count > 0 ORDER BY s.list",
        )?;
        let rows = stmt
            .query_map([from, to], |row| {
                let slug: String = row.get(0)?;
                let name: Option<String> = row.get(1)?;
                Ok(ArticleTag {
                    name: name.unwrap_or_else(|| slug.clone()),
                    slug,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The display name of a tag, from any article carrying it.
    pub fn tag_name(&self, tag: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT min(name) FROM article_tags WHERE tag = ?1",
                [tag],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Handles of everyone with a published article.
    pub fn author_handles(&self) -> Result<Vec<String>> {
        let (from, to) = lists_with_prefix("author");
        let mut stmt = self.conn.prepare_cached(
            "SELECT substr(list, 8) FROM list_stats WHERE list >= ?1 AND list < ?2 AND count > 0 ORDER BY list",
        )?;
        let rows = stmt
            .query_map([from, to], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// The newest identity known for an author (names and avatars change).
    pub fn author(&self, handle: &str) -> Result<Option<ArticleAuthor>> {
        Ok(self
            .conn
            .query_row(
                "SELECT author_actor_id, author_handle, author_name, author_avatar, author_url
                 FROM articles WHERE author_handle = ?1 ORDER BY updated_at DESC, id DESC LIMIT 1",
                [handle],
                |row| {
                    Ok(ArticleAuthor {
                        actor_id: row.get(0)?,
                        handle: row.get(1)?,
                        name: row.get(2)?,
                        avatar: row.get(3)?,
                        profile_url: row.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Slugs of every article that has a page: published ones and gone ones.
    pub fn page_slugs(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT slug FROM articles WHERE status = 'published'
             OR (status IN ('deleted', 'draft', 'pending') AND published_at IS NOT NULL) ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// The stored HTML of an article's body and the renderer version that made it.
    pub fn body_html(&self, id: i64) -> Result<Option<(String, i64)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT html, html_version FROM article_bodies WHERE article_id = ?1")?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }

    /// An article's Markdown, as its author wrote it.
    pub fn body_markdown(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT markdown FROM article_bodies WHERE article_id = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?)
    }

    /// Bodies whose stored HTML was not made by renderer `version` (all of
    /// them when `all`): (id, Markdown).
    pub fn bodies_to_render(&self, version: i64, all: bool) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT article_id, markdown FROM article_bodies WHERE html_version != ?1 OR ?2 ORDER BY article_id",
        )?;
        let rows = stmt
            .query_map(params![version, all], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn set_rendered_body(&self, id: i64, body: &RenderedBody) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE article_bodies SET html = ?2, html_version = ?3 WHERE article_id = ?1",
            )?
            .execute(params![id, body.html, body.version])?;
        self.conn
            .prepare_cached("UPDATE articles SET word_count = ?2 WHERE id = ?1")?
            .execute(params![id, body.words])?;
        Ok(())
    }

    /// Recomputes each article's archive month (after a time zone change).
    pub fn refresh_months(&self, month_of: impl Fn(i64) -> String) -> Result<usize> {
        let mut stmt = self.conn.prepare(
            "SELECT id, published_at, month FROM articles WHERE published_at IS NOT NULL",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut changed = 0;
        for (id, published, month) in rows {
            let wanted = month_of(published);
            if month.as_deref() != Some(wanted.as_str()) {
                self.conn.execute(
                    "UPDATE articles SET month = ?2 WHERE id = ?1",
                    params![id, wanted],
                )?;
                self.relist(id)?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn article(slug: &str, published: i64, tags: &[&str]) -> NewArticle {
        NewArticle {
            slug: slug.into(),
            title: format!("Title {slug}"),
            summary: String::new(),
            body_md: "Body".into(),
            body: RenderedBody::default(),
            lang: "en".into(),
            status: Status::Published,
            author: ArticleAuthor {
                handle: "alice@example.org".into(),
                ..Default::default()
            },
            tags: tags
                .iter()
                .map(|t| ArticleTag {
                    slug: t.to_string(),
                    name: t.to_uppercase(),
                })
                .collect(),
            created_at: published,
            published_at: Some(published),
            month: Some("2026-01".into()),
            cover: String::new(),
            form_key: None,
        }
    }

    #[test]
    fn chunks_count_from_the_oldest_and_list_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), true).unwrap();
        for i in 0..5 {
            store
                .insert_article(&article(&format!("a{i}"), 100 + i, &["x"]))
                .unwrap();
        }
        let chunk = store
            .published(Filter::Tag("x"), Window::Chunk { index: 1, size: 2 })
            .unwrap();
        let slugs: Vec<_> = chunk.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["a1", "a0"]);
        let newest = store.published(Filter::All, Window::Newest(2)).unwrap();
        assert_eq!(newest[0].slug, "a4");
        assert_eq!(
            newest[0].tags,
            vec![ArticleTag {
                slug: "x".into(),
                name: "X".into()
            }]
        );
        let a3 = store.article_by_slug("a3").unwrap().unwrap();
        assert_eq!(store.position(Filter::Tag("x"), &a3).unwrap(), 3);
        assert_eq!(store.position(Filter::All, &a3).unwrap(), 3);
        assert_eq!(
            store
                .count_published(Filter::Author("alice@example.org"))
                .unwrap(),
            5
        );
        assert_eq!(
            store.months().unwrap(),
            vec![("2026-01".to_string(), 5, 104)]
        );
    }

    #[test]
    fn a_taken_slug_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), true).unwrap();
        store.insert_article(&article("same", 1, &[])).unwrap();
        let err = store.insert_article(&article("same", 2, &[])).unwrap_err();
        assert!(err.to_string().contains("'same' already exists"), "{err}");
        assert_eq!(store.count_published(Filter::All).unwrap(), 1);
    }
}
