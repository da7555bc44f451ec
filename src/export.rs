//! `affiche export FILE.zip` and `affiche import FILE.zip`: a whole site in
//! one archive, to move it to another host or keep it.
//!
//! The archive holds what a person can read and reuse elsewhere: each
//! article and event as Markdown with the `+++` front matter `article
//! import` and `event import` read, and next to it a JSON file with what
//! front matter cannot say (exact dates, status, cover, the author's
//! profile, comments, reactions, participants). Then the media folder, the
//! config, the followers and the site's key pair, so that the imported site
//! keeps its fediverse identity.
//!
//! ```text
//! README.txt                 what this is; says the key is secret
//! manifest.json              format, version, schema, base_url, counts
//! SECRET-site-key.pem        the actor's private key: keep it secret
//! site-key.public.pem
//! config/affiche.toml
//! followers.json
//! articles/SLUG.md + SLUG.json
//! events/SLUG.md + SLUG.json
//! media/…                    the docroot's media folder
//! ```
//!
//! The "every row" queries only an export needs (all articles whatever
//! their status, reactions, followers, a key replaced) live in
//! `store::export`; this module shapes files.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::context::Context;
use crate::render::{self, atomic, month_of};
use crate::store::{
    ArticleAuthor, ArticleTag, Attachment, CommentState, EventFields, Kind, NewArticle, NewComment,
    ParticipantState, RemoteActor, SCHEMA_VERSION, SiteKey, Status,
};
use crate::{import, import_events};

/// What `manifest.json` says an Affiche export is.
const FORMAT: &str = "affiche-export";
const FORMAT_VERSION: u32 = 1;
const KEY_FILE: &str = "SECRET-site-key.pem";
const PUBLIC_KEY_FILE: &str = "site-key.public.pem";

const README: &str = "This is an export of an Affiche site (`affiche export`).

articles/ and events/   one Markdown file each, with the +++ front matter that
                        `affiche article import` and `affiche event import`
                        read; the .json next to it holds the exact dates,
                        status, cover, author, comments, reactions and
                        participants.
media/                  the site's images.
config/affiche.toml     the site's config.
followers.json          the accounts that follow the site.

SECRET-site-key.pem is the SECRET private key of the site's fediverse
account. Whoever has it can post as the site. Keep this archive private:
do not publish it, do not send it unencrypted, delete copies you no longer
need.

