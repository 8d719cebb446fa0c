//! Prometheus metrics without a metrics framework: request counts and latency histograms by
//! route template, method and status, rendered in the text exposition format.
//!
//! Routes are labelled by their matched template (`/client/Consignment`), never the raw path, so
//! ids in URLs cannot blow up the number of series.

use std::{
    collections::BTreeMap,
    fmt::Write,
    sync::{Arc, Mutex},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Route template, method, status.
type SeriesKey = (String, String, u16);

/// The registry, shared by the middleware and the `/metrics` handler.
#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<BTreeMap<SeriesKey, Series>>>,
}

impl Metrics {
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let Ok(mut map) = self.inner.lock() else {
            return;
        };
        let s = map.entry((route.to_owned(), method.to_owned(), status)).or_default();
        s.count += 1;
        s.sum_seconds += seconds;
        for (k, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                s.buckets[k] += 1;
            }
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP entrepot_http_requests_total HTTP requests by route, method and status.\n");
        out.push_str("# TYPE entrepot_http_requests_total counter\n");
        let Ok(map) = self.inner.lock() else {
            return out;
        };
        for ((route, method, status), s) in map.iter() {
            let _ = writeln!(
                out,
                "entrepot_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {}",
                esc(route),
                s.count
            );
        }
        out.push_str("# HELP entrepot_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE entrepot_http_request_duration_seconds histogram\n");
        for ((route, method, status), s) in map.iter() {
            let labels = format!("route=\"{}\",method=\"{method}\",status=\"{status}\"", esc(route));
            for (k, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "entrepot_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {}",
                    s.buckets[k]
                );
            }
            let _ = writeln!(out, "entrepot_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "entrepot_http_request_duration_seconds_sum{{{labels}}} {}", s.sum_seconds);
            let _ = writeln!(out, "entrepot_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        out
    }
}

/// The backlog gauges, appended to `out`.
pub fn render_backlog(out: &mut String, b: &entrepot_app::Backlog) {
    for (name, help, v) in [
        ("orders_awaiting_booking", "Submitted orders without a carrier booking yet.", b.orders_awaiting_booking),
        ("events_to_fan_out", "Outbox events not yet turned into webhook deliveries.", b.events_to_fan_out),
        ("webhook_deliveries_pending", "Webhook deliveries not yet delivered.", b.deliveries_pending),
        ("tasks_open", "Bulk tasks queued or running.", b.tasks_open),
    ] {
        let _ = writeln!(out, "# HELP entrepot_{name} {help}\n# TYPE entrepot_{name} gauge\nentrepot_{name} {v}");
    }
}

/// Each webhook endpoint's backlog (those that have one), appended to `out`: how many deliveries
/// wait, how many are due, and how long the oldest due one has waited.
pub fn render_webhook_endpoints(out: &mut String, endpoints: &[entrepot_app::EndpointBacklog]) {
    type Gauge = fn(&entrepot_app::EndpointBacklog) -> String;
    let gauges: [(&str, &str, Gauge); 3] = [
        ("webhook_endpoint_pending", "Webhook deliveries not yet delivered, by endpoint.", |e| e.pending.to_string()),
        ("webhook_endpoint_due", "Webhook deliveries whose time has come, by endpoint.", |e| e.due.to_string()),
        ("webhook_endpoint_lag_seconds", "How long the oldest due delivery has waited, by endpoint.", |e| {
            format!("{:.3}", e.lag_ms as f64 / 1000.0)
        }),
    ];
    for (name, help, value) in gauges {
        let _ = writeln!(out, "# HELP entrepot_{name} {help}\n# TYPE entrepot_{name} gauge");
        for e in endpoints {
            let labels = format!("webhook_id=\"{}\",client_id=\"{}\"", e.webhook_id, esc(&e.client_id));
            let _ = writeln!(out, "entrepot_{name}{{{labels}}} {}", value(e));
        }
    }
}

/// Dock-to-stock (arrival at the dock → the last unit put away) over the last inbounds that
/// became available, as gauges: a summary per quantile, computed by the database read, so every
/// process exports the same figures.
pub fn render_dock_to_stock(out: &mut String, d: &entrepot_app::DockToStock) {
    out.push_str(
        "# HELP entrepot_dock_to_stock_seconds Arrival to available of recently finished inbounds, by quantile.
",
    );
    out.push_str(
        "# TYPE entrepot_dock_to_stock_seconds gauge
",
    );
    for (q, v) in [("0.5", d.p50_seconds), ("0.9", d.p90_seconds), ("1", d.max_seconds)] {
        let _ = writeln!(out, "entrepot_dock_to_stock_seconds{{quantile=\"{q}\"}} {v:.3}");
    }
    out.push_str(
        "# HELP entrepot_dock_to_stock_inbounds Finished inbounds the dock-to-stock figures cover.
",
    );
    let _ = writeln!(
        out,
        "# TYPE entrepot_dock_to_stock_inbounds gauge
entrepot_dock_to_stock_inbounds {}",
        d.count
    );
}

/// What the warehouses measure over the last day (issue 19 §6), as gauges: handovers and those
/// on time per warehouse and carrier, order cycle time per warehouse, each person's picks, wrong
/// picks and packs, and stock exceptions.
pub fn render_floor(out: &mut String, m: &entrepot_app::FloorMeasures) {
    let h = m.window_hours;
    let _ =
        writeln!(out, "# HELP entrepot_orders_shipped Orders handed over in the last {h} h, by warehouse and carrier.");
    out.push_str(
        "# TYPE entrepot_orders_shipped gauge
",
    );
    for o in &m.on_time {
        let _ = writeln!(
            out,
            "entrepot_orders_shipped{{warehouse=\"{}\",carrier=\"{}\"}} {}",
            o.warehouse, o.carrier, o.shipped
        );
    }
    let _ = writeln!(out, "# HELP entrepot_orders_shipped_on_time Of those, handed over by their due date.");
    out.push_str(
        "# TYPE entrepot_orders_shipped_on_time gauge
",
    );
    for o in &m.on_time {
        let _ = writeln!(
            out,
            "entrepot_orders_shipped_on_time{{warehouse=\"{}\",carrier=\"{}\"}} {}",
            o.warehouse, o.carrier, o.on_time
        );
    }
    out.push_str(
        "# HELP entrepot_order_cycle_seconds Submitted to handed over, orders shipped in the window, by quantile.
",
    );
    out.push_str(
        "# TYPE entrepot_order_cycle_seconds gauge
",
    );
    for (wh, p50, p90, _) in &m.cycle {
        let _ = writeln!(out, "entrepot_order_cycle_seconds{{warehouse=\"{wh}\",quantile=\"0.5\"}} {p50}");
        let _ = writeln!(out, "entrepot_order_cycle_seconds{{warehouse=\"{wh}\",quantile=\"0.9\"}} {p90}");
    }
    out.push_str(
        "# HELP entrepot_floor_scans Pick scans accepted and refused, and parcels packed, per person.
",
    );
    out.push_str(
        "# TYPE entrepot_floor_scans gauge
",
    );
    for w in &m.workers {
        for (kind, n) in [("pick", w.picks), ("wrong_pick", w.wrong_picks), ("pack", w.packs)] {
            let _ = writeln!(
                out,
                "entrepot_floor_scans{{warehouse=\"{}\",user=\"{}\",kind=\"{kind}\"}} {n}",
                w.warehouse,
                w.user.replace(['"', '\\', '\n'], "_")
            );
        }
    }
    out.push_str(
        "# HELP entrepot_stock_exceptions Short picks (a bin had fewer units than the ledger).
",
    );
    out.push_str(
        "# TYPE entrepot_stock_exceptions gauge
",
    );
    for (wh, n) in &m.stock_exceptions {
        let _ = writeln!(out, "entrepot_stock_exceptions{{warehouse=\"{wh}\"}} {n}");
    }
}

/// Requests refused because their client's request budget was spent, by dialect.
pub fn render_budget_refusals(out: &mut String, budget: &entrepot_ops::ClientBudget) {
    out.push_str("# HELP entrepot_client_budget_refusals_total Requests refused because the client's request budget was spent, by dialect.\n");
    out.push_str("# TYPE entrepot_client_budget_refusals_total counter\n");
    for dialect in ["bird", "oc"] {
        let n = budget.refusals(dialect);
        let _ = writeln!(out, "entrepot_client_budget_refusals_total{{dialect=\"{dialect}\"}} {n}");
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Middleware: times every request and records it under its route template.
pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    metrics.observe(&route, &method, resp.status().as_u16(), start.elapsed().as_secs_f64());
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_histograms() {
        let m = Metrics::default();
        m.observe("/healthz", "GET", 200, 0.002);
        m.observe("/healthz", "GET", 200, 0.2);
        let text = m.render();
        assert!(
            text.contains("entrepot_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(text.contains("le=\"0.0025\"} 1"), "{text}");
        assert!(text.contains("le=\"+Inf\"} 2"), "{text}");
    }

    #[test]
    fn renders_dock_to_stock_quantiles() {
        let mut text = String::new();
        let d = entrepot_app::DockToStock { count: 3, p50_seconds: 60.0, p90_seconds: 90.5, max_seconds: 120.0 };
        render_dock_to_stock(&mut text, &d);
        assert!(text.contains("entrepot_dock_to_stock_seconds{quantile=\"0.9\"} 90.500"), "{text}");
        assert!(text.contains("entrepot_dock_to_stock_inbounds 3"), "{text}");
    }
}
