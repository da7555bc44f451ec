-- Authors log in without an account: a login request proves control of a
-- fediverse actor, either by a secret link sent to it in a direct message
-- or by a code it sends to the site actor. Secrets are stored hashed.
CREATE TABLE login_requests (
    id           INTEGER PRIMARY KEY,
    actor_id     TEXT NOT NULL,
    handle       TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('link', 'code')),
    -- SHA-256 of the link's token (method 'link').
    token_hash   TEXT UNIQUE,
    -- SHA-256 of the code the author sends us (method 'code').
    code_hash    TEXT UNIQUE,
    -- SHA-256 of the pending-login cookie of the browser that asked.
    browser_hash TEXT NOT NULL,
    -- SHA-256 of the short code shown in that browser: it opens the link
    -- in another browser.
    pair_hash    TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    client_ip    TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    -- When the author's message with the code arrived (method 'code').
    proven_at    INTEGER,
    used_at      INTEGER
);
CREATE INDEX login_requests_by_browser ON login_requests (browser_hash, created_at);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    actor_id   TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_actor ON sessions (actor_id);

-- Events counted by the rate limits: logins per handle, per address, overall.
CREATE TABLE rate_events (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events (kind, key, at);

-- The fediverse actors who logged in, as the site shows them.
CREATE TABLE authors (
    actor_id     TEXT PRIMARY KEY,
    handle       TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    -- A copy on this site (media/...), so reader pages load nothing remote.
    avatar       TEXT NOT NULL DEFAULT '',
    profile_url  TEXT NOT NULL DEFAULT '',
    inbox        TEXT NOT NULL DEFAULT '',
    -- Her actor's attributionDomains include this site's domain.
    credits_site INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);

ALTER TABLE articles ADD COLUMN cover TEXT NOT NULL DEFAULT '';
-- The random key of the editor form that created the article: a form sent
-- twice creates one article.
ALTER TABLE articles ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX articles_by_form_key ON articles (form_key) WHERE form_key IS NOT NULL;
-- What the fediverse was last told: the Create/Update it was sent, so a
-- second click on Publish sends nothing.
ALTER TABLE articles ADD COLUMN announced_at INTEGER;
ALTER TABLE articles ADD COLUMN announced_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX articles_by_author_actor ON articles (author_actor_id, updated_at);