`affiche import THIS.zip` on a freshly created site (`affiche init`, same
base_url) brings everything back, the key included, so followers keep
following.
";

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    schema_version: usize,
    base_url: String,
    exported_at: String,
    affiche_version: String,
    articles: usize,
    events: usize,
    media_files: usize,
    key_created_at: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct AuthorRecord {
    actor_id: String,
    handle: String,
    name: String,
    avatar: String,
    profile_url: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct TagRecord {
    slug: String,
    name: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct CommentRecord {
    object_id: String,
    in_reply_to: String,
    actor_id: String,
    author_handle: String,
    author_name: String,
    author_url: String,
    author_avatar: String,
    url: String,
    /// Sanitized HTML, as received.
    content: String,
    summary: String,
    lang: String,
    attachments: Vec<Attachment>,
    published: i64,
    updated: Option<i64>,
    state: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReactionRecord {
    activity_id: String,
    kind: String,
    actor_id: String,
    object_id: String,
    created_at: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct ParticipantRecord {
    actor_id: String,
    handle: String,
    name: String,
    join_id: String,
    via: String,
    state: String,
    created_at: i64,
}

/// The JSON next to each Markdown file.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    id: i64,
    kind: String,
    status: String,
    summary: String,
    created_at: i64,
    updated_at: i64,
    published_at: Option<i64>,
    month: Option<String>,
    cover: String,
    author: AuthorRecord,
    tags: Vec<TagRecord>,
    version: i64,
    announced_version: i64,
    form_key: Option<String>,
    comments_setting: Option<String>,
    sequence: Option<i64>,
    comments: Vec<CommentRecord>,
    reactions: Vec<ReactionRecord>,
    participants: Vec<ParticipantRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FollowerRecord {
    actor_id: String,
    follow_id: String,
    created_at: i64,
    actor: Option<RemoteActorRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct RemoteActorRecord {
    id: String,
    key_id: String,
    public_key: String,
    inbox: String,
    shared_inbox: String,
    handle: String,
    name: String,
    icon: String,
    url: String,
    fetched_at: i64,
}

/// The front matter of an exported article: only keys `article import` knows.
#[derive(Debug, Serialize)]
struct ArticleFront<'a> {
    title: &'a str,
    slug: &'a str,
    date: String,
    draft: bool,
    lang: &'a str,
    author: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    author_name: &'a str,
    summary: &'a str,
    tags: Vec<&'a str>,
}

/// The front matter of an exported event: only keys `event import` knows.
#[derive(Debug, Serialize)]
struct EventFront<'a> {
    title: &'a str,
    slug: &'a str,
    start: String,
    end: String,
    time_zone: &'a str,
    all_day: bool,
    draft: bool,
    lang: &'a str,
    organizer: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    uid: String,
    status: &'a str,
    join: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<i64>,
    place: &'a str,
    street: &'a str,
    postal_code: &'a str,
    city: &'a str,
    region: &'a str,
    country: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
    online_url: &'a str,
    category: &'a str,
    external_url: &'a str,
    tags: Vec<&'a str>,
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct ExportOutcome {
    pub articles: usize,
    pub events: usize,
    pub media_files: usize,
    pub followers: usize,
}

/// What an import brought in.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub articles: usize,
    pub events: usize,
    pub comments: usize,
    pub participants: usize,
    pub followers: usize,
    pub media_files: usize,
    pub key_restored: bool,
    /// Where the archive's config was saved, when it differs from the site's.
    pub config_saved_as: Option<PathBuf>,
    pub files: usize,
}

fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

fn zip_error(err: zip::result::ZipError) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}

/// Writes the whole site into `target`, atomically; an existing file is
/// replaced only with `force`.
pub fn export(
    ctx: &Context,
    config_path: &Path,
    target: &Path,
    force: bool,
) -> Result<ExportOutcome> {
    if target.exists() && !force {
        bail!(
            "{} already exists; pass --force to replace it",
            target.display()
        );
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("{} is not a file name", target.display()))?;
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&temp)
            .with_context(|| format!("cannot create {}", temp.display()))?;
        let mut zip = zip::ZipWriter::new(file);
        let outcome = write_archive(ctx, config_path, &mut zip)?;
        let file = zip.finish().map_err(zip_error)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)
            .with_context(|| format!("cannot move the archive to {}", target.display()))?;
        Ok(outcome)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The same archive as [`export`], in memory: the admin's download.
pub fn export_to_bytes(ctx: &Context, config_path: &Path) -> Result<(Vec<u8>, ExportOutcome)> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let outcome = write_archive(ctx, config_path, &mut zip)?;
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    Ok((bytes, outcome))
}

