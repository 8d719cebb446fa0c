//! Handhelds scanning: the `i`-th offered scan belongs to device `i % devices`, which works its
//! own inbound: a receive scan of its next line, and every third scan a putaway of one unit it
//! has received into that line's bin (always the same bin per line, confirmed as another bin when
//! it is not the suggestion).

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::{
    open_loop,
    seed::Floor,
    seller::Seller,
    server::{env_num, env_text},
};

/// What one device has done so far.
#[derive(Default)]
struct Device {
    step: usize,
    received: Vec<u32>,
    put: Vec<u32>,
}

/// The scan a device makes next, decided under its lock so that a putaway only ever takes a
/// unit whose receive scan has been answered.
enum Scan {
    Receive { line: usize, scan_id: String },
    Putaway { line: usize },
}

impl Device {
    fn next(&mut self, d: usize, lines: usize) -> Scan {
        if self.received.is_empty() {
            self.received = vec![0; lines];
            self.put = vec![0; lines];
        }
        self.step += 1;
        if self.step.is_multiple_of(3) {
            if let Some(line) = (0..lines).find(|&j| self.received[j] > self.put[j]) {
                self.put[line] += 1;
                return Scan::Putaway { line };
            }
        }
        Scan::Receive { line: self.step % lines, scan_id: format!("d{d}-{}", self.step) }
    }
}

/// What a device scans: its inbound's number, its lines' label codes and each line's bin.
type Plan = (String, Vec<String>, Vec<String>);

pub async fn run(http: &reqwest::Client, base: &str, seller: &Seller, floor: &Floor, tokens: &[String]) -> Value {
    let rate = env_num::<f64>("BENCH_RATE", 500.0);
    let seconds = env_num::<f64>("BENCH_SECONDS", 30.0);
    let idempotency = env_text("BENCH_IDEMPOTENCY", "1") != "0";
    let devices: Arc<Vec<Mutex<Device>>> = Arc::new((0..floor.devices).map(|_| Mutex::default()).collect());
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let plan: Arc<Vec<Plan>> = Arc::new(
        (0..floor.devices)
            .map(|d| {
                let k = d % floor.inbounds.len();
                let ib = &floor.inbounds[k];
                let codes = ib.lines.iter().map(|(_, c)| c.clone()).collect();
                let bins = (0..ib.lines.len())
                    .map(|j| floor.bins[(k * ib.lines.len() + j) % floor.bins.len()].clone())
                    .collect();
                (ib.number.clone(), codes, bins)
            })
            .collect(),
    );
    let (client, tokens) = (seller.client.0.clone(), Arc::new(tokens.to_vec()));
    // A warm-up at the same rate first (caches, prepared statements, each line's first bin),
    // measured apart; then the measured run, its scans numbered on from there.
    let warmup = env_num::<f64>("BENCH_WARMUP_SECONDS", 5.0);
    let (mut offset, mut warm, mut measured) = (0usize, Value::Null, Value::Null);
    for (phase, secs) in [("warm-up", warmup), ("measured", seconds)] {
        if secs <= 0.0 {
            continue;
        }
        let (http, base, client, tokens, plan) =
            (http.clone(), base.to_owned(), client.clone(), tokens.clone(), plan.clone());
        let (devs, errs) = (devices.clone(), errors.clone());
        let r = open_loop::run(floor.devices, rate, secs, move |i| {
            let i = i + offset;
            let (http, base, client, tokens, plan, devs, errs) =
                (http.clone(), base.clone(), client.clone(), tokens.clone(), plan.clone(), devs.clone(), errs.clone());
            async move {
                let d = i % plan.len();
                let (number, codes, bins) = &plan[d];
                let scan = devs[d].lock().unwrap().next(d, codes.len());
                let (kind, req) = match &scan {
                    Scan::Receive { line, scan_id } => (
                        "receive",
                        http.post(format!("{base}/api/v1/receipts/{number}/scans"))
                            .json(&json!({"code": codes[*line], "quantity": 1, "scan_id": scan_id})),
                    ),
                    Scan::Putaway { line } => (
                        "putaway",
                        http.post(format!("{base}/api/v1/warehouses/UK1/putaway")).json(&json!({
                            "client": client, "sku": codes[*line], "qty": 1, "bin": bins[*line],
                            "inbound": number, "confirm_other_bin": true,
                        })),
                    ),
                };
                let mut req = req.bearer_auth(&tokens[d]);
                if idempotency {
                    req = req.header("idempotency-key", format!("{kind}-{i}"));
                }
                let answer = req.send().await.unwrap();
                let status = answer.status();
                let body = answer.text().await.unwrap_or_default();
                if !status.is_success() {
                    let mut e = errs.lock().unwrap();
                    if e.len() < 5 {
                        e.push(format!("{kind} {status}: {body}"));
                    }
                    return "error";
                }
                if let Scan::Receive { line, .. } = scan {
                    devs[d].lock().unwrap().received[line] += 1;
                }
                kind
            }
        })
        .await;
        offset += (rate * secs).round() as usize;
        match phase {
            "warm-up" => warm = r,
            _ => measured = r,
        }
    }
    let mut r = measured;
    r["warm_up"] = json!({"seconds": warmup, "p50_ms": warm["p50_ms"], "p99_ms": warm["p99_ms"]});
    r["devices"] = json!(floor.devices);
    r["idempotency_keys"] = json!(idempotency);
    r["error_samples"] = json!(*errors.lock().unwrap());
    r
}
