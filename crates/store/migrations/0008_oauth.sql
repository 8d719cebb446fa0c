-- OC's OAuth2 authorization-code flow: codes and tokens are stored as SHA-256 hashes only, so a
-- copy of the database cannot be replayed against the API.
CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    erp_app_id TEXT NOT NULL REFERENCES erp_apps (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    redirect_uri TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE oauth_tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    erp_app_id TEXT NOT NULL REFERENCES erp_apps (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    -- The refresh token an access token was minted from (NULL for refresh tokens).
    parent_hash TEXT,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX oauth_tokens_app ON oauth_tokens (erp_app_id);
