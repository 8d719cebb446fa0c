-- Bird's bulk ("temp") consignments: uploaded rows kept verbatim until a conversion task turns
-- them into orders.
CREATE TABLE temp_consignments (
    id BIGINT PRIMARY KEY,
    client_id TEXT NOT NULL,
    warehouse_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    thirty_system_id TEXT,
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    order_id TEXT,
    bird_id BIGINT,
    problem TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX temp_consignments_client ON temp_consignments (client_id, kind, status);
