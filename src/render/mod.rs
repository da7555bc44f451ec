//! The renderer: store rows in, docroot files out. It never touches the
//! network; handlers never write files themselves.

pub mod atomic;
pub mod calendar;
mod event_pages;
pub mod event_view;
pub mod fingerprint;
pub mod markdown;
pub mod plan;
mod rules;
pub mod templates;
pub mod view;

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context as _, Result, anyhow};
use minijinja::{Environment, Value, context};

use crate::config::{Config, Moderation, SiteUrl};
use crate::federation::{documents, outbox};
use crate::i18n::{I18n, Lang, Messages};
use crate::store::{Article, Filter, Status, Store, Window};
pub use event_pages::{EventItem, refresh_event_lists};
pub use plan::Target;
use view::{ArticleView, PageLink, PageView, Pagination, SiteView, Views};

/// Files copied into `docroot/assets/`, overridable from `<site>/assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[("style.css", include_bytes!("../../public/style.css"))];

/// What rendering one target produces.
#[derive(Debug)]
pub enum Output {
    Write(PathBuf, Vec<u8>),
    Remove(PathBuf),
}

/// Lowercase, dash-separated, letters and digits only: for URLs and anchors.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    slug.chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

pub struct Renderer {
    config: Config,
    env: Environment<'static>,
    views: Views,
    site: SiteView,
    docroot: PathBuf,
    assets_dir: PathBuf,
    home_articles: usize,
    home_events: usize,
    page_size: usize,
    feed_entries: usize,
    generator: String,
    i18n: Arc<I18n>,
}

impl Renderer {
    /// Compiles the templates; a broken override fails here, before any write.
    pub fn new(config: &Config) -> Result<Renderer> {
        let url = config.site_url();
        let host = url.host.clone();
        let i18n = Arc::new(I18n::new());
        let mut env = templates::environment(&config.templates_path())?;
        templates::add_messages(&mut env, i18n.clone());
        Ok(Renderer {
            config: config.clone(),
            env,
            site: SiteView {
                title: config.title.clone(),
                description: config.description.clone(),
                language: config.language.clone(),
                base_url: url.base.clone(),
                root: url.root.clone(),
                handle: format!("@{}@{host}", config.actor_name),
            },
            views: Views {
                url,
                tz: config.tz(),
                words: Messages::for_tag(i18n.clone(), &config.language, "en"),
            },
            docroot: config.docroot_path(),
            assets_dir: config.base_dir.join("assets"),
            home_articles: config.home_articles,
            home_events: config.home_events,
            page_size: config.page_size,
            feed_entries: config.feed_entries,
            generator: format!("Affiche {}", crate::VERSION),
            i18n,
        })
    }

    /// The catalogs, for words outside templates.
    pub fn i18n(&self) -> &Arc<I18n> {
        &self.i18n
    }

    /// The words of a language tag (a page's, a browser's), falling back
    /// to the site's language, then English.
    pub fn messages(&self, tag: &str) -> Messages {
        Messages::for_tag(self.i18n.clone(), tag, &self.site.language)
    }

    /// The words readers see site-wide, and that DMs use.
    pub fn site_messages(&self) -> Messages {
        self.views.words.clone()
    }

    /// The language of an article's or event's own page: its own when a
    /// catalog exists for it, else the site's; and views that write
    /// dates in it. (Site-wide pages keep the site's language.)
    fn own_language(&self, lang: &str) -> (String, std::borrow::Cow<'_, Views>) {
        use std::borrow::Cow;
        match Lang::find(lang) {
            Some(found) if found == self.views.words.lang() => {
                (lang.to_string(), Cow::Borrowed(&self.views))
            }
            Some(found) => (
                lang.to_string(),
                Cow::Owned(
                    self.views
                        .in_language(Messages::new(self.i18n.clone(), found)),
                ),
            ),
            None => (self.site.language.clone(), Cow::Borrowed(&self.views)),
        }
    }

    pub fn page_size(&self) -> usize {
        self.page_size
    }

    pub fn docroot(&self) -> &Path {
        &self.docroot
    }

    /// Applies outputs to the docroot, each file atomically.
    pub fn write(&self, outputs: Vec<Output>) -> Result<usize> {
        let count = outputs.len();
        for output in outputs {
            match output {
                Output::Write(relative, bytes) => {
                    atomic::write(&atomic::resolve(&self.docroot, &relative)?, &bytes)?
                }
                Output::Remove(relative) => {
                    atomic::remove(&atomic::resolve(&self.docroot, &relative)?)?
                }
            }
        }
        Ok(count)
    }