fn write_archive<W: std::io::Write + std::io::Seek>(
    ctx: &Context,
    config_path: &Path,
    zip: &mut zip::ZipWriter<W>,
) -> Result<ExportOutcome> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    let put = |zip: &mut zip::ZipWriter<W>, name: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    let config = &ctx.config;
    let store = &ctx.store;
    let key = store
        .site_key()?
        .context("the site has no key pair: was it created with `affiche init`?")?;
    let mut outcome = ExportOutcome::default();

    for (id, form_key) in store.all_article_ids()? {
        let article = store
            .article_by_id(id)?
            .with_context(|| format!("article {id} vanished during the export"))?;
        let body = store.body_markdown(id)?.unwrap_or_default();
        let comments = store
            .comments_of(id, true)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect::<BTreeMap<_, _>>()
            .into_values()
            .map(|c| CommentRecord {
                object_id: c.object_id,
                in_reply_to: c.in_reply_to,
                actor_id: c.actor_id,
                author_handle: c.author_handle,
                author_name: c.author_name,
                author_url: c.author_url,
                author_avatar: c.author_avatar,
                url: c.url,
                content: c.content,
                summary: c.summary,
                lang: c.lang,
                attachments: c.attachments,
                published: c.published,
                updated: c.updated,
                state: c.state.as_str().to_string(),
            })
            .collect();
        let reactions = store
            .reactions_of_article(id)?
            .into_iter()
            .map(|r| ReactionRecord {
                activity_id: r.activity_id,
                kind: r.kind,
                actor_id: r.actor_id,
                object_id: r.object_id,
                created_at: r.created_at,
            })
            .collect();
        let event = if article.kind == Kind::Event {
            store.event_fields(id)?
        } else {
            None
        };
        let participants = if event.is_some() {
            store
                .participants(id)?
                .into_iter()
                .map(|p| ParticipantRecord {
                    actor_id: p.actor_id,
                    handle: p.handle,
                    name: p.name,
                    join_id: p.join_id,
                    via: p.via,
                    state: p.state.as_str().to_string(),
                    created_at: p.created_at,
                })
                .collect()
        } else {
            Vec::new()
        };
        let tags: Vec<&str> = article.tags.iter().map(|t| t.name.as_str()).collect();
        let draft = article.status != Status::Published;
        let (folder, markdown) = match &event {
            Some((fields, _)) => {
                let uid = form_key
                    .as_deref()
                    .and_then(|k| k.strip_prefix("import-uid:"))
                    .unwrap_or_default()
                    .to_string();
                let (start, end) = if fields.all_day {
                    let tz = crate::events::zone(&fields.time_zone)
                        .map_err(|e| anyhow::anyhow!("event '{}': {e}", article.slug))?;
                    let day = |s: i64| -> String {
                        jiff::Timestamp::from_second(s)
                            .map(|t| tz.to_datetime(t).date().to_string())
                            .unwrap_or_default()
                    };
                    (
                        day(fields.starts_at),
                        day(fields.ends_at.saturating_sub(1).max(fields.starts_at)),
                    )
                } else {
                    (rfc3339(fields.starts_at), rfc3339(fields.ends_at))
                };
                let front = EventFront {
                    title: &article.title,
                    slug: &article.slug,
                    start,
                    end,
                    time_zone: &fields.time_zone,
                    all_day: fields.all_day,
                    draft,
                    lang: &article.lang,
                    organizer: format!("@{}", article.author.handle),
                    uid,
                    status: fields.status.as_str(),
                    join: fields.join_mode.as_str(),
                    capacity: fields.capacity,
                    place: &fields.place_name,
                    street: &fields.street,
                    postal_code: &fields.postal_code,
                    city: &fields.city,
                    region: &fields.region,
                    country: &fields.country,
                    latitude: fields.latitude,
                    longitude: fields.longitude,
                    online_url: &fields.online_url,
                    category: &fields.category,
                    external_url: &fields.external_url,
                    tags,
                };
                ("events", toml::to_string(&front)?)
            }
            None => {
                let front = ArticleFront {
                    title: &article.title,
                    slug: &article.slug,
                    date: rfc3339(article.published_at.unwrap_or(article.created_at)),
                    draft,
                    lang: &article.lang,
                    author: format!("@{}", article.author.handle),
                    author_name: &article.author.name,
                    summary: &article.summary,
                    tags,
                };
                ("articles", toml::to_string(&front)?)
            }
        };
        let record = Record {
            id,
            kind: if event.is_some() { "event" } else { "article" }.into(),
            status: article.status.as_str().into(),
            summary: article.summary.clone(),
            created_at: article.created_at,
            updated_at: article.updated_at,
            published_at: article.published_at,
            month: article.month.clone(),
            cover: article.cover.clone(),
            author: AuthorRecord {
                actor_id: article.author.actor_id.clone(),
                handle: article.author.handle.clone(),
                name: article.author.name.clone(),
                avatar: article.author.avatar.clone(),
                profile_url: article.author.profile_url.clone(),
            },
            tags: article
                .tags
                .iter()
                .map(|t| TagRecord {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                })
                .collect(),
            version: article.version,
            announced_version: article.announced_version,
            form_key,
            comments_setting: store.article_comments_setting(id)?,
            sequence: event.as_ref().map(|(_, s)| *s),
            comments,
            reactions,
            participants,
        };
        let base = format!("{folder}/{}", article.slug);
        put(
            zip,
            &format!("{base}.md"),
            format!("+++\n{markdown}+++\n{body}").as_bytes(),
        )?;
        put(
            zip,
            &format!("{base}.json"),
            &serde_json::to_vec_pretty(&record)?,
        )?;
        if event.is_some() {
            outcome.events += 1;
        } else {
            outcome.articles += 1;
        }
    }

    let mut records = Vec::new();
    for follower in store.all_followers()? {
        let (actor_id, follow_id, created_at) =
            (follower.actor_id, follower.follow_id, follower.created_at);
        let actor = store.remote_actor(&actor_id)?.map(|a| RemoteActorRecord {
            id: a.id,
            key_id: a.key_id,
            public_key: a.public_key,
            inbox: a.inbox,
            shared_inbox: a.shared_inbox,
            handle: a.handle,
            name: a.name,
            icon: a.icon,
            url: a.url,
            fetched_at: a.fetched_at,
        });
        records.push(FollowerRecord {
            actor_id,
            follow_id,
            created_at,
            actor,
        });
    }
    outcome.followers = records.len();
    put(zip, "followers.json", &serde_json::to_vec_pretty(&records)?)?;

    let media = ctx.renderer.docroot().join("media");
    let mut files = Vec::new();
    if media.is_dir() {
        walk(&media, &mut files)?;
    }
    files.sort();
    for file in &files {
        let relative = file.strip_prefix(&media)?;
        let Some(relative) = relative.to_str() else {
            bail!("{}: the file name is not UTF-8", file.display());
        };
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        put(zip, &format!("media/{relative}"), &bytes)?;
    }
    outcome.media_files = files.len();

    let config_text = std::fs::read(config_path)
        .with_context(|| format!("cannot read the config {}", config_path.display()))?;
    put(zip, "config/affiche.toml", &config_text)?;
    put(zip, KEY_FILE, key.private_pem.as_bytes())?;
    put(zip, PUBLIC_KEY_FILE, key.public_pem.as_bytes())?;
    put(zip, "README.txt", README.as_bytes())?;
    let manifest = Manifest {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        schema_version: SCHEMA_VERSION,
        base_url: config.base_url.clone(),
        exported_at: jiff::Timestamp::now().to_string(),
        affiche_version: crate::VERSION.into(),
        articles: outcome.articles,
        events: outcome.events,
        media_files: outcome.media_files,
        key_created_at: key.created_at,
    };
    put(zip, "manifest.json", &serde_json::to_vec_pretty(&manifest)?)?;
    Ok(outcome)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ import

