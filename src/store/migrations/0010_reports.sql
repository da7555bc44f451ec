-- Reports made by readers on the site (the report form) join the Flags
-- received from the fediverse in one table, so the admin handles both in
-- one list. A web report has no actor; its contact (optional, an address
-- the reader typed) is for the admin only and is never forwarded.
ALTER TABLE flags ADD COLUMN source TEXT NOT NULL DEFAULT 'activitypub'
    CHECK (source IN ('activitypub', 'web'));
-- 'spam', 'illegal', 'harassment', 'other'; empty for a Flag (its
-- content says why).
ALTER TABLE flags ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE flags ADD COLUMN contact TEXT NOT NULL DEFAULT '';
-- The page or comment address a reader reported, as typed.
ALTER TABLE flags ADD COLUMN url TEXT NOT NULL DEFAULT '';
-- Handled reports are kept (what was done, and when) instead of deleted.
ALTER TABLE flags ADD COLUMN handled_at INTEGER;
ALTER TABLE flags ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
-- When the admin forwarded a Flag to the reported account's server.
ALTER TABLE flags ADD COLUMN forwarded_at INTEGER;
CREATE INDEX flags_open ON flags (handled_at, received_at);
