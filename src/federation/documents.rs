//! The documents that describe the site to other servers, built with serde
//! (templates never build ActivityPub JSON): the site actor, its WebFinger
//! answer, host-meta, NodeInfo, and the AS2 twin of each article page.

use serde_json::{Value, json};

use crate::config::{AnnounceAs, AuthorPolicy, Config, SiteUrl};
use crate::i18n::Messages;

/// The `@context` of our actor: AS2, the security vocabulary for publicKey,
/// and the Mastodon extensions Mastodon matches by these exact IRIs.
fn actor_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
        }
    ])
}

/// Where the site's federation endpoints live, all derived from `base_url`.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub actor: String,
    pub key_id: String,
    pub inbox: String,
    pub shared_inbox: String,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub home: String,
    /// `acct:site@example.org`
    pub acct: String,
}

impl Endpoints {
    pub fn new(config: &Config) -> Endpoints {
        let url = config.site_url();
        Endpoints::from_parts(&url, &config.actor_name)
    }

    pub fn from_parts(url: &SiteUrl, actor_name: &str) -> Endpoints {
        let base = &url.base;
        let actor = format!("{base}/actor");
        Endpoints {
            key_id: format!("{actor}#main-key"),
            inbox: format!("{actor}/inbox"),
            shared_inbox: format!("{base}/inbox"),
            outbox: format!("{base}/outbox"),
            followers: format!("{base}/followers"),
            following: format!("{base}/following"),
            home: format!("{base}/"),
            acct: format!("acct:{actor_name}@{}", url.host),
            actor,
        }
    }
}

/// The site actor: a `Service` (a bot, to Mastodon) that announces what
/// the site publishes and signs every request the site makes.
pub fn site_actor(config: &Config, public_key_pem: &str, created_at: i64) -> Value {
    let ends = Endpoints::new(config);
    let published = jiff::Timestamp::from_second(created_at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let summary = if config.description.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", html_text(&config.description))
    };
    json!({
        "@context": actor_context(),
        "id": ends.actor,
        "type": "Service",
        "preferredUsername": config.actor_name,
        "name": config.title,
        "summary": summary,
        "url": ends.home,
        "inbox": ends.inbox,
        "outbox": ends.outbox,
        "followers": ends.followers,
        "following": ends.following,
        "endpoints": { "sharedInbox": ends.shared_inbox },
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "indexable": true,
        "published": published,
        "publicKey": {
            "id": ends.key_id,
            "owner": ends.actor,
            "publicKeyPem": public_key_pem,
        },
        "attachment": [{
            "type": "PropertyValue",
            "name": "Website",
            "value": format!(
                "<a href=\"{0}\" rel=\"me nofollow noopener\" target=\"_blank\">{0}</a>",
                html_text(&ends.home)
            ),
        }],
    })
}

/// The JRD WebFinger answers for the site actor.
pub fn webfinger(config: &Config) -> Value {
    let ends = Endpoints::new(config);
    json!({
        "subject": ends.acct,
        "aliases": [ends.actor, ends.home],
        "links": [
            { "rel": "self", "type": "application/activity+json", "href": ends.actor },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": ends.home },
        ],
    })
}

/// Whether `resource` names the site actor: its `acct:` URI (the user part
/// in any case, the host as configured) or its actor or home URL.
pub fn is_site_resource(config: &Config, resource: &str) -> bool {
    let ends = Endpoints::new(config);
    let resource = resource.trim();
    if resource == ends.actor
        || resource == ends.home
        || resource == ends.home.trim_end_matches('/')
    {
        return true;
    }
    let Some(acct) = resource.strip_prefix("acct:") else {
        return false;
    };
    let acct = acct.trim_start_matches('@');
    match acct.rsplit_once('@') {
        Some((user, host)) => {
            user.eq_ignore_ascii_case(&config.actor_name)
                && host.eq_ignore_ascii_case(&config.site_url().host)
        }
        None => false,
    }
}

