//! The workbook a seller fills in: the sheet with its header row and one example row, and a
//! second sheet explaining each column in English and Chinese. One writer for every kind of
//! sheet ([`SheetField`]); the order sheet's examples and notes are here.

use entrepot_core::{CoreError, CoreResult};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{check::MAX_LINE_QUANTITY, columns::SheetField};
use crate::types::import::ImportField as F;

/// The example order of the template's first sheet, one value per field.
pub(super) fn example(f: F) -> &'static str {
    match f {
        F::Reference => "SO-10001",
        F::Warehouse => "UK1",
        F::Service => "GBDomesticStandard",
        F::RecipientName => "Ann Smith",
        F::Company => "",
        F::Address1 => "1 High Street",
        F::Address2 => "Flat 2",
        F::City => "Leeds",
        F::State => "West Yorkshire",
        F::Postcode => "LS1 1AA",
        F::Country => "GB",
        F::Phone => "07700900123",
        F::Email => "ann@example.com",
        F::Sku => "MUG-RED",
        F::Quantity => "2",
        F::Platform => "eBay",
        F::PlatformOrderId => "12-34567-89012",
    }
}

/// What a column holds: English, then Chinese.
pub(super) fn explain(f: F) -> (&'static str, &'static str) {
    match f {
        F::Reference => (
            "Your order number, unique for ever: rows with the same number are one order; an order already imported is skipped.",
            "您的订单号，永久唯一：订单号相同的行属于同一订单；已导入的订单会被跳过。",
        ),
        F::Warehouse => ("Warehouse code, e.g. UK1.", "发货仓库代码，例如 UK1。"),
        F::Service => ("Delivery service code of that warehouse.", "该仓库的物流渠道代码。"),
        F::RecipientName => ("Recipient's name.", "收件人姓名。"),
        F::Company => ("Recipient's company (optional).", "收件人公司（选填）。"),
        F::Address1 => ("Street and house number.", "街道和门牌号。"),
        F::Address2 => ("More of the address (optional).", "地址第二行（选填）。"),
        F::City => ("City or town.", "城市。"),
        F::State => ("State, county or province (optional).", "州/省（选填）。"),
        F::Postcode => ("Postcode, typed as text to keep leading zeros.", "邮编，请以文本格式填写以保留开头的 0。"),
        F::Country => ("Two-letter ISO country code, e.g. GB, DE, US.", "国家二字码，例如 GB、DE、US。"),
        F::Phone => ("Recipient's phone (optional).", "收件人电话（选填）。"),
        F::Email => ("Recipient's email (optional).", "收件人邮箱（选填）。"),
        F::Sku => ("Your SKU code, approved, with stock in the warehouse.", "您的 SKU 编码，须已审核通过且仓库有库存。"),
        F::Quantity => ("Units of the SKU on this line: a whole number.", "本行 SKU 的数量：整数。"),
        F::Platform => ("Sales platform (optional), e.g. eBay, Amazon.", "销售平台（选填），例如 eBay、Amazon。"),
        F::PlatformOrderId => ("The platform's order id (optional).", "平台订单号（选填）。"),
    }
}

fn failed(e: XlsxError) -> CoreError {
    tracing::error!(error = %e, "workbook not written");
    CoreError::Internal
}

/// The order template workbook (XLSX bytes).
pub fn template_xlsx() -> CoreResult<Vec<u8>> {
    let en = format!(
        "One row per product line, at most 10,000 rows, quantities 1 to {MAX_LINE_QUANTITY}. Other column names (your ERP's) can be mapped once; they are remembered."
    );
    write::<F>(&en, "每行一个产品，最多 10,000 行。其他列名（您的 ERP 导出）可映射一次，系统会记住。").map_err(failed)
}

/// The template of `Field`'s sheet, with a closing note (English, Chinese) under the columns'.
pub(super) fn sheet_template<Field: SheetField>(note_en: &str, note_cn: &str) -> CoreResult<Vec<u8>> {
    write::<Field>(note_en, note_cn).map_err(failed)
}

fn write<Field: SheetField>(note_en: &str, note_cn: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(Field::SHEET)?;
    for (k, f) in Field::ALL.iter().enumerate() {
        let col = u16::try_from(k).unwrap_or(u16::MAX);
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(col, 18)?;
        sheet.write_string_with_format(0, col, f.header(), &bold)?;
        sheet.write_string_with_format(1, col, f.example(), &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet();
    notes.set_name("说明 Instructions")?;
    notes.set_column_width(0, 20)?;
    notes.set_column_width(1, 10)?;
    notes.set_column_width(2, 70)?;
    notes.set_column_width(3, 50)?;
    for (k, h) in ["Column 列", "Required 必填", "English", "中文"].into_iter().enumerate() {
        notes.write_string_with_format(0, u16::try_from(k).unwrap_or(0), h, &bold)?;
    }
    for (k, f) in Field::ALL.iter().enumerate() {
        let row = u32::try_from(k + 1).unwrap_or(u32::MAX);
        let (en, cn) = f.explain();
        notes.write_string(row, 0, f.header())?;
        notes.write_string(row, 1, if f.required() { "yes 是" } else { "" })?;
        notes.write_string(row, 2, en)?;
        notes.write_string(row, 3, cn)?;
    }
    let last = u32::try_from(Field::ALL.len() + 2).unwrap_or(u32::MAX);
    notes.write_string(last, 2, note_en)?;
    notes.write_string(last, 3, note_cn)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{import::read::read_sheet, types::import::MappingSource};

    #[test]
    fn the_template_reads_back_with_its_example_and_maps_without_help() {
        let sheet = read_sheet("template.xlsx", &template_xlsx().unwrap()).unwrap();
        let headers: Vec<&str> = F::ALL.iter().map(|f| super::super::columns::header(*f)).collect();
        assert_eq!(sheet.headers, headers);
        assert_eq!(sheet.rows.len(), 1, "one example row; the notes are on the second sheet");
        let cols: super::super::columns::Columns =
            super::super::columns::map_headers(&sheet.headers, None, MappingSource::BuiltIn).unwrap();
        let k = cols.of(F::Postcode).unwrap();
        assert_eq!(sheet.rows[0].cell(k), "LS1 1AA");
        assert_eq!(sheet.rows[0].cell(cols.of(F::Quantity).unwrap()), "2");
    }
}
