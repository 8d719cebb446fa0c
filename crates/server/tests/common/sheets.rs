//! Order sheets as sellers upload them, for the import tests (API and console).

#![allow(dead_code, clippy::unwrap_used)]

/// Where one run of rows goes: (warehouse, service, country, SKU, rows).
pub type Plan<'a> = [(&'a str, &'a str, &'a str, &'a str, u32)];

/// The sheet: one order of one unit a row (references `{prefix}-001`…), following
/// `plan`, with three bad rows: row 50 names no SKU, row 101 orders 0 units, row 152 has a
/// country that is no ISO code. Headers mix Chinese and English names; every other postcode is
/// typed as a number, as spreadsheets store them.
pub fn orders_xlsx(prefix: &str, plan: &Plan) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let headers = [
        "订单号",
        "Warehouse",
        "Service",
        "Recipient name",
        "Address line 1",
        "City",
        "Postcode",
        "Country",
        "SKU",
        "数量",
    ];
    for (k, h) in headers.iter().enumerate() {
        ws.write_string(0, k as u16, *h).unwrap();
    }
    let rows =
        plan.iter().flat_map(|&(wh, svc, country, sku, n)| std::iter::repeat_n((wh, svc, country, sku), n as usize));
    for (n, (wh, svc, country, sku)) in (1u32..).zip(rows) {
        let (sku, qty, country) = match n {
            50 => ("NO-SUCH-SKU", 1.0, country),
            101 => (sku, 0.0, country),
            152 => (sku, 1.0, "UK"),
            _ => (sku, 1.0, country),
        };
        let texts = [format!("{prefix}-{n:03}"), wh.into(), svc.into(), format!("Buyer {n}")];
        for (k, t) in texts.iter().enumerate() {
            ws.write_string(n, k as u16, t).unwrap();
        }
        ws.write_string(n, 4, format!("{n} High St")).unwrap();
        ws.write_string(n, 5, "Leeds").unwrap();
        if n % 2 == 0 {
            ws.write_number(n, 6, 10_000.0 + f64::from(n)).unwrap();
        } else {
            ws.write_string(n, 6, "LS1 1AA").unwrap();
        }
        ws.write_string(n, 7, country).unwrap();
        ws.write_string(n, 8, sku).unwrap();
        ws.write_number(n, 9, qty).unwrap();
    }
    book.save_to_buffer().unwrap()
}
