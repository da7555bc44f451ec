//! Articles and their tags.

use anyhow::{Context as _, Result, bail};
use rusqlite::{OptionalExtension as _, Row, params};

use super::Store;

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

#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub lang: String,
    pub status: Status,
    pub author: ArticleAuthor,
    pub tags: Vec<ArticleTag>,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
    /// `YYYY-MM` in the site's time zone, set while published.
    pub month: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewArticle {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub lang: String,
    pub status: Status,
    pub author: ArticleAuthor,
    pub tags: Vec<ArticleTag>,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub month: Option<String>,
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

const COLUMNS: &str = "a.id, a.slug, a.title, a.summary, a.body_md, a.lang, a.status,
    a.author_actor_id, a.author_handle, a.author_name, a.author_avatar, a.author_url,
    a.created_at, a.updated_at, a.published_at, a.month,
    (SELECT group_concat(t.tag || char(31) || t.name, char(30)) FROM article_tags t WHERE t.article_id = a.id)";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Article> {
    let tags: Option<String> = row.get(16)?;
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
        body_md: row.get(4)?,
        lang: row.get(5)?,
        status: Status::parse(&row.get::<_, String>(6)?),
        author: ArticleAuthor {
            actor_id: row.get(7)?,
            handle: row.get(8)?,
            name: row.get(9)?,
            avatar: row.get(10)?,
            profile_url: row.get(11)?,
        },
        tags,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
        published_at: row.get(14)?,
        month: row.get(15)?,
    })
}

/// SQL condition and its one parameter (if any) for a filter.
fn condition(filter: Filter<'_>) -> (&'static str, Option<&str>) {
    match filter {
        Filter::All => ("", None),
        Filter::Tag(tag) => (
            " AND a.id IN (SELECT article_id FROM article_tags WHERE tag = ?1)",
            Some(tag),
        ),
        Filter::Author(handle) => (" AND a.author_handle = ?1", Some(handle)),
        Filter::Month(month) => (" AND a.month = ?1", Some(month)),
    }
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
                "INSERT INTO articles (slug, title, summary, body_md, lang, status,
                    author_actor_id, author_handle, author_name, author_avatar, author_url,
                    created_at, updated_at, published_at, month)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14)",
                params![
                    article.slug,
                    article.title,
                    article.summary,
                    article.body_md,
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
                ],
            )
            .with_context(|| format!("cannot store the article '{}'", article.slug))?;
        let id = self.conn.last_insert_rowid();
        for tag in &article.tags {
            self.conn.execute(
                "INSERT OR IGNORE INTO article_tags (article_id, tag, name) VALUES (?1, ?2, ?3)",
                params![id, tag.slug, tag.name],
            )?;
        }
        Ok(id)
    }

    /// Changes an article's status; leaving `published` keeps the date so a
    /// gone page can still say what was there.
    pub fn set_article_status(&self, slug: &str, status: Status, now: i64) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE articles SET status = ?2, updated_at = ?3 WHERE slug = ?1",
            params![slug, status.as_str(), now],
        )?;
        Ok(changed > 0)
    }

    pub fn article_by_slug(&self, slug: &str) -> Result<Option<Article>> {
        let sql = format!("SELECT {COLUMNS} FROM articles a WHERE a.slug = ?1");
        Ok(self.conn.query_row(&sql, [slug], from_row).optional()?)
    }

    /// Published articles matching `filter`, newest first.
    pub fn published(&self, filter: Filter<'_>, window: Window) -> Result<Vec<Article>> {
        let (cond, param) = condition(filter);
        let tail = match window {
            Window::Newest(n) => format!("ORDER BY a.published_at DESC, a.id DESC LIMIT {n}"),
            Window::Chunk { index, size } => format!(
                "ORDER BY a.published_at ASC, a.id ASC LIMIT {size} OFFSET {}",
                index.saturating_sub(1) * size
            ),
            Window::Everything => "ORDER BY a.published_at DESC, a.id DESC".to_string(),
        };
        let sql =
            format!("SELECT {COLUMNS} FROM articles a WHERE a.status = 'published'{cond} {tail}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = match param {
            Some(p) => stmt
                .query_map([p], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => stmt
                .query_map([], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        let mut rows = rows;
        if matches!(window, Window::Chunk { .. }) {
            rows.reverse();
        }
        Ok(rows)
    }

    pub fn count_published(&self, filter: Filter<'_>) -> Result<usize> {
        let (cond, param) = condition(filter);
        let sql = format!("SELECT count(*) FROM articles a WHERE a.status = 'published'{cond}");
        let count: i64 = match param {
            Some(p) => self.conn.query_row(&sql, [p], |row| row.get(0))?,
            None => self.conn.query_row(&sql, [], |row| row.get(0))?,
        };
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// How many published articles matching `filter` are older than `article`.
    pub fn position(&self, filter: Filter<'_>, article: &Article) -> Result<usize> {
        let (cond, param) = condition(filter);
        let sql = format!(
            "SELECT count(*) FROM articles a WHERE a.status = 'published'{cond}
             AND (a.published_at < ?2 OR (a.published_at = ?2 AND a.id < ?3))"
        );
        let published = article.published_at.unwrap_or(0);
        let count: i64 = self.conn.query_row(
            &sql,
            params![param.unwrap_or(""), published, article.id],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Months that have published articles, newest first, with their counts
    /// and their latest change.
    pub fn months(&self) -> Result<Vec<(String, usize, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT month, count(*), max(updated_at) FROM articles
             WHERE status = 'published' AND month IS NOT NULL
             GROUP BY month ORDER BY month DESC",
        )?;
        let rows = stmt
            .query_map([], |row| {
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
        let mut stmt = self.conn.prepare(
            "SELECT t.tag, min(t.name) FROM article_tags t JOIN articles a ON a.id = t.article_id
             WHERE a.status = 'published' GROUP BY t.tag ORDER BY t.tag",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok(ArticleTag {
                    slug: row.get(0)?,
                    name: row.get(1)?,
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
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT author_handle FROM articles WHERE status = 'published' ORDER BY author_handle",
        )?;
        let rows = stmt
            .query_map([], |row| row.get(0))?
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