    fn template(&self, name: &str, page: PageView, extra: Value) -> Result<Vec<u8>> {
        let template = self
            .env
            .get_template(name)
            .map_err(|err| anyhow!("template {}", templates::describe(&err)))?;
        let ctx = context! {
            site => &self.site,
            page => page,
            generator => &self.generator,
            ..extra
        };
        let text = template
            .render(ctx)
            .map_err(|err| anyhow!("cannot render {name}: {}", templates::describe(&err)))?;
        Ok(text.into_bytes())
    }

    /// A page the program answers itself (login, editor): the site's
    /// layout, never written to the docroot.
    pub fn dynamic_page(
        &self,
        name: &str,
        title: &str,
        relative: &str,
        extra: Value,
    ) -> Result<String> {
        self.dynamic_page_in(&self.site.language, name, title, relative, extra)
    }

    /// As [`Renderer::dynamic_page`], in a language tag (the visitor's).
    pub fn dynamic_page_in(
        &self,
        lang: &str,
        name: &str,
        title: &str,
        relative: &str,
        extra: Value,
    ) -> Result<String> {
        let mut page = self.page_view(title, "", relative, "website");
        page.lang = lang.to_string();
        let bytes = self.template(name, page, extra)?;
        String::from_utf8(bytes).context("a template produced text that is not UTF-8")
    }

    /// What templates see of an article, with its body when given.
    pub fn article_view(&self, article: &Article, body_html: Option<String>) -> ArticleView {
        self.views.article(article, body_html)
    }

    /// An article as the fediverse sees it (its page's AS2 twin), and the
    /// page's address; for an event, its `Event` at `events/<slug>/`.
    pub fn article_object(
        &self,
        store: &Store,
        article: &Article,
    ) -> Result<(serde_json::Value, String)> {
        if article.kind == crate::store::Kind::Event {
            if let Some(event) = store.event(article.id)? {
                let (object, url, _) = self.event_object(store, &event)?;
                return Ok((object, url));
            }
        }
        let url = self.views.absolute(&view::article_dir(&article.slug));
        let body = body_html(store, article)?;
        let words = self.messages(&article.lang);
        let mut object =
            documents::article_object(&self.config, article, &url, &body, &words, |tag| {
                self.views.absolute(&view::tag_dir(tag))
            });
        let comments = store.comments_of(article.id, false)?;
        object["replies"] = replies_of(&url, &comments).0;
        Ok((object, url))
    }

    /// Whether an article takes replies: its own setting, else the site's.
    pub fn comments_moderation(&self, store: &Store, article_id: i64) -> Result<Moderation> {
        Ok(
            match store.article_comments_setting(article_id)?.as_deref() {
                Some("open") => Moderation::Open,
                Some("held") => Moderation::Held,
                Some("closed") => Moderation::Closed,
                _ => self.config.comments.moderation,
            },
        )
    }

