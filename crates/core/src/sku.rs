//! The SKU (OC) / product (Bird): one entity with both dialects' identifiers and one life cycle.
//!
//! OC-created SKUs start as drafts and must be submitted by the seller and audited by staff
//! before stock can move in or out (seed: "SKU 草稿 → 提交审核 → 审核成功"). Bird products are
//! created ready to use and toggle ACTIVE/INACTIVE; both rules live here.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    ids::{ClientId, SkuId},
    limits, CoreError, CoreResult,
};

/// Audit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SkuStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
}

impl SkuStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Submitted => "SUBMITTED",
            Self::Approved => "APPROVED",
            Self::Rejected => "REJECTED",
        }
    }

    /// The move the seller makes: a draft, or a rejected SKU after fixing it, goes to review.
    pub fn submit(self) -> Result<Self, Self> {
        match self {
            Self::Draft | Self::Rejected => Ok(Self::Submitted),
            other => Err(other),
        }
    }

    /// The auditor's decision; only a submitted SKU can be audited.
    pub fn audit(self, approve: bool) -> Result<Self, Self> {
        match (self, approve) {
            (Self::Submitted, true) => Ok(Self::Approved),
            (Self::Submitted, false) => Ok(Self::Rejected),
            (other, _) => Err(other),
        }
    }
}

impl fmt::Display for SkuStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SkuStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.to_ascii_uppercase().as_str() {
            "DRAFT" => Ok(Self::Draft),
            "SUBMITTED" => Ok(Self::Submitted),
            "APPROVED" => Ok(Self::Approved),
            "REJECTED" => Ok(Self::Rejected),
            _ => Err(CoreError::invalid("status", format!("unknown SKU status '{s}'"))),
        }
    }
}

/// Properties that carriers restrict (batteries, liquids...). Services list the ones they refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CustomsProperty {
    General,
    BuiltInBattery,
    BatteryOnly,
    Liquid,
    Powder,
    Magnetic,
    Flammable,
    Sharp,
    Food,
    Cosmetic,
}

impl CustomsProperty {
    pub const ALL: [Self; 10] = [
        Self::General,
        Self::BuiltInBattery,
        Self::BatteryOnly,
        Self::Liquid,
        Self::Powder,
        Self::Magnetic,
        Self::Flammable,
        Self::Sharp,
        Self::Food,
        Self::Cosmetic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "GENERAL",
            Self::BuiltInBattery => "BUILT_IN_BATTERY",
            Self::BatteryOnly => "BATTERY_ONLY",
            Self::Liquid => "LIQUID",
            Self::Powder => "POWDER",
            Self::Magnetic => "MAGNETIC",
            Self::Flammable => "FLAMMABLE",
            Self::Sharp => "SHARP",
            Self::Food => "FOOD",
            Self::Cosmetic => "COSMETIC",
        }
    }

    /// Parses our codes and the Chinese labels Bird ERPs send (`普货`, `内置锂离子电池`...).
    pub fn parse(s: &str) -> CoreResult<Self> {
        let t = s.trim();
        let upper = t.to_ascii_uppercase().replace([' ', '-'], "_");
        let found = Self::ALL.into_iter().find(|p| p.as_str() == upper).or(match t {
            "普货" | "其它" | "其他" => Some(Self::General),
            "内置锂离子电池" | "内置电池" | "带电" | "电池" | "带电池" | "含电池" => {
                Some(Self::BuiltInBattery)
            }
            "纯电池" | "锂电池" => Some(Self::BatteryOnly),
            "液体" => Some(Self::Liquid),
            "粉末" => Some(Self::Powder),
            "带磁" | "磁性" => Some(Self::Magnetic),
            "易燃" => Some(Self::Flammable),
            "刀具" | "利器" => Some(Self::Sharp),
            "食品" => Some(Self::Food),
            "化妆品" => Some(Self::Cosmetic),
            _ => None,
        });
        found.ok_or_else(|| CoreError::invalid("customs_property", format!("unknown customs property '{s}'")))
    }
}

