//! The outbound floor on the big database: `BENCH_WAVES` waves (default 3) of `BENCH_WAVE_ORDERS`
//! due orders each (default 10,000) released over HTTP and timed from the client, allocation to
//! bins included; then pick, pack and ship scans from the handhelds offered open-loop at
//! `BENCH_RATE` for `BENCH_SECONDS` after a warm-up, each handheld working whole pick lists: every
//! pick of its cart, then per order the unit scan, the weighed close and the manifest scan (the
//! handhelds spread over that cycle before the clock starts, as people are). A
//! handheld scans one thing at a time, so a scan due while its handheld's previous one is still
//! out waits for it, and that wait counts in its latency. The cut-off board is polled meanwhile,
//! and then `BENCH_BOARD_ROUNDS` times alone (default 200).

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::{
    open_loop,
    server::{env_num, env_text},
    stats::summary,
};

/// One scan of a handheld.
#[derive(Clone)]
enum Step {
    Pick { list: String, body: Value },
    Unit { order: String, body: Value },
    Close { order: String },
    Ship { order: String },
}

/// A handheld: its token and the scans it has still to make.
struct Handheld {
    token: String,
    steps: tokio::sync::Mutex<VecDeque<Step>>,
}

/// The scans of a pick list in walk order: every pick, then each order packed and shipped.
fn steps_of(list: &Value) -> Vec<Step> {
    let id = list["list"]["id"].as_str().unwrap().to_owned();
    let picks = list["picks"].as_array().unwrap();
    let mut steps: Vec<Step> = picks
        .iter()
        .map(|p| Step::Pick {
            list: id.clone(),
            body: json!({"bin": p["bin"], "sku": p["seller_sku"], "tote": p["tote"], "qty": p["qty"]}),
        })
        .collect();
    // Each order once, with its lines, in the order the walk first reached it.
    let mut orders: Vec<(String, Vec<Value>)> = vec![];
    for p in picks {
        let order = p["order_id"].as_str().unwrap();
        let line = json!({"sku": p["seller_sku"], "qty": p["qty"]});
        match orders.iter_mut().find(|(o, _)| o == order) {
            Some((_, lines)) => lines.push(line),
            None => orders.push((order.to_owned(), vec![line])),
        }
    }
    for (order, lines) in orders {
        steps.extend(lines.into_iter().map(|body| Step::Unit { order: order.clone(), body }));
        steps.push(Step::Close { order: order.clone() });
        steps.push(Step::Ship { order });
    }
    steps
}