    /// The pages of an article's replies collection already in the docroot
    /// (their numbers), so that those no longer needed are removed.
    fn replies_pages_on_disk(&self, relative: &str) -> Vec<usize> {
        let dir = self.docroot.join(relative).join("replies/page");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".json")?
                    .parse::<usize>()
                    .ok()
            })
            .collect()
    }

    /// A comment as pages show it, without its replies (the editor's list).
    pub fn comment_view(&self, comment: &crate::store::Comment) -> view::CommentView {
        self.views.comment(comment, 0, String::new())
    }

    /// Comments as [`Renderer::comment_view`], dates in the words of a
    /// language tag (the visitor's, on the editor's page).
    pub fn comment_views_in(
        &self,
        comments: &[crate::store::Comment],
        tag: &str,
    ) -> Vec<view::CommentView> {
        let views = self.views.in_language(self.messages(tag));
        comments
            .iter()
            .map(|c| views.comment(c, 0, String::new()))
            .collect()
    }

    /// The site's address parts.
    pub fn site_url(&self) -> &SiteUrl {
        &self.views.url
    }

    fn page_view(
        &self,
        title: &str,
        description: &str,
        relative: &str,
        og_type: &'static str,
    ) -> PageView {
        PageView {
            title: title.to_string(),
            description: if description.is_empty() {
                self.site.description.clone()
            } else {
                description.to_string()
            },
            url: self.views.absolute(relative),
            lang: self.site.language.clone(),
            og_type,
        }
    }

    fn summaries(
        &self,
        store: &Store,
        filter: Filter<'_>,
        window: Window,
    ) -> Result<Vec<ArticleView>> {
        Ok(store
            .published(filter, window)?
            .iter()
            .map(|a| self.views.article(a, None))
            .collect())
    }

    /// Renders one target into its outputs.
    pub fn render(&self, store: &Store, target: &Target) -> Result<Vec<Output>> {
        self.render_inner(store, target)
            .with_context(|| format!("while rendering {target:?}"))
    }

    fn render_inner(&self, store: &Store, target: &Target) -> Result<Vec<Output>> {
        let html = |dir: &str| PathBuf::from(format!("{dir}index.html"));
        let out = match target {
            Target::Article(slug) => return self.render_article(store, slug),
            Target::Event(_)
            | Target::Events
            | Target::EventMonth(_)
            | Target::EventCalendar
            | Target::EventFeed
            | Target::EventTag(_) => return self.render_event_target(store, target),
            Target::Home => {
                let articles =
                    self.summaries(store, Filter::All, Window::Newest(self.home_articles))?;
                let page = self.page_view(&self.site.title, "", "", "website");
                let extra = context! {
                    articles,
                    archive_path => self.views.path("archive/"),
                    followers => store.follower_count()?,
                    ..self.home_events(store)?
                };
                Output::Write(
                    "index.html".into(),
                    self.template("home.html", page, extra)?,
                )
            }
            Target::Feed => {
                let entries = self.full_articles(store, Filter::All)?;
                let feed = self.feed_view(&self.site.title, "", "feed.atom", &entries);
                Output::Write(
                    "feed.atom".into(),
                    self.template(
                        "feed.atom",
                        self.page_view(&self.site.title, "", "", "website"),
                        context! { feed, entries },
                    )?,
                )
            }
            Target::ArchiveIndex => {
                let months: Vec<Value> = store
                    .months()?
                    .into_iter()
                    .map(|(month, count, _)| {
                        let (year, number) = month.split_once('-').unwrap_or((&month, "1"));
                        context! {
                            year => year,
                            month => number.parse::<u32>().unwrap_or(1),
                            name => self.views.month_name(&month),
                            count,
                            path => self.views.path(&view::month_dir(&month)),
                        }
                    })
                    .collect();
                let page = self.page_view(
                    &self.views.words.t("archive-title"),
                    "",
                    "archive/",
                    "website",
                );
                Output::Write(
                    html("archive/"),
                    self.template("archive_index.html", page, context! { months })?,
                )
            }
            Target::Archive(month) => {
                let dir = view::month_dir(month);
                let articles = self.summaries(store, Filter::Month(month), Window::Everything)?;
                if articles.is_empty() {
                    Output::Remove(html(&dir))
                } else {
                    let name = self.views.month_name(month);
                    let page = self.page_view(&name, "", &dir, "website");
                    let extra =
                        context! { name, articles, archive_path => self.views.path("archive/") };
                    Output::Write(html(&dir), self.template("archive.html", page, extra)?)
                }
            }
            Target::Tag(tag) | Target::TagPage(tag, _) | Target::TagFeed(tag) => {
                return self.render_tag(store, target, tag);
            }
            Target::Author(handle) | Target::AuthorPage(handle, _) => {
                return self.render_author(store, target, handle);
            }
            Target::SitemapIndex => {
                let mut sitemaps = vec![
                    context! { loc => self.views.absolute("sitemaps/pages.xml"), lastmod => "" },
                ];
                for (month, _, updated) in store.months()? {
                    sitemaps.push(context! {
                        loc => self.views.absolute(&format!("sitemaps/{month}.xml")),
                        lastmod => self.views.timestamp(updated),
                    });
                }
                let page = self.page_view("Sitemap", "", "sitemap.xml", "website");
                Output::Write(
                    "sitemap.xml".into(),
                    self.template("sitemap_index.xml", page, context! { sitemaps })?,
                )
            }
            Target::SitemapPages => {
                let mut dirs = vec![String::new(), "archive/".to_string()];
                dirs.extend(store.months()?.iter().map(|(m, _, _)| view::month_dir(m)));
                dirs.extend(store.tags()?.iter().map(|t| view::tag_dir(&t.slug)));
                dirs.extend(store.author_handles()?.iter().map(|h| view::author_dir(h)));
                dirs.extend(["events/".to_string(), "events/past/".to_string()]);
                dirs.extend(
                    store
                        .published_events(i64::MIN, true, usize::MAX)?
                        .iter()
                        .map(|e| event_view::event_dir(&e.article.slug)),
                );
                let urls: Vec<Value> = dirs
                    .iter()
                    .map(|d| context! { loc => self.views.absolute(d), lastmod => "" })
                    .collect();
                let page = self.page_view("Sitemap", "", "sitemaps/pages.xml", "website");
                Output::Write(
                    "sitemaps/pages.xml".into(),
                    self.template("sitemap.xml", page, context! { urls })?,
                )
            }
            Target::Sitemap(month) => {
                let path = PathBuf::from(format!("sitemaps/{month}.xml"));
                let articles = store.published(Filter::Month(month), Window::Everything)?;
                if articles.is_empty() {
                    Output::Remove(path)
                } else {
                    let urls: Vec<Value> = articles
                        .iter()
                        .map(|a| context! {
                            loc => self.views.absolute(&view::article_dir(&a.slug)),
                            lastmod => self.views.timestamp(a.updated_at.max(a.published_at.unwrap_or(0))),
                        })
                        .collect();
                    let page = self.page_view("Sitemap", "", "sitemap.xml", "website");
                    Output::Write(path, self.template("sitemap.xml", page, context! { urls })?)
                }
            }
            Target::Robots => {
                let page = self.page_view("robots", "", "robots.txt", "website");
                let extra = context! { sitemap_url => self.views.absolute("sitemap.xml") };
                Output::Write(
                    "robots.txt".into(),
                    self.template("robots.txt", page, extra)?,
                )
            }
            Target::NotFound => {
                let title = self.views.words.t("not-found-title");
                let page = self.page_view(&title, "", "404.html", "website");
                Output::Write(
                    "404.html".into(),
                    self.template("404.html", page, context! {})?,
                )
            }
            Target::Actor => {
                let key = store
                    .site_key()?
                    .context("the database has no site key; it was not made by `affiche init`")?;
                let actor = documents::site_actor(&self.config, &key.public_pem, key.created_at);
                Output::Write("actor.json".into(), actor.to_string().into_bytes())
            }
            Target::Discovery => {
                return Ok(vec![
                    Output::Write(
                        ".well-known/host-meta".into(),
                        documents::host_meta(&self.config).into_bytes(),
                    ),
                    Output::Write(
                        ".well-known/nodeinfo".into(),
                        documents::nodeinfo_links(&self.config)
                            .to_string()
                            .into_bytes(),
                    ),
                ]);
            }
            Target::NodeInfo => {
                let articles = store.count_published(Filter::All)?;
                let authors = store.author_handles()?.len();
                let nodeinfo = documents::nodeinfo(&self.config, authors, articles);
                Output::Write("nodeinfo/2.1".into(), nodeinfo.to_string().into_bytes())
            }
            Target::Rules => return self.render_rules(),
            Target::Followers => {
                let ends = documents::Endpoints::new(&self.config);
                let followers = outbox::followers_collection(&ends, store.follower_count()?);
                return Ok(vec![
                    Output::Write("followers.json".into(), followers.to_string().into_bytes()),
                    Output::Write(
                        "following.json".into(),
                        outbox::following_collection(&ends).to_string().into_bytes(),
                    ),
                ]);
            }
            Target::Outbox | Target::OutboxPage(_) => return self.render_outbox(store, target),
            Target::Assets => {
                let mut outputs = Vec::new();
                for (name, bytes) in ASSETS {
                    let custom = self.assets_dir.join(name);
                    let bytes = match std::fs::read(&custom) {
                        Ok(bytes) => bytes,
                        Err(err) if err.kind() == std::io::ErrorKind::NotFound => bytes.to_vec(),
                        Err(err) => {
                            return Err(err)
                                .with_context(|| format!("cannot read {}", custom.display()));
                        }
                    };
                    outputs.push(Output::Write(
                        PathBuf::from(format!("assets/{name}")),
                        bytes,
                    ));
                }
                return Ok(outputs);
            }
        };
        Ok(vec![out])
    }

    /// The outbox: the publications as `Create`s, in pages counted from the
    /// oldest like the HTML lists, so a publish rewrites one page or two.
    /// While one page holds everything, the items are in the collection.
    fn render_outbox(&self, store: &Store, target: &Target) -> Result<Vec<Output>> {
        let ends = documents::Endpoints::new(&self.config);
        let total = store.count_published(Filter::All)?;
        let pages = plan::chunk_count(total, self.page_size);
        let objects = |window| -> Result<Vec<serde_json::Value>> {
            store
                .published(Filter::All, window)?
                .iter()
                .map(|a| {
                    let url = self.views.absolute(&view::article_dir(&a.slug));
                    let body = body_html(store, a)?;
                    Ok(documents::article_object(
                        &self.config,
                        a,
                        &url,
                        &body,
                        &self.messages(&a.lang),
                        |tag| self.views.absolute(&view::tag_dir(tag)),
                    ))
                })
                .collect()
        };
        let page_url = |n: usize| format!("{}/page/{n}", ends.outbox);
        let json = match target {
            Target::OutboxPage(n) => {
                let path = PathBuf::from(format!("outbox/page/{n}.json"));
                if *n == 0 || *n > pages {
                    return Ok(vec![Output::Remove(path)]);
                }
                let items = objects(Window::Chunk {
                    index: *n,
                    size: self.page_size,
                })?;
                let older = (*n > 1).then(|| page_url(n - 1));
                let newer = (*n < pages).then(|| page_url(n + 1));
                let page = outbox::outbox_page(&ends, &page_url(*n), items, older, newer);
                return Ok(vec![Output::Write(path, page.to_string().into_bytes())]);
            }
            _ if pages == 0 => {
                outbox::outbox_collection(&ends, total, objects(Window::Everything)?, None)
            }
            _ => outbox::outbox_collection(
                &ends,
                total,
                Vec::new(),
                Some((page_url(pages), page_url(1))),
            ),
        };
        Ok(vec![Output::Write(
            "outbox.json".into(),
            json.to_string().into_bytes(),
        )])
    }

    /// An article's page and its ActivityPub twin, a gone page and a
    /// Tombstone once removed, nothing for a draft never published.
    fn render_article(&self, store: &Store, slug: &str) -> Result<Vec<Output>> {
        let relative = view::article_dir(slug);
        let html = PathBuf::from(format!("{relative}index.html"));
        let json = PathBuf::from(format!("{relative}index.json"));
        // Pages of the replies collection that the new state does not write.
        let stale_pages = |keep: usize| {
            self.replies_pages_on_disk(&relative)
                .into_iter()
                .filter(move |n| *n < 2 || *n > keep)
                .map(|n| {
                    Output::Remove(PathBuf::from(format!(
                        "{relative}{}",
                        documents::replies_page_path(n)
                    )))
                })
        };
        let Some(article) = store.article_by_slug(slug)? else {
            let mut out = vec![Output::Remove(html), Output::Remove(json)];
            out.extend(stale_pages(0));
            return Ok(out);
        };
        if article.kind == crate::store::Kind::Event {
            // Comments and rebuilds name pages by slug: an event's is at
            // events/<slug>/, never here.
            return self.render_event(store, slug);
        }
        let url = self.views.absolute(&relative);
        if article.status == Status::Published {
            let body = body_html(store, &article)?;
            let mut object = documents::article_object(
                &self.config,
                &article,
                &url,
                &body,
                &self.messages(&article.lang),
                |tag| self.views.absolute(&view::tag_dir(tag)),
            );
            // One indexed query: the visible comments, oldest first.
            let comments = store.comments_of(article.id, false)?;
            let (replies, pages) = replies_of(&url, &comments);
            object["replies"] = replies;
            let moderation = self.comments_moderation(store, article.id)?;
            let (lang, views) = self.own_language(&article.lang);
            let extra = context! {
                article => views.article(&article, Some(body)),
                comment_count => comments.len(),
                comments => views.threads(&comments),
                reactions => store.article_reactions(article.id, &url)?,
                comments_open => moderation != Moderation::Closed,
                comments_held => moderation == Moderation::Held,
            };
            let mut page = self.page_view(&article.title, &article.summary, &relative, "article");
            page.lang = lang;
            let page = self.template("article.html", page, extra)?;
            let last = pages.last().map_or(0, |(n, _)| *n);
            let mut out = vec![
                Output::Write(html, page),
                Output::Write(json, object.to_string().into_bytes()),
            ];
            out.extend(pages.into_iter().map(|(n, page)| {
                Output::Write(
                    PathBuf::from(format!("{relative}{}", documents::replies_page_path(n))),
                    page.to_string().into_bytes(),
                )
            }));
            out.extend(stale_pages(last));
            Ok(out)
        } else if article.published_at.is_some() {
            let page = self.page_view(&self.views.words.t("gone-title"), "", &relative, "website");
            let page = self.template("gone.html", page, context! { title => article.title })?;
            let tombstone = documents::tombstone(&url, article.updated_at);
            let mut out = vec![
                Output::Write(html, page),
                Output::Write(json, tombstone.to_string().into_bytes()),
            ];
            out.extend(stale_pages(0));
            Ok(out)
        } else {
            let mut out = vec![Output::Remove(html), Output::Remove(json)];
            out.extend(stale_pages(0));
            Ok(out)
        }
    }

    fn full_articles(&self, store: &Store, filter: Filter<'_>) -> Result<Vec<ArticleView>> {
        store
            .published(filter, Window::Newest(self.feed_entries))?
            .iter()
            .map(|a| Ok(self.views.article(a, Some(body_html(store, a)?))))
            .collect()
    }

    fn feed_view(
        &self,
        title: &str,
        page_dir: &str,
        feed_path: &str,
        entries: &[ArticleView],
    ) -> Value {
        let updated = entries
            .iter()
            .map(|e| {
                if e.updated.is_empty() {
                    &e.published
                } else {
                    &e.updated
                }
            })
            .max()
            .cloned()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        context! {
            id => self.views.absolute(feed_path),
            title,
            url => self.views.absolute(page_dir),
            self_url => self.views.absolute(feed_path),
            updated,
        }
    }

    /// The index of a tag or author list, its chunk pages, and pagination.
    fn paged(
        &self,
        store: &Store,
        filter: Filter<'_>,
        dir: &str,
        chunk: Option<usize>,
    ) -> Result<Option<(Vec<ArticleView>, Pagination, Value)>> {
        let total = store.count_published(filter)?;
        let chunks = plan::chunk_count(total, self.page_size);
        let chunk_path = |n: usize| self.views.path(&format!("{dir}page/{n}/"));
        match chunk {
            None if total == 0 => Ok(None),
            None => {
                let articles = self.summaries(store, filter, Window::Newest(self.page_size))?;
                let mut pagination = Pagination::default();
                if chunks > 0 {
                    pagination.pages = (1..=chunks)
                        .rev()
                        .map(|n| PageLink {
                            number: n,
                            path: chunk_path(n),
                            current: false,
                        })
                        .collect();
                    // The chunk holding the first article the index does not show.
                    let hidden = total - self.page_size - 1;
                    pagination.older_path = chunk_path(hidden / self.page_size + 1);
                }
                Ok(Some((articles, pagination, context! { total })))
            }
            Some(n) if n == 0 || n > chunks => Ok(None),
            Some(n) => {
                let articles = self.summaries(
                    store,
                    filter,
                    Window::Chunk {
                        index: n,
                        size: self.page_size,
                    },
                )?;
                let pagination = Pagination {
                    pages: Vec::new(),
                    newer_path: if n < chunks {
                        chunk_path(n + 1)
                    } else {
                        self.views.path(dir)
                    },
                    older_path: if n > 1 {
                        chunk_path(n - 1)
                    } else {
                        String::new()
                    },
                };
                // Chunk pages do not show the total: it would make every one of
                // them change with each new article.
                Ok(Some((articles, pagination, context! { chunk => n })))
            }
        }
    }

    fn render_tag(&self, store: &Store, target: &Target, tag: &str) -> Result<Vec<Output>> {
        let dir = view::tag_dir(tag);
        let name = store.tag_name(tag)?.unwrap_or_else(|| tag.to_string());
        let filter = Filter::Tag(tag);
        let tag_value = context! {
            name => &name,
            path => self.views.path(&dir),
            feed_path => self.views.path(&format!("{dir}feed.atom")),
        };
        let title = self
            .views
            .words
            .t_with("tag-title", &[("tag", name.as_str().into())]);
        let (relative, chunk) = match target {
            Target::TagFeed(_) => {
                let path = PathBuf::from(format!("{dir}feed.atom"));
                if store.count_published(filter)? == 0 {
                    return Ok(vec![Output::Remove(path)]);
                }
                let entries = self.full_articles(store, filter)?;
                let feed = self.feed_view(
                    &format!("{} — {name}", self.site.title),
                    &dir,
                    &format!("{dir}feed.atom"),
                    &entries,
                );
                let page = self.page_view(&title, "", &dir, "website");
                return Ok(vec![Output::Write(
                    path,
                    self.template("feed.atom", page, context! { feed, entries })?,
                )]);
            }
            Target::TagPage(_, n) => (format!("{dir}page/{n}/"), Some(*n)),
            _ => (dir.clone(), None),
        };
        let path = PathBuf::from(format!("{relative}index.html"));
        Ok(vec![match self.paged(store, filter, &dir, chunk)? {
            None => Output::Remove(path),
            Some((articles, pagination, counts)) => {
                let page = self.page_view(&title, "", &relative, "website");
                let extra = context! { tag => tag_value, articles, pagination, ..counts };
                Output::Write(path, self.template("tag.html", page, extra)?)
            }
        }])
    }

    fn render_author(&self, store: &Store, target: &Target, handle: &str) -> Result<Vec<Output>> {
        let dir = view::author_dir(handle);
        let (relative, chunk) = match target {
            Target::AuthorPage(_, n) => (format!("{dir}page/{n}/"), Some(*n)),
            _ => (dir.clone(), None),
        };
        let path = PathBuf::from(format!("{relative}index.html"));
        let author = store.author(handle)?;
        let paged = self.paged(store, Filter::Author(handle), &dir, chunk)?;
        Ok(vec![match (author, paged) {
            (Some(author), Some((articles, pagination, counts))) => {
                let author = self.views.author(&author);
                let name = if author.name.is_empty() {
                    author.handle.clone()
                } else {
                    author.name.clone()
                };
                let page = self.page_view(&name, "", &relative, "profile");
                let extra = context! { author, articles, pagination, ..counts };
                Output::Write(path, self.template("author.html", page, extra)?)
            }
            _ => Output::Remove(path),
        }])
    }
}