/// `/.well-known/host-meta`: the LRDD template older software follows to
/// find WebFinger.
pub fn host_meta(config: &Config) -> String {
    let url = config.site_url();
    let scheme = if url.base.starts_with("http://") {
        "http"
    } else {
        "https"
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{scheme}://{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        xml_attr(&url.host)
    )
}

/// `/.well-known/nodeinfo`: where the NodeInfo document is, and the
/// instance actor (as Mastodon advertises its own).
pub fn nodeinfo_links(config: &Config) -> Value {
    let ends = Endpoints::new(config);
    let base = config.site_url().base;
    json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1") },
            { "rel": "https://www.w3.org/ns/activitystreams#Application", "href": ends.actor },
        ]
    })
}

/// NodeInfo 2.1: software, protocols, usage and the site's rules for
/// directories of instances.
pub fn nodeinfo(config: &Config, authors: usize, articles: usize) -> Value {
    let policy = match config.authors.policy {
        AuthorPolicy::Open => "open",
        AuthorPolicy::Instances => "instances",
        AuthorPolicy::Handles => "handles",
        AuthorPolicy::Closed => "closed",
    };
    json!({
        "version": "2.1",
        "software": {
            "name": "affiche",
            "version": crate::VERSION,
            "repository": env!("CARGO_PKG_REPOSITORY"),
        },
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": ["atom1.0"] },
        "openRegistrations": config.authors.policy != AuthorPolicy::Closed,
        "usage": {
            "users": { "total": authors, "activeMonth": authors, "activeHalfyear": authors },
            "localPosts": articles,
        },
        "metadata": {
            "nodeName": config.title,
            "nodeDescription": config.description,
            "authorPolicy": policy,
            "languages": config.authors.languages,
            // The rules page, for directories of instances to link to.
            "rules": format!("{}/rules/", config.site_url().base),
            "workflow": match config.authors.workflow {
                crate::config::Workflow::Direct => "direct",
                crate::config::Workflow::Review => "review",
            },
            "commentModeration": match config.comments.moderation {
                crate::config::Moderation::Open => "open",
                crate::config::Moderation::Held => "held",
                crate::config::Moderation::Closed => "closed",
            },
        },
    })
}

