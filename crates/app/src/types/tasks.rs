use std::collections::BTreeMap;

use entrepot_core::ids::ClientId;
use serde::Serialize;

/// Where a task is. The names are Bird's (its Gearman task statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TaskStatus {
    Queue,
    Running,
    Finish,
    Error,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queue => "QUEUE",
            Self::Running => "RUNNING",
            Self::Finish => "FINISH",
            Self::Error => "ERROR",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "RUNNING" => Self::Running,
            "FINISH" => Self::Finish,
            "ERROR" => Self::Error,
            _ => Self::Queue,
        }
    }
}

/// A task and its progress.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: i64,
    pub client_id: Option<ClientId>,
    pub kind: String,
    pub status: TaskStatus,
    pub params: serde_json::Value,
    /// Item → result (Bird: temp id → consignment id).
    pub data: BTreeMap<String, String>,
    /// Item → error message.
    pub errors: BTreeMap<String, String>,
    pub total: i64,
    pub processed: i64,
    pub attempts: i64,
    pub created_at_ms: i64,
    pub started_at_ms: Option<i64>,
    pub updated_at_ms: i64,
    pub finished_at_ms: Option<i64>,
}
