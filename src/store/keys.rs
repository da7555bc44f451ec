//! The site actor's key pair.

use anyhow::Result;
use rusqlite::{OptionalExtension as _, params};

use super::Store;

#[derive(Debug, Clone)]
pub struct SiteKey {
    pub private_pem: String,
    pub public_pem: String,
    pub created_at: i64,
}

impl Store {
    pub fn site_key(&self) -> Result<Option<SiteKey>> {
        Ok(self
            .conn
            .query_row(
                "SELECT private_pem, public_pem, created_at FROM site_key WHERE id = 1",
                [],
                |row| {
                    Ok(SiteKey {
                        private_pem: row.get(0)?,
                        public_pem: row.get(1)?,
                        created_at: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores the key pair unless one exists: a site keeps its key for life,
    /// since remote servers cache it.
    pub fn set_site_key_once(&self, key: &SiteKey) -> Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO site_key (id, private_pem, public_pem, created_at) VALUES (1, ?1, ?2, ?3)",
            params![key.private_pem, key.public_pem, key.created_at],
        )?;
        Ok(inserted == 1)
    }
}