/// One article or event read from the archive, checked, not yet stored.
struct Item {
    origin: String,
    record: Record,
    article: NewArticle,
    fields: Option<EventFields>,
}

/// Everything read from an archive, before anything is written.
struct Contents {
    manifest: Manifest,
    items: Vec<Item>,
    followers: Vec<FollowerRecord>,
    media: Vec<(PathBuf, Vec<u8>)>,
    config: Vec<u8>,
    key: SiteKey,
}

fn status_of(text: &str, origin: &str) -> Result<Status> {
    Ok(match text {
        "draft" => Status::Draft,
        "pending" => Status::Pending,
        "published" => Status::Published,
        "deleted" => Status::Deleted,
        other => bail!("{origin}: unknown status '{other}'"),
    })
}

/// A safe relative path under media/: plain names only.
fn media_path(name: &str) -> Option<PathBuf> {
    let rest = name.strip_prefix("media/")?;
    let path = Path::new(rest);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !rest.is_empty()).then(|| path.to_path_buf())
}

/// Reads and checks the whole archive; an error here leaves the site untouched.
fn read_archive(source: &Path, config: &Config) -> Result<Contents> {
    let file =
        std::fs::File::open(source).with_context(|| format!("cannot open {}", source.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        anyhow::anyhow!(
            "{} is not a readable zip archive (corrupt or truncated?): {e}",
            source.display()
        )
    })?;
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for index in 0..zip.len() {
        let mut entry = zip
            .by_index(index)
            .map_err(|e| anyhow::anyhow!("{}: a damaged entry: {e}", source.display()))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        if entry.enclosed_name().is_none() {
            bail!(
                "{}: the entry '{name}' points outside the archive; refusing it",
                source.display()
            );
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| {
            anyhow::anyhow!("{}: the entry '{name}' is damaged: {e}", source.display())
        })?;
        entries.insert(name, bytes);
    }
    let manifest: Manifest = match entries.get("manifest.json") {
        None => bail!(
            "{} is not an Affiche site export (it has no manifest.json); `affiche export` makes them",
            source.display()
        ),
        Some(bytes) => serde_json::from_slice(bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}: manifest.json is not an Affiche manifest: {e}",
                source.display()
            )
        })?,
    };
    if manifest.format != FORMAT {
        bail!(
            "{} is not an Affiche site export (its manifest says '{}')",
            source.display(),
            manifest.format
        );
    }
    if manifest.version != FORMAT_VERSION || manifest.schema_version > SCHEMA_VERSION {
        bail!(
            "{} was made by a newer Affiche ({}, export format {}, schema {}); upgrade affiche to import it",
            source.display(),
            manifest.affiche_version,
            manifest.version,
            manifest.schema_version
        );
    }
    let text = |name: &str| -> Result<String> {
        let bytes = entries
            .get(name)
            .with_context(|| format!("{}: {name} is missing", source.display()))?;
        String::from_utf8(bytes.clone())
            .map_err(|_| anyhow::anyhow!("{}: {name} is not UTF-8 text", source.display()))
    };
    let key = SiteKey {
        private_pem: text(KEY_FILE)?,
        public_pem: text(PUBLIC_KEY_FILE)?,
        created_at: manifest.key_created_at,
    };
    if !key.private_pem.contains("PRIVATE KEY") || !key.public_pem.contains("PUBLIC KEY") {
        bail!("{}: the site key files are not PEM keys", source.display());
    }
    let followers: Vec<FollowerRecord> = serde_json::from_str(&text("followers.json")?)
        .map_err(|e| anyhow::anyhow!("{}: followers.json: {e}", source.display()))?;
    let config_text = entries
        .get("config/affiche.toml")
        .cloned()
        .with_context(|| format!("{}: config/affiche.toml is missing", source.display()))?;

    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut media = Vec::new();
    let now = jiff::Timestamp::now().as_second();
    for (name, bytes) in &entries {
        if name.starts_with("media/") {
            match media_path(name) {
                Some(path) => media.push((path, bytes.clone())),
                None => errors.push(format!("{name}: not a plain file name")),
            }
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        let is_event = match stem.split_once('/') {
            Some(("articles", _)) => false,
            Some(("events", _)) => true,
            _ => continue,
        };
        let origin = format!("{}:{name}", source.display());
        match read_item(&entries, stem, &origin, is_event, config, now) {
            Ok(item) => items.push(item),
            Err(err) => errors.push(err.to_string()),
        }
    }
    if items.len() != manifest.articles + manifest.events {
        errors.push(format!(
            "the manifest lists {} articles and events, the archive holds {}",
            manifest.articles + manifest.events,
            items.len()
        ));
    }
    if !errors.is_empty() {
        bail!(
            "{} cannot be imported; nothing was changed:\n  {}",
            source.display(),
            errors.join("\n  ")
        );
    }
    items.sort_by_key(|i| i.record.id);
    Ok(Contents {
        manifest,
        items,
        followers,
        media,
        config: config_text,
        key,
    })
}

