//! The operator's side: companies, warehouses and their logistics services.

use entrepot_core::{
    calendar::Calendar,
    company::{Address, Company, Warehouse},
    ids::{CompanyId, ServiceId, WarehouseId},
    returns::RETURN_SERVICE_CODE,
    service::Service,
    CoreError,
};
use sqlx::any::AnyRow;

use crate::{
    engine::{
        clock::{new_id, now_ms},
        rows::{b, i, json, oi, os, s, to_json},
    },
    error::on_unique,
    Store, StoreResult,
};

pub use entrepot_app::types::operator::NewService;

const WAREHOUSE_COLS: &str =
    "id, company_id, code, name, bird_company_id, oc_region, country, timezone, cutoff_minutes, address, calendar";
const SERVICE_COLS: &str =
    "id, warehouse_id, code, bird_id, name, name_cn, carrier, active, tracking, signature, express, constraints, rates";

fn warehouse(row: &AnyRow) -> StoreResult<Warehouse> {
    Ok(Warehouse {
        id: WarehouseId(s(row, "id")?),
        company_id: CompanyId(s(row, "company_id")?),
        code: s(row, "code")?,
        name: s(row, "name")?,
        bird_company_id: oi(row, "bird_company_id")?,
        oc_region: os(row, "oc_region")?,
        country: s(row, "country")?,
        timezone: s(row, "timezone")?,
        cutoff_minutes: i(row, "cutoff_minutes")? as i32,
        address: json::<Address>(row, "address")?,
        calendar: json(row, "calendar")?,
    })
}

fn service(row: &AnyRow) -> StoreResult<Service> {
    Ok(Service {
        id: ServiceId(s(row, "id")?),
        warehouse_id: WarehouseId(s(row, "warehouse_id")?),
        code: s(row, "code")?,
        bird_id: oi(row, "bird_id")?,
        name: s(row, "name")?,
        name_cn: os(row, "name_cn")?,
        carrier: s(row, "carrier")?,
        active: b(row, "active")?,
        tracking: b(row, "tracking")?,
        signature: b(row, "signature")?,
        express: b(row, "express")?,
        constraints: json(row, "constraints")?,
        rates: json(row, "rates")?,
    })
}

