//! Order imports for scripts and the console: the seller's sheet (XLSX or CSV) as the raw body of
//! `POST /imports/orders`, checked row by row by the same engine the console uses
//! ([`entrepot_app::App::import_orders`]), in a dry run or for real; the template to fill in; the
//! file sent back with an Error column beside its bad rows.
//!
//! An upload's body is the file, read up to [`MAX_IMPORT`] (the idempotency layer reads it up to
//! the same, see [`is_upload`]). The annotated copy changes nothing, so no Idempotency-Key
//! record is kept for it ([`records_nothing`]): a record would keep text, and it is a workbook.

use std::collections::BTreeMap;

use axum::{
    body::{to_bytes, Body},
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use entrepot_app::{
    import::{template_xlsx, MAX_FILE_BYTES, XLSX_CONTENT_TYPE},
    ImportField, ImportReport, ImportedOrder, MappingSource,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{
    auth::Caller,
    problem::{ApiQuery, ApiResult, Problem},
    ApiState,
};

/// Largest file an import takes.
pub const MAX_IMPORT: usize = MAX_FILE_BYTES;
/// Longest `mapping` query parameter.
const MAX_MAPPING_CHARS: usize = 8 * 1024;

/// The types an upload may declare; the content decides between XLSX and CSV.
const TYPES: &[&str] = &[
    XLSX_CONTENT_TYPE,
    "text/csv",
    "application/csv",
    "text/plain",
    // What browsers and Windows call a CSV, and a file of unknown type.
    "application/vnd.ms-excel",
    "application/octet-stream",
];

fn at(path: &str, tail: &str) -> bool {
    path == tail || path.strip_suffix(tail).is_some_and(|p| p.ends_with("/api/v1"))
}

/// Whether a request uploads an order or SKU sheet (the idempotency layer reads its body up to
/// [`MAX_IMPORT`]).
pub(crate) fn is_upload(path: &str) -> bool {
    ["/imports/orders", "/imports/orders/annotated", "/imports/skus", "/imports/skus/annotated"]
        .iter()
        .any(|tail| at(path, tail))
}

/// Whether a command writes nothing worth replaying (an annotated copy, a workbook).
pub(crate) fn records_nothing(path: &str) -> bool {
    at(path, "/imports/orders/annotated") || at(path, "/imports/skus/annotated")
}

/// How to import.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true` (the default): check every row and place nothing. `false`: place the orders
    /// without a bad row (each on its own, submitted); orders whose reference exists are skipped.
    pub dry_run: Option<bool>,
    /// The file's name, shown back in the report.
    pub file_name: Option<String>,
    /// JSON object, the file's header → field (`reference`, `warehouse`, `service`,
    /// `recipient_name`, `company`, `address1`, `address2`, `city`, `state`, `postcode`,
    /// `country`, `phone`, `email`, `sku`, `quantity`, `platform`, `platform_order_id`), for
    /// headers the built-in English and Chinese names do not cover. It is remembered for files
    /// with the same headers.
    pub mapping: Option<String>,
}

/// One thing wrong with one row.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RowErrorBody {
    /// The row's number as the spreadsheet shows it (the header row is usually 1).
    pub row: usize,
    /// The header of the column at fault.
    pub column: Option<String>,
    /// The row's order reference (an order sheet) or SKU code (a SKU sheet).
    pub reference: Option<String>,
    pub message: String,
}

impl From<entrepot_app::RowError> for RowErrorBody {
    fn from(e: entrepot_app::RowError) -> Self {
        Self { row: e.row, column: e.column, reference: e.reference, message: e.message }
    }
}

/// How a report names where its mapping came from.
pub(crate) fn source_name(s: MappingSource) -> String {
    match s {
        MappingSource::BuiltIn => "built_in",
        MappingSource::Given => "given",
        MappingSource::Remembered => "remembered",
    }
    .to_owned()
}

/// An order of the file: placed, that would be (dry run), or already there.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportedOrderBody {
    pub reference: String,
    pub rows: Vec<usize>,
    /// The order's id and OC number; `null` in a dry run for an order not placed yet.
    pub id: Option<String>,
    pub number: Option<String>,
    pub status: Option<String>,
}

/// An order not placed because one of its rows is wrong.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RefusedOrderBody {
    pub reference: String,
    pub rows: Vec<usize>,
}

/// What an import read, found wrong and did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportReportBody {
    pub file_name: String,
    pub dry_run: bool,
    /// Data rows read (blank rows aside).
    pub rows: usize,
    /// Orders the rows make (distinct references).
    pub orders: usize,
    pub errors: Vec<RowErrorBody>,
    /// Placed (submitted), or that would be in a dry run.
    pub placed: Vec<ImportedOrderBody>,
    /// Skipped: the reference is already one of the client's orders.
    pub already_imported: Vec<ImportedOrderBody>,
    pub refused: Vec<RefusedOrderBody>,
    /// Header → field, as used.
    pub mapping: BTreeMap<String, String>,
    /// `built_in`, `given` or `remembered`.
    pub mapping_source: String,
}

fn order_body(o: ImportedOrder) -> ImportedOrderBody {
    ImportedOrderBody {
        reference: o.reference,
        rows: o.rows,
        id: o.id.map(|i| i.0),
        number: o.number,
        status: o.status.map(|s| s.as_str().to_owned()),
    }
}

