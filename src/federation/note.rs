//! A remote post (a reply) read into what a comment shows, and its HTML
//! cleaned to the list of tags Mastodon keeps (FEDERATION.md §4): whatever
//! the sender wrote, no script, no style, no remote image reaches a page.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::Value;

use super::activity::{Invalid, id_of};
use crate::store::Attachment;

/// Larger post bodies are refused: a comment is not a book, and the page
/// that shows it is re-rendered at every new reply.
pub const MAX_CONTENT_BYTES: usize = 100_000;
const MAX_ATTACHMENTS: usize = 8;

/// What a comment keeps of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub in_reply_to: Option<String>,
    /// Sanitized HTML.
    pub content: String,
    /// The content warning, as plain text.
    pub summary: String,
    pub url: String,
    pub lang: String,
    pub published: Option<i64>,
    pub updated: Option<i64>,
    pub attachments: Vec<Attachment>,
    /// The post's own `replies` collection: its id, when it has one.
    pub replies: Option<String>,
}

fn timestamp(value: Option<&Value>) -> Option<i64> {
    value
        .and_then(Value::as_str)
        .and_then(|text| text.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_second())
}

fn is_web_url(text: &str) -> bool {
    super::activity::origin(text).is_some()
}

/// A `url` may be a string, a Link, or an array of either; the HTML one is
/// preferred, as Mastodon does.
fn web_url(value: Option<&Value>) -> String {
    let candidates: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let href = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(map) => map.get("href").and_then(Value::as_str).map(str::to_string),
            _ => None,
        }
    };
    let html = candidates.iter().find(|v| {
        v.get("mediaType")
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("text/html"))
    });
    html.into_iter()
        .chain(candidates.iter())
        .filter_map(|v| href(v))
        .find(|u| is_web_url(u))
        .unwrap_or_default()
}

fn attachments(value: Option<&Value>) -> Vec<Attachment> {
    let items: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| {
            let url = web_url(item.get("url"));
            if url.is_empty() {
                return None;
            }
            let text = |key: &str| {
                item.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .chars()
                    .take(500)
                    .collect::<String>()
            };
            let name = if text("name").is_empty() {
                text("summary")
            } else {
                text("name")
            };
            Some(Attachment {
                url,
                media_type: text("mediaType"),
                name,
            })
        })
        .take(MAX_ATTACHMENTS)
        .collect()
}

/// Reads a post. Its origin checks were made on the activity; this only
/// reads shapes, and refuses what no comment should be.
pub fn parse(object: &Value) -> Result<Note, Invalid> {
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| Invalid("the post has no id".into()))?
        .to_string();
    let content_map = object.get("contentMap").and_then(Value::as_object);
    let raw = match object.get("content") {
        Some(Value::String(text)) => text.clone(),
        _ => content_map
            .and_then(|m| m.values().find_map(Value::as_str))
            .unwrap_or_default()
            .to_string(),
    };
    if raw.len() > MAX_CONTENT_BYTES {
        return Err(Invalid(format!(
            "the post's content is {} KB; comments are limited to {} KB",
            raw.len() / 1000,
            MAX_CONTENT_BYTES / 1000
        )));
    }
    let lang = content_map
        .and_then(|m| m.keys().next().cloned())
        .filter(|l| crate::config::is_language_tag(l))
        .unwrap_or_default();
    let summary: String = object
        .get("summary")
        .and_then(Value::as_str)
        .map(plain_text)
        .unwrap_or_default()
        .chars()
        .take(500)
        .collect();
    let replies = match object.get("replies") {
        Some(Value::String(id)) => Some(id.clone()),
        Some(collection @ Value::Object(_)) => id_of(collection).map(str::to_string),
        _ => None,
    }
    .filter(|u| is_web_url(u));
    Ok(Note {
        in_reply_to: object.get("inReplyTo").and_then(id_of).map(str::to_string),
        content: sanitize(&raw),
        summary,
        url: match web_url(object.get("url")) {
            url if url.is_empty() => id.clone(),
            url => url,
        },
        lang,
        published: timestamp(object.get("published")),
        updated: timestamp(object.get("updated")),
        attachments: attachments(object.get("attachment")),
        replies,
        id,
    })
}

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(HashSet::from([
                "p",
                "span",
                "br",
                "a",
                "del",
                "pre",
                "code",
                "em",
                "strong",
                "b",
                "i",
                "u",
                "ul",
                "ol",
                "li",
                "blockquote",
            ]))
            .link_rel(Some("nofollow noopener noreferrer ugc"))
            .url_schemes(HashSet::from(["http", "https"]))
            .add_tag_attributes("a", ["href"])
            .allowed_classes(
                [
                    ("a", ["mention", "hashtag", "u-url", "h-card"].as_slice()),
                    ("span", ["h-card", "invisible", "ellipsis"].as_slice()),
                ]
                .into_iter()
                .map(|(tag, classes)| (tag, classes.iter().copied().collect()))
                .collect(),
            )
            .strip_comments(true);
        builder
    })
}

