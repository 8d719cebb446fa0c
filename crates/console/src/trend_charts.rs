//! The dashboard's 30-day pictures, drawn here as inline SVG (no script): on-time % per due day
//! as bars, units on hand per day as a line. Each comes with its numbers as rows of a visually
//! hidden table, for screen readers and for anyone who would rather read.

use entrepot_app::types::dashboard::{OnTimeDay, StockLevel};

use crate::i18n::Tr;

const H: i64 = 120;
/// Room under the bars for the day labels.
const FOOT: i64 = 14;
const STEP: i64 = 16;
const BAR_W: i64 = 12;

/// One day's bar of the on-time chart (none drawn on a day nothing was handed over).
pub(crate) struct OnTimeBar {
    pub x: i64,
    pub y: i64,
    pub h: i64,
    pub w: i64,
    /// Day of month, under every fifth bar.
    pub label: String,
    pub title: String,
    pub day: String,
    /// `67%`, or `–`.
    pub percent: String,
    pub counts: String,
}

pub(crate) struct OnTimeChart {
    pub width: i64,
    pub height: i64,
    pub bars: Vec<OnTimeBar>,
}

pub(crate) fn on_time(t: Tr, days: &[OnTimeDay]) -> OnTimeChart {
    let plot = H - FOOT;
    let bars = days
        .iter()
        .zip(0i64..)
        .map(|(d, i)| {
            let total = d.on_time.saturating_add(d.late);
            let p = d.percent();
            let h = p.map(|p| p.clamp(0, 100) * plot / 100).unwrap_or(0);
            let percent = p.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into());
            OnTimeBar {
                x: i * STEP + (STEP - BAR_W) / 2,
                y: plot - h,
                h,
                w: BAR_W,
                label: if i % 5 == 0 { d.day.get(8..).unwrap_or_default().to_owned() } else { String::new() },
                title: format!(
                    "{}: {}",
                    d.day,
                    match p {
                        Some(p) => t.tn("ontime-bar", &[("percent", p), ("on_time", d.on_time), ("total", total)]),
                        None => t.t("ontime-none"),
                    }
                ),
                counts: if total > 0 { format!("{} / {total}", d.on_time) } else { String::new() },
                day: d.day.clone(),
                percent,
            }
        })
        .collect();
    OnTimeChart { width: (days.len() as i64).saturating_mul(STEP), height: H, bars }
}

/// A point of the stock line.
pub(crate) struct StockPoint {
    pub x: i64,
    pub y: i64,
    pub day: String,
    pub units: i64,
    pub title: String,
}

pub(crate) struct StockChart {
    pub width: i64,
    pub height: i64,
    /// The polyline's `points`.
    pub line: String,
    pub points: Vec<StockPoint>,
    /// The highest level, the top of the scale.
    pub max: i64,
    /// (x, day of month) under every fifth point.
    pub labels: Vec<(i64, String)>,
}

pub(crate) fn stock(t: Tr, days: &[StockLevel]) -> StockChart {
    let plot = H - FOOT;
    let max = days.iter().map(|d| d.units).max().unwrap_or(0).max(1);
    let points: Vec<StockPoint> = days
        .iter()
        .zip(0i64..)
        .map(|(d, i)| {
            let units = d.units.max(0);
            StockPoint {
                x: i * STEP + STEP / 2,
                // Kept 4 units inside the plot so the line's stroke is not cut at the top.
                y: 4 + (plot - 4) - units.saturating_mul(plot - 4) / max,
                day: d.day.clone(),
                units: d.units,
                title: format!("{}: {}", d.day, t.t1("stock-trend-point", "units", d.units)),
            }
        })
        .collect();
    let line = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let labels = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 == 0)
        .map(|(_, p)| (p.x, p.day.get(8..).unwrap_or_default().to_owned()))
        .collect();
    StockChart { width: (days.len() as i64).saturating_mul(STEP), height: H, line, points, max, labels }
}