/// An article as the fediverse sees it: the object its announcement
/// carries and its page's AS2 twin (one and the same, so that a server
/// fetching the id finds what it was sent). Attributed to the site actor
/// (only the site's own origin can vouch for it), mentioning and addressing
/// its author so that she is credited and notified.
///
/// `announce_as = "note"` makes a `Note` with the title, the summary, the
/// link, the author's mention and the hashtags: it reads whole on Mastodon
/// and Misskey. `"article"` makes an `Article` with the full body, which
/// Mastodon shows as title and link only (FEDERATION.md §5).
pub fn article_object(
    config: &Config,
    article: &crate::store::Article,
    url: &str,
    body_html: &str,
    words: &Messages,
    tag_url: impl Fn(&str) -> String,
) -> Value {
    let ends = Endpoints::new(config);
    let timestamp = |s: i64| {
        jiff::Timestamp::from_second(s)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let published = article.published_at.unwrap_or(article.created_at);
    let hashtag = |slug: &str| slug.replace('-', "_");
    let mut tags: Vec<Value> = article
        .tags
        .iter()
        .map(|t| json!({ "type": "Hashtag", "name": format!("#{}", hashtag(&t.slug)), "href": tag_url(&t.slug) }))
        .collect();
    let mut cc = vec![Value::from(ends.followers.clone())];
    let author = &article.author;
    if !author.actor_id.is_empty() {
        tags.push(json!({
            "type": "Mention",
            "href": author.actor_id,
            "name": format!("@{}", author.handle),
        }));
        cc.push(Value::from(author.actor_id.clone()));
    }
    let mut object = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", { "Hashtag": "as:Hashtag", "sensitive": "as:sensitive" }],
        "id": url,
        "attributedTo": ends.actor,
        "url": url,
        "published": timestamp(published),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": cc,
        "tag": tags,
        "sensitive": false,
        "replies": {
            "id": format!("{url}#replies"),
            "type": "Collection",
            "first": {
                "type": "CollectionPage",
                "partOf": format!("{url}#replies"),
                "items": [],
            },
        },
    });
    match config.federation.announce_as {
        AnnounceAs::Article => {
            object["type"] = json!("Article");
            object["name"] = json!(article.title);
            object["summary"] = json!(article.summary);
            object["content"] = json!(body_html);
            object["contentMap"] = json!({ article.lang.clone(): body_html });
            object["mediaType"] = json!("text/html");
        }
        AnnounceAs::Note => {
            let mut content = format!("<p><strong>{}</strong></p>", html_text(&article.title));
            if !article.summary.is_empty() {
                content.push_str(&format!("<p>{}</p>", html_text(&article.summary)));
            }
            content.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", html_text(url)));
            if !author.actor_id.is_empty() {
                let profile = if author.profile_url.is_empty() {
                    &author.actor_id
                } else {
                    &author.profile_url
                };
                let user = author.handle.split('@').next().unwrap_or_default();
                let mention = format!(
                    "<span class=\"h-card\" translate=\"no\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                    html_text(profile),
                    html_text(user)
                );
                // "By" in the article's language (the post's contentMap).
                content.push_str(&format!(
                    "<p>{}</p>",
                    words.t_with("announce-by-html", &[("author", mention.into())])
                ));
            }
            if !article.tags.is_empty() {
                let links: Vec<String> = article
                    .tags
                    .iter()
                    .map(|t| {
                        format!(
                            "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
                            html_text(&tag_url(&t.slug)),
                            html_text(&hashtag(&t.slug))
                        )
                    })
                    .collect();
                content.push_str(&format!("<p>{}</p>", links.join(" ")));
            }
            object["type"] = json!("Note");
            object["contentMap"] = json!({ article.lang.clone(): content });
            object["content"] = json!(content);
        }
    }
    if !article.cover.is_empty() {
        let base = config.site_url();
        let origin = base.base.strip_suffix(&base.root).unwrap_or(&base.base);
        object["image"] = json!({ "type": "Image", "url": format!("{origin}{}", article.cover) });
    }
    if article.updated_at > published + 60 && article.version > 1 {
        object["updated"] = Value::from(timestamp(article.updated_at));
    }
    object
}

/// How many reply ids a page of a `replies` collection holds.
pub const REPLIES_PAGE_SIZE: usize = 20;

/// Where page `n` (from 2; the first is embedded in the article) of an
/// article's replies lives, relative to the article's folder. The id of the
/// page is this file's address, so Apache serves it as the static file it
/// is, typed `application/activity+json` by its extension.
pub fn replies_page_path(n: usize) -> String {
    format!("replies/page/{n}.json")
}

/// The `replies` collection of the article at `url` (ending in `/`): the
/// ids of its visible comments, oldest first, the first
/// `REPLIES_PAGE_SIZE` embedded, and the pages after it (number, JSON) to
/// write next to the article.
pub fn replies_collection(url: &str, ids: &[String]) -> (Value, Vec<(usize, Value)>) {
    let collection_id = format!("{url}#replies");
    let page_url = |n: usize| format!("{url}{}", replies_page_path(n));
    let mut chunks = ids.chunks(REPLIES_PAGE_SIZE);
    let first_items = chunks.next().unwrap_or_default();
    let count = ids.len().div_ceil(REPLIES_PAGE_SIZE).max(1);
    let mut first = json!({
        "type": "CollectionPage",
        "partOf": collection_id,
        "items": first_items,
    });
    if count > 1 {
        first["next"] = Value::from(page_url(2));
    }
    let pages = chunks
        .enumerate()
        .map(|(i, items)| {
            let n = i + 2;
            let mut page = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": page_url(n),
                "type": "CollectionPage",
                "partOf": collection_id,
                "items": items,
            });
            if n < count {
                page["next"] = Value::from(page_url(n + 1));
            }
            if n > 2 {
                page["prev"] = Value::from(page_url(n - 1));
            }
            (n, page)
        })
        .collect();
    let collection = json!({
        "id": collection_id,
        "type": "Collection",
        "totalItems": ids.len(),
        "first": first,
    });
    (collection, pages)
}

