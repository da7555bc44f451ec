-- Events are publications too: a row in `articles` (title, description,
-- author, tags, cover, status, announcements, comments) with kind 'event'
-- and its own row here. They stay out of the article lists.
ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article' CHECK (kind IN ('article', 'event'));

CREATE TABLE events (
    article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    -- UTC seconds; shown in `time_zone` (an IANA name).
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    time_zone    TEXT NOT NULL,
    all_day      INTEGER NOT NULL DEFAULT 0,
    place_name   TEXT NOT NULL DEFAULT '',
    street       TEXT NOT NULL DEFAULT '',
    postal_code  TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    latitude     REAL,
    longitude    REAL,
    online_url   TEXT NOT NULL DEFAULT '',
    -- NULL: no limit.
    capacity     INTEGER CHECK (capacity IS NULL OR capacity > 0),
    event_status TEXT NOT NULL DEFAULT 'confirmed' CHECK (event_status IN ('confirmed', 'tentative', 'cancelled')),
    category     TEXT NOT NULL DEFAULT '',
    -- 'free': joins accepted at once; 'restricted': the organizer approves;
    -- 'external': participation happens at `external_url`.
    join_mode    TEXT NOT NULL DEFAULT 'free' CHECK (join_mode IN ('free', 'restricted', 'external')),
    external_url TEXT NOT NULL DEFAULT '',
    -- iCalendar SEQUENCE: bumped at every change calendars must see.
    sequence     INTEGER NOT NULL DEFAULT 0,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_by_start ON events (starts_at);

-- Who takes part: fediverse accounts that sent a Join, or readers who
-- registered on the page with a handle confirmed by DM.
CREATE TABLE participants (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id   TEXT NOT NULL,
    handle     TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    -- The Join activity (fediverse), to answer and to match its Undo.
    join_id    TEXT NOT NULL DEFAULT '',
    via        TEXT NOT NULL CHECK (via IN ('fediverse', 'web')),
    state      TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (event_id, actor_id)
);
CREATE INDEX participants_by_event ON participants (event_id, state);