impl Store {
    pub async fn create_company(&self, name: &str) -> StoreResult<Company> {
        if name.trim().is_empty() {
            return Err(CoreError::invalid("name", "must not be empty").into());
        }
        let c = Company { id: new_id!(CompanyId), name: name.trim().to_owned() };
        sqlx::query("INSERT INTO companies (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&c.id.0)
            .bind(&c.name)
            .bind(now_ms())
            .execute(&self.write)
            .await?;
        Ok(c)
    }

    pub async fn companies(&self) -> StoreResult<Vec<Company>> {
        let rows = sqlx::query("SELECT id, name FROM companies ORDER BY created_at, id").fetch_all(&self.read).await?;
        rows.iter().map(|r| Ok(Company { id: CompanyId(s(r, "id")?), name: s(r, "name")? })).collect()
    }

    /// Creates a warehouse after the core validated it; `w.id` is replaced by a new id.
    pub async fn create_warehouse(&self, mut w: Warehouse) -> StoreResult<Warehouse> {
        w.validate()?;
        w.id = new_id!(WarehouseId);
        let mut tx = self.begin().await?;
        let r = sqlx::query(&format!(
            "INSERT INTO warehouses ({WAREHOUSE_COLS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(&w.id.0)
        .bind(&w.company_id.0)
        .bind(&w.code)
        .bind(&w.name)
        .bind(w.bird_company_id)
        .bind(w.oc_region.clone())
        .bind(&w.country)
        .bind(&w.timezone)
        .bind(i64::from(w.cutoff_minutes))
        .bind(to_json(&w.address))
        .bind(to_json(&w.calendar))
        .bind(now_ms())
        .execute(&mut *tx)
        .await;
        on_unique(r, "warehouse (code, Bird company id or OC region)", &w.code)?;
        crate::location::create_defaults(&mut tx, &w.id).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// Replaces the days warehouse `code` does not ship; orders already submitted keep their due
    /// dates.
    pub async fn set_warehouse_calendar(&self, code: &str, calendar: &Calendar) -> StoreResult<Warehouse> {
        calendar.validate()?;
        let r = sqlx::query("UPDATE warehouses SET calendar = $1 WHERE code = $2")
            .bind(to_json(calendar))
            .bind(code)
            .execute(&self.write)
            .await?;
        if r.rows_affected() == 0 {
            return Err(CoreError::not_found("warehouse", code).into());
        }
        self.warehouse_by_code(code).await
    }

    /// Moves warehouse `code`'s cut-off; orders already submitted keep their due dates.
    pub async fn set_warehouse_cutoff(&self, code: &str, minutes: i32) -> StoreResult<Warehouse> {
        let r = sqlx::query("UPDATE warehouses SET cutoff_minutes = $1 WHERE code = $2")
            .bind(i64::from(minutes))
            .bind(code)
            .execute(&self.write)
            .await?;
        if r.rows_affected() == 0 {
            return Err(CoreError::not_found("warehouse", code).into());
        }
        self.warehouse_by_code(code).await
    }

    pub async fn warehouses(&self) -> StoreResult<Vec<Warehouse>> {
        let rows = sqlx::query(&format!("SELECT {WAREHOUSE_COLS} FROM warehouses ORDER BY code"))
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(warehouse).collect()
    }

    pub async fn warehouse_by_code(&self, code: &str) -> StoreResult<Warehouse> {
        let row = sqlx::query(&format!("SELECT {WAREHOUSE_COLS} FROM warehouses WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(warehouse).transpose()?.ok_or_else(|| CoreError::not_found("warehouse", code).into())
    }

    pub async fn warehouse(&self, id: &WarehouseId) -> StoreResult<Warehouse> {
        let row = sqlx::query(&format!("SELECT {WAREHOUSE_COLS} FROM warehouses WHERE id = $1"))
            .bind(&id.0)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(warehouse).transpose()?.ok_or_else(|| CoreError::not_found("warehouse", id).into())
    }

    /// A warehouse by its numeric id (Bird's `company_id`).
    pub async fn warehouse_by_numeric_id(&self, number: i64) -> StoreResult<Warehouse> {
        let row = sqlx::query(&format!("SELECT {WAREHOUSE_COLS} FROM warehouses WHERE bird_company_id = $1"))
            .bind(number)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(warehouse).transpose()?.ok_or_else(|| CoreError::not_found("company", number).into())
    }

    /// The warehouse an OC ERP means by `serviceRegion`.
    pub async fn warehouse_by_region(&self, region: &str) -> StoreResult<Warehouse> {
        let row = sqlx::query(&format!("SELECT {WAREHOUSE_COLS} FROM warehouses WHERE UPPER(oc_region) = UPPER($1)"))
            .bind(region)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(warehouse).transpose()?.ok_or_else(|| CoreError::not_found("serviceRegion", region).into())
    }

    pub async fn create_service(&self, n: NewService) -> StoreResult<Service> {
        let wh = self.warehouse_by_code(&n.warehouse_code).await?;
        if n.code.trim().is_empty() {
            return Err(CoreError::invalid("code", "must not be empty").into());
        }
        if n.rates.currency.len() != 3 {
            return Err(CoreError::invalid("currency", "the rate card needs an ISO-4217 currency").into());
        }
        n.rates.validate()?;
        let svc = Service {
            id: new_id!(ServiceId),
            warehouse_id: wh.id,
            code: n.code.trim().to_owned(),
            bird_id: n.bird_id,
            name: n.name,
            name_cn: n.name_cn,
            carrier: n.carrier,
            active: true,
            tracking: n.tracking,
            signature: n.signature,
            express: n.express,
            constraints: n.constraints,
            rates: n.rates,
        };
        let r = sqlx::query(&format!(
            "INSERT INTO services ({SERVICE_COLS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&svc.id.0)
        .bind(&svc.warehouse_id.0)
        .bind(&svc.code)
        .bind(svc.bird_id)
        .bind(&svc.name)
        .bind(svc.name_cn.clone())
        .bind(&svc.carrier)
        .bind(i64::from(svc.active))
        .bind(i64::from(svc.tracking))
        .bind(i64::from(svc.signature))
        .bind(i64::from(svc.express))
        .bind(to_json(&svc.constraints))
        .bind(to_json(&svc.rates))
        .bind(now_ms())
        .execute(&self.write)
        .await;
        on_unique(r, "service (code in warehouse, or Bird id)", &svc.code)?;
        Ok(svc)
    }

    /// Services, optionally of one warehouse; the internal returns services are never listed
    /// (nor found by code): they carry return authorisations only.
    pub async fn services(&self, warehouse: Option<&WarehouseId>) -> StoreResult<Vec<Service>> {
        let rows = sqlx::query(&format!(
            "SELECT {SERVICE_COLS} FROM services WHERE ($1 = '' OR warehouse_id = $1) AND code <> '{RETURN_SERVICE_CODE}' \
             ORDER BY warehouse_id, code"
        ))
        .bind(warehouse.map(|w| w.0.clone()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(service).collect()
    }

    pub async fn service(&self, id: &ServiceId) -> StoreResult<Service> {
        let row = sqlx::query(&format!("SELECT {SERVICE_COLS} FROM services WHERE id = $1"))
            .bind(&id.0)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(service).transpose()?.ok_or_else(|| CoreError::not_found("service", id).into())
    }

    /// A service by its OC code within a warehouse.
    pub async fn service_by_code(&self, warehouse: &WarehouseId, code: &str) -> StoreResult<Service> {
        let row = sqlx::query(&format!("SELECT {SERVICE_COLS} FROM services WHERE warehouse_id = $1 AND code = $2 AND code <> '{RETURN_SERVICE_CODE}'"))
            .bind(&warehouse.0)
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(service).transpose()?.ok_or_else(|| CoreError::not_found("service", code).into())
    }

    /// A service by its numeric id (Bird's `delivery_service_id`).
    pub async fn service_by_numeric_id(&self, number: i64) -> StoreResult<Service> {
        let row = sqlx::query(&format!("SELECT {SERVICE_COLS} FROM services WHERE bird_id = $1"))
            .bind(number)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(service).transpose()?.ok_or_else(|| CoreError::not_found("delivery service", number).into())
    }

    pub async fn set_service_active(&self, id: &ServiceId, active: bool) -> StoreResult<()> {
        let r = sqlx::query("UPDATE services SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(&id.0)
            .execute(&self.write)
            .await?;
        if r.rows_affected() == 0 {
            return Err(CoreError::not_found("service", id).into());
        }
        Ok(())
    }
}
