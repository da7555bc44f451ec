//! `affiche article import-wxr FILE.xml`: the posts of a WordPress export
//! (Tools → Export, "WXR": RSS 2.0 with WordPress's namespaces).
//!
//! A post's HTML is kept as its Markdown source: HTML is valid Markdown
//! input, and every body goes through the sanitizer when rendered, so the
//! scripts, event handlers and frames an export may hold never reach a
//! page. Titles and summaries are plain text: their tags are removed.
//! Published posts are published, drafts (and pending, scheduled, private
//! or password-protected posts) become drafts; pages, attachments, menu
//! items and trashed posts are skipped and counted. Categories and tags
//! become tags ("Uncategorized" aside). Dates are the GMT ones.
//! Shortcodes (`[gallery]`, `[caption]`) are left as text.
//!
//! Also `article import-writefreely FILE.json`: a WriteFreely export, its
//! Markdown bodies as they are.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use quick_xml::events::Event;

use crate::config::Config;
use crate::render::{markdown, month_of, slugify};
use crate::store::{ArticleAuthor, ArticleTag, NewArticle, Status, Store};

/// What was read, and what was left out.
#[derive(Debug, Default)]
pub struct Read {
    pub articles: Vec<NewArticle>,
    pub drafts: usize,
    /// Skipped items by WordPress type (`page`, `attachment`…) or status (`trash`).
    pub skipped: BTreeMap<String, usize>,
    pub notes: Vec<String>,
}

/// One `<item>` as the export has it.
#[derive(Debug, Default)]
struct Item {
    title: String,
    content: String,
    excerpt: String,
    name: String,
    date: String,
    date_gmt: String,
    status: String,
    post_type: String,
    creator: String,
    password: String,
    id: String,
    /// (domain, name) of each `<category>`.
    categories: Vec<(String, String)>,
}

/// Reads the file; nothing is stored.
pub fn read(path: &Path, config: &Config, author: Option<&str>, now: i64) -> Result<Read> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text, &path.display().to_string(), config, author, now)
}

/// The items and authors of a WXR document.
fn parse_items(text: &str, origin: &str) -> Result<(Vec<Item>, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut items = Vec::new();
    let mut authors = BTreeMap::new();
    let mut item: Option<Item> = None;
    let mut author: (String, String) = Default::default();
    let mut domain = String::new();
    let mut value = String::new();
    let mut saw_wxr = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            anyhow::anyhow!(
                "{origin}: not a readable XML file (at byte {}): {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                if name == "item" && stack.last().is_some_and(|p| p == "channel") {
                    item = Some(Item::default());
                }
                if name == "category" {
                    domain = match start.try_get_attribute("domain") {
                        Ok(Some(attr)) => attr.unescape_value().map(|v| v.into_owned())?,
                        _ => String::new(),
                    };
                }
                if name == "wp:wxr_version" {
                    saw_wxr = true;
                }
                stack.push(name);
                value.clear();
            }
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                stack.pop();
                let parent = stack.last().map(String::as_str).unwrap_or_default();
                let text = std::mem::take(&mut value);
                match (parent, name.as_str()) {
                    ("channel", "item") => items.extend(item.take()),
                    ("item", field) => {
                        if let Some(item) = item.as_mut() {
                            let slot = match field {
                                "title" => &mut item.title,
                                "content:encoded" => &mut item.content,
                                "excerpt:encoded" => &mut item.excerpt,
                                "wp:post_name" => &mut item.name,
                                "wp:post_date" => &mut item.date,
                                "wp:post_date_gmt" => &mut item.date_gmt,
                                "wp:status" => &mut item.status,
                                "wp:post_type" => &mut item.post_type,
                                "dc:creator" => &mut item.creator,
                                "wp:post_password" => &mut item.password,
                                "wp:post_id" => &mut item.id,
                                "category" => {
                                    item.categories.push((std::mem::take(&mut domain), text));
                                    continue;
                                }
                                _ => continue,
                            };
                            *slot = text;
                        }
                    }
                    ("wp:author", "wp:author_login") => author.0 = text.trim().to_string(),
                    ("wp:author", "wp:author_display_name") => author.1 = text.trim().to_string(),
                    ("channel", "wp:author") => {
                        let (login, name) = std::mem::take(&mut author);
                        authors.insert(login, name);
                    }
                    _ => {}
                }
            }
            Event::Text(t) => value.push_str(&t.decode()?),
            Event::CData(c) => value.push_str(&c.decode()?),
            Event::GeneralRef(r) => match r.resolve_char_ref()? {
                Some(c) => value.push(c),
                None => {
                    let name = r.decode()?;
                    value.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => bail!("{origin}: unknown XML entity &{other};"),
                    });
                }
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_wxr {
        bail!(
            "{origin}: not a WordPress export (no <wp:wxr_version>); in WordPress, use Tools → Export"
        );
    }
    Ok((items, authors))
}

