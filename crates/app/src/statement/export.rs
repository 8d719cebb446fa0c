//! A month's statement as a file an accountant opens: every movement oldest first, as CSV (plain
//! columns a spreadsheet or a script reads) or XLSX (headers in English and Chinese, amounts as
//! numbers in the currency's major unit).

use entrepot_core::{
    money::{format_minor, Currency},
    CoreError, CoreResult,
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::types::money::MoneyEntry;

/// The columns, as the CSV names them and as the workbook heads them (English / Chinese).
const COLUMNS: [(&str, &str); 8] = [
    ("at_utc", "Time (UTC) / 时间 (UTC)"),
    ("reason", "Reason / 类型"),
    ("amount", "Amount / 金额"),
    ("currency", "Currency / 币种"),
    ("from", "From / 转出"),
    ("to", "To / 转入"),
    ("document_kind", "Document / 单据类型"),
    ("document_id", "Document id / 单据号"),
];

fn at_utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
}

fn exponent(currency: &str) -> u32 {
    Currency::parse(currency).map(|c| c.exponent()).unwrap_or(2)
}

/// The entries as CSV (RFC 4180, a header row, amounts as decimals in the major unit).
pub fn csv(entries: &[MoneyEntry]) -> CoreResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![]);
    let failed = |e: csv::Error| {
        tracing::error!(error = %e, "statement CSV not written");
        CoreError::Internal
    };
    w.write_record(COLUMNS.iter().map(|c| c.0)).map_err(failed)?;
    for e in entries {
        let amount = format_minor(e.amount, exponent(&e.currency));
        w.write_record([
            at_utc(e.at_ms).as_str(),
            e.reason.as_str(),
            &amount,
            &e.currency,
            e.from.as_str(),
            e.to.as_str(),
            &e.doc_kind,
            &e.doc_id,
        ])
        .map_err(failed)?;
    }
    w.into_inner().map_err(|e| failed(e.into_error().into()))
}

/// The entries as a one-sheet workbook.
pub fn xlsx(month: &str, entries: &[MoneyEntry]) -> CoreResult<Vec<u8>> {
    xlsx_book(month, entries).map_err(|e| {
        tracing::error!(error = %e, "statement workbook not written");
        CoreError::Internal
    })
}

fn xlsx_book(month: &str, entries: &[MoneyEntry]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(month)?;
    let bold = Format::new().set_bold();
    for (c, (_, head)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *head, &bold)?;
    }
    let formats = ["0", "0.0", "0.00", "0.000"].map(|f| Format::new().set_num_format(f));
    for (r, e) in entries.iter().enumerate() {
        let row = r as u32 + 1;
        let exp = exponent(&e.currency);
        sheet.write_string(row, 0, at_utc(e.at_ms))?;
        sheet.write_string(row, 1, e.reason.as_str())?;
        // A number for the spreadsheet's sums; minor units fit an f64 exactly below 2⁵³.
        let major = e.amount as f64 / 10f64.powi(exp as i32);
        sheet.write_number_with_format(row, 2, major, &formats[(exp as usize).min(3)])?;
        sheet.write_string(row, 3, &e.currency)?;
        sheet.write_string(row, 4, e.from.as_str())?;
        sheet.write_string(row, 5, e.to.as_str())?;
        sheet.write_string(row, 6, &e.doc_kind)?;
        sheet.write_string(row, 7, &e.doc_id)?;
    }
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(7, 28)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use entrepot_core::balance::{MoneyBucket, MoneyReason};

    use super::*;

    fn entry(amount: i64, currency: &str) -> MoneyEntry {
        MoneyEntry {
            at_ms: 1_764_720_000_000,
            currency: currency.into(),
            from: MoneyBucket::Held,
            to: MoneyBucket::Charged,
            amount,
            reason: MoneyReason::Charge,
            doc_kind: "order".into(),
            doc_id: "OC1, \"quoted\"".into(),
        }
    }

    #[test]
    fn csv_rows_carry_decimal_amounts_and_quote_what_needs_it() {
        let out =
            String::from_utf8(csv(&[entry(1234, "GBP"), entry(5, "EUR")]).unwrap_or_default()).unwrap_or_default();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "at_utc,reason,amount,currency,from,to,document_kind,document_id");
        assert_eq!(lines[1], "2025-12-03 00:00:00,CHARGE,12.34,GBP,held,charged,order,\"OC1, \"\"quoted\"\"\"");
        assert_eq!(lines[2].split(',').nth(2), Some("0.05"));
    }

    #[test]
    fn the_workbook_is_a_zip_with_one_sheet_named_after_the_month() {
        let book = xlsx("2026-12", &[entry(1234, "GBP")]).unwrap_or_default();
        assert!(book.starts_with(b"PK"));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("a zip");
        let mut wb = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").expect("a workbook"), &mut wb).ok();
        assert!(wb.contains("name=\"2026-12\""), "{wb}");
    }
}
