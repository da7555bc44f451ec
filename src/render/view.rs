//! What templates see: plain serializable views built from store rows. The
//! template contract in the README lists these fields.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::config::SiteUrl;
use crate::store::{Article, ArticleAuthor};

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub root: String,
    pub handle: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub description: String,
    pub url: String,
    pub lang: String,
    pub og_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    pub handle: String,
    pub name: String,
    pub avatar: String,
    pub profile_url: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub lang: String,
    pub path: String,
    pub url: String,
    pub published: String,
    pub published_display: String,
    pub updated: String,
    pub updated_display: String,
    pub tags: Vec<TagView>,
    pub author: AuthorView,
    pub reading_minutes: usize,
    /// The cover image's absolute URL, or empty.
    pub cover: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Pagination {
    pub pages: Vec<PageLink>,
    pub newer_path: String,
    pub older_path: String,
}

/// Builds views with the site's URLs and time zone.
pub struct Views {
    pub url: SiteUrl,
    pub tz: TimeZone,
}

/// An edit less than this long after publication is not shown as an update.
const UPDATE_GRACE_SECONDS: i64 = 3600;

impl Views {
    pub fn path(&self, relative: &str) -> String {
        format!("{}/{}", self.url.root, relative)
    }

    pub fn absolute(&self, relative: &str) -> String {
        format!("{}/{}", self.url.base, relative)
    }

    pub fn timestamp(&self, seconds: i64) -> String {
        Timestamp::from_second(seconds)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    pub fn display_date(&self, seconds: i64) -> String {
        Timestamp::from_second(seconds)
            .map(|t| {
                t.to_zoned_datetime(self.tz.clone())
                    .strftime("%-d %B %Y")
                    .to_string()
            })
            .unwrap_or_default()
    }

    pub fn author(&self, author: &ArticleAuthor) -> AuthorView {
        AuthorView {
            handle: format!("@{}", author.handle),
            name: author.name.clone(),
            avatar: author.avatar.clone(),
            profile_url: author.profile_url.clone(),
            path: self.path(&author_dir(&author.handle)),
        }
    }

    pub fn article(&self, article: &Article, body_html: Option<String>) -> ArticleView {
        let relative = article_dir(&article.slug);
        let published = article.published_at.unwrap_or(article.created_at);
        let edited = article.updated_at > published + UPDATE_GRACE_SECONDS;
        ArticleView {
            slug: article.slug.clone(),
            title: article.title.clone(),
            summary: article.summary.clone(),
            lang: article.lang.clone(),
            path: self.path(&relative),
            url: self.absolute(&relative),
            published: self.timestamp(published),
            published_display: self.display_date(published),
            updated: if edited {
                self.timestamp(article.updated_at)
            } else {
                String::new()
            },
            updated_display: if edited {
                self.display_date(article.updated_at)
            } else {
                String::new()
            },
            tags: article
                .tags
                .iter()
                .map(|t| TagView {
                    name: t.name.clone(),
                    path: self.path(&tag_dir(&t.slug)),
                })
                .collect(),
            author: self.author(&article.author),
            reading_minutes: reading_minutes(article),
            cover: if article.cover.is_empty() {
                String::new()
            } else {
                let origin = self
                    .url
                    .base
                    .strip_suffix(&self.url.root)
                    .unwrap_or(&self.url.base);
                format!("{origin}{}", article.cover)
            },
            body_html,
        }
    }
}

/// Minutes to read at 220 words a minute, at least one.
fn reading_minutes(article: &Article) -> usize {
    let words = usize::try_from(article.words).unwrap_or(0);
    ((words + 110) / 220).max(1)
}

/// Folder of an article's page, relative to the docroot (with its slash).
pub fn article_dir(slug: &str) -> String {
    format!("articles/{slug}/")
}

pub fn tag_dir(tag: &str) -> String {
    format!("tags/{tag}/")
}

pub fn author_dir(handle: &str) -> String {
    format!("authors/{handle}/")
}

/// `archive/2026/11/` for `2026-11`.
pub fn month_dir(month: &str) -> String {
    let (year, number) = month.split_once('-').unwrap_or((month, "01"));
    format!("archive/{year}/{number}/")
}

/// `November 2026` for `2026-11`.
pub fn month_name(month: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (year, number) = month.split_once('-').unwrap_or((month, "01"));
    let index = number.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
    format!("{} {year}", NAMES[index])
}
