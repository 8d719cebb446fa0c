//! The seller's file sent back as XLSX with an Error column: each bad row says what is wrong
//! (in red), each row of a refused order says so, so the seller fixes the file and uploads it
//! again. Rows keep their numbers, so the report's row numbers still point at them. One writer
//! for every kind of sheet: it needs only the row errors and the groups of rows refused together.

use std::collections::HashMap;

use entrepot_core::{CoreError, CoreResult};
use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};

use super::read::Sheet;
use crate::types::import::{row_errors, ImportReport, RowError};

/// The header of the added column.
pub const ERROR_HEADER: &str = "Error";

/// `sheet` (as read from the file the report is about) with the report's errors beside its rows.
pub fn annotated_xlsx(sheet: &Sheet, report: &ImportReport) -> CoreResult<Vec<u8>> {
    let groups: Vec<&[usize]> = report.refused.iter().map(|o| o.rows.as_slice()).collect();
    annotate(sheet, "Orders", &report.errors, &groups)
}

/// `sheet` as worksheet `name` with `errors` beside their rows; the other rows of a group
/// (rows refused together, an order's) point at the group's first bad row.
pub(super) fn annotate(sheet: &Sheet, name: &str, errors: &[RowError], groups: &[&[usize]]) -> CoreResult<Vec<u8>> {
    write(sheet, name, errors, groups).map_err(|e| {
        tracing::error!(error = %e, "annotated workbook not written");
        CoreError::Internal
    })
}

fn write(sheet: &Sheet, name: &str, errors: &[RowError], groups: &[&[usize]]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let red = Format::new().set_font_color(Color::Red);
    let red_bold = Format::new().set_font_color(Color::Red).set_bold();
    let text = Format::new().set_num_format("@");
    // The first bad row of each refused order, for its other rows to point at.
    let mut refused: HashMap<usize, usize> = HashMap::new();
    for rows in groups {
        let first_bad = rows.iter().copied().find(|r| errors.iter().any(|e| e.row == *r));
        for r in rows.iter() {
            refused.insert(*r, first_bad.unwrap_or(*r));
        }
    }
    let width = sheet.rows.iter().map(|r| r.cells.len()).chain([sheet.headers.len()]).max().unwrap_or(0);
    let error_col = u16::try_from(width).unwrap_or(u16::MAX);
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    let at = |n: usize| u32::try_from(n.saturating_sub(1)).unwrap_or(u32::MAX);
    let header_row = at(sheet.header_row);
    for (k, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(header_row, u16::try_from(k).unwrap_or(u16::MAX), h, &bold)?;
    }
    ws.write_string_with_format(header_row, error_col, ERROR_HEADER, &red_bold)?;
    ws.set_column_width(error_col, 60)?;
    for row in &sheet.rows {
        let r = at(row.number);
        for (k, cell) in row.cells.iter().enumerate() {
            if !cell.is_empty() {
                // As text: postcodes and ids stay as the seller typed them.
                ws.write_string_with_format(r, u16::try_from(k).unwrap_or(u16::MAX), cell, &text)?;
            }
        }
        let note = match (row_errors(errors, row.number), refused.get(&row.number)) {
            (Some(e), _) => Some(e),
            (None, Some(bad)) => Some(format!("not placed: row {bad} of the same order has an error")),
            (None, None) => None,
        };
        if let Some(note) = note {
            ws.write_string_with_format(r, error_col, note, &red)?;
        }
    }
    ws.set_freeze_panes(header_row.saturating_add(1), 0)?;
    book.save_to_buffer()
}
