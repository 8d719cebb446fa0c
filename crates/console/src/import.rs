//! Importing from the sheets sellers keep (XLSX or CSV), orders on one tab and SKUs on the other,
//! on the import engine the native API uses too: download the template, upload a file for a
//! check of every row, read the errors or download them as an annotated workbook, then import
//! the good rows from the same upload. Importing a file twice creates nothing twice (orders are
//! keyed by their reference, SKUs by their code).
//!
//! The two tabs differ only in what [`Sheet`] says; the page, its handlers and its template are
//! one. The upload is kept for a short while ([`crate::uploads`]) under an owner of its sheet's
//! kind, so the seller checks once and imports without choosing the file again, and an order
//! sheet's token never imports SKUs (nor the other way round).

use askama::Template;
use axum::{
    extract::{Multipart, Path, State},
    response::Response,
    Form,
};
use entrepot_app::{types::import::RowError, SkuImportReport};
use entrepot_core::{actor::Actor, CoreError, CoreResult};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

/// Largest sheet accepted (the engine's own bound).
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;

/// What a tab imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sheet {
    Orders,
    Skus,
}

/// The tab of a route: `import::page::<Skus>`.
pub(crate) trait Tab {
    const SHEET: Sheet;
}

pub(crate) struct Orders;
pub(crate) struct Skus;

impl Tab for Orders {
    const SHEET: Sheet = Sheet::Orders;
}

impl Tab for Skus {
    const SHEET: Sheet = Sheet::Skus;
}

impl Sheet {
    /// The tab's page; its template, kept uploads and annotated copies are under it.
    fn base(self) -> &'static str {
        match self {
            Sheet::Orders => "/console/import",
            Sheet::Skus => "/console/import/skus",
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Sheet::Orders => "nav-import",
            Sheet::Skus => "sku-import-title",
        }
    }

    /// Whose kept uploads these are: the user's, one store per kind of sheet.
    fn owner(self, v: &Viewer) -> Result<String, Failure> {
        let user = v.actor.user.as_ref().ok_or_else(|| Failure::forbidden(v.tr))?;
        Ok(match self {
            Sheet::Orders => user.0.clone(),
            Sheet::Skus => format!("skus:{}", user.0),
        })
    }

    fn default_file_name(self) -> &'static str {
        match self {
            Sheet::Orders => "orders.xlsx",
            Sheet::Skus => "skus.xlsx",
        }
    }

    fn template(self) -> CoreResult<(Vec<u8>, &'static str)> {
        Ok(match self {
            Sheet::Orders => (entrepot_app::import::template_xlsx()?, "entrepot-orders-template.xlsx"),
            Sheet::Skus => (entrepot_app::import::sku_template_xlsx()?, "entrepot-skus-template.xlsx"),
        })
    }

    /// Checks (`dry_run`) or imports a file, as the page shows the outcome.
    async fn run(
        self,
        st: &ConsoleState,
        actor: &Actor,
        t: Tr,
        name: &str,
        bytes: &[u8],
        dry_run: bool,
    ) -> CoreResult<Report> {
        Ok(match self {
            Sheet::Orders => Report::orders(t, st.app.import_orders(actor, name, bytes, None, dry_run).await?),
            Sheet::Skus => Report::skus(t, st.app.import_skus(actor, name, bytes, None, dry_run).await?),
        })
    }

    async fn annotate(self, st: &ConsoleState, actor: &Actor, name: &str, bytes: &[u8]) -> CoreResult<Vec<u8>> {
        match self {
            Sheet::Orders => st.app.annotate_import(actor, name, bytes, None).await,
            Sheet::Skus => st.app.annotate_sku_import(actor, name, bytes, None).await,
        }
    }
}

/// An import's outcome as the page shows it, whatever the sheet.
struct Report {
    file_name: String,
    dry_run: bool,
    summary: String,
    /// Row errors as the table shows them: (row, column, reference or SKU code, message).
    errors: Vec<(usize, String, String, String)>,
    /// Rows (orders or SKUs) that can be or were imported.
    good: usize,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn error_rows(errors: &[RowError]) -> Vec<(usize, String, String, String)> {
    errors
        .iter()
        .map(|e| {
            let column = e.column.clone().unwrap_or_default();
            (e.row, column, e.reference.clone().unwrap_or_default(), e.message.clone())
        })
        .collect()
}

impl Report {
    fn orders(t: Tr, r: entrepot_app::types::import::ImportReport) -> Report {
        let key = if r.dry_run { "import-checked" } else { "import-done" };
        let summary = t.tn(
            key,
            &[
                ("rows", count(r.rows)),
                ("orders", count(r.orders)),
                ("good", count(r.placed.len())),
                ("bad", count(r.refused.len())),
                ("already", count(r.already_imported.len())),
            ],
        );
        let errors = error_rows(&r.errors);
        Report { file_name: r.file_name, dry_run: r.dry_run, summary, errors, good: r.placed.len() }
    }

