//! How long a label takes to render: `cargo bench -p entrepot-labels --bench render`.
//!
//! A 4x6 shipping label (what every booking prints, synchronously), a page of SKU labels
//! (an inbound's worth, 40 labels with a Chinese product name so the CJK font is subset too), a
//! wave's pick list (120 lines), a day's manifest (60 parcels, a barcode each) and a packing
//! slip (8 lines), each rendered N times (`LABELS_BENCH_N`, default 200) after a few warm-up renders; prints
//! p50/p99/max in milliseconds and the file size.

use std::time::{Duration, Instant};

use entrepot_labels::{
    manifest, packing_slip, pick_list, shipping_label, sku_labels, Address, ManifestDoc, ManifestParcel, PackingSlip,
    PickLine, PickListDoc, PickTote, ShippingLabel, SkuLabel, SlipLine,
};

fn main() {
    let n: usize = std::env::var("LABELS_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(200).max(1);
    let label = ShippingLabel {
        carrier: "Sandbox Express".into(),
        service: "Standard (2-3 days)".into(),
        tracking_number: "RR123456785FR".into(),
        order_reference: "ORD-2026-000042".into(),
        sender: Address {
            name: "Entrepot PL-1".into(),
            lines: vec!["ul. Magazynowa 7".into()],
            city: "Łódź".into(),
            postcode: "90-001".into(),
            country: "Poland".into(),
        },
        recipient: Address {
            name: "Zdeněk Řezníček".into(),
            lines: vec!["Žižkova 12".into(), "3. patro".into()],
            city: "Říčany".into(),
            postcode: "251 01".into(),
            country: "Czechia".into(),
        },
        weight_grams: 1250,
        created: "2026-12-02".into(),
    };
    let skus: Vec<SkuLabel> = (0..4)
        .map(|i| SkuLabel {
            mfskuid: format!("MF{:07}", 1234 + i),
            seller_sku: format!("CUP-{i:03}"),
            title: "陶瓷杯 350ml, white ceramic mug with lid".into(),
            origin: Some("China".into()),
            copies: 10,
        })
        .collect();
    let list = PickListDoc {
        warehouse: "UK1".into(),
        list_id: "pkl_01JQ8XD5M3TVK2B7N9P4R6W8YZ".into(),
        title: "Wave 3 · list 2 · GBDomesticStandard · zone A".into(),
        printed_at: "2026-12-03 14:05 Europe/London".into(),
        totes: (1..=12)
            .map(|t| PickTote { tote: t, order: format!("OC{:010}", 4_200 + t), reference: format!("SHOP-{t:04}") })
            .collect(),
        lines: (0..120)
            .map(|i| PickLine {
                bin: format!("A-{:02}-{:02}-{}", i / 20 + 1, i % 20 + 1, i % 4 + 1),
                sku: format!("MF{:07}", 1_000 + i),
                seller_sku: format!("MUG-{i:03}"),
                name: "陶瓷马克杯 350ml, white ceramic mug".into(),
                tote: i64::from(i % 12 + 1),
                qty: i64::from(i % 3 + 1),
            })
            .collect(),
    };
    let day = ManifestDoc {
        warehouse: "UK1".into(),
        carrier: "Royal Mail".into(),
        day: "2026-12-03".into(),
        manifest_id: "mnf_01JQ8Z3K9W2B4N6P8R0T2V4X6A".into(),
        closed_at: "2026-12-03 17:30 Europe/London".into(),
        parcels: (0..60)
            .map(|i| ManifestParcel {
                tracking_number: format!("RR{:09}GB", 123_456_000 + i),
                order: format!("OC{:010}", 7_000 + i),
                recipient: "Zdeněk Řezníček".into(),
                postcode: "130 00".into(),
                country: "CZ".into(),
                weight_g: 1250,
            })
            .collect(),
    };
    let slip = PackingSlip {
        order: "OC0000007042".into(),
        reference: "SHOP-2026-1203-17".into(),
        ship_to: vec!["Agnieszka Wójcik".into(), "ul. Piotrkowska 104/7".into(), "90-001 Łódź".into(), "POLAND".into()],
        lines: (0..8)
            .map(|i| SlipLine { seller_sku: format!("MUG-{i:03}"), name: "陶瓷马克杯 350ml".into(), qty: 2 })
            .collect(),
    };
    report("shipping label (4x6, 1 page)", n, || shipping_label(&label).map(|pdf| pdf.len()));
    report("SKU labels (60x30 mm, 40 pages)", n, || sku_labels(&skus).map(|pdf| pdf.len()));
    report("pick list (A4, 120 lines)", n, || pick_list(&list).map(|pdf| pdf.len()));
    report("manifest (A4, 60 parcels)", n, || manifest(&day).map(|pdf| pdf.len()));
    report("packing slip (4x6, 8 lines)", n, || packing_slip(&slip).map(|pdf| pdf.len()));
}

fn report(name: &str, n: usize, mut render: impl FnMut() -> Result<usize, entrepot_labels::LabelError>) {
    for _ in 0..3 {
        if let Err(e) = render() {
            eprintln!("{name}: {e}");
            return;
        }
    }
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    let mut bytes = 0;
    for _ in 0..n {
        let start = Instant::now();
        bytes = render().unwrap_or(0);
        times.push(start.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name}: n={n} p50={:.2} ms p99={:.2} ms max={:.2} ms, {bytes} bytes",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(times[times.len() - 1])
    );
}
