//! SQLite storage: opening with the right pragmas, embedded numbered
//! migrations (with a backup taken before any of them runs), and one file per
//! table family. All SQL of the program lives under this module.

mod articles;
mod auth;
mod comments;
mod editing;
mod federation;
mod keys;

pub use articles::{
    Article, ArticleAuthor, ArticleTag, Filter, NewArticle, RenderedBody, Status, Window,
};
pub use auth::{Author, LoginMethod, LoginRequest, NewLogin, Session};
pub use comments::{Attachment, Comment, CommentState, MAX_DEPTH, NewComment, Reactions};
pub use editing::ArticleEdit;
pub use federation::{
    Claim, Delivery, DeliveryOutcome, Follower, InboxEntry, QueueStatus, RemoteActor,
};
pub use keys::SiteKey;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rusqlite::{Connection, OpenFlags};

/// The migrations, in order; migration `n` (1-based) brings `user_version` to `n`.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_articles",
        include_str!("migrations/0001_articles.sql"),
    ),
    (
        "0002_site_key",
        include_str!("migrations/0002_site_key.sql"),
    ),
    (
        "0003_listings",
        include_str!("migrations/0003_listings.sql"),
    ),
    ("0004_bodies", include_str!("migrations/0004_bodies.sql")),
    (
        "0005_federation",
        include_str!("migrations/0005_federation.sql"),
    ),
    ("0006_authors", include_str!("migrations/0006_authors.sql")),
    (
        "0007_comments",
        include_str!("migrations/0007_comments.sql"),
    ),
];

/// The schema version this binary expects.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// A count or limit as SQLite takes it.
fn count_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// An open database. One per thread: rusqlite connections are not `Sync`.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the database, creating it when `create` is set, and migrates it.
    pub fn open(path: &Path, create: bool) -> Result<Store> {
        Store::open_to(path, create, SCHEMA_VERSION)
    }

    /// Opens and migrates up to `version` only: lets tests make old databases.
    pub fn open_to(path: &Path, create: bool, version: usize) -> Result<Store> {
        if !create && !path.exists() {
            bail!(
                "the database {} does not exist; create the site with `affiche init DIR`, or check data_dir in the config",
                path.display()
            );
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("cannot open the database {}", path.display()))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure().with_context(|| {
            format!(
                "{} is not a usable Affiche database (corrupt, or not a database?); restore a backup (affiche.sqlite.backup-*) or move it away",
                path.display()
            )
        })?;
        store.migrate(version)?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Rendering uses a few dozen distinct statements; re-parsing evicted
        // ones showed up in profiles.
        self.conn.set_prepared_statement_cache_capacity(64);
        // Reading the version touches the file header: a corrupt file fails here.
        let _: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?;
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .context("cannot switch the database to WAL mode (read-only file or folder?)")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // The checkpoint at close stays on: each CGI process is the only
        // connection, and without it the WAL grew without bound and every
        // open re-read all of it (measured: 3 ms per request with an empty
        // WAL, 18 ms at 25 MB).
        Ok(())
    }

    /// The schema version recorded in the file.
    pub fn version(&self) -> Result<usize> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?;
        Ok(usize::try_from(version).unwrap_or(0))
    }

    fn migrate(&mut self, target: usize) -> Result<()> {
        let current = self.version()?;
        if current > SCHEMA_VERSION {
            bail!(
                "the database {} has schema version {current}, newer than this binary knows ({SCHEMA_VERSION}); upgrade affiche",
                self.path.display()
            );
        }
        if current >= target {
            return Ok(());
        }
        if current > 0 {
            self.backup(current)?;
        }
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql).with_context(|| {
                format!("migration {name} failed; the database was left as it was")
            })?;
            tx.pragma_update(None, "user_version", i64::try_from(index + 1)?)?;
            tx.commit()
                .with_context(|| format!("cannot commit migration {name}"))?;
        }
        Ok(())
    }

    /// Copies the database next to itself before a migration changes it.
    fn backup(&self, version: usize) -> Result<PathBuf> {
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let name = format!(
            "{}.backup-v{version}-{stamp}",
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "affiche.sqlite".into())
        );
        let target = self.path.with_file_name(name);
        self.conn
            .execute("VACUUM INTO ?1", [target.to_string_lossy()])
            .with_context(|| {
                format!(
                    "cannot back up the database to {} before upgrading it; free some disk space or make the folder writable",
                    target.display()
                )
            })?;
        Ok(target)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one transaction: all of it is stored, or none.
    pub fn transaction<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(value) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(err) => {
                // The original error matters more than a failed rollback.
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(err)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::Filter;

    #[test]
    fn an_old_database_is_backed_up_and_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.sqlite");
        {
            let store = Store::open_to(&path, true, 1).unwrap();
            assert_eq!(store.version().unwrap(), 1);
            store
                .conn
                .execute(
                    "INSERT INTO articles (slug, title, body_md, lang, status, author_handle, created_at, updated_at, published_at, month)
                     VALUES ('old', 'Old', 'text', 'en', 'published', 'a@b.c', 1, 1, 1, '1970-01')",
                    [],
                )
                .unwrap();
        }
        let store = Store::open(&path, false).unwrap();
        assert_eq!(store.version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.article_by_slug("old").unwrap().unwrap().title, "Old");
        // Articles from before the listings existed are listed by the migration.
        assert_eq!(store.count_published(Filter::All).unwrap(), 1);
        assert_eq!(store.count_published(Filter::Author("a@b.c")).unwrap(), 1);
        assert_eq!(store.months().unwrap(), vec![("1970-01".to_string(), 1, 1)]);
        // Its body has no stored HTML yet: the next rebuild renders it, once.
        assert_eq!(crate::render::refresh_bodies(&store, 2, false).unwrap(), 1);
        let old = store.article_by_slug("old").unwrap().unwrap();
        assert_eq!(old.words, 1);
        let body = store.body_html(old.id).unwrap().unwrap();
        assert_eq!(
            (body.0.as_str(), body.1),
            ("<p>text</p>\n", crate::render::markdown::VERSION)
        );
        assert_eq!(crate::render::refresh_bodies(&store, 2, false).unwrap(), 0);
        let backups: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("affiche.sqlite.backup-v1-"))
            .collect();
        assert_eq!(backups.len(), 1, "{backups:?}");
        let backup = Store::open_to(&dir.path().join(&backups[0]), false, 1).unwrap();
        assert_eq!(backup.version().unwrap(), 1);
        let title: String = backup
            .conn
            .query_row("SELECT title FROM articles WHERE slug = 'old'", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(title, "Old");
    }

    #[test]
    fn a_fresh_database_needs_no_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.sqlite");
        Store::open(&path, true).unwrap();
        let count = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .map(|e| e.file_name().to_string_lossy().contains("backup"))
                    .unwrap_or(false)
            })
            .count();
        assert_eq!(count, 0);
    }

    #[test]
    fn a_corrupt_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.sqlite");
        std::fs::write(&path, vec![7u8; 8192]).unwrap();
        let err = Store::open(&path, false).err().unwrap();
        let text = format!("{err:#}");
        assert!(text.contains("not a usable Affiche database"), "{text}");
        assert_eq!(std::fs::read(&path).unwrap(), vec![7u8; 8192]);
    }

    #[test]
    fn a_missing_database_says_how_to_create_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(&dir.path().join("none.sqlite"), false)
            .err()
            .unwrap();
        assert!(format!("{err:#}").contains("affiche init"));
    }
}