/// What stays at the address of a removed article: Mastodon and others
/// read a `Tombstone` as "deleted".
pub fn tombstone(url: &str, deleted_at: i64) -> Value {
    tombstone_of(url, deleted_at, "Article")
}

/// A `Tombstone` for a removed object of `former_type` (`Event`...).
pub fn tombstone_of(url: &str, deleted_at: i64, former_type: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": url,
        "type": "Tombstone",
        "formerType": former_type,
        "deleted": jiff::Timestamp::from_second(deleted_at).map(|t| t.to_string()).unwrap_or_default(),
    })
}

/// The `@context` of an event: AS2 and the terms Mobilizon reads, with
/// the prefixes and types of its own header (MBZ activity_pub/utils.ex
/// `make_json_ld_header`), so its JSON-LD processing finds them.
fn event_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        {
            "Hashtag": "as:Hashtag",
            "sensitive": "as:sensitive",
            "sc": "http://schema.org#",
            "mz": "https://joinmobilizon.org/ns#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "pt": "https://joinpeertube.org/ns#",
            "category": "sc:category",
            "inLanguage": "sc:inLanguage",
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "location": { "@id": "sc:location", "@type": "sc:Place" },
            "address": { "@id": "sc:address", "@type": "sc:PostalAddress" },
            "PostalAddress": "sc:PostalAddress",
            "streetAddress": "sc:streetAddress",
            "postalCode": "sc:postalCode",
            "addressLocality": "sc:addressLocality",
            "addressRegion": "sc:addressRegion",
            "addressCountry": "sc:addressCountry",
            "joinMode": { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
            "participantCount": { "@id": "mz:participantCount", "@type": "sc:Integer" },
            "anonymousParticipationEnabled": { "@id": "mz:anonymousParticipationEnabled", "@type": "sc:Boolean" },
            "participationMessage": { "@id": "mz:participationMessage", "@type": "sc:Text" },
            "repliesModerationOption": { "@id": "mz:repliesModerationOption", "@type": "mz:repliesModerationOptionType" },
            "timezone": { "@id": "mz:timezone", "@type": "sc:Text" },
            "isOnline": { "@id": "mz:isOnline", "@type": "sc:Boolean" },
            "externalParticipationUrl": { "@id": "mz:externalParticipationUrl", "@type": "sc:URL" },
            "commentsEnabled": { "@id": "pt:commentsEnabled", "@type": "sc:Boolean" }
        }
    ])
}

/// What an event's object needs beyond its row: computed by the renderer.
pub struct EventExtras<'a> {
    /// Date, time, zone and place in one line (plain text).
    pub summary: &'a str,
    /// `startTime`, `endTime`: RFC 3339 with the zone's offset.
    pub start_time: &'a str,
    pub end_time: &'a str,
    /// The IANA name of its zone.
    pub timezone: &'a str,
    /// Accepted participants.
    pub participant_count: i64,
    /// `allow_all`, `moderated` or `closed`.
    pub replies_moderation: &'a str,
    /// The words of the event's language, for what the post says.
    pub words: &'a Messages,
}

