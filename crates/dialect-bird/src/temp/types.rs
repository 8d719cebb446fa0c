//! Bird's bulk ("temp") consignment shapes: the upload answers, the stored rows, the conversion
//! task and its progress report. A temp row is kept as the client uploaded it, so its fields
//! stay free-form (a JSON object) and only the fields Entrepot adds are typed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::fields::{Int, Text};

/// The answer of `POST /client/Consignment-Upload/Temp-Consignment-Json`: each row's
/// `thirty_system_id` (or, without one, its id) → its id.
#[derive(Serialize)]
pub struct UploadBody {
    pub success: bool,
    pub message: String,
    pub data: BTreeMap<String, String>,
    #[serde(rename = "moduleName")]
    pub module_name: &'static str,
}

/// The row of `POST /client/Temp-Consignment-Info`: the fields as sent, with its id and status.
#[derive(Serialize)]
pub struct UploadedRow {
    /// The client's fields, free-form (without `id` and `status`, which are the row's own).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
    pub id: String,
    pub status: &'static str,
}

/// A stored row: `GET /client/Temp-Consignment-Info`.
#[derive(Serialize)]
pub struct TempRow {
    /// The fields as uploaded, free-form (without the keys below, which are the row's own).
    #[serde(flatten)]
    pub fields: Map<String, Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// NEW, PROBLEM or CONVERTED.
    pub temp_status: String,
    pub consignment_id: Option<String>,
    pub problem: Option<String>,
    pub create_time: Option<String>,
    pub primary_keys: [&'static str; 1],
}

/// The answer of `Temp-Consignment-Info/Convert-Into-Consignment`.
#[derive(Serialize)]
pub struct ConvertBody {
    #[serde(rename = "numberOfTotalConsignmentsToProcess")]
    pub total: usize,
    #[serde(rename = "taskId")]
    pub task_id: i64,
    pub success: bool,
    pub refresh: bool,
}

/// The parameters of a conversion task: the temp rows to convert.
#[derive(Serialize, Deserialize, Default)]
pub struct ConvertParams {
    #[serde(default)]
    pub ids: Vec<i64>,
}

/// A conversion's progress: `GET /client/Gearman-background-tasks/Get-Detail`. `data` (temp id →
/// consignment id) and `errorData` (temp id → message) are empty until the task finishes.
#[derive(Serialize)]
pub struct TaskDetailBody<'a> {
    #[serde(rename = "taskId")]
    pub task_id: String,
    /// QUEUE, RUNNING, FINISH or ERROR (Gearman's names).
    pub status: &'static str,
    pub create_time: Option<String>,
    pub start_time: Option<String>,
    pub update_time: Option<String>,
    pub finish_time: Option<String>,
    #[serde(rename = "numberOfTotalConsignmentsToProcess")]
    pub total: i64,
    #[serde(rename = "numberOfConsignmentsProcessed")]
    pub processed: i64,
    pub data: &'a BTreeMap<String, String>,
    #[serde(rename = "errorData")]
    pub error_data: &'a BTreeMap<String, String>,
    pub success: bool,
    pub refresh: bool,
    #[serde(rename = "moduleName")]
    pub module_name: &'static str,
}

/// A bulk row's own fields, besides its consignment fields
/// ([`crate::consignment::ConsignmentFields`]): `Consignment-Upload/Temp-Consignment-Json` rows
/// and the form of `POST /client/Temp-Consignment-Info`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct TempFields {
    /// `sku*qty+sku*qty`, each item optionally followed by `||ebayTxn||ebayItem||price`, or for
    /// AGENT_DIRECT the extended mini-language.
    pub product_company_ref: Text,
    /// The quantity of a single-product reference without `*qty` (1 when absent).
    pub quantity: Int,
}

/// `GET /client/Temp-Consignment-Info` (`?id=` joined with `_` or `,`) and `?id=` of
/// `Gearman-background-tasks/Get-Detail`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ById {
    pub id: Text,
}

/// The query of `Temp-Consignment-Info/Convert-Into-Consignment`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ConvertQuery {
    /// The order kind of the rows to convert (required).
    #[serde(rename = "type")]
    pub kind: Text,
    /// Temp ids joined with `_` or `,` (`id` is read when `ids` is absent).
    pub ids: Text,
    pub id: Text,
    /// `1`: convert rows that failed before too.
    #[serde(rename = "includeProblemConsignments")]
    pub include_problems: Text,
}

/// The query of `GET /client/Gearman-background-tasks/Get-Detail`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct TaskQuery {
    pub id: Int,
}