pub async fn run(http: &reqwest::Client, base: &str, tokens: &[String]) -> Value {
    let waves = env_num::<usize>("BENCH_WAVES", 3).max(1);
    let per_wave = env_num::<usize>("BENCH_WAVE_ORDERS", 10_000);
    let rate = env_num::<f64>("BENCH_RATE", 500.0);
    let seconds = env_num::<f64>("BENCH_SECONDS", 30.0);
    let warmup = env_num::<f64>("BENCH_WARMUP_SECONDS", 5.0);
    let idempotency = env_text("BENCH_IDEMPOTENCY", "1") != "0";
    // Every order the bench placed is due within the month, whatever the hour.
    let due_by = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30))
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .date()
        .to_string();

    // The releases, and the lists they made.
    let (mut release_ms, mut lists) = (vec![], vec![]);
    for _ in 0..waves {
        let t = Instant::now();
        let r = http
            .post(format!("{base}/api/v1/warehouses/UK1/waves"))
            .bearer_auth(&tokens[0])
            .json(&json!({"due_by": due_by, "max_orders": per_wave}))
            .send()
            .await
            .unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        release_ms.push(json!({"ms": ms.round(), "orders": body["orders"], "units": body["units"]}));
        let wave: Value = http
            .get(format!("{base}/api/v1/waves/{}", body["id"].as_str().unwrap()))
            .bearer_auth(&tokens[0])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        lists.extend(wave["lists"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_owned()));
    }

    // Each handheld's carts, fetched before the clock starts: enough for the run and then some.
    let devices = tokens.len();
    let scans = (rate * (seconds + warmup)).ceil() as usize;
    let wanted = (scans / 40 + 2 * devices).min(lists.len());
    let mut carts: Vec<Vec<Step>> = vec![];
    for chunk in lists[..wanted].chunks(16) {
        let got = futures_util::future::join_all(
            chunk.iter().map(|id| http.get(format!("{base}/api/v1/pick-lists/{id}")).bearer_auth(&tokens[0]).send()),
        )
        .await;
        for r in got {
            carts.push(steps_of(&r.unwrap().json::<Value>().await.unwrap()));
        }
    }
    let handhelds: Arc<Vec<Handheld>> = Arc::new(
        tokens
            .iter()
            .enumerate()
            .map(|(d, token)| Handheld {
                token: token.clone(),
                steps: tokio::sync::Mutex::new(carts.iter().skip(d).step_by(devices).flatten().cloned().collect()),
            })
            .collect(),
    );
    // People do not start in step: handheld `d` has done d/devices of its first cart before
    // the clock starts (otherwise all fifty pick at once, then all pack).
    let cart = carts.first().map_or(0, Vec::len);
    futures_util::future::join_all(handhelds.iter().enumerate().map(|(d, h)| async move {
        let mut steps = h.steps.lock().await;
        for _ in 0..d * cart / devices {
            let Some(step) = steps.pop_front() else { break };
            let (kind, req) = request(http, base, &step);
            let r = req.bearer_auth(&h.token).send().await.unwrap();
            assert!(r.status().is_success(), "{kind} before the start: {}", r.text().await.unwrap_or_default());
        }
    }))
    .await;
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();

    // The board, asked every 200 ms while the scans run.
    let polling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let poller = {
        let (http, base, token, polling) = (http.clone(), base.to_owned(), tokens[0].clone(), polling.clone());
        tokio::spawn(async move {
            let mut took = vec![];
            while polling.load(std::sync::atomic::Ordering::Relaxed) {
                took.push(board(&http, &base, &token).await);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            took
        })
    };

    let (mut offset, mut warm, mut measured) = (0usize, Value::Null, Value::Null);
    for (phase, secs) in [("warm-up", warmup), ("measured", seconds)] {
        if secs <= 0.0 {
            continue;
        }
        let (http, base, handhelds, errs) = (http.clone(), base.to_owned(), handhelds.clone(), errors.clone());
        let r = open_loop::run(devices, rate, secs, move |i| {
            let i = i + offset;
            let (http, base, handhelds, errs) = (http.clone(), base.clone(), handhelds.clone(), errs.clone());
            async move {
                let h = &handhelds[i % handhelds.len()];
                let mut steps = h.steps.lock().await;
                let Some(step) = steps.pop_front() else { return "idle" };
                let (kind, req) = request(&http, &base, &step);
                let mut req = req.bearer_auth(&h.token);
                if idempotency {
                    req = req.header("idempotency-key", format!("out-{kind}-{i}"));
                }
                let answer = req.send().await.unwrap();
                let status = answer.status();
                drop(steps);
                if !status.is_success() {
                    let body = answer.text().await.unwrap_or_default();
                    let mut e = errs.lock().unwrap();
                    if e.len() < 5 {
                        e.push(format!("{kind} {status}: {body}"));
                    }
                    return "error";
                }
                let _ = answer.bytes().await;
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
    polling.store(false, std::sync::atomic::Ordering::Relaxed);
    let under_load = poller.await.unwrap();
    let rounds = env_num::<usize>("BENCH_BOARD_ROUNDS", 200);
    let mut alone = vec![];
    for _ in 0..rounds {
        alone.push(board(http, base, &tokens[0]).await);
    }

    let mut scans = measured;
    scans["warm_up"] = json!({"seconds": warmup, "p50_ms": warm["p50_ms"], "p99_ms": warm["p99_ms"]});
    scans["error_samples"] = json!(*errors.lock().unwrap());
    json!({
        "waves": release_ms, "wave_orders": per_wave, "pick_lists": lists.len(),
        "scans": scans,
        "board_during_scans": summary(under_load),
        "board": summary(alone),
    })
}

/// A scan's kind and request (without its caller).
fn request(http: &reqwest::Client, base: &str, step: &Step) -> (&'static str, reqwest::RequestBuilder) {
    match step {
        Step::Pick { list, body } => ("pick", http.post(format!("{base}/api/v1/pick-lists/{list}/picks")).json(body)),
        Step::Unit { order, body } => {
            ("pack_unit", http.post(format!("{base}/api/v1/warehouses/UK1/packing/{order}/units")).json(body))
        }
        Step::Close { order } => (
            "pack_close",
            http.post(format!("{base}/api/v1/warehouses/UK1/packing/{order}/close"))
                .json(&json!({"weight_g": 200, "length_mm": 200, "width_mm": 150, "height_mm": 100})),
        ),
        Step::Ship { order } => {
            ("ship", http.post(format!("{base}/api/v1/warehouses/UK1/manifests")).json(&json!({"order": order})))
        }
    }
}

/// One cut-off board, timed.
async fn board(http: &reqwest::Client, base: &str, token: &str) -> Duration {
    let t = Instant::now();
    let r = http.get(format!("{base}/api/v1/warehouses/UK1/cutoff-board")).bearer_auth(token).send().await.unwrap();
    assert!(r.status().is_success(), "the board: {}", r.status());
    let _ = r.bytes().await;
    t.elapsed()
}
