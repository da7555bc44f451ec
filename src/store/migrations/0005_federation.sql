-- What the inbox received, stored raw (with the headers its signature
-- covers) before anything else, so that nothing is lost when processing
-- fails or the process is killed: the worker picks up what is left.
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    activity_id TEXT UNIQUE,
    actor       TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    headers     TEXT NOT NULL DEFAULT '{}',
    received_at INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new', 'done', 'ignored', 'rejected', 'failed')),
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbox_by_state ON inbox (state, id);

-- Remote actors we talked to: their keys (cached for signature checks) and
-- inboxes.
CREATE TABLE remote_actors (
    id           TEXT PRIMARY KEY,
    key_id       TEXT NOT NULL DEFAULT '',
    public_key   TEXT NOT NULL DEFAULT '',
    inbox        TEXT NOT NULL DEFAULT '',
    shared_inbox TEXT NOT NULL DEFAULT '',
    handle       TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    icon         TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    fetched_at   INTEGER NOT NULL
);
CREATE INDEX remote_actors_by_key ON remote_actors (key_id);

CREATE TABLE followers (
    actor_id   TEXT PRIMARY KEY,
    follow_id  TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- The delivery queue: one row per (activity, inbox), at least once.
CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    inbox       TEXT NOT NULL,
    host        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dropped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (activity_id, inbox)
);
CREATE INDEX deliveries_due ON deliveries (state, next_at);

-- Hosts that keep failing are skipped for a while.
CREATE TABLE hosts (
    host        TEXT PRIMARY KEY,
    failures    INTEGER NOT NULL DEFAULT 0,
    skip_until  INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT ''
);

-- Named leases: at most one queue worker runs at a time.
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  INTEGER NOT NULL
);
