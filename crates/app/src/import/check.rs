//! The checks of an order sheet, every row of it: required fields, quantities, the client's
//! warehouses, services and SKUs, live stock across the whole file, and then the order as
//! placement plans it ([`plan_order`], the same rules every door's orders meet), so that a dry
//! run finds what placing would refuse. An order with any bad row is not placed.

use std::collections::{BTreeMap, HashMap};

use entrepot_core::{
    company::{Address, Warehouse},
    country,
    ids::{ClientId, SkuId, WarehouseId},
    inventory::Bucket,
    outbound::{plan_order, NewOutbound},
    service::Service,
    sku::Sku,
    CoreError, CoreResult,
};

use super::{
    columns::Columns,
    read::{Sheet, SheetRow},
};
use crate::{
    types::{
        import::{ImportField as F, ImportedOrder, RefusedOrder, RowError},
        orders::OrderFilter,
    },
    App,
};

/// Most units one line may ask for.
pub const MAX_LINE_QUANTITY: i64 = 10_000;
/// References looked up per query.
const REFERENCES_PER_QUERY: usize = 200;

/// An order of the file that passed every check, ready to place.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub reference: String,
    pub rows: Vec<usize>,
    pub new: NewOutbound,
    pub service: Service,
}

/// What the checks found.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub rows: usize,
    pub orders: usize,
    pub errors: Vec<RowError>,
    pub good: Vec<Candidate>,
    pub already: Vec<ImportedOrder>,
    pub refused: Vec<RefusedOrder>,
    /// The client's SKUs the good orders name.
    pub skus: Vec<Sku>,
}

/// One sheet row, read through the columns.
struct Row<'a> {
    row: &'a SheetRow,
    cols: &'a Columns,
}

impl<'a> Row<'a> {
    fn get(&self, f: F) -> &'a str {
        self.cols.of(f).map_or("", |k| self.row.cell(k))
    }

    fn opt(&self, f: F) -> Option<String> {
        Some(self.get(f)).filter(|s| !s.is_empty()).map(str::to_owned)
    }
}

/// The errors of one order, attributed to its rows.
struct Errors<'a> {
    cols: &'a Columns,
    reference: Option<String>,
    out: Vec<RowError>,
}

impl Errors<'_> {
    fn add(&mut self, row: usize, field: Option<F>, message: impl Into<String>) {
        self.out.push(RowError {
            row,
            column: field.map(|f| self.cols.name(f)),
            reference: self.reference.clone(),
            message: message.into(),
        });
    }
}

/// What the client has, read once per file.
struct Lookups {
    warehouses: Vec<Warehouse>,
    services: Vec<Service>,
    /// By seller SKU as stored.
    skus: HashMap<String, Sku>,
    /// Seller SKU by id, and by its lower case (codes typed in another case).
    codes: HashMap<SkuId, String>,
    folded: HashMap<String, String>,
    /// Available units per (SKU, warehouse), less what earlier good orders of the file take.
    available: HashMap<(SkuId, WarehouseId), i64>,
}

impl Lookups {
    fn warehouse(&self, code: &str) -> Option<&Warehouse> {
        self.warehouses.iter().find(|w| w.code.eq_ignore_ascii_case(code))
    }

    fn service(&self, wh: &Warehouse, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.warehouse_id == wh.id && s.code.eq_ignore_ascii_case(code))
    }

    fn sku(&self, code: &str) -> Option<&Sku> {
        self.skus.get(code).or_else(|| self.skus.get(self.folded.get(&code.to_lowercase())?))
    }
}

/// A line's quantity: a whole number of 1..=[`MAX_LINE_QUANTITY`] (`3.0` as a sheet may type it).
pub(crate) fn quantity(s: &str) -> Result<i64, String> {
    let q = s.parse::<i64>().ok().or_else(|| {
        let f = s.parse::<f64>().ok()?;
        // Whole and small: exact as an i64.
        (f.is_finite() && f.fract() == 0.0 && f.abs() <= 1e9).then_some(f as i64)
    });
    match q {
        Some(q) if (1..=MAX_LINE_QUANTITY).contains(&q) => Ok(q),
        Some(q) => Err(format!("{q} is not a quantity of 1 to {MAX_LINE_QUANTITY}")),
        None => Err(format!("'{s}' is not a whole number")),
    }
}

