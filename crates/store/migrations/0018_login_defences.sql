-- The OAuth login page's defences, shared by every process serving this database.
-- Password guesses per subject ('user:<name>' or 'addr:<ip>'): recent failures and a lock.
CREATE TABLE login_throttle (
    subject TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    locked_until BIGINT
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);

-- Random keys made once per database: the login form's CSRF tokens are HMACs under one, so any
-- process can check a form another one rendered.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
