//! Importing orders from the sheets sellers keep (XLSX or CSV), on the import engine the native
//! API uses too: download the template, upload a file for a check of every row (required
//! fields, SKUs, services, live stock), read the errors or download them as an annotated
//! workbook, then import the good orders from the same upload. Importing a file twice creates
//! nothing twice (orders are keyed by their reference).
//!
//! The upload is kept for a short while ([`crate::uploads`]), so the seller checks once and
//! imports without choosing the file again.

use askama::Template;
use axum::{
    extract::{Multipart, Path, State},
    response::Response,
    Form,
};
use entrepot_app::types::import::ImportReport;
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

/// Largest sheet accepted (the engine's own bound).
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;
#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    t: Tr,
    error: String,
    report: Option<ImportReport>,
    token: String,
}

impl ImportPage {
    fn summary(&self) -> String {
        let Some(r) = &self.report else { return String::new() };
        let key = if r.dry_run { "import-checked" } else { "import-done" };
        let n = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
        self.t.tn(
            key,
            &[
                ("rows", n(r.rows)),
                ("orders", n(r.orders)),
                ("good", n(r.placed.len())),
                ("bad", n(r.refused.len())),
                ("already", n(r.already_imported.len())),
            ],
        )
    }

    /// Row errors as the table shows them: (row, column, reference, message).
    fn errors(&self) -> Vec<(usize, String, String, String)> {
        self.report
            .as_ref()
            .map(|r| {
                r.errors
                    .iter()
                    .map(|e| {
                        (
                            e.row,
                            e.column.clone().unwrap_or_default(),
                            e.reference.clone().unwrap_or_default(),
                            e.message.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn can_import(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.dry_run && !r.placed.is_empty()) && !self.token.is_empty()
    }
}

fn user_of(v: &Viewer) -> Result<String, Failure> {
    v.actor.user.as_ref().map(|u| u.0.clone()).ok_or_else(|| Failure::forbidden(v.tr))
}

pub(crate) async fn page(v: Viewer) -> Result<Response, Failure> {
    v.actor.client().ok_or_else(|| Failure::forbidden(v.tr))?;
    let c = Chrome::new(&v, "/console/import", "nav-import", "/console/import");
    html(v.tr, &ImportPage { c, t: v.tr, error: String::new(), report: None, token: String::new() })
}

/// The template to fill in.
pub(crate) async fn template(v: Viewer) -> Result<Response, Failure> {
    let bytes = entrepot_app::import::template_xlsx().or_page(v.tr)?;
    Ok(xlsx(bytes, "entrepot-orders-template.xlsx"))
}

fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    crate::download::attachment(bytes, crate::download::XLSX, name)
}

/// An upload: checked (a dry run), or imported at once when the seller pressed "import".
pub(crate) async fn upload(State(st): State<ConsoleState>, v: Viewer, form: Multipart) -> Result<Response, Failure> {
    let t = v.tr;
    let user = user_of(&v)?;
    let p = match crate::uploads::read(form).await {
        Ok(p) => p,
        Err(crate::uploads::Unread::Bad) => {
            return render(&v, Outcome::Refused(t.t("import-bad-upload")).message().to_owned(), None, String::new())
        }
        Err(crate::uploads::Unread::TooLarge) => return render(&v, t.t("import-too-large"), None, String::new()),
    };
    let (csrf, now) = (p.field("csrf").to_owned(), p.field("mode") == "import");
    let file_name = if p.file_name.is_empty() { "orders.xlsx".to_owned() } else { p.file_name };
    let bytes = p.bytes;
    v.check_csrf(&csrf)?;
    if bytes.is_empty() {
        return render(&v, t.t("import-no-file"), None, String::new());
    }
    let result = st.app.import_orders(&v.actor, &file_name, &bytes, None, !now).await;
    let token = st.uploads.keep(&user, &file_name, bytes);
    match result {
        Ok(r) => render(&v, String::new(), Some(r), token),
        Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
        Err(e) => render(&v, Outcome::refused(t, &e).message().to_owned(), None, String::new()),
    }
}

fn render(v: &Viewer, error: String, report: Option<ImportReport>, token: String) -> Result<Response, Failure> {
    let c = Chrome::new(v, "/console/import", "nav-import", "/console/import");
    html(v.tr, &ImportPage { c, t: v.tr, error, report, token })
}

#[derive(Deserialize)]
pub(crate) struct Again {
    csrf: String,
    token: String,
}

/// Imports the good orders of an upload checked before.
pub(crate) async fn import_kept(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Again>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let (file_name, bytes) = st.uploads.get(&user_of(&v)?, &f.token).ok_or_else(|| Failure::not_found(t))?;
    let r = st.app.import_orders(&v.actor, &file_name, &bytes, None, false).await.or_page(t)?;
    render(&v, String::new(), Some(r), f.token)
}

/// The upload back with an Error column beside each bad row.
pub(crate) async fn annotated(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(token): Path<String>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (file_name, bytes) = st.uploads.get(&user_of(&v)?, &token).ok_or_else(|| Failure::not_found(t))?;
    let out = st.app.annotate_import(&v.actor, &file_name, &bytes, None).await.or_page(t)?;
    let stem = file_name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&file_name);
    Ok(xlsx(out, &format!("{stem}-errors.xlsx")))
}
