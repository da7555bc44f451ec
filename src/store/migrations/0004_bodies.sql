-- Bodies live apart from the article rows: lists read many articles and
-- never their bodies, and SQLite walks a row's overflow pages to reach the
-- columns after a long one. The sanitized HTML is rendered when the article
-- is saved, so feeds do not run Markdown again on every publish;
-- html_version names the renderer that made it, and a newer one renders it
-- again at the next rebuild. The HTML comes first: it is what is read.
CREATE TABLE article_bodies (
    article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    html_version INTEGER NOT NULL DEFAULT 0,
    html         TEXT NOT NULL DEFAULT '',
    markdown     TEXT NOT NULL
);
INSERT INTO article_bodies (article_id, markdown) SELECT id, body_md FROM articles;
ALTER TABLE articles DROP COLUMN body_md;
ALTER TABLE articles ADD COLUMN word_count INTEGER NOT NULL DEFAULT 0;