impl From<ImportReport> for ImportReportBody {
    fn from(r: ImportReport) -> Self {
        Self {
            file_name: r.file_name,
            dry_run: r.dry_run,
            rows: r.rows,
            orders: r.orders,
            errors: r.errors.into_iter().map(RowErrorBody::from).collect(),
            placed: r.placed.into_iter().map(order_body).collect(),
            already_imported: r.already_imported.into_iter().map(order_body).collect(),
            refused: r.refused.into_iter().map(|o| RefusedOrderBody { reference: o.reference, rows: o.rows }).collect(),
            mapping: r.mapping.into_iter().map(|(h, f)| (h, f.key().to_owned())).collect(),
            mapping_source: source_name(r.mapping_source),
        }
    }
}

fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload-too-large",
        "Request body too large",
        format!("an import file is at most {} MiB", MAX_IMPORT >> 20),
    )
}

/// The upload's bytes, its name and mapping (header → field, parsed by `field`), checked; one
/// reading for every kind of sheet.
pub(crate) async fn upload<F>(
    file_name: Option<&str>,
    mapping: Option<&str>,
    headers: &HeaderMap,
    body: Body,
    field: impl Fn(&str) -> entrepot_core::CoreResult<F>,
) -> ApiResult<(String, Vec<u8>, Option<BTreeMap<String, F>>)> {
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !TYPES.contains(&declared.as_str()) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported file type",
            format!("Content-Type must be {XLSX_CONTENT_TYPE} or text/csv, got '{declared}'"),
        ));
    }
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > MAX_IMPORT as u64) {
        return Err(too_large());
    }
    let bytes = to_bytes(body, MAX_IMPORT).await.map_err(|_| too_large())?;
    if bytes.is_empty() {
        return Err(Problem::invalid("body", "expected the file's bytes, got none"));
    }
    let name = file_name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or("upload");
    let name: String = name.chars().take(200).collect();
    let mapping = match mapping.map(str::trim).filter(|m| !m.is_empty()) {
        None => None,
        Some(m) if m.len() > MAX_MAPPING_CHARS => {
            return Err(Problem::invalid("mapping", format!("at most {MAX_MAPPING_CHARS} characters")))
        }
        Some(m) => {
            let raw: BTreeMap<String, String> = serde_json::from_str(m)
                .map_err(|e| Problem::invalid("mapping", format!("a JSON object of header → field: {e}")))?;
            let mut out = BTreeMap::new();
            for (h, f) in raw {
                out.insert(h, field(&f)?);
            }
            Some(out)
        }
    };
    Ok((name, bytes.to_vec(), mapping))
}

pub(crate) fn xlsx(bytes: Vec<u8>, file_name: &str) -> Response {
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX_CONTENT_TYPE));
    let safe: String =
        file_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    resp
}

/// Imports the orders of a sheet: the raw body, XLSX or CSV (UTF-8 or GB18030), at most 5 MiB
/// and 10,000 rows. Every row is checked (required fields, quantities 1 to 10,000, the seller's
/// warehouses, services and approved SKUs, live stock across the whole file, the service's
/// limits); an order with any bad row is not placed. Same file twice: nothing twice.
#[utoipa::path(post, path = "/imports/orders", tag = "imports",
    params(ImportQuery),
    request_body(description = "The sheet's bytes", content(
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv")
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "What the import found and did", body = ImportReportBody),
        Unauthenticated,
        (status = 403, description = "Not a seller's user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not XLSX or CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable, over a limit, or a column missing (send a mapping)", body = Problem, content_type = "application/problem+json"),
    ))]
async fn import_orders(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportReportBody>> {
    let (name, bytes, mapping) =
        upload(q.file_name.as_deref(), q.mapping.as_deref(), &headers, body, ImportField::parse).await?;
    let dry_run = q.dry_run.unwrap_or(true);
    Ok(Json(st.app.import_orders(&caller.actor, &name, &bytes, mapping, dry_run).await?.into()))
}

/// The same upload sent back as XLSX with an Error column (in red) beside each bad row, after a
/// dry run: fix the rows and upload the file again.
#[utoipa::path(post, path = "/imports/orders/annotated", tag = "imports",
    params(ImportQuery),
    request_body(description = "The sheet's bytes", content(
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv")
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The annotated workbook", content(
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        Unauthenticated,
        (status = 403, description = "Not a seller's user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not XLSX or CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable, over a limit, or a column missing", body = Problem, content_type = "application/problem+json"),
    ))]
async fn annotated(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let (name, bytes, mapping) =
        upload(q.file_name.as_deref(), q.mapping.as_deref(), &headers, body, ImportField::parse).await?;
    let book = st.app.annotate_import(&caller.actor, &name, &bytes, mapping).await?;
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    Ok(xlsx(book, &format!("{stem}-errors.xlsx")))
}

/// The workbook to fill in: the header row and an example order, and a sheet explaining each
/// column in English and Chinese.
#[utoipa::path(get, path = "/imports/orders/template", tag = "imports",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The template", content(
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        Unauthenticated,
    ))]
async fn template(_caller: Caller) -> ApiResult<Response> {
    Ok(xlsx(template_xlsx()?, "orders-template.xlsx"))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(import_orders))
        .routes(routes!(annotated))
        .routes(routes!(template))
        .merge(crate::sku_imports::routes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_the_import_paths_only() {
        assert!(is_upload("/imports/orders"));
        assert!(is_upload("/api/v1/imports/orders/annotated"));
        assert!(!is_upload("/imports/orders/template"));
        assert!(!is_upload("/x/imports/orders"));
        assert!(records_nothing("/api/v1/imports/orders/annotated"));
        assert!(!records_nothing("/imports/orders"));
        assert!(is_upload("/api/v1/imports/skus"));
        assert!(records_nothing("/imports/skus/annotated"));
        assert!(!is_upload("/imports/skus/template"));
    }
}
