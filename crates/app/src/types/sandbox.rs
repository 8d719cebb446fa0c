//! The sandbox an ERP integrates against, and its verification report.

use serde::Serialize;

/// One operation an app has called successfully in sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCall {
    /// The operation's key (see [`crate::sandbox::OC_CHECKLIST`], [`crate::sandbox::BIRD_CHECKLIST`]).
    pub operation: String,
    pub calls: i64,
    pub first_at_ms: i64,
    pub last_at_ms: i64,
}

/// One line of a verification report: an operation an integration is expected to have called
/// successfully in sandbox, and whether it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    pub operation: &'static str,
    /// What the operation is, in English (the console translates by `operation`).
    pub label: &'static str,
    pub calls: i64,
    pub last_at_ms: Option<i64>,
}

/// What a sandbox app has done: the checklist of its dialect, each line with its calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxReport {
    /// The OC app id, or `bird:<client id>` for the client's Bird test key.
    pub app: String,
    pub lines: Vec<ReportLine>,
    /// Every line called at least once.
    pub complete: bool,
}

impl SandboxReport {
    /// The operations not called yet.
    pub fn missing(&self) -> Vec<&'static str> {
        self.lines.iter().filter(|l| l.calls == 0).map(|l| l.operation).collect()
    }
}
