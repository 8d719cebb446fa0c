-- The audit trail: who did what, when, where (warehouse, device), for every floor action. Written
-- in the action's own transaction, so a recorded action always happened and vice versa.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id TEXT,
    actor_name TEXT NOT NULL,
    role TEXT NOT NULL,
    device TEXT,
    warehouse_id TEXT,
    client_id TEXT,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
