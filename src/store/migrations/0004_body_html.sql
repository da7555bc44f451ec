-- The sanitized HTML of each body, rendered when the article is saved, so
-- feeds and lists do not run Markdown again on every publish. html_version
-- says which renderer made it: a newer one re-renders on the next rebuild.
ALTER TABLE articles ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN html_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN word_count INTEGER NOT NULL DEFAULT 0;
