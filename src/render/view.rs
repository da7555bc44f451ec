//! What templates see: plain serializable views built from store rows. The
//! template contract in the README lists these fields.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::config::SiteUrl;
use crate::i18n::Messages;
use crate::store::{Article, ArticleAuthor, Comment, MAX_DEPTH};

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

/// Builds views with the site's URLs and time zone, and the words of one
/// language for dates (the site's; an article's page uses its own).
#[derive(Clone)]
pub struct Views {
    pub url: SiteUrl,
    pub tz: TimeZone,
    pub words: Messages,
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

    /// The same views with the words of another language.
    pub fn in_language(&self, words: Messages) -> Views {
        Views {
            words,
            ..self.clone()
        }
    }

    /// `26 November 2026` in the site's zone, in the views' language.
    pub fn display_date(&self, seconds: i64) -> String {
        Timestamp::from_second(seconds)
            .map(|t| self.words.date(&t.to_zoned_datetime(self.tz.clone())))
            .unwrap_or_default()
    }

    /// `November 2026` for `2026-11`, in the views' language.
    pub fn month_name(&self, month: &str) -> String {
        self.words.month_year(month)
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

/// A reply from the fediverse as the article page shows it, with the
/// replies nested under it (`replies`), oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    pub id: i64,
    /// The fragment that links to it: `comment-12`.
    pub anchor: String,
    /// The original on its server (its `url`, else its id): a link only.
    pub url: String,
    pub author: CommentAuthorView,
    pub published: String,
    pub published_display: String,
    /// RFC 3339 when its author edited it, else empty.
    pub updated: String,
    pub updated_display: String,
    /// Sanitized HTML (sanitized when stored).
    pub content: String,
    /// The content warning, or empty.
    pub summary: String,
    pub lang: String,
    pub attachments: Vec<AttachmentView>,
    /// 0 for a reply to the article; at most `MAX_DEPTH`.
    pub depth: i64,
    /// The handle of the comment it answers, when that comment is not the
    /// one it is shown under (threads deeper than `MAX_DEPTH`).
    pub reply_to: String,
    pub replies: Vec<CommentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommentAuthorView {
    pub name: String,
    /// `@user@host`, or empty.
    pub handle: String,
    /// A link to the profile (http or https only), or empty.
    pub url: String,
    /// A path on this site (`/media/…`), or empty: never a remote address.
    pub avatar: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub url: String,
    /// Its name, or "attachment".
    pub name: String,
    pub media_type: String,
}

/// A link to a remote address: http and https only, else nothing.
pub fn safe_href(url: &str) -> String {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        url.to_string()
    } else {
        String::new()
    }
}

impl Views {
    /// A copied avatar as pages link to it; anything else (a remote
    /// address above all) is dropped: pages make no third-party request.
    pub fn local_media(&self, path: &str) -> String {
        let root = &self.url.root;
        let inside = path
            .strip_prefix(&format!("{root}/media/"))
            .or_else(|| path.strip_prefix("media/"))
            .or_else(|| path.strip_prefix("/media/").filter(|_| root.is_empty()));
        match inside {
            Some(name)
                if !name.is_empty()
                    && !name.contains("..")
                    && name.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_')
                    }) =>
            {
                format!("{root}/media/{name}")
            }
            _ => String::new(),
        }
    }

    /// Date and time in the site's zone: `3 May 2026, 14:05`.
    pub fn display_time(&self, seconds: i64) -> String {
        Timestamp::from_second(seconds)
            .map(|t| self.words.date_time(&t.to_zoned_datetime(self.tz.clone())))
            .unwrap_or_default()
    }

    pub fn comment(&self, comment: &Comment, depth: i64, reply_to: String) -> CommentView {
        let handle = comment_handle(comment);
        let name = [
            comment.author_name.trim(),
            handle.as_str(),
            &comment.actor_id,
        ]
        .into_iter()
        .find(|n| !n.is_empty())
        .unwrap_or_default()
        .to_string();
        let url = Some(safe_href(&comment.url))
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| safe_href(&comment.object_id));
        let profile = Some(safe_href(&comment.author_url))
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| safe_href(&comment.actor_id));
        CommentView {
            id: comment.id,
            anchor: format!("comment-{}", comment.id),
            url,
            author: CommentAuthorView {
                name,
                handle,
                url: profile,
                avatar: self.local_media(&comment.author_avatar),
            },
            published: self.timestamp(comment.published),
            published_display: self.display_time(comment.published),
            updated: comment
                .updated
                .filter(|u| *u > comment.published)
                .map(|u| self.timestamp(u))
                .unwrap_or_default(),
            updated_display: comment
                .updated
                .filter(|u| *u > comment.published)
                .map(|u| self.display_time(u))
                .unwrap_or_default(),
            content: comment.content.clone(),
            summary: comment.summary.trim().to_string(),
            lang: comment.lang.clone(),
            attachments: comment
                .attachments
                .iter()
                .filter_map(|a| {
                    let url = safe_href(&a.url);
                    (!url.is_empty()).then(|| AttachmentView {
                        url,
                        name: if a.name.trim().is_empty() {
                            "attachment".to_string()
                        } else {
                            a.name.trim().to_string()
                        },
                        media_type: a.media_type.clone(),
                    })
                })
                .collect(),
            depth,
            reply_to,
            replies: Vec::new(),
        }
    }

    /// Comments (oldest first, as the store gives them) as threads: each
    /// comment followed by its replies, oldest first. A reply whose parent
    /// is not in the list (hidden, deleted) starts a thread of its own;
    /// below `MAX_DEPTH`, replies are shown at that depth, in thread order,
    /// with the handle they answer.
    pub fn threads(&self, comments: &[Comment]) -> Vec<CommentView> {
        thread_order(comments)
            .into_iter()
            .fold(Nest::default(), |mut nest, (index, depth, moved)| {
                let comment = &comments[index];
                let reply_to = match comment.parent_id {
                    Some(parent) if moved => comments
                        .iter()
                        .find(|c| c.id == parent)
                        .map(comment_handle)
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                nest.push(self.comment(comment, depth, reply_to));
                nest
            })
            .finish()
    }
}

