//! The command line: `init`, `rebuild`, `article import|import-wxr|import-writefreely|list|delete`,
//! `event import`, `export`, `import`, `serve`, `demo`, `templates dump`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::context::{Context, default_config_path};
use crate::render::{self, Renderer, atomic};
use crate::store::{Filter, Status, Store, Window};
use crate::{actions, import, import_events, keys};

/// The `.htaccess` that ships with Affiche, copied into the docroot by `init`.
pub const HTACCESS: &str = include_str!("../install/htaccess");

/// Sample articles for `affiche demo`.
const DEMO_ARTICLES: &[(&str, &str)] = &[
    ("welcome.md", include_str!("../install/demo/welcome.md")),
    ("writing.md", include_str!("../install/demo/writing.md")),
    ("fediverse.md", include_str!("../install/demo/fediverse.md")),
    ("events.md", include_str!("../install/demo/events.md")),
];

#[derive(Debug, Parser)]
#[command(
    name = "affiche",
    version,
    about = "Federated publishing from a basic shared web host"
)]
struct Cli {
    /// The site's config file [default: $AFFICHE_CONFIG, else ./affiche.toml]
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a site in DIR: config, database with the site's key, docroot
    Init {
        dir: PathBuf,
        #[arg(long, default_value = "My Affiche site")]
        title: String,
        /// Public address of the site, e.g. https://example.org
        #[arg(long, default_value = "http://localhost:8080")]
        base_url: String,
        /// The folder the web server serves, absolute or relative to DIR
        #[arg(long, default_value = "public_html")]
        docroot: PathBuf,
    },
    /// Re-render every page of the site, on all cores
    Rebuild {
        /// Worker threads [default: the number of cores]
        #[arg(long)]
        jobs: Option<usize>,
        /// Render every article's Markdown again, not only the ones an older
        /// version of Affiche rendered
        #[arg(long)]
        markdown: bool,
    },
    /// Manage articles from the command line
    #[command(subcommand)]
    Article(ArticleCommand),
    /// Manage events from the command line
    #[command(subcommand)]
    Event(EventCommand),
    /// Serve the site locally (files as Apache would, writes through the CGI)
    Serve {
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Check the installed site as the world sees it: .htaccess, CGI,
    /// WebFinger, JSON twins, private files, permissions, outgoing HTTPS,
    /// clock, inbox; says what to do about each failure
    Doctor {
        /// Send the requests here instead of base_url (same paths)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Seconds allowed for each request
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// The URL fetched to prove outgoing HTTPS works [default: the
        /// site's own /.well-known/nodeinfo]
        #[arg(long, value_name = "URL")]
        outbound_url: Option<String>,
    },
    /// Create a demo site with sample articles and serve it
    Demo {
        /// Where to create it [default: a new temporary folder]
        dir: Option<PathBuf>,
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Work with the site's templates
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Write the whole site into a zip: articles and events as Markdown,
    /// comments and participants as JSON, media, config and the site's
    /// SECRET key
    Export {
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Bring back a site exported with `affiche export`, into a freshly
    /// created site (same base_url), key included; then rebuild
    Import {
        file: PathBuf,
        /// Add to a site that already has articles (it keeps its own key)
        #[arg(long)]
        merge: bool,
    },
    /// The delivery queue: run it (from cron) or see its state
    #[command(subcommand)]
    Queue(QueueCommand),
}

#[derive(Debug, Subcommand)]
enum QueueCommand {
    /// Deliver what is due (at most one worker runs at a time)
    Run {
        /// Stop starting new deliveries after this many seconds
        #[arg(long, default_value_t = 50)]
        budget: u64,
    },
    /// Show pending and failing deliveries
    Status,
}

#[derive(Debug, Subcommand)]
enum ArticleCommand {
    /// Publish Markdown files with +++ TOML front matter (files or folders)
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Import the posts of a WordPress export (Tools → Export, WXR .xml):
    /// published posts and drafts; pages and attachments are skipped
    ImportWxr {
        file: PathBuf,
        /// The posts' author, e.g. @alice@example.org [default: the
        /// site's account, named after the WordPress author]
        #[arg(long, value_name = "HANDLE")]
        author: Option<String>,
    },
    /// Import the posts of a WriteFreely (write.as) JSON export: posts of
    /// its blogs published, posts outside them as drafts
    ImportWritefreely {
        file: PathBuf,
        /// The posts' author, e.g. @alice@example.org [default: the
        /// site's account]
        #[arg(long, value_name = "HANDLE")]
        author: Option<String>,
    },
    /// List articles, newest first
    List,
    /// Delete an article: its page becomes a "gone" page
    Delete { slug: String },
}

#[derive(Debug, Subcommand)]
enum EventCommand {
    /// Import events from iCalendar files (.ics: Google Calendar, Nextcloud,
    /// Facebook…) or Markdown files with +++ TOML front matter (files or
    /// folders); an event already imported (same UID) is left as it is
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The organizer's fediverse handle, e.g. @alice@example.org
        /// [default: the site's account]
        #[arg(long, value_name = "HANDLE")]
        organizer: Option<String>,
        /// Store the events as drafts instead of publishing them
        #[arg(long)]
        draft: bool,
    },
}

#[derive(Debug, Subcommand)]
enum TemplatesCommand {
    /// Write the built-in templates into DIR, to copy and edit
    Dump { dir: PathBuf },
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    let config_path = || {
        cli.config.clone().unwrap_or_else(|| {
            default_config_path(std::env::var_os("AFFICHE_CONFIG").map(PathBuf::from))
        })
    };
    match cli.command {
        Command::Init {
            ref dir,
            ref title,
            ref base_url,
            ref docroot,
        } => {
            let path = init(dir, title, base_url, docroot)?;
            println!("Created the site: config {}", path.display());
            println!(
                "Next: edit it, then `affiche --config {} serve`",
                path.display()
            );
            Ok(())
        }
        Command::Rebuild { jobs, markdown } => {
            let config = Config::load(&config_path())?;
            let renderer = Renderer::new(&config)?;
            let jobs = jobs.unwrap_or_else(crate::parallel::cores);
            let started = std::time::Instant::now();
            let files = render::rebuild(&config, &renderer, jobs, markdown)?;
            println!("Rebuilt {files} files in {:.2?}", started.elapsed());
            Ok(())
        }
        Command::Article(ArticleCommand::Import { ref paths }) => {
            let ctx = Context::open(&config_path())?;
            let files = import::collect(paths)?;
            let articles = import::read_all(&files, &ctx.config, now())?;
            let outcome = actions::import(&ctx, articles)?;
            println!(
                "Imported {} article(s); {} file(s) written",
                outcome.articles, outcome.files
            );
            Ok(())
        }
        Command::Event(EventCommand::Import {
            ref paths,
            ref organizer,
            draft,
        }) => {
            let ctx = Context::open(&config_path())?;
            let files = import_events::collect(paths)?;
            let options = import_events::Options {
                organizer: organizer.clone(),
                draft,
            };
            let read = import_events::read_all(&files, &ctx.config, &options, now())?;
            for note in &read.notes {
                println!("note: {note}");
            }
            let outcome = import_events::import(&ctx, read)?;
            println!(
                "Imported {} event(s), {} already there; {} file(s) written",
                outcome.imported, outcome.skipped, outcome.files
            );
            Ok(())
        }
        Command::Article(
            ArticleCommand::ImportWxr {
                ref file,
                ref author,
            }
            | ArticleCommand::ImportWritefreely {
                ref file,
                ref author,
            },
        ) => {
            let ctx = Context::open(&config_path())?;
            let read = if matches!(
                cli.command,
                Command::Article(ArticleCommand::ImportWritefreely { .. })
            ) {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                crate::import_wxr::parse_writefreely(
                    &text,
                    &file.display().to_string(),
                    &ctx.config,
                    author.as_deref(),
                    now(),
                )?
            } else {
                crate::import_wxr::read(file, &ctx.config, author.as_deref(), now())?
            };
            let taken = crate::import_wxr::taken_slugs(&ctx.store, &read)?;
            if !taken.is_empty() {
                bail!(
                    "nothing was imported: the site already has articles at {} (imported before?)",
                    taken.join(", ")
                );
            }
            for note in &read.notes {
                println!("note: {note}");
            }
            let drafts = read.drafts;
            let skipped = read.skipped.clone();
            let outcome = actions::import(&ctx, read.articles)?;
            println!(
                "Imported {} post(s), {drafts} of them as drafts; {} file(s) written",
                outcome.articles, outcome.files
            );
            if !skipped.is_empty() {
                let list: Vec<String> = skipped
                    .iter()
                    .map(|(kind, count)| format!("{count} {kind}"))
                    .collect();
                println!("Skipped: {}", list.join(", "));
            }
            Ok(())
        }
        Command::Article(ArticleCommand::List) => {
            let ctx = Context::open(&config_path())?;
            for article in ctx.store.published(Filter::All, Window::Everything)? {
                println!(
                    "{}\t{}\t@{}\t{}",
                    article.slug,
                    article.month.unwrap_or_default(),
                    article.author.handle,
                    article.title
                );
            }
            Ok(())
        }
        Command::Article(ArticleCommand::Delete { ref slug }) => {
            let ctx = Context::open(&config_path())?;
            let outcome = actions::set_status(&ctx, slug, Status::Deleted, now())?;
            println!("Deleted '{slug}'; {} file(s) updated", outcome.files);
            Ok(())
        }
        Command::Serve { ref bind, port } => {
            let config = Config::load(&config_path())?;
            serve_site(&config, &config_path(), bind, port)
        }
        Command::Doctor {
            ref base_url,
            timeout,
            ref outbound_url,
        } => {
            let config = Config::load(&config_path())?;
            let options = crate::doctor::Options {
                base_url: base_url.clone(),
                timeout: std::time::Duration::from_secs(timeout),
                outbound_url: outbound_url.clone(),
            };
            let checks = crate::doctor::run(&config, &options);
            print!("{}", crate::doctor::report(&checks));
            if crate::doctor::exit_code(&checks) != 0 {
                bail!("the site has problems: see the FAIL lines above");
            }
            Ok(())
        }
        Command::Demo { ref dir, port } => demo(dir.clone(), port),
        Command::Queue(QueueCommand::Run { budget }) => {
            let config = Config::load(&config_path())?;
            let report = crate::jobs::run(&config, std::time::Duration::from_secs(budget))?;
            if report.ran {
                println!(
                    "Delivered {}, will retry {}, dropped {}; {} received activities processed",
                    report.delivered, report.retried, report.dropped, report.inbox
                );
            } else {
                println!("Another worker is running; nothing done");
            }
            Ok(())
        }
        Command::Queue(QueueCommand::Status) => {
            let config = Config::load(&config_path())?;
            let store = Store::open(&config.database_path(), false)?;
            let status = store.queue_status(now())?;
            println!(
                "pending {} (due now {}), delivered {}, dropped {}",
                status.pending, status.due, status.done, status.dropped
            );
            for (host, failures, skip_until, error) in &status.failing_hosts {
                let skipped = if *skip_until > now() {
                    " (skipped for now)"
                } else {
                    ""
                };
                println!("failing host {host}: {failures} failures in a row{skipped}: {error}");
            }
            for (inbox, attempts, error) in &status.recent_errors {
                println!("  {inbox} after {attempts} attempt(s): {error}");
            }
            Ok(())
        }
        Command::Export { ref file, force } => {
            let ctx = Context::open(&config_path())?;
            let outcome = crate::export::export(&ctx, &config_path(), file, force)?;
            println!(
                "Exported {} article(s), {} event(s), {} media file(s), {} follower(s) to {}",
                outcome.articles,
                outcome.events,
                outcome.media_files,
                outcome.followers,
                file.display()
            );
            println!(
                "It holds the site's SECRET private key (SECRET-site-key.pem): keep the file private"
            );
            Ok(())
        }
        Command::Import { ref file, merge } => {
            let ctx = Context::open(&config_path())?;
            let outcome = crate::export::import(&ctx, &config_path(), file, merge)?;
            println!(
                "Imported {} article(s), {} event(s), {} comment(s), {} participant(s), {} follower(s), {} media file(s); {} file(s) written",
                outcome.articles,
                outcome.events,
                outcome.comments,
                outcome.participants,
                outcome.followers,
                outcome.media_files,
                outcome.files
            );
            if outcome.key_restored {
                println!("The site's key pair was restored: its followers keep following it");
            }
            if let Some(saved) = &outcome.config_saved_as {
                println!(
                    "The exported config differs from this site's: it was saved as {} to compare",
                    saved.display()
                );
            }
            Ok(())
        }
        Command::Templates(TemplatesCommand::Dump { ref dir }) => {
            let written = crate::render::templates::dump(dir)?;
            println!(
                "Wrote {} templates into {}; copy the ones you change into your site's templates/ folder",
                written.len(),
                dir.display()
            );
            Ok(())
        }
    }
}

/// Creates a site in `dir` and renders its (empty) pages. Returns the config path.
pub fn init(dir: &Path, title: &str, base_url: &str, docroot: &Path) -> Result<PathBuf> {
    let config_path = dir.join("affiche.toml");
    if config_path.exists() {
        bail!(
            "{} already exists: this folder already holds a site",
            config_path.display()
        );
    }
    let docroot = docroot
        .to_str()
        .context("--docroot must be valid UTF-8 to be written in the config")?;
    let text = Config::template(title, base_url, docroot);
    // Validate before creating anything, so a bad --base-url leaves no trace.
    let config = Config::parse(&text, "--base-url/--title", dir)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let docroot = config.docroot_path();
    std::fs::create_dir_all(&docroot)
        .with_context(|| format!("cannot create the docroot {}", docroot.display()))?;
    let store = Store::open(&config.database_path(), true)?;
    store.set_site_key_once(&keys::generate(now())?)?;
    atomic::write(&docroot.join(".htaccess"), HTACCESS.as_bytes())?;
    atomic::write(&config_path, text.as_bytes())?;
    let renderer = Renderer::new(&config)?;
    render::rebuild(&config, &renderer, crate::parallel::cores(), false)?;
    Ok(config_path)
}

fn serve_site(config: &Config, config_path: &Path, bind: &str, port: u16) -> Result<()> {
    let settings = crate::serve::ServeSettings {
        docroot: config.docroot_path(),
        config_path: std::path::absolute(config_path)?,
        root: config.site_url().root,
        program: std::env::current_exe().context("cannot find this program's own path")?,
        max_body_bytes: config.limits.max_body_bytes,
        max_upload_bytes: config.limits.max_upload_bytes,
    };
    let root = settings.root.clone();
    crate::serve::serve(settings, bind, port, |address| {
        println!(
            "Serving {} on http://{address}{root}/  (Ctrl-C to stop)",
            config.title
        );
    })
}

fn demo(dir: Option<PathBuf>, port: u16) -> Result<()> {
    let dir = match dir {
        Some(dir) => dir,
        None => std::env::temp_dir().join(format!("affiche-demo-{}", std::process::id())),
    };
    let base_url = format!("http://127.0.0.1:{port}");
    // The demo's own fediverse account, next to the site: the same port
    // each time, so a demo folder served again keeps its author.
    let account_port = port.checked_add(1).context("--port must be below 65535")?;
    let account = crate::demo::start(account_port)?;
    let config_path = dir.join("affiche.toml");
    if config_path.is_file() {
        println!("Serving the demo site in {} again", dir.display());
    } else {
        init(&dir, "Affiche demo", &base_url, Path::new("public_html"))?;
        // Offline: login links are printed here, and the demo account on
        // loopback stands in for a fediverse instance.
        let text = std::fs::read_to_string(&config_path)?
            .replace("login_dm = \"activitypub\"", "login_dm = \"console\"")
            .replace(
                "allow_private_addresses_for_testing = false",
                "allow_private_addresses_for_testing = true",
            );
        std::fs::write(&config_path, text)?;
        // The visitor tries everything, the admin pages included.
        let admin =
            crate::config_edit::Edit::set_list("admin.handles", vec![account.handle.clone()]);
        crate::config_edit::edit_file(&config_path, &[admin])
            .map_err(|err| anyhow::anyhow!("cannot make the demo account the admin: {err}"))?;
        let samples = dir.join("demo-articles");
        std::fs::create_dir_all(&samples)?;
        for (name, text) in DEMO_ARTICLES {
            std::fs::write(samples.join(name), text)?;
        }
        let ctx = Context::open(&config_path)?;
        let files = import::collect(&[samples])?;
        let articles = import::read_all(&files, &ctx.config, now())?;
        actions::import(&ctx, articles)?;
        println!("Demo site created in {}", dir.display());
    }
    let config = Config::load(&config_path)?;
    println!(
        "To write: open {base_url}/login and log in as @{} (the login link is printed here); it is the site's admin too ({base_url}/admin).",
        account.handle
    );
    serve_site(&config, &config_path, "127.0.0.1", port)
}