/// A SKU and everything the warehouse and customs need to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sku {
    pub id: SkuId,
    pub client_id: ClientId,
    /// OC's identifier (`OC` + 13 digits).
    pub mfskuid: String,
    /// The seller's own SKU code: OC `sellerSKUID`, Bird `client_ref`. Unique per client.
    pub seller_sku: String,
    /// The ERP's reference for this SKU (OC `referenceSKUID`).
    pub reference_sku: Option<String>,
    pub name_en: String,
    pub name_cn: Option<String>,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    /// Declared customs value in minor units of `declared_currency`.
    pub declared_value: i64,
    pub declared_currency: String,
    pub hs_code: Option<String>,
    pub origin_country: Option<String>,
    pub properties: Vec<CustomsProperty>,
    pub image_url: Option<String>,
    pub status: SkuStatus,
    /// Bird's ACTIVE/INACTIVE switch; an inactive product cannot be ordered.
    pub active: bool,
    pub reject_reason: Option<String>,
    /// The warehouse's measurement, once staff measured and weighed the SKU at audit: `weight_g`
    /// and the dimensions above are then the measured ones (they rule labels, suitability and
    /// fees), and this keeps what the seller declared.
    #[serde(default)]
    pub measurement: Option<Measurement>,
}

/// A SKU's weight and dimensions, as declared by the seller or measured by the warehouse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimensions {
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
}

impl Dimensions {
    /// Checks a declaration: each value within its bounds (zero allowed: OC SKUs may be created
    /// without them).
    pub fn validate(&self) -> CoreResult<()> {
        limits::weight_g("weight", self.weight_g)?;
        for (field, v) in [("length", self.length_mm), ("width", self.width_mm), ("height", self.height_mm)] {
            limits::dimension_mm(field, v)?;
        }
        Ok(())
    }
}

/// What the warehouse measured overrides what the seller declared; both are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measurement {
    /// The seller's declared weight and dimensions, still changed by the seller's updates.
    pub declared: Dimensions,
    /// When the warehouse last measured (ms since the epoch).
    pub at_ms: i64,
}

/// Which of a SKU's weight and dimensions staff measured; the others keep their current value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasuredValues {
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
}

