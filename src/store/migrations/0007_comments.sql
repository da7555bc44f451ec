-- Replies from the fediverse, shown as comments on the page they answer.
-- Remote HTML is stored sanitized; the raw activity stays in `inbox`.
CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    object_id     TEXT NOT NULL UNIQUE,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    in_reply_to   TEXT NOT NULL,
    -- The comment it answers, when it answers a comment.
    parent_id     INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    depth         INTEGER NOT NULL DEFAULT 0,
    actor_id      TEXT NOT NULL,
    author_handle TEXT NOT NULL DEFAULT '',
    author_name   TEXT NOT NULL DEFAULT '',
    author_url    TEXT NOT NULL DEFAULT '',
    -- A copy on this site (media/...), or empty.
    author_avatar TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL,
    -- A content warning: the text is shown behind it.
    summary       TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    -- JSON: [{"url", "media_type", "name"}]
    attachments   TEXT NOT NULL DEFAULT '[]',
    published     INTEGER NOT NULL,
    updated       INTEGER,
    state         TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'held', 'hidden')),
    received_at   INTEGER NOT NULL
);
CREATE INDEX comments_by_article ON comments (article_id, published, id);
CREATE INDEX comments_by_actor ON comments (actor_id);

-- Objects deleted by their authors: a Delete that arrives before its
-- Create is remembered, and the Create then ignored.
CREATE TABLE tombstones (
    object_id  TEXT PRIMARY KEY,
    actor_id   TEXT NOT NULL,
    deleted_at INTEGER NOT NULL
);

-- Likes (favourites, Misskey reactions) and Announces (boosts) of our
-- articles and of the comments we show; each counted once per actor.
CREATE TABLE reactions (
    activity_id TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('like', 'announce')),
    actor_id    TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    UNIQUE (kind, actor_id, object_id)
);
CREATE INDEX reactions_by_article ON reactions (article_id, kind);

-- Reports (Flag) sent to the site, kept for its owner.
CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    activity_id TEXT UNIQUE,
    actor_id    TEXT NOT NULL,
    content     TEXT NOT NULL DEFAULT '',
    objects     TEXT NOT NULL DEFAULT '[]',
    received_at INTEGER NOT NULL
);

-- Replies collections still to read, to find replies that were never
-- delivered to us (replies to replies, mostly). Bounded by depth and count.
CREATE TABLE reply_walks (
    url        TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    depth      INTEGER NOT NULL,
    next_at    INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    done       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reply_walks_due ON reply_walks (done, next_at);

-- Comments on one article: NULL follows the site's setting.
ALTER TABLE articles ADD COLUMN comments TEXT CHECK (comments IN ('open', 'held', 'closed'));
