//! Markdown files with TOML front matter (`+++` lines, as Hugo and Zola
//! write them) turned into articles: for migrations, tests and benchmarks.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use crate::config::Config;
use crate::render::{markdown, month_of, slugify};
use crate::store::{ArticleAuthor, ArticleTag, NewArticle, Status};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    date: Option<toml::Value>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    author_name: Option<String>,
    #[serde(default, alias = "description")]
    summary: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
}

const KEYS: &str = "title, date, tags, lang, author, author_name, summary, slug, draft";

/// Expands files and folders (their `*.md` files, sorted) into a file list.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    Ok(files)
}

/// Parses one Markdown document; `origin` names it in errors.
pub fn parse(text: &str, origin: &str, config: &Config, now: i64) -> Result<NewArticle> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text, "`title = \"...\"`")
        .map_err(|why| anyhow::anyhow!("{origin}: {why}"))?;
    let front: FrontMatter = toml::from_str(front).map_err(|err| {
        anyhow::anyhow!(
            "{origin}: front matter: {} (known keys: {KEYS})",
            err.to_string().trim_end()
        )
    })?;
    let fail = |key: &str, why: String| anyhow::anyhow!("{origin}: front matter: {key}: {why}");
    let title = front.title.trim().to_string();
    if title.is_empty() {
        return Err(fail("title", "must not be empty".into()));
    }
    let tz = config.tz();
    let published = match &front.date {
        None => now,
        Some(value) => parse_date(value, &tz).map_err(|why| fail("date", why))?,
    };
    let slug = match &front.slug {
        Some(slug) => check_slug(slug).map_err(|why| fail("slug", why))?,
        None => {
            let slug = slugify(&title);
            if slug.is_empty() {
                return Err(fail(
                    "title",
                    "has no letters or digits to make a URL from; add `slug = \"...\"`".into(),
                ));
            }
            slug
        }
    };
    let mut tags: Vec<ArticleTag> = Vec::new();
    for name in &front.tags {
        let name = name.trim().trim_start_matches('#').to_string();
        let tag_slug = slugify(&name);
        if tag_slug.is_empty() {
            return Err(fail("tags", format!("'{name}' has no letters or digits")));
        }
        if !tags.iter().any(|t| t.slug == tag_slug) {
            tags.push(ArticleTag {
                slug: tag_slug,
                name,
            });
        }
    }
    let lang = front
        .lang
        .clone()
        .unwrap_or_else(|| config.language.clone());
    if !crate::config::is_language_tag(&lang) {
        return Err(fail(
            "lang",
            format!("expected a language tag such as \"en\", got '{lang}'"),
        ));
    }
    let site_url = config.site_url();
    let author = match &front.author {
        Some(handle) => ArticleAuthor {
            handle: parse_handle(handle).map_err(|why| fail("author", why))?,
            name: front.author_name.clone().unwrap_or_default(),
            ..Default::default()
        },
        None => ArticleAuthor {
            handle: format!("{}@{}", config.actor_name, site_url.host),
            name: front
                .author_name
                .clone()
                .unwrap_or_else(|| config.title.clone()),
            profile_url: format!("{}/", site_url.base),
            ..Default::default()
        },
    };
    let summary = match front.summary {
        Some(summary) => summary.trim().to_string(),
        None => markdown::excerpt(body, 240),
    };
    let status = if front.draft {
        Status::Draft
    } else {
        Status::Published
    };
    Ok(NewArticle {
        slug,
        title,
        summary,
        body_md: body.to_string(),
        body: markdown::render_body(body),
        lang,
        status,
        author,
        tags,
        created_at: published,
        published_at: (status == Status::Published).then_some(published),
        month: (status == Status::Published).then(|| month_of(published, &tz)),
        cover: String::new(),
        form_key: None,
    })
}

/// Splits `+++` TOML front matter from the body. `required` names the keys
/// a file must start with, for the message when there is no front matter
/// (articles and events differ).
pub(crate) fn split_front_matter<'a>(
    text: &'a str,
    required: &str,
) -> std::result::Result<(&'a str, &'a str), String> {
    if text.starts_with("---") {
        return Err(
            "YAML front matter (---) is not supported: write it in TOML between +++ lines".into(),
        );
    }
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or_else(|| {
            format!(
                "no front matter: the file must start with a +++ line, then {required}, then +++"
            )
        })?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err("the front matter is not closed: add a +++ line after it".into())
}

/// A date: RFC 3339 with an offset, or a date or local time in the site's zone.
fn parse_date(value: &toml::Value, tz: &jiff::tz::TimeZone) -> std::result::Result<i64, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            return Err(format!(
                "expected a date such as 2024-03-05 or 2024-03-05T10:00:00Z, got {other}"
            ));
        }
    };
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(ts.as_second());
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        if let Ok(zoned) = dt.to_zoned_datetime(tz.clone()) {
            return Ok(zoned.timestamp().as_second());
        }
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        if let Ok(zoned) = date.to_zoned_datetime(tz.clone()) {
            return Ok(zoned.timestamp().as_second());
        }
    }
    Err(format!(
        "expected a date such as 2024-03-05 or 2024-03-05T10:00:00Z, got '{text}'"
    ))
}

