-- Portable DDL: runs unchanged on SQLite and PostgreSQL. Ids are application-generated TEXT
-- (or BIGINT where a dialect exposes numbers), money is BIGINT minor units, times are BIGINT
-- milliseconds since the Unix epoch, UTC. Flags are BIGINT 0/1.

CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE warehouses (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    bird_company_id BIGINT UNIQUE,
    oc_region TEXT UNIQUE,
    country TEXT NOT NULL,
    timezone TEXT NOT NULL,
    cutoff_minutes BIGINT NOT NULL,
    address TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    code TEXT NOT NULL,
    bird_id BIGINT UNIQUE,
    name TEXT NOT NULL,
    name_cn TEXT,
    carrier TEXT NOT NULL,
    active BIGINT NOT NULL,
    tracking BIGINT NOT NULL,
    signature BIGINT NOT NULL,
    express BIGINT NOT NULL,
    constraints TEXT NOT NULL,
    rates TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (warehouse_id, code)
);

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies (id),
    name TEXT NOT NULL UNIQUE,
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    client_id TEXT REFERENCES clients (id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE erp_apps (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    name TEXT NOT NULL,
    client_key TEXT NOT NULL UNIQUE,
    secret_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    environment TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE skus (
    id BIGINT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    mfskuid TEXT NOT NULL UNIQUE,
    seller_sku TEXT NOT NULL,
    reference_sku TEXT,
    name_en TEXT NOT NULL,
    name_cn TEXT,
    weight_g BIGINT NOT NULL,
    length_mm BIGINT NOT NULL,
    width_mm BIGINT NOT NULL,
    height_mm BIGINT NOT NULL,
    declared_value BIGINT NOT NULL,
    declared_currency TEXT NOT NULL,
    hs_code TEXT,
    origin_country TEXT,
    properties TEXT NOT NULL,
    image_url TEXT,
    status TEXT NOT NULL,
    active BIGINT NOT NULL,
    reject_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (client_id, seller_sku)
);
CREATE INDEX skus_client_updated ON skus (client_id, updated_at);

-- Materialised stock balances, one row per (SKU, warehouse); the SKU fixes the client.
CREATE TABLE stock (
    sku_id BIGINT NOT NULL REFERENCES skus (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    in_transit BIGINT NOT NULL DEFAULT 0,
    received BIGINT NOT NULL DEFAULT 0,
    available BIGINT NOT NULL DEFAULT 0,
    reserved_allocated BIGINT NOT NULL DEFAULT 0,
    reserved_hold BIGINT NOT NULL DEFAULT 0,
    suspend BIGINT NOT NULL DEFAULT 0,
    unfulfillable BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (sku_id, warehouse_id)
);
CREATE INDEX stock_client ON stock (client_id);

-- The stock ledger. `from_after`/`to_after` are the bucket balances right after the transfer
-- (OC's `actualCount`), NULL for the outside world.
CREATE TABLE stock_transfers (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    sku_id BIGINT NOT NULL,
    warehouse_id TEXT NOT NULL,
    from_bucket TEXT NOT NULL,
    to_bucket TEXT NOT NULL,
    qty BIGINT NOT NULL,
    from_after BIGINT,
    to_after BIGINT,
    reason TEXT NOT NULL,
    doc_kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX stock_transfers_sku ON stock_transfers (sku_id, created_at);
CREATE INDEX stock_transfers_client ON stock_transfers (client_id, created_at);

CREATE TABLE balances (
    client_id TEXT NOT NULL REFERENCES clients (id),
    currency TEXT NOT NULL,
    available BIGINT NOT NULL DEFAULT 0,
    held BIGINT NOT NULL DEFAULT 0,
    charged BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, currency)
);

CREATE TABLE money_transfers (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    from_bucket TEXT NOT NULL,
    to_bucket TEXT NOT NULL,
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    doc_kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX money_transfers_client ON money_transfers (client_id, created_at);

CREATE TABLE outbound_orders (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    reference TEXT NOT NULL,
    bird_id BIGINT NOT NULL UNIQUE,
    oc_number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    platform TEXT,
    platform_order_id TEXT,
    recipient TEXT NOT NULL,
    sender TEXT,
    customs TEXT NOT NULL,
    weight_g BIGINT NOT NULL,
    volume_mm3 BIGINT NOT NULL,
    chargeable_weight_g BIGINT NOT NULL,
    currency TEXT NOT NULL,
    handling_fee BIGINT NOT NULL,
    delivery_fee BIGINT NOT NULL,
    tracking_number TEXT,
    carrier TEXT,
    label_path TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (client_id, reference)
);
CREATE INDEX outbound_client_created ON outbound_orders (client_id, created_at);
CREATE INDEX outbound_status ON outbound_orders (status);

CREATE TABLE outbound_lines (
    order_id TEXT NOT NULL REFERENCES outbound_orders (id),
    sku_id BIGINT NOT NULL REFERENCES skus (id),
    qty BIGINT NOT NULL,
    PRIMARY KEY (order_id, sku_id)
);

CREATE TABLE inbound_orders (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    warehouse_id TEXT NOT NULL REFERENCES warehouses (id),
    number TEXT NOT NULL UNIQUE,
    reference TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    has_tracking BIGINT NOT NULL,
    has_appointment BIGINT NOT NULL,
    details TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (client_id, reference)
);

CREATE TABLE inbound_lines (
    inbound_id TEXT NOT NULL REFERENCES inbound_orders (id),
    sku_id BIGINT NOT NULL REFERENCES skus (id),
    expected BIGINT NOT NULL,
    received BIGINT NOT NULL,
    put_away BIGINT NOT NULL,
    PRIMARY KEY (inbound_id, sku_id)
);

CREATE TABLE inbound_discrepancies (
    inbound_id TEXT NOT NULL REFERENCES inbound_orders (id),
    sku_id BIGINT NOT NULL,
    expected BIGINT NOT NULL,
    received BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (inbound_id, sku_id)
);

-- Transactional outbox: every state change writes its event in the same transaction.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    client_id TEXT,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_created ON events (created_at);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