/// The field of a placement refusal, to name its column.
fn field_of(e: &CoreError) -> Option<F> {
    match e.innermost() {
        CoreError::Validation { field, .. } => match field.as_str() {
            "reference" => Some(F::Reference),
            "contact" => Some(F::RecipientName),
            "address_line1" => Some(F::Address1),
            "city" => Some(F::City),
            "country" => Some(F::Country),
            "delivery_service_id" => Some(F::Service),
            f if f.starts_with("products") || f == "quantity" => Some(F::Quantity),
            _ => None,
        },
        CoreError::UnsuitableService { .. } => Some(F::Service),
        CoreError::NotFound { entity: "SKU", .. } | CoreError::Conflict(_) => Some(F::Sku),
        _ => None,
    }
}

/// A refusal as a seller reads it (a validation's message without its field's wire name).
fn message_of(e: &CoreError) -> String {
    match e.innermost() {
        CoreError::Validation { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

impl App {
    /// Checks every row of `sheet` for `client` (see the module's doc).
    pub(crate) async fn check_sheet(&self, client: &ClientId, sheet: &Sheet, cols: &Columns) -> CoreResult<Checked> {
        let mut out = Checked { rows: sheet.rows.len(), ..Default::default() };
        // Orders by reference, in the order they first appear.
        let mut orders: Vec<(String, Vec<&SheetRow>)> = vec![];
        let mut index: HashMap<&str, usize> = HashMap::new();
        for row in &sheet.rows {
            let r = Row { row, cols };
            let reference = r.get(F::Reference);
            if reference.is_empty() {
                let mut e = Errors { cols, reference: None, out: vec![] };
                e.add(row.number, Some(F::Reference), "is required");
                out.errors.extend(e.out);
                continue;
            }
            match index.get(reference) {
                Some(&k) => orders[k].1.push(row),
                None => {
                    index.insert(reference, orders.len());
                    orders.push((reference.to_owned(), vec![row]));
                }
            }
        }
        out.orders = orders.len();
        let existing = self.existing_orders(client, orders.iter().map(|(r, _)| r.clone()).collect()).await?;
        let mut look = self.lookups(client, sheet, cols).await?;
        for (reference, rows) in orders {
            let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
            if let Some(o) = existing.get(&reference) {
                out.already.push(ImportedOrder {
                    reference,
                    rows: numbers,
                    id: Some(o.id.clone()),
                    number: Some(o.oc_number.clone()),
                    status: Some(o.status),
                });
                continue;
            }
            let mut errs = Errors { cols, reference: Some(reference.clone()), out: vec![] };
            match check_order(client, &reference, &rows, cols, &mut look, &mut errs)? {
                Some(c) if errs.out.is_empty() => out.good.push(c),
                _ => {
                    out.errors.extend(errs.out);
                    out.refused.push(RefusedOrder { reference, rows: numbers });
                }
            }
        }
        out.errors.sort_by_key(|e| e.row);
        let mut named: Vec<SkuId> = out.good.iter().flat_map(|c| c.new.lines.iter().map(|l| l.0)).collect();
        named.sort_unstable();
        named.dedup();
        out.skus = look.skus.into_values().filter(|s| named.binary_search(&s.id).is_ok()).collect();
        Ok(out)
    }

    /// The client's orders among `references`, by reference.
    async fn existing_orders(
        &self,
        client: &ClientId,
        references: Vec<String>,
    ) -> CoreResult<HashMap<String, crate::types::orders::OrderView>> {
        let mut found = HashMap::new();
        for chunk in references.chunks(REFERENCES_PER_QUERY) {
            let f = OrderFilter { references: chunk.to_vec(), ..Default::default() };
            for o in self.storage.list_orders(client, &f).await?.0 {
                found.insert(o.reference.clone(), o);
            }
        }
        Ok(found)
    }

    /// The client's warehouses, services, the SKUs the sheet names and their stock.
    async fn lookups(&self, client: &ClientId, sheet: &Sheet, cols: &Columns) -> CoreResult<Lookups> {
        let mut codes: Vec<String> =
            sheet.rows.iter().map(|row| Row { row, cols }.get(F::Sku).to_owned()).filter(|s| !s.is_empty()).collect();
        codes.sort();
        codes.dedup();
        let mut skus = HashMap::new();
        for chunk in codes.chunks(REFERENCES_PER_QUERY) {
            for s in self.storage.skus_by_seller_skus(client, chunk).await? {
                skus.insert(s.seller_sku.clone(), s);
            }
        }
        // Codes in another case than stored (the port matches exactly).
        let unmatched: Vec<String> = codes.iter().filter(|c| !skus.contains_key(*c)).cloned().collect();
        if !unmatched.is_empty() {
            let upper: Vec<String> = unmatched.iter().map(|c| c.to_uppercase()).collect();
            let lower: Vec<String> = unmatched.iter().map(|c| c.to_lowercase()).collect();
            for chunk in upper.chunks(REFERENCES_PER_QUERY).chain(lower.chunks(REFERENCES_PER_QUERY)) {
                for s in self.storage.skus_by_seller_skus(client, chunk).await? {
                    skus.insert(s.seller_sku.clone(), s);
                }
            }
        }
        let ids: Vec<SkuId> = skus.values().map(|s| s.id).collect();
        let codes = skus.values().map(|s| (s.id, s.seller_sku.clone())).collect();
        let folded = skus.keys().map(|c| (c.to_lowercase(), c.clone())).collect();
        let mut available = HashMap::new();
        if !ids.is_empty() {
            for r in self.storage.stock(client, &ids, None).await? {
                available.insert((r.sku_id, r.warehouse_id), r.position.get(Bucket::Available));
            }
        }
        Ok(Lookups {
            warehouses: self.storage.client_warehouses(client).await?,
            services: self.storage.client_services(client, None).await?,
            skus,
            codes,
            folded,
            available,
        })
    }
}

/// Checks one order's rows; the order ready to place when none is wrong (errors in `errs`).
fn check_order(
    client: &ClientId,
    reference: &str,
    rows: &[&SheetRow],
    cols: &Columns,
    look: &mut Lookups,
    errs: &mut Errors<'_>,
) -> CoreResult<Option<Candidate>> {
    let Some(first_row) = rows.first() else { return Ok(None) };
    let first = Row { row: first_row, cols };
    let at = first_row.number;
    for f in [F::Warehouse, F::Service, F::RecipientName, F::Address1, F::City, F::Country] {
        if first.get(f).is_empty() {
            errs.add(at, Some(f), "is required");
        }
    }
    // The order's fields are the first row's; a later row may repeat them, not contradict them.
    for row in &rows[1..] {
        let r = Row { row, cols };
        for f in F::ALL.into_iter().filter(|f| !f.per_line()) {
            let (v, v0) = (r.get(f), first.get(f));
            if !v.is_empty() && !v.eq_ignore_ascii_case(v0) {
                errs.add(row.number, Some(f), format!("'{v}' differs from row {at} of the same order ('{v0}')"));
            }
        }
    }
    let warehouse = match first.get(F::Warehouse) {
        "" => None,
        code => {
            let wh = look.warehouse(code).cloned();
            if wh.is_none() {
                errs.add(at, Some(F::Warehouse), format!("'{code}' is not one of your warehouses"));
            }
            wh
        }
    };
    let service = match (&warehouse, first.get(F::Service)) {
        (Some(wh), code) if !code.is_empty() => match look.service(wh, code) {
            Some(s) if s.active => Some(s.clone()),
            Some(_) => {
                errs.add(at, Some(F::Service), format!("'{code}' is not available at the moment"));
                None
            }
            None => {
                errs.add(at, Some(F::Service), format!("'{code}' is not a service of warehouse {}", wh.code));
                None
            }
        },
        _ => None,
    };
    let country_code = first.get(F::Country);
    if !country_code.is_empty() && country::by_code(country_code).is_none_or(|_| country_code.len() != 2) {
        let hint = country::by_name(country_code).map(|c| format!(": write its code, {}", c.iso2)).unwrap_or_default();
        errs.add(at, Some(F::Country), format!("'{country_code}' is not an ISO 3166-1 two-letter code{hint}"));
    }
    if let Some(email) = first.opt(F::Email) {
        if !email.contains('@') {
            errs.add(at, Some(F::Email), format!("'{email}' is not an email address"));
        }
    }
    // Lines: (row, SKU, quantity).
    let mut lines: Vec<(usize, SkuId, i64)> = vec![];
    for row in rows {
        let r = Row { row, cols };
        let sku = match r.get(F::Sku) {
            "" => {
                errs.add(row.number, Some(F::Sku), "is required");
                None
            }
            code => match look.sku(code) {
                None => {
                    errs.add(row.number, Some(F::Sku), format!("'{code}' is not one of your SKUs"));
                    None
                }
                Some(s) => match s.ensure_usable() {
                    Ok(()) => Some(s.id),
                    Err(e) => {
                        errs.add(row.number, Some(F::Sku), message_of(&e));
                        None
                    }
                },
            },
        };
        let qty = match r.get(F::Quantity) {
            "" => {
                errs.add(row.number, Some(F::Quantity), "is required");
                None
            }
            q => quantity(q).map_err(|m| errs.add(row.number, Some(F::Quantity), m)).ok(),
        };
        if let (Some(sku), Some(qty)) = (sku, qty) {
            lines.push((row.number, sku, qty));
        }
    }
    let (Some(wh), Some(svc)) = (warehouse, service) else { return Ok(None) };
    if !errs.out.is_empty() {
        return Ok(None);
    }
    let mut merged: BTreeMap<SkuId, i64> = BTreeMap::new();
    for (_, sku, qty) in &lines {
        let total = merged.entry(*sku).or_default();
        *total = total.checked_add(*qty).ok_or_else(|| entrepot_core::limits::too_large("quantity"))?;
    }
    let new = NewOutbound {
        client_id: client.clone(),
        reference: reference.to_owned(),
        platform: first.opt(F::Platform),
        platform_order_id: first.opt(F::PlatformOrderId),
        recipient: Address {
            name: first.get(F::RecipientName).to_owned(),
            company: first.opt(F::Company),
            lines: [first.get(F::Address1), first.get(F::Address2)]
                .into_iter()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            city: first.get(F::City).to_owned(),
            county: first.opt(F::State),
            postcode: first.get(F::Postcode).to_owned(),
            country: country_code.to_ascii_uppercase(),
            phone: first.opt(F::Phone),
            email: first.opt(F::Email),
        },
        lines: merged.into_iter().collect(),
        ..Default::default()
    };
    let skus: Vec<Sku> =
        new.lines.iter().filter_map(|l| look.codes.get(&l.0).and_then(|c| look.skus.get(c))).cloned().collect();
    if let Err(e) = plan_order(&new, &wh, &svc, &skus) {
        if e == CoreError::Internal {
            return Err(e);
        }
        errs.add(at, field_of(&e), message_of(&e));
        return Ok(None);
    }
    // Live stock: what earlier good orders of the file take is gone; a row past the point where
    // a SKU runs out is refused, and its order takes nothing.
    let mut taken: HashMap<SkuId, i64> = HashMap::new();
    for (row, sku, qty) in &lines {
        let left = look.available.get(&(*sku, wh.id.clone())).copied().unwrap_or(0);
        let before = taken.get(sku).copied().unwrap_or(0);
        let want = before.checked_add(*qty).ok_or_else(|| entrepot_core::limits::too_large("quantity"))?;
        if want > left {
            let code = look.codes.get(sku).map_or("", String::as_str);
            errs.add(
                *row,
                Some(F::Quantity),
                format!(
                    "only {} of SKU {code} left at {} for this row (after the rows above)",
                    left.saturating_sub(before).max(0),
                    wh.code
                ),
            );
        }
        taken.insert(*sku, want);
    }
    if !errs.out.is_empty() {
        return Ok(None);
    }
    for (sku, n) in taken {
        if let Some(left) = look.available.get_mut(&(sku, wh.id.clone())) {
            *left = left.saturating_sub(n);
        }
    }
    let numbers = rows.iter().map(|r| r.number).collect();
    Ok(Some(Candidate { reference: reference.to_owned(), rows: numbers, new, service: svc }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_and_bounded() {
        assert_eq!(quantity("3"), Ok(3));
        assert_eq!(quantity("3.0"), Ok(3));
        assert!(quantity("2.5").is_err());
        assert!(quantity("0").is_err());
        assert!(quantity("10001").is_err());
        assert_eq!(quantity("10000"), Ok(10_000));
        assert!(quantity("-1").is_err());
        assert!(quantity("abc").is_err());
        assert!(quantity("1e30").is_err());
    }
}
