-- People and the native API's access: users become operator admins, warehouse staff (attached to
-- warehouses, some supervisors) and seller users (attached to one client, some owners); browser
-- sessions and bearer tokens stored hashed; the Idempotency-Key store of the native API.
--
-- Existing users keep their role: 'staff' without warehouses sees no warehouse until attached,
-- 'seller' (and the older 'client') users of a client become its owners (the operator created
-- them, and someone must manage the client's users).
ALTER TABLE users ADD COLUMN supervisor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN owner BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
UPDATE users SET owner = 1 WHERE client_id IS NOT NULL;

CREATE TABLE user_warehouses (
    user_id TEXT NOT NULL REFERENCES users (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    PRIMARY KEY (user_id, warehouse_id)
);

-- A browser session: the cookie's value is 256 random bits, kept here as its SHA-256.
CREATE TABLE user_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- A bearer token for a handheld or a script: 256 random bits shown once, kept as SHA-256; its
-- scope is a role name no higher than its creator's.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- One command per (user, Idempotency-Key): claimed before the command runs (status NULL while
-- it does), its answer kept for replays; forgotten after 24 hours.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status BIGINT,
    content_type TEXT,
    response TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
