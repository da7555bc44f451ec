-- Registering for an event (or cancelling) from its page with a fediverse
-- handle: the site sends a link by direct message, and only the browser
-- that asked (or one that types its code) can use it, as with logins.
-- The database keeps hashes of the link's token and of the browser's
-- secret and code, never the secrets themselves.
CREATE TABLE participation_requests (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- 'join': register; 'leave': cancel a registration.
    action       TEXT NOT NULL CHECK (action IN ('join', 'leave')),
    actor_id     TEXT NOT NULL,
    handle       TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    inbox        TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL UNIQUE,
    browser_hash TEXT NOT NULL,
    pair_hash    TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    client_ip    TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);
CREATE INDEX participation_requests_by_browser ON participation_requests (browser_hash, created_at);
CREATE INDEX participation_requests_by_expiry ON participation_requests (expires_at);
