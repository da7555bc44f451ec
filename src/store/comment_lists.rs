//! The queries the article page and the editor need about comments, beyond
//! those of the inbox (`comments.rs`).

use anyhow::Result;
use rusqlite::params;

use super::{Reactions, Store};

impl Store {
    /// Likes and boosts of the article itself (object `object_id`), read
    /// through the article's index rather than every reaction of the site.
    pub fn article_reactions(&self, article_id: i64, object_id: &str) -> Result<Reactions> {
        let (likes, boosts): (i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE kind = 'like'), count(*) FILTER (WHERE kind = 'announce')
                 FROM reactions WHERE article_id = ?1 AND object_id = ?2",
            )?
            .query_row(params![article_id, object_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        Ok(Reactions {
            likes: usize::try_from(likes).unwrap_or(0),
            boosts: usize::try_from(boosts).unwrap_or(0),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_page_queries_use_the_article_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.sqlite"), true).unwrap();
        let plan = |sql: &str| -> String {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            stmt.query_map([], |row| row.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let reactions =
            plan("SELECT count(*) FROM reactions WHERE article_id = 1 AND object_id = 'x'");
        assert!(reactions.contains("reactions_by_article"), "{reactions}");
        let comments = plan(
            "SELECT id FROM comments WHERE article_id = 1 AND (0 OR state = 'visible') ORDER BY published, id",
        );
        assert!(comments.contains("comments_by_article"), "{comments}");
        assert!(!comments.contains("TEMP B-TREE"), "{comments}");
        assert_eq!(
            store.article_reactions(1, "x").unwrap(),
            Reactions::default()
        );
    }
}
