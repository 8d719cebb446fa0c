-- One sealed canary per database: a process whose secret key does not open it is refused at
-- start (see the store's `secrets` module). OC SecretKeys and webhook secrets stay in their
-- columns; they are sealed in place by the application, which holds the key.
CREATE TABLE secret_key_check (
    id BIGINT PRIMARY KEY,
    sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