fn check_slug(slug: &str) -> std::result::Result<String, String> {
    let ok = !slug.is_empty()
        && slug.chars().count() <= 100
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .chars()
            .all(|c| c == '-' || (c.is_alphanumeric() && !c.is_uppercase()));
    if ok {
        Ok(slug.to_string())
    } else {
        Err(format!(
            "expected lowercase letters, digits and dashes (like \"my-first-post\"), got '{slug}'"
        ))
    }
}

/// `@alice@example.org` or `alice@example.org` to `alice@example.org`.
pub fn parse_handle(raw: &str) -> std::result::Result<String, String> {
    let expected =
        || format!("expected a fediverse handle such as @alice@example.org, got '{raw}'");
    let trimmed = raw.trim().trim_start_matches('@');
    let (user, host) = trimmed.split_once('@').ok_or_else(expected)?;
    let user_ok = !user.is_empty()
        && user.len() <= 64
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-');
    let host = host.to_ascii_lowercase();
    let host_ok = host.contains('.')
        && host.len() <= 253
        && !host.starts_with(['.', '-'])
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
    if user_ok && host_ok {
        Ok(format!("{user}@{host}"))
    } else {
        Err(expected())
    }
}

/// Reads and parses files, reporting every bad file at once.
pub fn read_all(files: &[PathBuf], config: &Config, now: i64) -> Result<Vec<NewArticle>> {
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let origin = file.display().to_string();
        match std::fs::read_to_string(file) {
            Ok(text) => match parse(&text, &origin, config, now) {
                Ok(article) => articles.push((origin, article)),
                Err(err) => errors.push(err.to_string()),
            },
            Err(err) => errors.push(format!("{origin}: cannot read: {err}")),
        }
    }
    let mut seen = std::collections::HashMap::new();
    for (origin, article) in &articles {
        if let Some(first) = seen.insert(article.slug.clone(), origin.clone()) {
            errors.push(format!(
                "{origin}: the slug '{}' is also used by {first}; give one of them another `slug`",
                article.slug
            ));
        }
    }
    if !errors.is_empty() {
        bail!("nothing was imported:\n  {}", errors.join("\n  "));
    }
    Ok(articles.into_iter().map(|(_, a)| a).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        let mut config = Config::default_for_test(Path::new("/site"));
        config.time_zone = "Europe/Paris".into();
        config
    }

    #[test]
    fn a_full_front_matter_is_read() {
        let doc = "+++\ntitle = \"Hello, World!\"\ndate = 2024-03-05T10:00:00Z\ntags = [\"Rust\", \"#Fediverse\", \"rust\"]\nauthor = \"@Alice@Example.ORG\"\nauthor_name = \"Alice\"\nlang = \"fr\"\n+++\nFirst paragraph.\n\nSecond.\n";
        let a = parse(doc, "hello.md", &config(), 0).unwrap();
        assert_eq!(a.slug, "hello-world");
        assert_eq!(a.published_at, Some(1_709_632_800));
        assert_eq!(a.month.as_deref(), Some("2024-03"));
        assert_eq!(a.author.handle, "Alice@example.org");
        assert_eq!(a.tags.len(), 2);
        assert_eq!(a.tags[1].slug, "fediverse");
        assert_eq!(a.summary, "First paragraph.");
        assert_eq!(a.lang, "fr");
    }

    #[test]
    fn a_date_without_offset_is_in_the_site_zone() {
        let doc = "+++\ntitle = \"x\"\ndate = \"2024-01-01\"\n+++\nbody";
        let a = parse(doc, "x.md", &config(), 0).unwrap();
        // Midnight in Paris is 23:00 UTC the day before, still filed in January.
        assert_eq!(a.published_at, Some(1_704_063_600));
        assert_eq!(a.month.as_deref(), Some("2024-01"));
    }

    #[test]
    fn bad_input_names_the_file_and_the_key() {
        let cases = [
            (
                "+++\ntitle = \"x\"\ndate = \"5 March\"\n+++\n",
                "x.md: front matter: date: expected a date",
            ),
            (
                "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n",
                "unknown field `titel`",
            ),
            ("---\ntitle: x\n---\n", "YAML front matter"),
            ("# no front matter", "must start with a +++ line"),
            ("+++\ntitle = \"x\"\n", "not closed"),
            (
                "+++\ntitle = \"x\"\nslug = \"../etc\"\n+++\n",
                "slug: expected lowercase",
            ),
            (
                "+++\ntitle = \"x\"\nauthor = \"alice\"\n+++\n",
                "author: expected a fediverse handle",
            ),
            ("+++\ntitle = \"???\"\n+++\n", "has no letters or digits"),
        ];
        for (doc, expected) in cases {
            let err = parse(doc, "x.md", &config(), 0).unwrap_err().to_string();
            assert!(err.contains(expected), "{doc:?}: {err}");
            assert!(err.starts_with("x.md: "), "{err}");
        }
    }
}
