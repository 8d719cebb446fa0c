//! Schema migrations, applied on start. A migration is plain portable SQL; the runner records
//! applied versions and, on PostgreSQL, takes an advisory lock so that several processes starting
//! together migrate once.

use sqlx::Row;

use crate::{engine::clock::now_ms, Backend, Store, StoreError, StoreResult};

/// `(version, SQL)`; the SQL runs on both backends unless the version is in [`POSTGRES_ONLY`].
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_init.sql")),
    (2, include_str!("../../migrations/0002_bird_orders.sql")),
    (3, include_str!("../../migrations/0003_tasks.sql")),
    (4, include_str!("../../migrations/0004_temp_consignments.sql")),
    (6, include_str!("../../migrations/0006_webhooks.sql")),
    (7, include_str!("../../migrations/0007_lookup_indexes.sql")),
    (8, include_str!("../../migrations/0008_oauth.sql")),
    (9, include_str!("../../migrations/0009_booking_claim_index.sql")),
    (10, include_str!("../../migrations/0010_sku_details.sql")),
    (11, include_str!("../../migrations/0011_order_labels.sql")),
    (12, include_str!("../../migrations/0012_booking_queue_split.sql")),
    (13, include_str!("../../migrations/0013_booking_queue_table.sql")),
    (14, include_str!("../../migrations/0014_pg_storage.sql")),
    (15, include_str!("../../migrations/0015_partial_reference_indexes.sql")),
    (16, include_str!("../../migrations/0016_client_sites.sql")),
    (17, include_str!("../../migrations/0017_secret_key_check.sql")),
    (18, include_str!("../../migrations/0018_login_defences.sql")),
    (19, include_str!("../../migrations/0019_webhook_endpoint_claims.sql")),
    (20, include_str!("../../migrations/0020_references_any_case.sql")),
    (21, include_str!("../../migrations/0021_inbound_clearance_cancel_reason.sql")),
    (22, include_str!("../../migrations/0022_audit_trail.sql")),
    (23, include_str!("../../migrations/0023_people_and_api.sql")),
    (24, include_str!("../../migrations/0024_locations.sql")),
    (25, include_str!("../../migrations/0025_receiving.sql")),
    (26, include_str!("../../migrations/0026_returns.sql")),
    (27, include_str!("../../migrations/0027_files_and_sku_audit.sql")),
    (28, include_str!("../../migrations/0028_cycle_counts.sql")),
    (29, include_str!("../../migrations/0029_line_sales.sql")),
    (30, include_str!("../../migrations/0030_list_indexes.sql")),
    (31, include_str!("../../migrations/0031_location_units.sql")),
    (32, include_str!("../../migrations/0032_due_dates.sql")),
    (33, include_str!("../../migrations/0033_waves.sql")),
    (34, include_str!("../../migrations/0034_packing_manifests.sql")),
    (35, include_str!("../../migrations/0035_intercepts.sql")),
    (36, include_str!("../../migrations/0036_tracking.sql")),
    (37, include_str!("../../migrations/0037_board.sql")),
    (38, include_str!("../../migrations/0038_pick_list_orders.sql")),
    (39, include_str!("../../migrations/0039_booked_weight.sql")),
    (40, include_str!("../../migrations/0040_client_due.sql")),
    (41, include_str!("../../migrations/0041_import_mappings.sql")),
    (42, include_str!("../../migrations/0042_money_months.sql")),
    (43, include_str!("../../migrations/0043_console_order_lists.sql")),
    (44, include_str!("../../migrations/0044_order_units.sql")),
    (45, include_str!("../../migrations/0045_oauth_grants_by_client.sql")),
    (51, include_str!("../../migrations/0051_staff_queues_and_trends.sql")),
    (54, include_str!("../../migrations/0054_movements_newest_first.sql")),
    (55, include_str!("../../migrations/0055_user_language.sql")),
    (56, include_str!("../../migrations/0056_shared_products.sql")),
    (57, include_str!("../../migrations/0057_sandbox.sql")),
    (58, include_str!("../../migrations/0058_stock_day_stripes.sql")),
    (59, include_str!("../../migrations/0059_board_tallies.sql")),
];

/// Migrations SQLite runs in its own spelling (date functions differ).
const SQLITE_INSTEAD: &[(i64, &str)] = &[
    (42, include_str!("../../migrations/0042_money_months.sqlite.sql")),
    (51, include_str!("../../migrations/0051_staff_queues_and_trends.sqlite.sql")),
    (58, include_str!("../../migrations/0058_stock_day_stripes.sqlite.sql")),
    (59, include_str!("../../migrations/0059_board_tallies.sqlite.sql")),
];

/// Migrations of storage settings SQLite does not have; on SQLite they are recorded as applied.
const POSTGRES_ONLY: &[i64] = &[14];

pub(crate) async fn run(store: &Store) -> StoreResult<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&store.write)
    .await?;
    for (version, sql) in MIGRATIONS {
        let mut tx = store.begin().await?;
        if store.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7262011)").execute(&mut *tx).await?;
        }
        let done: i64 = sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if done > 0 {
            tx.commit().await?;
            continue;
        }
        if store.backend == Backend::Postgres || !POSTGRES_ONLY.contains(version) {
            let sqlite = SQLITE_INSTEAD.iter().find(|(v, _)| v == version).filter(|_| store.backend == Backend::Sqlite);
            let sql = sqlite.map_or(*sql, |(_, s)| *s);
            sqlx::raw_sql(sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::Corrupt(format!("migration {version} failed: {e}")))?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(*version)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, "applied migration");
    }
    if store.backend == Backend::Sqlite {
        // Statistics for the planner, sampled (bounded cost even on a large file); PostgreSQL's
        // autovacuum keeps its own.
        sqlx::raw_sql("PRAGMA analysis_limit = 1000; ANALYZE;").execute(&store.write).await?;
    }
    let newest: i64 = sqlx::query("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) AS v FROM schema_migrations")
        .fetch_one(&store.read)
        .await?
        .try_get("v")?;
    let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    if newest > known {
        return Err(StoreError::Config(format!(
            "the database schema (version {newest}) is newer than this build knows (version {known}); upgrade entrepot"
        )));
    }
    Ok(())
}
