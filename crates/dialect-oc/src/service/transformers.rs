//! Core services as getServiceList shows them.

use entrepot_core::service::Service;

use super::types::{ServiceName, ServiceProduct};

impl From<&Service> for ServiceProduct {
    /// Its English name, and its Chinese one when it has one.
    fn from(s: &Service) -> Self {
        let name = |language, name: &str| ServiceName {
            apply_platform: "0,1",
            language,
            shipping_service_name: name.to_owned(),
        };
        let mut names = vec![name("en-US", &s.name)];
        names.extend(s.name_cn.as_deref().map(|cn| name("zh-CN", cn)));
        Self { shipping_service_code: s.code.clone(), shipping_service_name_list: names }
    }
}