/// Progress shown while rebuilding, on a terminal only.
struct Progress {
    total: usize,
    visible: bool,
}

impl Progress {
    fn draw(&self, done: usize) {
        if !self.visible {
            return;
        }
        let width = 30;
        let filled = (done * width)
            .checked_div(self.total)
            .unwrap_or(width)
            .min(width);
        let mut out = std::io::stdout().lock();
        let _ = write!(
            out,
            "\r[{}{}] {done}/{} ",
            "#".repeat(filled),
            " ".repeat(width - filled),
            self.total
        );
        let _ = out.flush();
    }
}

/// Targets shared by threads: each takes the next batch from a counter, so
/// cores stay busy even when some pages (long lists) cost more than others.
struct Queue<'a> {
    targets: &'a [Target],
    batch: usize,
    next: AtomicUsize,
    done: AtomicUsize,
    failed: AtomicBool,
}

impl<'a> Queue<'a> {
    fn new(targets: &'a [Target], batch: usize) -> Queue<'a> {
        Queue {
            targets,
            batch: batch.max(1),
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
        }
    }
}

impl Renderer {
    /// Renders and writes targets from the queue until it is empty or a
    /// thread failed; returns how many files changed.
    fn drain(&self, store: &Store, queue: &Queue<'_>) -> Result<usize> {
        let mut written = 0;
        loop {
            if queue.failed.load(Ordering::Relaxed) {
                return Ok(written);
            }
            let start = queue.next.fetch_add(queue.batch, Ordering::Relaxed);
            if start >= queue.targets.len() {
                return Ok(written);
            }
            let end = (start + queue.batch).min(queue.targets.len());
            for target in &queue.targets[start..end] {
                let result = self.render(store, target).and_then(|out| self.write(out));
                match result {
                    Ok(count) => written += count,
                    Err(err) => {
                        queue.failed.store(true, Ordering::Relaxed);
                        return Err(err);
                    }
                }
                queue.done.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Renders and writes targets on `threads` threads: this one with
    /// `store`, the others with connections of their own to `database`.
    /// A publish touches a dozen or two pages, spread over the cores.
    pub fn render_parallel(
        &self,
        store: &Store,
        database: &Path,
        targets: &[Target],
        threads: usize,
    ) -> Result<usize> {
        let queue = Queue::new(targets, 1);
        let helpers = threads.clamp(1, 64).min(targets.len().max(1)) - 1;
        if helpers == 0 {
            return self.drain(store, &queue);
        }
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..helpers)
                .map(|_| {
                    scope.spawn(|| {
                        let store = Store::open(database, false)?;
                        self.drain(&store, &queue)
                    })
                })
                .collect();
            let mut total = self.drain(store, &queue);
            for worker in workers {
                let result = worker
                    .join()
                    .map_err(|_| anyhow!("a rendering thread crashed"))
                    .and_then(|r| r);
                total = match (total, result) {
                    (Ok(a), Ok(b)) => Ok(a + b),
                    (Err(err), _) | (_, Err(err)) => Err(err),
                };
            }
            total
        })
    }
}

/// Re-renders the whole site on every core; with `markdown_too`, every
/// stored body is rendered from its Markdown again first.
pub fn rebuild(
    config: &Config,
    renderer: &Renderer,
    threads: usize,
    markdown_too: bool,
) -> Result<usize> {
    atomic::check_writable(renderer.docroot())?;
    // Taken before rendering: a template changed meanwhile makes the next
    // request render again.
    let fingerprint = fingerprint::current(config);
    let database = config.database_path();
    let store = Store::open(&database, false)?;
    let tz = config.tz();
    store.transaction(|store| store.refresh_months(|seconds| month_of(seconds, &tz)))?;
    refresh_bodies(&store, threads, markdown_too)?;
    let targets = plan::everything(&store, renderer.page_size())?;
    drop(store);
    let queue = Queue::new(&targets, 16);
    let progress = Progress {
        total: targets.len(),
        visible: std::io::stdout().is_terminal(),
    };
    let written = std::thread::scope(|scope| -> Result<usize> {
        let workers: Vec<_> = (0..threads.clamp(1, 64))
            .map(|_| {
                scope.spawn(|| {
                    let store = Store::open(&database, false)?;
                    renderer.drain(&store, &queue)
                })
            })
            .collect();
        while workers.iter().any(|w| !w.is_finished()) {
            progress.draw(queue.done.load(Ordering::Relaxed));
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        progress.draw(queue.done.load(Ordering::Relaxed));
        let mut total = 0;
        for worker in workers {
            total += worker
                .join()
                .map_err(|_| anyhow!("a rendering thread crashed"))??;
        }
        Ok(total)
    })?;
    if progress.visible {
        println!();
    }
    fingerprint::record(config, &fingerprint)?;
    Ok(written)
}

/// The `replies` collection of an article's twin and its further pages.
fn replies_of(
    url: &str,
    comments: &[crate::store::Comment],
) -> (serde_json::Value, Vec<(usize, serde_json::Value)>) {
    let ids: Vec<String> = comments.iter().map(|c| c.object_id.clone()).collect();
    documents::replies_collection(url, &ids)
}

/// The article's HTML: as stored when saved, unless an older renderer made it.
fn body_html(store: &Store, article: &crate::store::Article) -> Result<String> {
    match store.body_html(article.id)? {
        Some((html, version)) if version == markdown::VERSION => Ok(html),
        _ => Ok(markdown::to_html(
            &store.body_markdown(article.id)?.unwrap_or_default(),
        )),
    }
}

/// Renders again, on every core, the stored bodies an older renderer made
/// (all of them when `all`). Returns how many.
pub fn refresh_bodies(store: &Store, threads: usize, all: bool) -> Result<usize> {
    let stale = store.bodies_to_render(markdown::VERSION, all)?;
    if stale.is_empty() {
        return Ok(0);
    }
    let rendered =
        crate::parallel::map(&stale, threads, |(id, md)| (*id, markdown::render_body(md)))?;
    store.transaction(|store| {
        for (id, body) in &rendered {
            store.set_rendered_body(*id, body)?;
        }
        Ok(())
    })?;
    Ok(rendered.len())
}

/// `YYYY-MM` of a timestamp in the site's time zone.
pub fn month_of(seconds: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m")
                .to_string()
        })
        .unwrap_or_else(|_| "1970-01".into())
}
