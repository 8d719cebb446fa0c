//! How long a label takes to render: `cargo bench -p entrepot-labels --bench render`.
//!
//! A 4x6 shipping label (what every booking prints, synchronously) and a page of SKU labels
//! (an inbound's worth, 40 labels with a Chinese product name so the CJK font is subset too),
//! each rendered N times (`LABELS_BENCH_N`, default 200) after a few warm-up renders; prints
//! p50/p99/max in milliseconds and the file size.

use std::time::{Duration, Instant};

use entrepot_labels::{shipping_label, sku_labels, Address, ShippingLabel, SkuLabel};

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
    report("shipping label (4x6, 1 page)", n, || shipping_label(&label).map(|pdf| pdf.len()));
    report("SKU labels (60x30 mm, 40 pages)", n, || sku_labels(&skus).map(|pdf| pdf.len()));
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