/// An event as the fediverse sees it, in Mobilizon's shape (FEDERATION.md
/// §8): its announcement's object and its page's twin. Everything an
/// article object has (attribution to the site actor, the organizer
/// mentioned and addressed, hashtags, replies, cover) comes from
/// [`article_object`]; Mastodon shows an Event as name + `summary` + link
/// (§5), so `summary` carries the date, time, zone and place.
pub fn event_object(
    config: &Config,
    event: &crate::store::EventRow,
    url: &str,
    body_html: &str,
    extras: &EventExtras<'_>,
    tag_url: impl Fn(&str) -> String,
) -> Value {
    use crate::store::{EventStatus, JoinMode};
    let article = &event.article;
    let fields = &event.fields;
    let mut object = article_object(config, article, url, body_html, extras.words, tag_url);
    object["@context"] = event_context();
    object["type"] = json!("Event");
    object["name"] = json!(article.title);
    object["summary"] = json!(html_text(extras.summary));
    object["content"] = json!(body_html);
    object["contentMap"] = json!({ article.lang.clone(): body_html });
    object["mediaType"] = json!("text/html");
    object["inLanguage"] = json!(article.lang);
    object["startTime"] = json!(extras.start_time);
    object["endTime"] = json!(extras.end_time);
    object["timezone"] = json!(extras.timezone);
    object["ical:status"] = json!(match fields.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Tentative => "TENTATIVE",
        EventStatus::Cancelled => "CANCELLED",
    });
    object["joinMode"] = json!(match fields.join_mode {
        JoinMode::Free => "free",
        JoinMode::Restricted => "restricted",
        JoinMode::External => "external",
    });
    if fields.join_mode == JoinMode::External && !fields.external_url.trim().is_empty() {
        object["externalParticipationUrl"] = json!(fields.external_url.trim());
    }
    if let Some(capacity) = fields.capacity {
        object["maximumAttendeeCapacity"] = json!(capacity);
        object["remainingAttendeeCapacity"] = json!((capacity - extras.participant_count).max(0));
    }
    object["participantCount"] = json!(extras.participant_count);
    object["anonymousParticipationEnabled"] = json!(false);
    object["commentsEnabled"] = json!(extras.replies_moderation != "closed");
    object["repliesModerationOption"] = json!(extras.replies_moderation);
    object["draft"] = json!(false);
    if !fields.category.trim().is_empty() {
        object["category"] = json!(fields.category.trim());
    }
    let online = fields.online_url.trim();
    object["isOnline"] = json!(!online.is_empty());
    let mut attachments = Vec::new();
    if !online.is_empty() {
        attachments.push(json!({
            "type": "Link",
            "name": "Website",
            "mediaType": "text/html",
            "href": online,
        }));
    }
    if let Some(image) = object.get("image").cloned() {
        // Mobilizon reads the banner from the attachments.
        let mut banner = image;
        banner["type"] = json!("Document");
        banner["name"] = json!("Banner");
        attachments.push(banner);
    }
    if !attachments.is_empty() {
        object["attachment"] = json!(attachments);
    }
    let has_place = [
        &fields.place_name,
        &fields.street,
        &fields.postal_code,
        &fields.city,
        &fields.region,
        &fields.country,
    ]
    .iter()
    .any(|f| !f.trim().is_empty())
        || fields.latitude.is_some();
    if has_place {
        let mut place = json!({
            "type": "Place",
            "name": fields.place_name.trim(),
            "address": {
                "type": "PostalAddress",
                "streetAddress": fields.street.trim(),
                "postalCode": fields.postal_code.trim(),
                "addressLocality": fields.city.trim(),
                "addressRegion": fields.region.trim(),
                "addressCountry": fields.country.trim(),
            },
        });
        if let (Some(lat), Some(lon)) = (fields.latitude, fields.longitude) {
            place["latitude"] = json!(lat);
            place["longitude"] = json!(lon);
        }
        object["location"] = place;
    }
    object
}

