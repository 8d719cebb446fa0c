-- Background tasks, claimed with leases so that each runs in exactly one process at a time and a
-- crashed process's task is picked up again when its lease runs out.
CREATE TABLE tasks (
    id BIGINT PRIMARY KEY,
    client_id TEXT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    params TEXT NOT NULL,
    data TEXT NOT NULL,
    errors TEXT NOT NULL,
    total BIGINT NOT NULL,
    processed BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    attempts BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX tasks_claim ON tasks (status, lease_until);
