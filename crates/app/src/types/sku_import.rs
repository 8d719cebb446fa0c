//! SKU imports: the fields a seller's SKU sheet maps onto, and what an import found and did.
//! One row is one SKU; its code is its key, so a code the client already has is skipped.

use std::collections::BTreeMap;

use entrepot_core::{ids::SkuId, sku::SkuStatus};
use serde::{Deserialize, Serialize};

use super::import::{MappingSource, RowError};

/// What a column of a SKU sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkuField {
    SellerSku,
    NameEn,
    NameCn,
    WeightG,
    LengthMm,
    WidthMm,
    HeightMm,
    DeclaredValue,
    HsCode,
    OriginCountry,
}

impl SkuField {
    pub const ALL: [Self; 10] = [
        Self::SellerSku,
        Self::NameEn,
        Self::NameCn,
        Self::WeightG,
        Self::LengthMm,
        Self::WidthMm,
        Self::HeightMm,
        Self::DeclaredValue,
        Self::HsCode,
        Self::OriginCountry,
    ];

    /// The key a mapping names the field by (as serialized).
    pub fn key(self) -> &'static str {
        match self {
            Self::SellerSku => "seller_sku",
            Self::NameEn => "name_en",
            Self::NameCn => "name_cn",
            Self::WeightG => "weight_g",
            Self::LengthMm => "length_mm",
            Self::WidthMm => "width_mm",
            Self::HeightMm => "height_mm",
            Self::DeclaredValue => "declared_value",
            Self::HsCode => "hs_code",
            Self::OriginCountry => "origin_country",
        }
    }

    /// Whether every row must give it (what the console's "new SKU" form requires).
    pub fn required(self) -> bool {
        matches!(self, Self::SellerSku | Self::NameEn)
    }
}

/// A SKU sheet's mapping: header (as the sheet spells it) → field.
pub type SkuImportMapping = BTreeMap<String, SkuField>;

/// A SKU of the file: created (a draft), that would be (dry run), or already the client's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedSku {
    pub seller_sku: String,
    /// Its row in the sheet.
    pub row: usize,
    /// The SKU's id, warehouse code and audit state; none in a dry run for a SKU not created yet.
    pub id: Option<SkuId>,
    pub mfskuid: Option<String>,
    pub status: Option<SkuStatus>,
}

/// What a SKU import read, found wrong and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuImportReport {
    pub file_name: String,
    pub dry_run: bool,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Every row's problems, in sheet order.
    pub errors: Vec<RowError>,
    /// SKUs created (as drafts), or that would be in a dry run.
    pub created: Vec<ImportedSku>,
    /// Rows whose code the client already has: skipped, never created twice.
    pub already_present: Vec<ImportedSku>,
    /// Rows not imported because they are wrong.
    pub refused: Vec<usize>,
    /// The mapping used, header → field, for every header read.
    pub mapping: SkuImportMapping,
    pub mapping_source: MappingSource,
}