/// Removes tags and decodes the common entities: a title or a summary as
/// plain text. Run twice, so an escaped tag (`&lt;script&gt;`) goes too.
pub fn plain_text(html: &str) -> String {
    let once = decode_entities(&strip_tags(html));
    let twice = decode_entities(&strip_tags(&once));
    twice.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        // What a script or style holds is code, not text.
        let lower = after.get(..7).unwrap_or(after).to_ascii_lowercase();
        let closing = if lower.starts_with("<script") {
            Some("</script")
        } else if lower.starts_with("<style") {
            Some("</style")
        } else {
            None
        };
        let end = match closing {
            Some(tag) => after
                .to_ascii_lowercase()
                .find(tag)
                .and_then(|at| after[at..].find('>').map(|gt| at + gt + 1)),
            None => after.find('>').map(|gt| gt + 1),
        };
        match end {
            Some(end) => {
                out.push(' ');
                rest = &after[end..];
            }
            // An unclosed `<`: the rest is not text anyone meant to show.
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &after[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `2024-03-05 10:00:00` in GMT, else the local date in the site's zone.
fn date_of(item: &Item, tz: &jiff::tz::TimeZone) -> Option<i64> {
    let parse = |text: &str| {
        text.trim()
            .replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
    };
    if let Ok(gmt) = parse(&item.date_gmt) {
        if let Ok(ts) = gmt.to_zoned_datetime(jiff::tz::TimeZone::UTC) {
            return Some(ts.timestamp().as_second());
        }
    }
    let local = parse(&item.date).ok()?;
    local
        .to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// Turns a WXR document into articles.
pub fn parse(
    text: &str,
    origin: &str,
    config: &Config,
    author: Option<&str>,
    now: i64,
) -> Result<Read> {
    let handle = match author {
        Some(raw) => Some(
            crate::import::parse_handle(raw).map_err(|why| anyhow::anyhow!("--author: {why}"))?,
        ),
        None => None,
    };
    let (items, authors) = parse_items(text, origin)?;
    let tz = config.tz();
    let site_url = config.site_url();
    let mut read = Read::default();
    let mut slugs = BTreeSet::new();
    for item in items {
        let kind = item.post_type.trim();
        if kind != "post" {
            *read.skipped.entry(kind.to_string()).or_default() += 1;
            continue;
        }
        let status = match item.status.trim() {
            "publish" if item.password.is_empty() => Status::Published,
            "publish" => {
                read.notes.push(format!(
                    "post {} '{}' has a password: imported as a draft",
                    item.id,
                    plain_text(&item.title)
                ));
                Status::Draft
            }
            "draft" | "pending" | "future" | "private" => Status::Draft,
            other => {
                *read.skipped.entry(format!("post ({other})")).or_default() += 1;
                continue;
            }
        };
        let title = match plain_text(&item.title) {
            t if t.is_empty() => format!("Untitled {}", item.id.trim()),
            t => t,
        };
        let mut slug = slugify(&decode_entities(item.name.trim()));
        if slug.is_empty() {
            slug = slugify(&title);
        }
        if slug.is_empty() {
            slug = format!("post-{}", slugify(item.id.trim()));
        }
        let base = slug.clone();
        let mut n = 2;
        while !slugs.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let published = date_of(&item, &tz).unwrap_or(now);
        let mut tags: Vec<ArticleTag> = Vec::new();
        for (domain, name) in &item.categories {
            if domain != "category" && domain != "post_tag" {
                continue;
            }
            let name = plain_text(name);
            let tag_slug = slugify(&name);
            if tag_slug.is_empty() || tag_slug == "uncategorized" || name.chars().count() > 50 {
                continue;
            }
            if !tags.iter().any(|t| t.slug == tag_slug) {
                tags.push(ArticleTag {
                    slug: tag_slug,
                    name,
                });
            }
        }
        let display = authors
            .get(item.creator.trim())
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| item.creator.trim().to_string());
        let author = match &handle {
            Some(handle) => ArticleAuthor {
                handle: handle.clone(),
                name: display,
                ..Default::default()
            },
            None => ArticleAuthor {
                handle: format!("{}@{}", config.actor_name, site_url.host),
                name: if display.is_empty() {
                    config.title.clone()
                } else {
                    display
                },
                profile_url: format!("{}/", site_url.base),
                ..Default::default()
            },
        };
        let body = item.content.trim().to_string();
        let summary = if item.excerpt.trim().is_empty() {
            plain_text(&markdown::excerpt(&body, 240))
        } else {
            plain_text(&markdown::excerpt(&item.excerpt, 240))
        };
        if status == Status::Draft {
            read.drafts += 1;
        }
        let is_published = status == Status::Published;
        read.articles.push(NewArticle {
            slug,
            title,
            summary,
            body: markdown::render_body(&body),
            body_md: body,
            lang: config.language.clone(),
            status,
            author,
            tags,
            created_at: published,
            published_at: is_published.then_some(published),
            month: is_published.then(|| month_of(published, &tz)),
            cover: String::new(),
            form_key: None,
        });
    }
    Ok(read)
}

// ------------------------------------------------------------- WriteFreely

#[derive(Debug, serde::Deserialize)]
struct WfExport {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    posts: Vec<WfPost>,
    #[serde(default)]
    collections: Vec<WfCollection>,
}

#[derive(Debug, serde::Deserialize)]
struct WfCollection {
    #[serde(default)]
    posts: Vec<WfPost>,
}

#[derive(Debug, serde::Deserialize)]
struct WfPost {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    language: Option<String>,
}

/// A WriteFreely (write.as) JSON export: `posts` (and the `posts` of each
/// of `collections`), their Markdown bodies kept as they are. With
/// collections, the posts outside them are WriteFreely's drafts and are
/// imported as drafts; a file with `posts` only is one blog, published.
/// A post without a title takes its first line when it is a `#` heading,
/// as WriteFreely shows it.
pub fn parse_writefreely(
    text: &str,
    origin: &str,
    config: &Config,
    author: Option<&str>,
    now: i64,
) -> Result<Read> {
    let export: WfExport = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{origin}: not a WriteFreely JSON export (expected {{\"posts\": [...]}}): {e}"
        )
    })?;
    let handle = match author {
        Some(raw) => Some(
            crate::import::parse_handle(raw).map_err(|why| anyhow::anyhow!("--author: {why}"))?,
        ),
        None => None,
    };
    let tz = config.tz();
    let site_url = config.site_url();
    let name = export.username.clone().unwrap_or_default();
    let loose_are_drafts = !export.collections.is_empty();
    let posts = export.posts.iter().map(|p| (p, loose_are_drafts)).chain(
        export
            .collections
            .iter()
            .flat_map(|c| c.posts.iter().map(|p| (p, false))),
    );
    let mut read = Read::default();
    let mut slugs = BTreeSet::new();
    let mut errors = Vec::new();
    for (index, (post, draft)) in posts.enumerate() {
        let mut body = post.body.trim().to_string();
        let mut title = plain_text(post.title.as_deref().unwrap_or_default());
        if title.is_empty() {
            let first = body.lines().next().unwrap_or_default().to_string();
            if let Some(heading) = first.strip_prefix('#') {
                title = plain_text(heading.trim_start_matches('#'));
                body = body[first.len()..].trim_start().to_string();
            }
        }
        let mut slug = slugify(post.slug.as_deref().unwrap_or_default());
        if slug.is_empty() {
            slug = slugify(&title);
        }
        if slug.is_empty() {
            slug = format!("post-{}", index + 1);
        }
        if title.is_empty() {
            title = slug.replace('-', " ");
        }
        let base = slug.clone();
        let mut n = 2;
        while !slugs.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let published = match post.created.as_deref().map(str::trim) {
            None | Some("") => now,
            Some(created) => match created.parse::<jiff::Timestamp>() {
                Ok(ts) => ts.as_second(),
                Err(_) => {
                    errors.push(format!(
                        "{origin}: post '{slug}': created: expected a date such as 2024-03-05T10:00:00Z, got '{created}'"
                    ));
                    continue;
                }
            },
        };
        let lang = post
            .language
            .clone()
            .filter(|l| crate::config::is_language_tag(l))
            .unwrap_or_else(|| config.language.clone());
        let mut tags: Vec<ArticleTag> = Vec::new();
        for tag in post.tags.iter().flatten() {
            let tag = tag.trim().trim_start_matches('#').to_string();
            let tag_slug = slugify(&tag);
            if !tag_slug.is_empty()
                && tag.chars().count() <= 50
                && !tags.iter().any(|t| t.slug == tag_slug)
            {
                tags.push(ArticleTag {
                    slug: tag_slug,
                    name: tag,
                });
            }
        }
        let author = match &handle {
            Some(handle) => ArticleAuthor {
                handle: handle.clone(),
                name: name.clone(),
                ..Default::default()
            },
            None => ArticleAuthor {
                handle: format!("{}@{}", config.actor_name, site_url.host),
                name: if name.is_empty() {
                    config.title.clone()
                } else {
                    name.clone()
                },
                profile_url: format!("{}/", site_url.base),
                ..Default::default()
            },
        };
        let status = if draft {
            read.drafts += 1;
            Status::Draft
        } else {
            Status::Published
        };
        let is_published = status == Status::Published;
        read.articles.push(NewArticle {
            slug,
            title,
            summary: plain_text(&markdown::excerpt(&body, 240)),
            body: markdown::render_body(&body),
            body_md: body,
            lang,
            status,
            author,
            tags,
            created_at: published,
            published_at: is_published.then_some(published),
            month: is_published.then(|| month_of(published, &tz)),
            cover: String::new(),
            form_key: None,
        });
    }
    if !errors.is_empty() {
        bail!("nothing was imported:\n  {}", errors.join("\n  "));
    }
    Ok(read)
}

/// The slugs of `read` the site already has: importing them would fail.
pub fn taken_slugs(store: &Store, read: &Read) -> Result<Vec<String>> {
    let mut taken = Vec::new();
    for article in &read.articles {
        if store.slug_taken(&article.slug)? {
            taken.push(article.slug.clone());
        }
    }
    Ok(taken)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_scripts_and_escaped_tags() {
        assert_eq!(plain_text("Hello <em>you</em> &amp; me"), "Hello you & me");
        assert_eq!(plain_text("a<script>alert(1)</script>b"), "a b");
        assert_eq!(
            plain_text("x &lt;script&gt;alert(1)&lt;/script&gt; y"),
            "x y"
        );
        assert_eq!(plain_text("caf&#233; &#x2014; ok"), "café — ok");
        assert_eq!(plain_text("unclosed <img src=x onerror=y"), "unclosed");
        assert_eq!(plain_text("AT&T"), "AT&T");
    }

    #[test]
    fn a_writefreely_export_is_read() {
        let config = Config::default_for_test(Path::new("/site"));
        let json = r##"{"username": "matt", "posts": [
            {"slug": "loose", "body": "A draft.", "created": "2024-01-02T03:04:05Z"}],
          "collections": [{"alias": "blog", "posts": [
            {"title": "", "slug": "first-post", "body": "# Hello <b>there</b>\n\nBody *text*.",
             "created": "2024-03-05T10:00:00Z", "tags": ["Rust", "#rust", "Web"]},
            {"title": "Second", "slug": null, "body": "Two.", "created": "2024-03-06T10:00:00Z"}]}]}"##;
        let read = parse_writefreely(json, "wf.json", &config, None, 0).unwrap();
        assert_eq!(read.articles.len(), 3);
        assert_eq!(read.drafts, 1);
        let loose = &read.articles[0];
        assert_eq!(loose.status, Status::Draft);
        let first = &read.articles[1];
        assert_eq!(first.title, "Hello there");
        assert_eq!(first.slug, "first-post");
        assert_eq!(first.body_md, "Body *text*.");
        assert_eq!(first.published_at, Some(1_709_632_800));
        assert_eq!(first.tags.len(), 2);
        assert_eq!(first.author.name, "matt");
        assert_eq!(read.articles[2].slug, "second");
        let err = parse_writefreely("[1]", "wf.json", &config, None, 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a WriteFreely JSON export"), "{err}");
        let bad = r#"{"posts": [{"body": "x", "created": "yesterday"}]}"#;
        let err = parse_writefreely(bad, "wf.json", &config, None, 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("created"), "{err}");
    }

    #[test]
    fn not_a_wxr_file_is_refused() {
        let config = Config::default_for_test(Path::new("/site"));
        let err = parse("<rss><channel></channel></rss>", "x.xml", &config, None, 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a WordPress export"), "{err}");
        let err = parse("<rss><channel>", "x.xml", &config, None, 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.xml"), "{err}");
    }
}
