-- Articles, their tags and their authors' fediverse identity.
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    body_md         TEXT NOT NULL,
    lang            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'published', 'deleted')),
    author_actor_id TEXT NOT NULL DEFAULT '',
    author_handle   TEXT NOT NULL,
    author_name     TEXT NOT NULL DEFAULT '',
    author_avatar   TEXT NOT NULL DEFAULT '',
    author_url      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    published_at    INTEGER,
    -- 'YYYY-MM' of published_at in the site's time zone, for the archive.
    month           TEXT
);
CREATE INDEX articles_by_date ON articles (status, published_at, id);
CREATE INDEX articles_by_month ON articles (status, month, published_at);
CREATE INDEX articles_by_author ON articles (author_handle, status, published_at, id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,  -- the slug used in URLs
    name       TEXT NOT NULL,  -- as the author wrote it
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag, article_id);
