//! Order and SKU imports from the sheets sellers keep (XLSX or CSV): one engine for every door
//! (the native API's upload, the console), so a script gets the checks a person gets.
//!
//! - [`read`]: the file into rows of text, within bounds.
//! - [`columns`]: headers onto fields (built-in English and Chinese names, or a mapping the
//!   client gave, remembered per header row through [`crate::ports::ImportPort`]), for any kind
//!   of sheet ([`columns::SheetField`]: order lines, SKUs).
//! - `check`: every order row checked, as placement will (live stock across the file included);
//!   `skus`: every SKU row checked as the SKU's creation will.
//! - [`template_xlsx`], [`sku_template_xlsx`] and [`annotated_xlsx`]: the workbooks to fill in,
//!   and the file sent back with an Error column.
//!
//! Placing is by reference: an order whose reference the client already has is skipped, so the
//! same file imported twice creates nothing twice.

mod annotate;
mod check;
pub mod columns;
pub mod read;
mod sku_fields;
mod skus;
mod template;

pub use annotate::annotated_xlsx;
pub use check::MAX_LINE_QUANTITY;
pub use read::{read_sheet, Sheet, SheetRow, MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS};
pub use skus::{sku_template_xlsx, MAX_HS_CODE_CHARS};
pub use template::template_xlsx;

use std::collections::BTreeMap;

use entrepot_core::{actor::Actor, ids::ClientId, CoreError, CoreResult};

use crate::{
    types::{
        import::{ImportMapping, ImportReport, ImportedOrder, MappingSource, RefusedOrder, RowError, StoredMapping},
        orders::{OrderBatch, Placement},
    },
    App, Tenant,
};
use columns::{header_key, map_headers, Columns, SheetField};

/// The MIME type of an XLSX workbook.
pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn seller(actor: &Actor) -> CoreResult<&ClientId> {
    actor.client().ok_or_else(|| CoreError::Forbidden("imports are a seller's: log in as the client's user".into()))
}

impl App {
    /// Imports the orders of a seller's sheet (`bytes`, XLSX or CSV; `file_name` names it in the
    /// report). Every row is checked; with `dry_run` nothing is written (a given mapping aside,
    /// which is remembered for the file's headers), otherwise the orders without a bad row are
    /// placed and submitted, each on its own, and orders whose reference exists are skipped.
    pub async fn import_orders(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<ImportMapping>,
        dry_run: bool,
    ) -> CoreResult<ImportReport> {
        let client = seller(actor)?.clone();
        let sheet = read_sheet(file_name, bytes)?;
        let (cols, source) = self.columns_for(&client, &sheet, mapping.as_ref()).await?;
        let checked = self.check_sheet(&client, &sheet, &cols).await?;
        let mut report = ImportReport {
            file_name: file_name.to_owned(),
            dry_run,
            rows: checked.rows,
            orders: checked.orders,
            errors: checked.errors,
            placed: vec![],
            already_imported: checked.already,
            refused: checked.refused,
            mapping: cols.mapping(),
            mapping_source: source,
        };
        if dry_run {
            report.placed = checked
                .good
                .into_iter()
                .map(|c| ImportedOrder { reference: c.reference, rows: c.rows, id: None, number: None, status: None })
                .collect();
            return Ok(report);
        }
        let rows: Vec<(String, Vec<usize>)> =
            checked.good.iter().map(|c| (c.reference.clone(), c.rows.clone())).collect();
        if rows.is_empty() {
            return Ok(report);
        }
        let batch = OrderBatch::Stock {
            orders: checked.good.into_iter().map(|c| (c.new, c.service.id)).collect(),
            known_skus: checked.skus,
        };
        let tenant = Tenant { client: client.clone(), sites: vec![], user: actor.user.clone() };
        let placed = self.place_orders(&tenant, batch, Placement::EachOnItsOwn, true).await?;
        for ((reference, rows), result) in rows.into_iter().zip(placed.0) {
            match result {
                Ok(o) => report.placed.push(ImportedOrder {
                    reference,
                    rows,
                    id: Some(o.id),
                    number: Some(o.oc_number),
                    status: Some(o.status),
                }),
                // Placed meanwhile by another import of the same reference.
                Err(CoreError::Duplicate { .. }) => {
                    let o = self.storage.find_order(&client, &reference).await?;
                    report.already_imported.push(ImportedOrder {
                        reference,
                        rows,
                        id: Some(o.id),
                        number: Some(o.oc_number),
                        status: Some(o.status),
                    });
                }
                Err(CoreError::Internal) => return Err(CoreError::Internal),
                // Refused now though the checks passed: stock or balance moved meanwhile.
                Err(e) => {
                    report.errors.push(RowError {
                        row: rows.first().copied().unwrap_or(0),
                        column: None,
                        reference: Some(reference.clone()),
                        message: e.innermost().to_string(),
                    });
                    report.refused.push(RefusedOrder { reference, rows });
                }
            }
        }
        report.errors.sort_by_key(|e| e.row);
        Ok(report)
    }

    /// The file sent back with an Error column beside each bad row (a dry run's findings), to fix
    /// and upload again.
    pub async fn annotate_import(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<ImportMapping>,
    ) -> CoreResult<Vec<u8>> {
        let report = self.import_orders(actor, file_name, bytes, mapping, true).await?;
        annotated_xlsx(&read_sheet(file_name, bytes)?, &report)
    }

    /// The columns of `sheet`: the given mapping (then remembered), else the one remembered for
    /// its headers, else the built-in names.
    async fn columns_for<F: SheetField>(
        &self,
        client: &ClientId,
        sheet: &Sheet,
        given: Option<&BTreeMap<String, F>>,
    ) -> CoreResult<(Columns<F>, MappingSource)> {
        let key = header_key::<F>(&sheet.headers);
        if let Some(m) = given.filter(|m| !m.is_empty()) {
            let cols = map_headers(&sheet.headers, Some(m), MappingSource::Given)?;
            let stored: StoredMapping = cols.mapping().into_iter().map(|(h, f)| (h, f.key().to_owned())).collect();
            self.storage.save_import_mapping(client, &key, &stored).await?;
            return Ok((cols, MappingSource::Given));
        }
        if let Some(m) = self.storage.import_mapping(client, &key).await? {
            // A mapping that no longer fits (it cannot, for the same headers) falls back.
            let parsed: Option<BTreeMap<String, F>> =
                m.into_iter().map(|(h, f)| F::parse(&f).ok().map(|f| (h, f))).collect();
            if let Some(Ok(cols)) = parsed.map(|m| map_headers(&sheet.headers, Some(&m), MappingSource::Remembered)) {
                return Ok((cols, MappingSource::Remembered));
            }
        }
        Ok((map_headers(&sheet.headers, None, MappingSource::BuiltIn)?, MappingSource::BuiltIn))
    }
}