fn read_item(
    entries: &BTreeMap<String, Vec<u8>>,
    stem: &str,
    origin: &str,
    is_event: bool,
    config: &Config,
    now: i64,
) -> Result<Item> {
    let markdown = entries
        .get(&format!("{stem}.md"))
        .and_then(|b| std::str::from_utf8(b).ok())
        .with_context(|| format!("{origin}: not UTF-8 text"))?;
    let json = entries
        .get(&format!("{stem}.json"))
        .with_context(|| format!("{origin}: {stem}.json is missing"))?;
    let record: Record =
        serde_json::from_slice(json).map_err(|e| anyhow::anyhow!("{origin}: {stem}.json: {e}"))?;
    let (mut article, fields) = if is_event {
        let event = import_events::parse_markdown(markdown, origin, config, None, false, now)
            .map_err(|e| anyhow::anyhow!(e))?;
        (event.article, Some(event.fields))
    } else {
        (import::parse(markdown, origin, config, now)?, None)
    };
    // What front matter cannot say, exactly as it was.
    article.status = status_of(&record.status, origin)?;
    article.summary.clone_from(&record.summary);
    article.created_at = record.created_at;
    article.published_at = record.published_at;
    article.month = match (&record.month, record.published_at) {
        (Some(month), _) => Some(month.clone()),
        (None, Some(at)) if article.status == Status::Published => Some(month_of(at, &config.tz())),
        _ => None,
    };
    article.cover.clone_from(&record.cover);
    article.author = ArticleAuthor {
        actor_id: record.author.actor_id.clone(),
        handle: record.author.handle.clone(),
        name: record.author.name.clone(),
        avatar: record.author.avatar.clone(),
        profile_url: record.author.profile_url.clone(),
    };
    article.tags = record
        .tags
        .iter()
        .map(|t| ArticleTag {
            slug: t.slug.clone(),
            name: t.name.clone(),
        })
        .collect();
    article.form_key.clone_from(&record.form_key);
    for comment in &record.comments {
        if !matches!(comment.state.as_str(), "visible" | "held" | "hidden") {
            bail!(
                "{origin}: a comment has the unknown state '{}'",
                comment.state
            );
        }
    }
    for p in &record.participants {
        if !matches!(p.state.as_str(), "accepted" | "pending" | "rejected") {
            bail!(
                "{origin}: a participant has the unknown state '{}'",
                p.state
            );
        }
    }
    for r in &record.reactions {
        if !matches!(r.kind.as_str(), "like" | "announce") {
            bail!("{origin}: a reaction has the unknown kind '{}'", r.kind);
        }
    }
    Ok(Item {
        origin: origin.to_string(),
        record,
        article,
        fields,
    })
}

