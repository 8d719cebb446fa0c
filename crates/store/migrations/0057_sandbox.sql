-- Sandbox twins (issue 21): what an ERP under test acts on instead of the live client. A twin
-- is a client row of its own, so its SKUs, stock, balance, orders and webhooks are apart from
-- the live client's by the tenancy every query already has; `sandbox_of` names the client it
-- stands in for. `sandbox_twins` names each client's current twin: a reset makes a new one, and
-- the old keeps its rows, out of every list.
ALTER TABLE clients ADD COLUMN sandbox_of TEXT;
CREATE TABLE sandbox_twins (
    client_id TEXT PRIMARY KEY,
    twin_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
-- What each sandbox app (an OC app id, or `bird:<client id>` for the Bird test key) has called
-- successfully: its verification report.
CREATE TABLE sandbox_calls (
    app TEXT NOT NULL,
    operation TEXT NOT NULL,
    calls BIGINT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (app, operation)
);
