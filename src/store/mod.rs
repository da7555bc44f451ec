//! SQLite storage: opening with the right pragmas, embedded numbered
//! migrations (with a backup taken before any of them runs), and one file per
//! table family. All SQL of the program lives under this module.

mod admin;
mod articles;
mod auth;
mod comment_lists;
mod comments;
mod editing;
mod events;
mod export;
mod federation;
mod keys;
mod participation_requests;

pub use admin::{Flag, InboxFailure, NewReport};
pub use articles::{
    Article, ArticleAuthor, ArticleTag, Filter, Kind, NewArticle, RenderedBody, Status, Window,
};
pub use auth::{Author, LoginMethod, LoginRequest, NewLogin, Session};
pub use comments::{Attachment, Comment, CommentState, MAX_DEPTH, NewComment, Reactions};
pub use editing::ArticleEdit;
pub use events::{
    EventFields, EventRow, EventStatus, JoinMode, JoinOutcome, Participant, ParticipantState,
};
pub use export::ReactionRow;
pub use federation::{
    Claim, Delivery, DeliveryOutcome, Follower, InboxEntry, QueueStatus, RemoteActor, url_host,
};
pub use keys::SiteKey;
pub use participation_requests::{NewParticipationRequest, ParticipationRequest, RequestAction};

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
    ("0008_events", include_str!("migrations/0008_events.sql")),
    (
        "0009_participation_requests",
        include_str!("migrations/0009_participation_requests.sql"),
    ),
    ("0010_reports", include_str!("migrations/0010_reports.sql")),
];

/// The schema version this binary expects.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The WAL is emptied into the database past this size (see `Store::bound_wal`).
/// Measured over 1,000 open-write-close cycles: 128 KB to 1 MB cost about
/// the same (0.5-0.6 ms each), 2 MB more (0.7 ms: each open re-reads the WAL),
/// a checkpoint at every close 1.3 ms.
const WAL_LIMIT: u64 = 512 * 1024;
/// How long the checkpoint of a big WAL waits for other connections.
const WAL_CHECKPOINT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

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
        // Every CGI request is a process of its own, so nearly every close
        // is the last connection's, which checkpoints the WAL into the
        // database with an fsync and deletes it: a cost on every write.
        // Skipping it let the WAL grow without bound under concurrent
        // requests (readers kept SQLite from restarting it), and each new
        // process re-reads all of it (3 ms per request with an empty WAL,
        // 18 ms at 25 MB). So the close does not checkpoint, and `Drop`
        // does, once the WAL is past `WAL_LIMIT`.
        self.conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
        Ok(())
    }

    /// The write-ahead log next to the database.
    fn wal_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push("-wal");
        PathBuf::from(name)
    }

    /// Copies the WAL into the database and empties it when it has grown
    /// past `WAL_LIMIT`; true when it did. A stat otherwise.
    pub fn bound_wal(&self) -> Result<bool> {
        let size = std::fs::metadata(self.wal_path()).map_or(0, |m| m.len());
        if size <= WAL_LIMIT {
            return Ok(false);
        }
        // TRUNCATE waits for the readers of older snapshots (requests a few
        // ms long) and blocks writers meanwhile; it gives up when busy, and
        // the next close tries again.
        self.conn.busy_timeout(WAL_CHECKPOINT_WAIT)?;
        let (busy, _, _): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
        Ok(busy == 0)
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

impl Drop for Store {
    fn drop(&mut self) {
        if let Err(err) = self.bound_wal() {
            // Nothing is lost: the WAL is part of the database; the next
            // close tries again.
            eprintln!(
                "affiche: cannot checkpoint the database's WAL {}: {err:#}",
                self.wal_path().display()
            );
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
    fn the_wal_stays_small_across_many_short_processes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("affiche.sqlite");
        let wal = dir.path().join("affiche.sqlite-wal");
        Store::open(&path, true).unwrap();
        let started = std::time::Instant::now();
        let mut largest = 0;
        // As CGI requests do: each write on a connection of its own.
        for i in 0..1000 {
            let store = Store::open(&path, false).unwrap();
            store
                .inbox_insert(
                    Some(&format!("https://a.example/{i}")),
                    "https://a.example/actor",
                    "Dance",
                    &"x".repeat(1000),
                    "{}",
                    i,
                )
                .unwrap();
            drop(store);
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        eprintln!(
            "1000 open-write-close cycles: {:?}, WAL up to {largest} bytes",
            started.elapsed()
        );
        // The limit, plus the frames of the one write that crossed it.
        assert!(
            largest <= WAL_LIMIT + 64 * 1024,
            "WAL reached {largest} bytes"
        );
        let store = Store::open(&path, false).unwrap();
        let stored: i64 = store
            .conn
            .query_row("SELECT count(*) FROM inbox", [], |row| row.get(0))
            .unwrap();
        assert_eq!(stored, 1000);
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