/// Text for HTML: the five characters that matter.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn xml_attr(text: &str) -> String {
    html_text(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut config = Config::default_for_test(std::path::Path::new("/site"));
        config.base_url = "https://example.org/blog".into();
        config
    }

    #[test]
    fn the_actor_has_what_mastodon_requires() {
        let actor = site_actor(&config(), "-----BEGIN PUBLIC KEY-----\n", 0);
        assert_eq!(actor["id"], "https://example.org/blog/actor");
        assert_eq!(actor["type"], "Service");
        assert_eq!(actor["preferredUsername"], "site");
        assert_eq!(actor["publicKey"]["owner"], actor["id"]);
        assert_eq!(
            actor["publicKey"]["id"],
            "https://example.org/blog/actor#main-key"
        );
        assert_eq!(
            actor["endpoints"]["sharedInbox"],
            "https://example.org/blog/inbox"
        );
        assert_eq!(
            actor["@context"][0],
            "https://www.w3.org/ns/activitystreams"
        );
    }

    #[test]
    fn webfinger_loops_back_to_the_actor() {
        let config = config();
        let jrd = webfinger(&config);
        assert_eq!(jrd["subject"], "acct:site@example.org");
        assert_eq!(jrd["links"][0]["href"], "https://example.org/blog/actor");
        for ok in [
            "acct:site@example.org",
            "acct:SITE@Example.org",
            "acct:@site@example.org",
            "https://example.org/blog/actor",
        ] {
            assert!(is_site_resource(&config, ok), "{ok}");
        }
        for no in [
            "acct:alice@example.org",
            "acct:site@evil.org",
            "acct:site",
            "site@example.org",
            "",
        ] {
            assert!(!is_site_resource(&config, no), "{no}");
        }
    }

    #[test]
    fn replies_are_paged_by_twenty_with_static_next_pages() {
        let url = "https://example.org/articles/a/";
        let (collection, pages) = replies_collection(url, &[]);
        assert_eq!(collection["totalItems"], 0);
        assert_eq!(collection["first"]["items"], json!([]));
        assert!(collection["first"].get("next").is_none());
        assert!(pages.is_empty());

        let ids: Vec<String> = (1..=20)
            .map(|i| format!("https://m.example/n/{i}"))
            .collect();
        let (collection, pages) = replies_collection(url, &ids);
        assert_eq!(collection["first"]["items"].as_array().unwrap().len(), 20);
        assert!(collection["first"].get("next").is_none());
        assert!(pages.is_empty());

        let ids: Vec<String> = (1..=45)
            .map(|i| format!("https://m.example/n/{i}"))
            .collect();
        let (collection, pages) = replies_collection(url, &ids);
        assert_eq!(collection["id"], "https://example.org/articles/a/#replies");
        assert_eq!(collection["totalItems"], 45);
        assert_eq!(collection["first"]["items"][0], "https://m.example/n/1");
        assert_eq!(
            collection["first"]["next"],
            "https://example.org/articles/a/replies/page/2.json"
        );
        let numbers: Vec<usize> = pages.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, vec![2, 3]);
        let (_, second) = &pages[0];
        assert_eq!(second["id"], collection["first"]["next"]);
        assert_eq!(second["partOf"], collection["id"]);
        assert_eq!(second["items"][0], "https://m.example/n/21");
        assert_eq!(second["items"].as_array().unwrap().len(), 20);
        assert_eq!(
            second["next"],
            "https://example.org/articles/a/replies/page/3.json"
        );
        let (_, third) = &pages[1];
        assert_eq!(third["items"].as_array().unwrap().len(), 5);
        assert_eq!(third["items"][4], "https://m.example/n/45");
        assert!(third.get("next").is_none());
        assert_eq!(third["prev"], second["id"]);
    }

    #[test]
    fn host_meta_points_at_the_domain_root() {
        let xml = host_meta(&config());
        assert!(
            xml.contains("template=\"https://example.org/.well-known/webfinger?resource={uri}\""),
            "{xml}"
        );
    }
}