/// Remote HTML down to Mastodon's list of tags; links keep their href
/// (http and https only) and get `rel="nofollow noopener noreferrer ugc"`.
pub fn sanitize(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Text for a place that shows no HTML (a content warning).
pub fn plain_text(html: &str) -> String {
    let cleaned = ammonia::Builder::empty().clean(html).to_string();
    cleaned
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_mastodon_reply_is_read() {
        let note = parse(&json!({
            "id": "https://m.example/users/a/statuses/1", "type": "Note",
            "inReplyTo": "https://site.example/articles/x/",
            "summary": "spoilers <b>ahead</b>", "sensitive": true,
            "url": "https://m.example/@a/1",
            "published": "2026-11-26T10:00:00Z",
            "contentMap": { "fr": "<p>Bonjour <script>alert(1)</script><a href=\"javascript:alert(1)\">x</a> <a href=\"https://m.example/tags/t\" class=\"mention hashtag evil\" rel=\"tag\">#t</a></p><img src=\"https://tracker.example/p.gif\">" },
            "attachment": [{ "type": "Document", "mediaType": "image/png", "url": "https://m.example/a.png", "name": "a cat" }, { "url": "javascript:x" }],
            "replies": { "id": "https://m.example/users/a/statuses/1/replies", "type": "Collection" }
        }))
        .unwrap();
        assert_eq!(
            note.in_reply_to.as_deref(),
            Some("https://site.example/articles/x/")
        );
        assert_eq!(note.summary, "spoilers ahead");
        assert_eq!(note.lang, "fr");
        assert_eq!(note.url, "https://m.example/@a/1");
        assert_eq!(note.published, Some(1_795_687_200));
        assert!(
            !note.content.contains("script")
                && !note.content.contains("javascript")
                && !note.content.contains("<img"),
            "{}",
            note.content
        );
        assert!(
            note.content.contains("class=\"mention hashtag\""),
            "{}",
            note.content
        );
        assert!(
            note.content
                .contains("rel=\"nofollow noopener noreferrer ugc\""),
            "{}",
            note.content
        );
        assert_eq!(note.attachments.len(), 1);
        assert_eq!(note.attachments[0].name, "a cat");
        assert_eq!(
            note.replies.as_deref(),
            Some("https://m.example/users/a/statuses/1/replies")
        );
    }

    #[test]
    fn odd_shapes_are_read_or_refused_never_a_panic() {
        for odd in [
            json!({}),
            json!({"id": 5}),
            json!({"id": "x", "content": 7, "url": [1, {"href": 2}], "attachment": "no", "published": "yesterday"}),
        ] {
            let _ = parse(&odd);
        }
        let big = "a".repeat(MAX_CONTENT_BYTES + 1);
        let refused = parse(&json!({"id": "https://m.example/n", "content": big})).unwrap_err();
        assert!(refused.0.contains("KB"), "{refused}");
        let linked = parse(&json!({"id": "https://m.example/n", "url": [{"type": "Link", "mediaType": "text/plain", "href": "https://m.example/raw"}, {"type": "Link", "mediaType": "text/html", "href": "https://m.example/@n"}]})).unwrap();
        assert_eq!(linked.url, "https://m.example/@n");
    }
}
