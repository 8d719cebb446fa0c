use entrepot_core::{
    ids::{oc_mfskuid, ClientId, SkuId},
    sku::{CustomsProperty, Sku, SkuStatus},
    CoreResult,
};
use serde_json::Value;

/// Whom one of a seller's SKUs is shared with, as its owner manages it.
#[derive(Debug, Clone)]
pub struct SkuSharing {
    pub sku: Sku,
    /// Shared with every client (Bird's ordinary shared product).
    pub everyone: bool,
    /// The clients it is shared with by name (Bird's directional shared product): id and name.
    pub clients: Vec<(ClientId, String)>,
}

/// A SKU to create. OC-created SKUs start as drafts; Bird products start approved (BirdSystem
/// has no audit step).
#[derive(Debug, Clone)]
pub struct NewSku {
    pub seller_sku: String,
    pub reference_sku: Option<String>,
    pub name_en: String,
    pub name_cn: Option<String>,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub declared_value: i64,
    pub declared_currency: String,
    pub hs_code: Option<String>,
    pub origin_country: Option<String>,
    pub properties: Vec<CustomsProperty>,
    pub image_url: Option<String>,
    pub status: SkuStatus,
}

impl From<&Sku> for NewSku {
    /// A SKU as the seller declared it (what staff measured aside): what an update that sends
    /// only the fields it changes starts from.
    fn from(s: &Sku) -> Self {
        let d = s.declared();
        NewSku {
            seller_sku: s.seller_sku.clone(),
            reference_sku: s.reference_sku.clone(),
            name_en: s.name_en.clone(),
            name_cn: s.name_cn.clone(),
            weight_g: d.weight_g,
            length_mm: d.length_mm,
            width_mm: d.width_mm,
            height_mm: d.height_mm,
            declared_value: s.declared_value,
            declared_currency: s.declared_currency.clone(),
            hs_code: s.hs_code.clone(),
            origin_country: s.origin_country.clone(),
            properties: s.properties.clone(),
            image_url: s.image_url.clone(),
            status: s.status,
        }
    }
}

impl NewSku {
    /// A product with nothing described yet but its code, usable at once: what Bird's product
    /// fields are written over (BirdSystem has no audit step).
    pub fn approved(seller_sku: String) -> NewSku {
        NewSku {
            seller_sku,
            reference_sku: None,
            name_en: String::new(),
            name_cn: None,
            weight_g: 0,
            length_mm: 0,
            width_mm: 0,
            height_mm: 0,
            declared_value: 0,
            declared_currency: "USD".into(),
            hs_code: None,
            origin_country: None,
            properties: vec![],
            image_url: None,
            status: SkuStatus::Approved,
        }
    }

    /// The checks creating it makes (the store runs them again as it writes), without writing:
    /// what an import's dry run reports for a row.
    pub fn check(&self, tenant: &ClientId) -> CoreResult<()> {
        let code = self.seller_sku.trim().to_owned();
        self.clone().into_sku(SkuId(0), tenant, code).validate()
    }

    /// The SKU this becomes under `id`, with `seller_sku` as the caller normalised it.
    pub fn into_sku(self, id: SkuId, tenant: &ClientId, seller_sku: String) -> Sku {
        Sku {
            id,
            client_id: tenant.clone(),
            mfskuid: oc_mfskuid(id.0),
            seller_sku,
            reference_sku: self.reference_sku,
            name_en: self.name_en,
            name_cn: self.name_cn,
            weight_g: self.weight_g,
            length_mm: self.length_mm,
            width_mm: self.width_mm,
            height_mm: self.height_mm,
            declared_value: self.declared_value,
            declared_currency: self.declared_currency,
            hs_code: self.hs_code,
            origin_country: self.origin_country,
            properties: self.properties,
            image_url: self.image_url,
            status: self.status,
            active: true,
            reject_reason: None,
            measurement: None,
        }
    }
}

/// List filter; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct SkuFilter {
    pub updated_from_ms: Option<i64>,
    pub updated_to_ms: Option<i64>,
    pub ids: Vec<SkuId>,
    pub mfskuids: Vec<String>,
    pub seller_skus: Vec<String>,
    pub reference_skus: Vec<String>,
    pub offset: i64,
    pub limit: i64,
}

/// The outcome of [`Store::create_sku_once`].
#[derive(Debug, Clone)]
pub enum SkuCreation {
    Created(Sku),
    /// The client already has a SKU with this reference or seller SKU; nothing was written.
    Exists(Sku),
}

/// What the SKU table holds beside the core's [`Sku`]: the dialect extras and the times.
#[derive(Debug, Clone, Default)]
pub struct SkuExtras {
    pub oc_details: Option<Value>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}