fn comment_state(text: &str) -> CommentState {
    match text {
        "visible" => CommentState::Visible,
        "held" => CommentState::Held,
        _ => CommentState::Hidden,
    }
}

/// Brings an export back into this site, then rebuilds it.
pub fn import(
    ctx: &Context,
    config_path: &Path,
    source: &Path,
    merge: bool,
) -> Result<ImportOutcome> {
    atomic::check_writable(ctx.renderer.docroot())?;
    let config = &ctx.config;
    let existing = ctx.store.article_count_all()?;
    if existing > 0 && !merge {
        bail!(
            "this site already has {existing} article(s) or event(s); import into a freshly created site (`affiche init`), or pass --merge to add to it (the site then keeps its own key)"
        );
    }
    let contents = read_archive(source, config)?;
    let site_url = config.site_url();
    let mut outcome = ImportOutcome::default();
    let store = &ctx.store;
    let mut fixups = Vec::new();
    store.transaction(|store| {
        for item in &contents.items {
            let id = store
                .insert_article(&item.article)
                .with_context(|| item.origin.clone())?;
            if let Some(fields) = &item.fields {
                store
                    .insert_event(id, fields)
                    .with_context(|| item.origin.clone())?;
                outcome.events += 1;
            } else {
                outcome.articles += 1;
            }
            if item.record.comments_setting.is_some() {
                store.set_article_comments_setting(id, item.record.comments_setting.as_deref())?;
            }
            for c in &item.record.comments {
                let inserted = store.insert_comment(&NewComment {
                    object_id: c.object_id.clone(),
                    article_id: id,
                    in_reply_to: c.in_reply_to.clone(),
                    actor_id: c.actor_id.clone(),
                    author_handle: c.author_handle.clone(),
                    author_name: c.author_name.clone(),
                    author_url: c.author_url.clone(),
                    author_avatar: c.author_avatar.clone(),
                    url: c.url.clone(),
                    content: c.content.clone(),
                    summary: c.summary.clone(),
                    lang: c.lang.clone(),
                    attachments: c.attachments.clone(),
                    published: c.published,
                    updated: c.updated,
                    state: comment_state(&c.state),
                    received_at: c.published,
                })?;
                outcome.comments += usize::from(inserted.is_some());
            }
            for r in &item.record.reactions {
                store.add_reaction(
                    &r.activity_id,
                    &r.kind,
                    &r.actor_id,
                    &r.object_id,
                    id,
                    r.created_at,
                )?;
            }
            for p in &item.record.participants {
                store.join_event(
                    id,
                    &p.actor_id,
                    &p.handle,
                    &p.name,
                    &p.join_id,
                    &p.via,
                    p.state == "pending",
                    None,
                    p.created_at,
                )?;
                if p.state == "rejected" {
                    if let Some(found) = store.participant_by_actor(id, &p.actor_id)? {
                        store.set_participant_state(
                            found.id,
                            ParticipantState::Rejected,
                            p.created_at,
                        )?;
                    }
                }
                outcome.participants += 1;
            }
            fixups.push((id, &item.record));
        }
        for f in &contents.followers {
            if let Some(a) = &f.actor {
                store.save_remote_actor(&RemoteActor {
                    id: a.id.clone(),
                    key_id: a.key_id.clone(),
                    public_key: a.public_key.clone(),
                    inbox: a.inbox.clone(),
                    shared_inbox: a.shared_inbox.clone(),
                    handle: a.handle.clone(),
                    name: a.name.clone(),
                    icon: a.icon.clone(),
                    url: a.url.clone(),
                    fetched_at: a.fetched_at,
                })?;
            }
            outcome.followers +=
                usize::from(store.add_follower(&f.actor_id, &f.follow_id, f.created_at)?);
        }
        Ok(())
    })?;
    // What the store's inserts set to "now" or to their defaults: the
    // edit date, the save counters, the calendar sequence, the exact
    // follow dates, the participants' dates; and the key pair.
    store.transaction(|store| {
        for (id, record) in &fixups {
            store.restore_article_counters(
                *id,
                record.updated_at,
                record.version,
                record.announced_version,
            )?;
            if let Some(sequence) = record.sequence {
                store.restore_event_sequence(*id, sequence)?;
            }
            for p in &record.participants {
                store.restore_participant_date(*id, &p.actor_id, p.created_at)?;
            }
        }
        for f in &contents.followers {
            store.restore_follower_date(&f.actor_id, f.created_at)?;
        }
        if !merge {
            store.replace_site_key(
                &contents.key.private_pem,
                &contents.key.public_pem,
                contents.key.created_at,
            )?;
        }
        Ok(())
    })?;
    outcome.key_restored = !merge;

    let media = ctx.renderer.docroot().join("media");
    for (relative, bytes) in &contents.media {
        atomic::write(&media.join(relative), bytes)?;
    }
    outcome.media_files = contents.media.len();

    let current = std::fs::read(config_path).unwrap_or_default();
    if current != contents.config {
        let saved = config_path.with_extension("toml.from-export");
        atomic::write(&saved, &contents.config)?;
        outcome.config_saved_as = Some(saved);
    }
    if contents.manifest.base_url.trim_end_matches('/') != site_url.base {
        eprintln!(
            "note: the export was made at {}, this site is {}; links to the old address stay as they were",
            contents.manifest.base_url, site_url.base
        );
    }
    outcome.files = render::rebuild(config, &ctx.renderer, crate::parallel::cores(), false)?;
    Ok(outcome)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::JoinMode;

    #[test]
    fn media_paths_stay_inside_the_folder() {
        assert_eq!(media_path("media/a.jpg"), Some(PathBuf::from("a.jpg")));
        assert_eq!(media_path("media/x/a.jpg"), Some(PathBuf::from("x/a.jpg")));
        assert_eq!(media_path("media/../a.jpg"), None);
        assert_eq!(media_path("media//etc"), None);
        assert_eq!(media_path("media/"), None);
        assert_eq!(media_path("other/a"), None);
    }

    #[test]
    fn join_modes_and_states_written_are_read_back() {
        for mode in [JoinMode::Free, JoinMode::Restricted, JoinMode::External] {
            assert_eq!(JoinMode::parse(mode.as_str()), Some(mode));
        }
        for state in ["draft", "pending", "published", "deleted"] {
            assert_eq!(status_of(state, "x").unwrap().as_str(), state);
        }
    }
}
