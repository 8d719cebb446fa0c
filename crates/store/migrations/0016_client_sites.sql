-- The sites (warehouses) each client has a contract with. A client names only these: any other
-- site, service or region is "not found" to it, exactly like one that does not exist.
CREATE TABLE client_sites (
    client_id TEXT NOT NULL REFERENCES clients (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, warehouse_id)
);

-- Existing deployments keep working: every client is attached to every warehouse of its own
-- operator company (what it could use before, minus the other operators' sites).
INSERT INTO client_sites (client_id, warehouse_id, created_at)
SELECT c.id, w.id, CASE WHEN c.created_at > w.created_at THEN c.created_at ELSE w.created_at END
FROM clients c JOIN warehouses w ON w.company_id = c.company_id;
