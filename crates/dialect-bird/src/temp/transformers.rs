//! Between Bird's temp rows and the app's temp consignments and tasks.

use std::collections::BTreeMap;

use entrepot_app::{Task, TempConsignment};
use serde_json::{Map, Value};

use super::types::{TaskDetailBody, TempRow, UploadBody, UploadedRow};
use crate::{envelope::MODULE, format};

/// What a task reports before it finishes.
static NOTHING_YET: BTreeMap<String, String> = BTreeMap::new();

impl UploadBody {
    /// `n` rows stored as `stored` (`thirty_system_id`, id).
    pub fn new(n: usize, stored: &[(Option<String>, i64)]) -> Self {
        UploadBody {
            success: true,
            message: format!("File successfully uploaded! {n} records has been imported."),
            data: stored
                .iter()
                .map(|(thirty, id)| (thirty.clone().unwrap_or_else(|| id.to_string()), id.to_string()))
                .collect(),
            module_name: MODULE,
        }
    }
}

impl UploadedRow {
    /// The fields as sent, as row `id` (NEW).
    pub fn new(mut fields: Map<String, Value>, id: i64) -> Self {
        for own in ["id", "status"] {
            fields.remove(own);
        }
        UploadedRow { fields, id: id.to_string(), status: "NEW" }
    }
}

impl From<&TempConsignment> for TempRow {
    fn from(t: &TempConsignment) -> Self {
        let mut fields = t.data.as_object().cloned().unwrap_or_default();
        for own in ["id", "type", "temp_status", "consignment_id", "problem", "create_time", "primary_keys"] {
            fields.remove(own);
        }
        TempRow {
            fields,
            id: t.id.to_string(),
            kind: t.kind.as_str(),
            temp_status: t.status.clone(),
            consignment_id: t.bird_id.map(|i| i.to_string()),
            problem: t.problem.clone(),
            create_time: format::time_text(t.created_at_ms),
            primary_keys: ["id"],
        }
    }
}

impl<'a> From<&'a Task> for TaskDetailBody<'a> {
    fn from(t: &'a Task) -> Self {
        let finished = t.status.as_str() == "FINISH";
        TaskDetailBody {
            task_id: t.id.to_string(),
            status: t.status.as_str(),
            create_time: format::time_text(t.created_at_ms),
            start_time: t.started_at_ms.and_then(format::time_text),
            update_time: format::time_text(t.updated_at_ms),
            finish_time: t.finished_at_ms.and_then(format::time_text),
            total: t.total,
            processed: t.processed,
            data: if finished { &t.data } else { &NOTHING_YET },
            error_data: if finished { &t.errors } else { &NOTHING_YET },
            success: true,
            refresh: false,
            module_name: MODULE,
        }
    }
}
