-- What each list page shows, in publication order: the whole site ('all'),
-- a month ('month:2026-11'), a tag ('tag:rust'), an author
-- ('author:alice@example.org'). A publish reads the few entries it shows
-- from here instead of scanning the articles, so its cost stays flat as the
-- site grows. Kept in step with `articles` by the store (see relist).
CREATE TABLE listings (
    list         TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (list, published_at, article_id)
) WITHOUT ROWID;
CREATE INDEX listings_by_article ON listings (article_id);

-- One row per list: its size, and when it last changed (a sitemap's lastmod).
CREATE TABLE list_stats (
    list       TEXT PRIMARY KEY,
    count      INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER listings_added AFTER INSERT ON listings BEGIN
    INSERT INTO list_stats (list, count, changed_at)
    VALUES (new.list, 1, coalesce((SELECT updated_at FROM articles WHERE id = new.article_id), 0))
    ON CONFLICT (list) DO UPDATE SET
        count = count + 1,
        changed_at = max(changed_at, excluded.changed_at);
END;

CREATE TRIGGER listings_removed AFTER DELETE ON listings BEGIN
    UPDATE list_stats SET
        count = count - 1,
        changed_at = max(changed_at, coalesce((SELECT updated_at FROM articles WHERE id = old.article_id), changed_at))
    WHERE list = old.list;
END;

-- Lookups a publish makes, each now a single index probe.
CREATE INDEX article_tags_by_name ON article_tags (tag, name);
CREATE INDEX articles_by_author_update ON articles (author_handle, updated_at, id);

-- Articles published before this migration.
INSERT INTO listings (list, published_at, article_id)
    SELECT 'all', published_at, id FROM articles WHERE status = 'published'
    UNION ALL
    SELECT 'month:' || month, published_at, id FROM articles WHERE status = 'published' AND month IS NOT NULL
    UNION ALL
    SELECT 'author:' || author_handle, published_at, id FROM articles WHERE status = 'published'
    UNION ALL
    SELECT 'tag:' || t.tag, a.published_at, a.id FROM article_tags t JOIN articles a ON a.id = t.article_id
    WHERE a.status = 'published';
