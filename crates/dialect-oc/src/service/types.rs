//! getServiceList's body (spec §5.5). The request has no fields.

use serde::Serialize;

/// `GET|POST /openapi/3pp/base/v1/service`: one service region and its services.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRegion {
    pub service_region: String,
    pub product_list: Vec<ServiceProduct>,
}

/// A logistics service of a region.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceProduct {
    pub shipping_service_code: String,
    pub shipping_service_name_list: Vec<ServiceName>,
}

/// A service's name in one language.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceName {
    /// The platforms it applies to: always both (`0,1`).
    pub apply_platform: &'static str,
    pub language: &'static str,
    pub shipping_service_name: String,
}
