//! The warehouse a staff screen works in: the one the URL names, else the person's first.
//! Staff see only their own warehouses; operators every one.

use entrepot_core::company::Warehouse;

use crate::{
    failure::{Failure, OrPage},
    viewer::Viewer,
    ConsoleState,
};

/// The viewer's warehouses and the chosen one; sellers are refused.
pub async fn warehouse(
    st: &ConsoleState,
    v: &Viewer,
    code: Option<&str>,
) -> Result<(Vec<Warehouse>, Warehouse), Failure> {
    if !v.is_staff() {
        return Err(Failure::forbidden(v.tr));
    }
    let mine: Vec<Warehouse> =
        st.app.warehouses().await.or_page(v.tr)?.into_iter().filter(|w| v.actor.sees_warehouse(&w.id)).collect();
    let chosen = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => {
            mine.iter().find(|w| w.code.eq_ignore_ascii_case(code)).cloned().ok_or_else(|| Failure::not_found(v.tr))?
        }
        None => mine.first().cloned().ok_or_else(|| Failure::forbidden(v.tr))?,
    };
    Ok((mine, chosen))
}
