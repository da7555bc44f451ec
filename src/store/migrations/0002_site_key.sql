-- The site actor's RSA key pair, made once by `affiche init`.
CREATE TABLE site_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_pem TEXT NOT NULL,
    public_pem  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