impl MeasuredValues {
    /// Checks what was measured: what a scale and a tape give is positive and within bounds.
    pub fn validate(&self) -> CoreResult<()> {
        for (field, v, max) in [
            ("weight", self.weight_g, limits::MAX_WEIGHT_G),
            ("length", self.length_mm, limits::MAX_DIMENSION_MM),
            ("width", self.width_mm, limits::MAX_DIMENSION_MM),
            ("height", self.height_mm, limits::MAX_DIMENSION_MM),
        ] {
            if let Some(v) = v {
                if v <= 0 {
                    return Err(CoreError::invalid(field, "a measured value must be positive"));
                }
                limits::within(field, v, 1, max)?;
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.weight_g.is_none() && self.length_mm.is_none() && self.width_mm.is_none() && self.height_mm.is_none()
    }
}

impl Sku {
    /// Checks the physical and customs data, so a label or a fee is never computed from nonsense.
    pub fn validate(&self) -> CoreResult<()> {
        if self.seller_sku.trim().is_empty() {
            return Err(CoreError::invalid("seller_sku", "must not be empty"));
        }
        if self.seller_sku.len() > 64 {
            return Err(CoreError::invalid("seller_sku", "must be at most 64 characters"));
        }
        if self.name_en.trim().is_empty() {
            return Err(CoreError::invalid("name", "must not be empty"));
        }
        for (field, v) in [
            ("weight", self.weight_g),
            ("length", self.length_mm),
            ("width", self.width_mm),
            ("height", self.height_mm),
            ("declared_value", self.declared_value),
        ] {
            if v < 0 {
                return Err(CoreError::invalid(field, "must not be negative"));
            }
        }
        limits::weight_g("weight", self.weight_g)?;
        for (field, v) in [("length", self.length_mm), ("width", self.width_mm), ("height", self.height_mm)] {
            limits::dimension_mm(field, v)?;
        }
        limits::amount_minor("declared_value", self.declared_value)?;
        Ok(())
    }

    /// Whether stock of this SKU may be shipped in or out now.
    pub fn ensure_usable(&self) -> CoreResult<()> {
        if self.status != SkuStatus::Approved {
            return Err(CoreError::Conflict(format!(
                "SKU {} ({}) is {}; only approved SKUs can be shipped in or out",
                self.seller_sku, self.mfskuid, self.status
            )));
        }
        if !self.active {
            return Err(CoreError::Conflict(format!("product {} is INACTIVE", self.seller_sku)));
        }
        Ok(())
    }

    /// Applies the seller's submit, naming the current status when refused.
    pub fn submit(&mut self) -> CoreResult<()> {
        self.status = self.status.submit().map_err(|from| self.transition_error(from, "SUBMITTED"))?;
        self.reject_reason = None;
        Ok(())
    }

    /// Applies the auditor's decision.
    pub fn audit(&mut self, approve: bool, reason: Option<String>) -> CoreResult<()> {
        let to = if approve { "APPROVED" } else { "REJECTED" };
        self.status = self.status.audit(approve).map_err(|from| self.transition_error(from, to))?;
        self.reject_reason = if approve { None } else { reason };
        Ok(())
    }

    /// The weight and dimensions in force: measured if the warehouse measured, else declared.
    pub fn dimensions(&self) -> Dimensions {
        Dimensions {
            weight_g: self.weight_g,
            length_mm: self.length_mm,
            width_mm: self.width_mm,
            height_mm: self.height_mm,
        }
    }

    /// What the seller declared, whether or not a measurement overrides it.
    pub fn declared(&self) -> Dimensions {
        self.measurement.map(|m| m.declared).unwrap_or_else(|| self.dimensions())
    }

    fn set_dimensions(&mut self, d: Dimensions) {
        (self.weight_g, self.length_mm, self.width_mm, self.height_mm) =
            (d.weight_g, d.length_mm, d.width_mm, d.height_mm);
    }

    /// The seller declares weight and dimensions: they are the SKU's own unless the warehouse
    /// measured it, whose measurement still rules (the declaration is kept beside it).
    pub fn declare(&mut self, d: Dimensions) {
        match &mut self.measurement {
            Some(m) => m.declared = d,
            None => self.set_dimensions(d),
        }
    }

    /// Staff measure and weigh the SKU at audit (under review) or later (approved): the values
    /// given override the declared ones, the others stay as they are.
    pub fn measure(&mut self, v: MeasuredValues, at_ms: i64) -> CoreResult<()> {
        if !matches!(self.status, SkuStatus::Submitted | SkuStatus::Approved) {
            return Err(CoreError::Conflict(format!(
                "SKU {} ({}) is {}; only a SKU under review or approved is measured",
                self.seller_sku, self.mfskuid, self.status
            )));
        }
        if v.is_empty() {
            return Err(CoreError::invalid("weight", "give at least one measured value"));
        }
        v.validate()?;
        let now = self.dimensions();
        let measured = Dimensions {
            weight_g: v.weight_g.unwrap_or(now.weight_g),
            length_mm: v.length_mm.unwrap_or(now.length_mm),
            width_mm: v.width_mm.unwrap_or(now.width_mm),
            height_mm: v.height_mm.unwrap_or(now.height_mm),
        };
        let declared = self.declared();
        self.measurement = Some(Measurement { declared, at_ms });
        self.set_dimensions(measured);
        Ok(())
    }

    fn transition_error(&self, from: SkuStatus, to: &str) -> CoreError {
        CoreError::InvalidTransition {
            entity: "SKU",
            id: self.mfskuid.clone(),
            from: from.to_string(),
            to: to.to_owned(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample(id: i64) -> Sku {
        Sku {
            id: SkuId(id),
            client_id: "cli_1".into(),
            mfskuid: crate::ids::oc_mfskuid(id),
            seller_sku: format!("SKU-{id}"),
            reference_sku: None,
            name_en: "Widget".into(),
            name_cn: None,
            weight_g: 500,
            length_mm: 200,
            width_mm: 100,
            height_mm: 50,
            declared_value: 1000,
            declared_currency: "GBP".into(),
            hs_code: None,
            origin_country: Some("CN".into()),
            properties: vec![],
            image_url: None,
            status: SkuStatus::Draft,
            active: true,
            reject_reason: None,
            measurement: None,
        }
    }

    #[test]
    fn measurements_override_declarations_which_are_kept() {
        let mut s = sample(1);
        let m = MeasuredValues { weight_g: Some(650), ..Default::default() };
        assert!(s.measure(m, 1).is_err(), "a draft is not measured");
        s.submit().unwrap();
        assert!(s.measure(MeasuredValues::default(), 1).is_err(), "nothing measured");
        assert!(s.measure(MeasuredValues { length_mm: Some(0), ..m }, 1).is_err(), "zero is no measurement");
        assert!(s.measure(MeasuredValues { weight_g: Some(limits::MAX_WEIGHT_G + 1), ..m }, 1).is_err());
        s.measure(m, 7).unwrap();
        let declared = Dimensions { weight_g: 500, length_mm: 200, width_mm: 100, height_mm: 50 };
        assert_eq!(s.dimensions(), Dimensions { weight_g: 650, ..declared });
        assert_eq!(s.measurement, Some(Measurement { declared, at_ms: 7 }));
        // Measured again: the first declaration stays the declaration.
        s.measure(MeasuredValues { height_mm: Some(60), ..Default::default() }, 9).unwrap();
        assert_eq!(s.dimensions(), Dimensions { weight_g: 650, height_mm: 60, ..declared });
        assert_eq!(s.declared(), declared);
        // The seller's new declaration is kept, the measurement still rules.
        s.declare(Dimensions { weight_g: 1, ..declared });
        assert_eq!((s.weight_g, s.declared().weight_g), (650, 1));
        s.audit(true, None).unwrap();
        s.measure(MeasuredValues { weight_g: Some(640), ..Default::default() }, 10).unwrap();
        assert_eq!(s.weight_g, 640);
    }

    #[test]
    fn life_cycle_draft_to_approved() {
        let mut s = sample(1);
        assert!(s.ensure_usable().is_err());
        assert!(s.audit(true, None).is_err(), "a draft cannot be audited");
        s.submit().unwrap();
        assert!(s.submit().is_err(), "already under review");
        s.audit(false, Some("missing image".into())).unwrap();
        assert_eq!(s.status, SkuStatus::Rejected);
        assert_eq!(s.reject_reason.as_deref(), Some("missing image"));
        s.submit().unwrap();
        s.audit(true, None).unwrap();
        assert_eq!(s.status, SkuStatus::Approved);
        s.ensure_usable().unwrap();
        s.active = false;
        assert!(s.ensure_usable().is_err());
    }

    #[test]
    fn customs_properties_parse_chinese_labels() {
        assert_eq!(CustomsProperty::parse("普货").unwrap(), CustomsProperty::General);
        assert_eq!(CustomsProperty::parse("内置锂离子电池").unwrap(), CustomsProperty::BuiltInBattery);
        assert_eq!(CustomsProperty::parse("liquid").unwrap(), CustomsProperty::Liquid);
        assert_eq!(CustomsProperty::parse("电池").unwrap(), CustomsProperty::BuiltInBattery);
        assert_eq!(CustomsProperty::parse("built-in battery").unwrap(), CustomsProperty::BuiltInBattery);
        assert!(CustomsProperty::parse("plutonium").is_err());
    }

    #[test]
    fn validation() {
        let mut s = sample(1);
        s.validate().unwrap();
        s.weight_g = -1;
        assert!(s.validate().is_err());
    }
}