/// `@user@host`, or empty.
fn comment_handle(comment: &Comment) -> String {
    let handle = comment.author_handle.trim().trim_start_matches('@');
    if handle.is_empty() {
        String::new()
    } else {
        format!("@{handle}")
    }
}

/// The comments' indexes in thread order (depth first, oldest first at each
/// level), with their depth as shown and whether they are shown away from
/// their parent. Iterative: a reply chain of any length cannot overflow the
/// stack.
pub fn thread_order(comments: &[Comment]) -> Vec<(usize, i64, bool)> {
    use std::collections::HashMap;
    let position: HashMap<i64, usize> = comments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); comments.len()];
    let mut roots = Vec::new();
    for (i, comment) in comments.iter().enumerate() {
        match comment.parent_id.and_then(|p| position.get(&p)) {
            Some(&parent) if parent != i => children[parent].push(i),
            _ => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(comments.len());
    let mut seen = vec![false; comments.len()];
    let mut stack: Vec<(usize, i64, bool)> = roots.iter().rev().map(|&i| (i, 0, false)).collect();
    loop {
        while let Some((i, depth, moved)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            order.push((i, depth, moved));
            let (child_depth, child_moved) = if depth < MAX_DEPTH {
                (depth + 1, false)
            } else {
                (depth, true)
            };
            stack.extend(
                children[i]
                    .iter()
                    .rev()
                    .map(|&c| (c, child_depth, child_moved)),
            );
        }
        // Only a loop in the parents (which the store never makes) leaves
        // comments unseen: they are shown as threads of their own.
        match seen.iter().position(|s| !s) {
            Some(i) => stack.push((i, 0, false)),
            None => return order,
        }
    }
}

/// Builds the nested lists from comments in thread order with depths.
#[derive(Default)]
struct Nest {
    /// The list being filled at each depth; each list's parent is the last
    /// comment of the list before it.
    levels: Vec<Vec<CommentView>>,
}

impl Nest {
    fn close_to(&mut self, depth: usize) {
        while self.levels.len() > depth + 1 {
            let done = self.levels.pop().unwrap_or_default();
            if let Some(parent) = self.levels.last_mut().and_then(|l| l.last_mut()) {
                parent.replies = done;
            }
        }
    }

    fn push(&mut self, view: CommentView) {
        let depth = usize::try_from(view.depth).unwrap_or(0);
        // Depth grows one step at a time in thread order; never skip a level.
        let depth = depth.min(self.levels.len());
        self.close_to(depth);
        if self.levels.len() == depth {
            self.levels.push(Vec::new());
        }
        self.levels[depth].push(view);
    }

    fn finish(mut self) -> Vec<CommentView> {
        self.close_to(0);
        self.levels.pop().unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::CommentState;

    fn views() -> Views {
        let mut config = crate::config::Config::default_for_test(std::path::Path::new("/site"));
        config.base_url = "https://example.org/blog".into();
        Views {
            url: config.site_url(),
            tz: TimeZone::UTC,
            words: crate::i18n::Messages::new(
                std::sync::Arc::new(crate::i18n::I18n::new()),
                crate::i18n::Lang::ENGLISH,
            ),
        }
    }

    fn comment(id: i64, parent: Option<i64>, published: i64) -> Comment {
        Comment {
            id,
            object_id: format!("https://m.example/notes/{id}"),
            article_id: 1,
            in_reply_to: String::new(),
            parent_id: parent,
            depth: 0,
            actor_id: format!("https://m.example/users/u{id}"),
            author_handle: format!("u{id}@m.example"),
            author_name: String::new(),
            author_url: String::new(),
            author_avatar: String::new(),
            url: String::new(),
            content: format!("<p>{id}</p>"),
            summary: String::new(),
            lang: String::new(),
            attachments: Vec::new(),
            published,
            updated: None,
            state: CommentState::Visible,
        }
    }

    /// (id, depth) in the order a page shows them.
    fn flat(views: &[CommentView]) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        for v in views {
            out.push((v.id, v.depth));
            out.extend(flat(&v.replies));
        }
        out
    }

    #[test]
    fn each_comment_is_followed_by_its_replies_oldest_first() {
        // As the store lists them: oldest first.
        let comments = vec![
            comment(1, None, 10),
            comment(2, None, 20),
            comment(3, Some(1), 30),
            comment(4, Some(2), 40),
            comment(5, Some(3), 50),
            comment(6, Some(1), 60),
            // Its parent is hidden: not in the list.
            comment(7, Some(99), 70),
        ];
        let threads = views().threads(&comments);
        assert_eq!(
            flat(&threads),
            vec![(1, 0), (3, 1), (5, 2), (6, 1), (2, 0), (4, 1), (7, 0)]
        );
        assert_eq!(threads.len(), 3);
        assert_eq!(threads[0].replies.len(), 2);
        assert_eq!(threads[0].replies[0].replies[0].id, 5);
        assert!(flat(&threads).len() == comments.len());
    }

    #[test]
    fn threads_deeper_than_the_cap_continue_at_the_cap_in_order() {
        // A chain of 12 replies, and a late reply to the third.
        let mut comments: Vec<Comment> = (1..=12)
            .map(|i| comment(i, (i > 1).then(|| i - 1), i * 10))
            .collect();
        comments.push(comment(13, Some(3), 1000));
        let threads = views().threads(&comments);
        let order = flat(&threads);
        let ids: Vec<i64> = order.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
        let depths: Vec<i64> = order.iter().map(|(_, d)| *d).collect();
        assert_eq!(depths, vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 3]);
        assert!(depths.iter().all(|d| *d <= MAX_DEPTH));
        // Those shown away from their parent name whom they answer.
        let mut node = &threads[0];
        while node.depth < 7 {
            node = &node.replies[0];
        }
        let capped: Vec<&CommentView> = node.replies.iter().collect();
        assert_eq!(capped.len(), 4);
        assert_eq!(capped[0].reply_to, "");
        assert_eq!(capped[1].reply_to, "@u9@m.example");
        assert_eq!(capped[3].reply_to, "@u11@m.example");
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let comments: Vec<Comment> = (1..=50_000)
            .map(|i| comment(i, (i > 1).then(|| i - 1), i))
            .collect();
        assert_eq!(thread_order(&comments).len(), 50_000);
    }

    #[test]
    fn a_comment_never_links_to_a_remote_image_or_a_script() {
        let views = views();
        let mut c = comment(1, None, 0);
        c.author_avatar = "https://evil.example/a.png".into();
        c.url = "javascript:alert(1)".into();
        c.author_url = "data:text/html,x".into();
        c.attachments = vec![
            crate::store::Attachment {
                url: "https://m.example/files/1.png".into(),
                media_type: "image/png".into(),
                name: String::new(),
            },
            crate::store::Attachment {
                url: "javascript:x".into(),
                media_type: String::new(),
                name: "bad".into(),
            },
        ];
        let view = views.comment(&c, 0, String::new());
        assert_eq!(view.author.avatar, "");
        assert_eq!(view.url, "https://m.example/notes/1");
        assert_eq!(view.author.url, "https://m.example/users/u1");
        assert_eq!(view.attachments.len(), 1);
        assert_eq!(view.attachments[0].name, "attachment");
        assert_eq!(view.author.name, "@u1@m.example");
        for (stored, shown) in [
            ("/blog/media/avatars/a.webp", "/blog/media/avatars/a.webp"),
            ("media/avatars/a.webp", "/blog/media/avatars/a.webp"),
            ("/blog/media/../affiche.sqlite", ""),
            ("//evil.example/media/a.png", ""),
            ("/media/a.png", ""),
        ] {
            assert_eq!(views.local_media(stored), shown, "{stored}");
        }
    }
}