    fn skus(t: Tr, r: SkuImportReport) -> Report {
        let key = if r.dry_run { "sku-import-checked" } else { "sku-import-done" };
        let summary = t.tn(
            key,
            &[
                ("rows", count(r.rows)),
                ("good", count(r.created.len())),
                ("bad", count(r.refused.len())),
                ("already", count(r.already_present.len())),
            ],
        );
        let errors = error_rows(&r.errors);
        Report { file_name: r.file_name, dry_run: r.dry_run, summary, errors, good: r.created.len() }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    t: Tr,
    sheet: Sheet,
    error: String,
    report: Option<Report>,
    token: String,
}

impl ImportPage {
    fn skus(&self) -> bool {
        self.sheet == Sheet::Skus
    }

    fn base(&self) -> &'static str {
        self.sheet.base()
    }

    /// What names a row's order or SKU in the errors table.
    fn reference_key(&self) -> &'static str {
        if self.skus() {
            "sku-seller-sku"
        } else {
            "order-reference"
        }
    }

    fn import_good_key(&self) -> &'static str {
        if self.skus() {
            "sku-import-the-good"
        } else {
            "import-the-good"
        }
    }

    fn upload_key(&self) -> &'static str {
        if self.skus() {
            "sku-import-upload"
        } else {
            "import-upload"
        }
    }

    fn lede_key(&self) -> &'static str {
        if self.skus() {
            "sku-import-lede"
        } else {
            "import-lede"
        }
    }

    fn can_import(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.dry_run && r.good > 0) && !self.token.is_empty()
    }
}

fn render(v: &Viewer, sheet: Sheet, error: String, report: Option<Report>, token: String) -> Result<Response, Failure> {
    let c = Chrome::new(v, "/console/import", sheet.title_key(), sheet.base());
    html(v.tr, &ImportPage { c, t: v.tr, sheet, error, report, token })
}

/// Imports are a seller's.
fn seller(v: &Viewer) -> Result<(), Failure> {
    v.actor.client().map(|_| ()).ok_or_else(|| Failure::forbidden(v.tr))
}

pub(crate) async fn page<T: Tab>(v: Viewer) -> Result<Response, Failure> {
    seller(&v)?;
    render(&v, T::SHEET, String::new(), None, String::new())
}

/// The template to fill in.
pub(crate) async fn template<T: Tab>(v: Viewer) -> Result<Response, Failure> {
    if T::SHEET == Sheet::Skus {
        seller(&v)?;
    }
    let (bytes, name) = T::SHEET.template().or_page(v.tr)?;
    Ok(crate::download::attachment(bytes, crate::download::XLSX, name))
}

/// An upload: checked (a dry run), or imported at once when the seller pressed "import".
pub(crate) async fn upload<T: Tab>(
    State(st): State<ConsoleState>,
    v: Viewer,
    form: Multipart,
) -> Result<Response, Failure> {
    let (t, sheet) = (v.tr, T::SHEET);
    if sheet == Sheet::Skus {
        seller(&v)?;
    }
    let owner = sheet.owner(&v)?;
    let refused = |message: String| render(&v, sheet, message, None, String::new());
    let p = match crate::uploads::read(form).await {
        Ok(p) => p,
        Err(crate::uploads::Unread::Bad) => {
            return refused(Outcome::Refused(t.t("import-bad-upload")).message().to_owned())
        }
        Err(crate::uploads::Unread::TooLarge) => return refused(t.t("import-too-large")),
    };
    let (csrf, now) = (p.field("csrf").to_owned(), p.field("mode") == "import");
    let file_name = if p.file_name.is_empty() { sheet.default_file_name().to_owned() } else { p.file_name };
    let bytes = p.bytes;
    v.check_csrf(&csrf)?;
    if bytes.is_empty() {
        return refused(t.t("import-no-file"));
    }
    match sheet.run(&st, &v.actor, t, &file_name, &bytes, !now).await {
        Ok(r) => {
            let token = st.uploads.keep(&owner, &file_name, bytes);
            render(&v, sheet, String::new(), Some(r), token)
        }
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => refused(Outcome::refused(t, &e).message().to_owned()),
    }
}

#[derive(Deserialize)]
pub(crate) struct Again {
    csrf: String,
    token: String,
}

/// Imports the good rows of an upload checked before.
pub(crate) async fn import_kept<T: Tab>(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Again>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let (t, sheet) = (v.tr, T::SHEET);
    if sheet == Sheet::Skus {
        seller(&v)?;
    }
    let (file_name, bytes) = st.uploads.get(&sheet.owner(&v)?, &f.token).ok_or_else(|| Failure::not_found(t))?;
    let r = sheet.run(&st, &v.actor, t, &file_name, &bytes, false).await.or_page(t)?;
    render(&v, sheet, String::new(), Some(r), f.token)
}

/// The upload back with an Error column beside each bad row.
pub(crate) async fn annotated<T: Tab>(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(token): Path<String>,
) -> Result<Response, Failure> {
    let (t, sheet) = (v.tr, T::SHEET);
    if sheet == Sheet::Skus {
        seller(&v)?;
    }
    let (file_name, bytes) = st.uploads.get(&sheet.owner(&v)?, &token).ok_or_else(|| Failure::not_found(t))?;
    let out = sheet.annotate(&st, &v.actor, &file_name, &bytes).await.or_page(t)?;
    let stem = file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&file_name);
    Ok(crate::download::attachment(out, crate::download::XLSX, &format!("{stem}-errors.xlsx")))
}
