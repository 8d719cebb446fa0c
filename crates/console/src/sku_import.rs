//! Importing SKUs from a sheet (XLSX or CSV), the import page's second tab, on the engine the
//! native API's `POST /imports/skus` uses: the template, a check of every row, the errors on the
//! page or as an annotated workbook, then the good rows created as drafts from the same upload.
//! A code the seller already has is skipped, so a file imported twice creates nothing twice.
//!
//! Uploads are kept as the order import's are ([`crate::uploads`]), under an owner of their own
//! kind, so an order sheet's token never imports SKUs (nor the other way round).

use askama::Template;
use axum::{
    extract::{Multipart, Path, State},
    response::Response,
    Form,
};
use entrepot_app::SkuImportReport;
use entrepot_core::CoreError;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

const HERE: &str = "/console/import/skus";

#[derive(Template)]
#[template(path = "sku_import.html")]
struct SkuImportPage {
    c: Chrome,
    t: Tr,
    error: String,
    report: Option<SkuImportReport>,
    token: String,
}

impl SkuImportPage {
    fn summary(&self) -> String {
        let Some(r) = &self.report else { return String::new() };
        let key = if r.dry_run { "sku-import-checked" } else { "sku-import-done" };
        let n = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
        self.t.tn(
            key,
            &[
                ("rows", n(r.rows)),
                ("good", n(r.created.len())),
                ("bad", n(r.refused.len())),
                ("already", n(r.already_present.len())),
            ],
        )
    }

    /// Row errors as the table shows them: (row, column, SKU code, message).
    fn errors(&self) -> Vec<(usize, String, String, String)> {
        self.report
            .as_ref()
            .map(|r| {
                r.errors
                    .iter()
                    .map(|e| {
                        let column = e.column.clone().unwrap_or_default();
                        (e.row, column, e.reference.clone().unwrap_or_default(), e.message.clone())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn can_import(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.dry_run && !r.created.is_empty()) && !self.token.is_empty()
    }
}

/// Whose kept SKU uploads these are: the user's, apart from their order uploads.
fn owner(v: &Viewer) -> Result<String, Failure> {
    v.actor.user.as_ref().map(|u| format!("skus:{}", u.0)).ok_or_else(|| Failure::forbidden(v.tr))
}

fn render(v: &Viewer, error: String, report: Option<SkuImportReport>, token: String) -> Result<Response, Failure> {
    let c = Chrome::new(v, "/console/import", "sku-import-title", HERE);
    html(v.tr, &SkuImportPage { c, t: v.tr, error, report, token })
}

pub(crate) async fn page(v: Viewer) -> Result<Response, Failure> {
    v.actor.client().ok_or_else(|| Failure::forbidden(v.tr))?;
    render(&v, String::new(), None, String::new())
}

/// The SKU template to fill in.
pub(crate) async fn template(v: Viewer) -> Result<Response, Failure> {
    v.actor.client().ok_or_else(|| Failure::forbidden(v.tr))?;
    let bytes = entrepot_app::import::sku_template_xlsx().or_page(v.tr)?;
    Ok(crate::download::attachment(bytes, crate::download::XLSX, "entrepot-skus-template.xlsx"))
}

/// An upload: checked (a dry run), or imported at once when the seller pressed "import".
pub(crate) async fn upload(State(st): State<ConsoleState>, v: Viewer, form: Multipart) -> Result<Response, Failure> {
    let t = v.tr;
    v.actor.client().ok_or_else(|| Failure::forbidden(t))?;
    let owner = owner(&v)?;
    let p = match crate::uploads::read(form).await {
        Ok(p) => p,
        Err(crate::uploads::Unread::Bad) => {
            return render(&v, Outcome::Refused(t.t("import-bad-upload")).message().to_owned(), None, String::new())
        }
        Err(crate::uploads::Unread::TooLarge) => return render(&v, t.t("import-too-large"), None, String::new()),
    };
    let (csrf, now) = (p.field("csrf").to_owned(), p.field("mode") == "import");
    let file_name = if p.file_name.is_empty() { "skus.xlsx".to_owned() } else { p.file_name };
    let bytes = p.bytes;
    v.check_csrf(&csrf)?;
    if bytes.is_empty() {
        return render(&v, t.t("import-no-file"), None, String::new());
    }
    let result = st.app.import_skus(&v.actor, &file_name, &bytes, None, !now).await;
    match result {
        Ok(r) => {
            let token = st.uploads.keep(&owner, &file_name, bytes);
            render(&v, String::new(), Some(r), token)
        }
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => render(&v, Outcome::refused(t, &e).message().to_owned(), None, String::new()),
    }
}

#[derive(Deserialize)]
pub(crate) struct Again {
    csrf: String,
    token: String,
}

/// Imports the good rows of an upload checked before.
pub(crate) async fn import_kept(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Again>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    v.actor.client().ok_or_else(|| Failure::forbidden(t))?;
    let (file_name, bytes) = st.uploads.get(&owner(&v)?, &f.token).ok_or_else(|| Failure::not_found(t))?;
    let r = st.app.import_skus(&v.actor, &file_name, &bytes, None, false).await.or_page(t)?;
    render(&v, String::new(), Some(r), f.token)
}

/// The upload back with an Error column beside each bad row.
pub(crate) async fn annotated(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(token): Path<String>,
) -> Result<Response, Failure> {
    let t = v.tr;
    v.actor.client().ok_or_else(|| Failure::forbidden(t))?;
    let (file_name, bytes) = st.uploads.get(&owner(&v)?, &token).ok_or_else(|| Failure::not_found(t))?;
    let out = st.app.annotate_sku_import(&v.actor, &file_name, &bytes, None).await.or_page(t)?;
    let stem = file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&file_name);
    Ok(crate::download::attachment(out, crate::download::XLSX, &format!("{stem}-errors.xlsx")))
}
