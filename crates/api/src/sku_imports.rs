//! SKU imports for scripts: the seller's SKU sheet (XLSX or CSV) as the raw body of
//! `POST /imports/skus`, checked row by row by the engine the console uses
//! ([`entrepot_app::App::import_skus`]), in a dry run or for real; the template; the file sent
//! back with an Error column. The upload is read as the order import's is ([`upload`]).

use axum::{body::Body, extract::State, http::HeaderMap, response::Response, Json};
use entrepot_app::{import::sku_template_xlsx, ImportedSku, SkuField, SkuImportReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::imports::{source_name, upload, xlsx, RowErrorBody};
use crate::problem::responses::Unauthenticated;
use crate::{
    auth::Caller,
    problem::{ApiQuery, ApiResult, Problem},
    ApiState,
};

/// How to import SKUs.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkuImportQuery {
    /// `true` (the default): check every row and create nothing. `false`: create the rows
    /// without an error as drafts (each on its own); rows whose code the seller already has are
    /// skipped.
    pub dry_run: Option<bool>,
    /// The file's name, shown back in the report.
    pub file_name: Option<String>,
    /// JSON object, the file's header → field (`seller_sku`, `name_en`, `name_cn`, `weight_g`,
    /// `length_mm`, `width_mm`, `height_mm`, `declared_value`, `hs_code`, `origin_country`), for
    /// headers the built-in English and Chinese names do not cover. It is remembered for files
    /// with the same headers.
    pub mapping: Option<String>,
}

/// A SKU of the file: created, that would be (dry run), or already the seller's.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportedSkuBody {
    pub seller_sku: String,
    /// Its row in the sheet.
    pub row: usize,
    /// The SKU's id, warehouse code (MFSKUID) and audit status; `null` in a dry run for a SKU
    /// not created yet.
    pub id: Option<i64>,
    pub mfskuid: Option<String>,
    pub status: Option<String>,
}

/// What a SKU import read, found wrong and did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkuImportReportBody {
    pub file_name: String,
    pub dry_run: bool,
    /// Data rows read (blank rows aside).
    pub rows: usize,
    pub errors: Vec<RowErrorBody>,
    /// Created as drafts, or that would be in a dry run.
    pub created: Vec<ImportedSkuBody>,
    /// Skipped: the code is already one of the seller's SKUs.
    pub already_present: Vec<ImportedSkuBody>,
    /// The rows not imported because of an error.
    pub refused: Vec<usize>,
    /// Header → field, as used.
    pub mapping: std::collections::BTreeMap<String, String>,
    /// `built_in`, `given` or `remembered`.
    pub mapping_source: String,
}

fn sku_body(s: ImportedSku) -> ImportedSkuBody {
    ImportedSkuBody {
        seller_sku: s.seller_sku,
        row: s.row,
        id: s.id.map(|i| i.0),
        mfskuid: s.mfskuid,
        status: s.status.map(|s| s.as_str().to_owned()),
    }
}

impl From<SkuImportReport> for SkuImportReportBody {
    fn from(r: SkuImportReport) -> Self {
        Self {
            file_name: r.file_name,
            dry_run: r.dry_run,
            rows: r.rows,
            errors: r.errors.into_iter().map(RowErrorBody::from).collect(),
            created: r.created.into_iter().map(sku_body).collect(),
            already_present: r.already_present.into_iter().map(sku_body).collect(),
            refused: r.refused,
            mapping: r.mapping.into_iter().map(|(h, f)| (h, f.key().to_owned())).collect(),
            mapping_source: source_name(r.mapping_source),
        }
    }
}

fn field(key: &str) -> entrepot_core::CoreResult<SkuField> {
    <SkuField as entrepot_app::import::columns::SheetField>::parse(key)
}

/// Imports the SKUs of a sheet: the raw body, XLSX or CSV (UTF-8 or GB18030), at most 5 MiB and
/// 10,000 rows. Every row is checked (a code and an English name required, whole numbers for
/// weight and dimensions within their bounds, a decimal declared value, an ISO country of
/// origin, a code once per file); good rows become drafts to submit for audit. Same file twice:
/// nothing twice.
#[utoipa::path(post, path = "/imports/skus", tag = "imports",
    params(SkuImportQuery),
    request_body(description = "The sheet's bytes", content(
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv")
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "What the import found and did", body = SkuImportReportBody),
        Unauthenticated,
        (status = 403, description = "Not a seller's user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not XLSX or CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable, over a limit, or a column missing (send a mapping)", body = Problem, content_type = "application/problem+json"),
    ))]
async fn import_skus(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SkuImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<SkuImportReportBody>> {
    let (name, bytes, mapping) = upload(q.file_name.as_deref(), q.mapping.as_deref(), &headers, body, field).await?;
    let dry_run = q.dry_run.unwrap_or(true);
    Ok(Json(st.app.import_skus(&caller.actor, &name, &bytes, mapping, dry_run).await?.into()))
}

/// The same SKU upload sent back as XLSX with an Error column (in red) beside each bad row.
#[utoipa::path(post, path = "/imports/skus/annotated", tag = "imports",
    params(SkuImportQuery),
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
async fn annotated_skus(
    State(st): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SkuImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let (name, bytes, mapping) = upload(q.file_name.as_deref(), q.mapping.as_deref(), &headers, body, field).await?;
    let book = st.app.annotate_sku_import(&caller.actor, &name, &bytes, mapping).await?;
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    Ok(xlsx(book, &format!("{stem}-errors.xlsx")))
}

/// The SKU workbook to fill in: the header row and an example SKU, and a sheet explaining each
/// column in English and Chinese.
#[utoipa::path(get, path = "/imports/skus/template", tag = "imports",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The template", content(
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        Unauthenticated,
    ))]
async fn sku_template(_caller: Caller) -> ApiResult<Response> {
    Ok(xlsx(sku_template_xlsx()?, "skus-template.xlsx"))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(import_skus)).routes(routes!(annotated_skus)).routes(routes!(sku_template))
}
