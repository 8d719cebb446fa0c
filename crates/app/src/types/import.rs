//! Order imports: the fields a seller's sheet maps onto, and what an import found and did.

use std::collections::BTreeMap;

use entrepot_core::{ids::OrderId, outbound::OutboundStatus, CoreError, CoreResult};
use serde::{Deserialize, Serialize};

/// What a column of an order sheet holds. One row is one order line; the order's own fields are
/// read from the first row of its reference (later rows may leave them empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    Reference,
    Warehouse,
    Service,
    RecipientName,
    Company,
    Address1,
    Address2,
    City,
    State,
    Postcode,
    Country,
    Phone,
    Email,
    Sku,
    Quantity,
    Platform,
    PlatformOrderId,
}

impl ImportField {
    pub const ALL: [Self; 17] = [
        Self::Reference,
        Self::Warehouse,
        Self::Service,
        Self::RecipientName,
        Self::Company,
        Self::Address1,
        Self::Address2,
        Self::City,
        Self::State,
        Self::Postcode,
        Self::Country,
        Self::Phone,
        Self::Email,
        Self::Sku,
        Self::Quantity,
        Self::Platform,
        Self::PlatformOrderId,
    ];

    /// The key a mapping names the field by (as serialized).
    pub fn key(self) -> &'static str {
        match self {
            Self::Reference => "reference",
            Self::Warehouse => "warehouse",
            Self::Service => "service",
            Self::RecipientName => "recipient_name",
            Self::Company => "company",
            Self::Address1 => "address1",
            Self::Address2 => "address2",
            Self::City => "city",
            Self::State => "state",
            Self::Postcode => "postcode",
            Self::Country => "country",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Sku => "sku",
            Self::Quantity => "quantity",
            Self::Platform => "platform",
            Self::PlatformOrderId => "platform_order_id",
        }
    }

    /// The field named by `key` (see [`Self::key`]).
    pub fn parse(key: &str) -> CoreResult<Self> {
        let k = key.trim();
        Self::ALL.into_iter().find(|f| f.key().eq_ignore_ascii_case(k)).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|f| f.key()).collect();
            CoreError::invalid("mapping", format!("unknown field '{k}' (one of {})", known.join(", ")))
        })
    }

    /// Whether every order line must give it (order fields: the order's first row).
    pub fn required(self) -> bool {
        matches!(
            self,
            Self::Reference
                | Self::Warehouse
                | Self::Service
                | Self::RecipientName
                | Self::Address1
                | Self::City
                | Self::Country
                | Self::Sku
                | Self::Quantity
        )
    }

    /// Whether it belongs to the line (SKU, quantity) rather than to the order.
    pub fn per_line(self) -> bool {
        matches!(self, Self::Sku | Self::Quantity | Self::Reference)
    }
}

/// Which field each header of a sheet holds, header text as the sheet spells it. A header the
/// mapping leaves out is read through the built-in names, or ignored.
pub type ImportMapping = BTreeMap<String, ImportField>;

/// A mapping as remembered, whatever the sheet's kind: header → field key.
pub type StoredMapping = BTreeMap<String, String>;

/// Where the mapping an import used came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingSource {
    /// The headers are the template's (or their Chinese names): no mapping needed.
    BuiltIn,
    /// The caller gave it (and it is now remembered for these headers).
    Given,
    /// Remembered from an earlier import of a file with the same headers.
    Remembered,
}

/// One thing wrong with one row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The row's number as the spreadsheet shows it (the header row is usually 1).
    pub row: usize,
    /// The header of the column at fault, when one is.
    pub column: Option<String>,
    /// The order reference (or, in a SKU sheet, the SKU code) the row gives, when it gives one.
    pub reference: Option<String>,
    pub message: String,
}

/// An order of the file: placed (or, in a dry run, that would be), or already there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedOrder {
    pub reference: String,
    /// Its rows in the sheet.
    pub rows: Vec<usize>,
    /// The order's id and number; none in a dry run for an order not placed yet.
    pub id: Option<OrderId>,
    pub number: Option<String>,
    pub status: Option<OutboundStatus>,
}

/// An order of the file that is not placed because one of its rows is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedOrder {
    pub reference: String,
    pub rows: Vec<usize>,
}

/// What an import read, found wrong and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub file_name: String,
    pub dry_run: bool,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Orders the rows make (distinct references).
    pub orders: usize,
    /// Every row's problems, in sheet order.
    pub errors: Vec<RowError>,
    /// Orders placed (submitted), or that would be in a dry run.
    pub placed: Vec<ImportedOrder>,
    /// Orders whose reference the client already has: skipped, never created twice.
    pub already_imported: Vec<ImportedOrder>,
    /// Orders not placed because of an error on one of their rows.
    pub refused: Vec<RefusedOrder>,
    /// The mapping used, header → field, for every header read.
    pub mapping: ImportMapping,
    pub mapping_source: MappingSource,
}

impl ImportReport {
    /// The errors of sheet row `row`, joined for one cell.
    pub fn errors_of(&self, row: usize) -> Option<String> {
        row_errors(&self.errors, row)
    }
}

/// The errors of sheet row `row` among `errors`, joined for one cell.
pub fn row_errors(errors: &[RowError], row: usize) -> Option<String> {
    let msgs: Vec<String> = errors
        .iter()
        .filter(|e| e.row == row)
        .map(|e| match &e.column {
            Some(c) => format!("{c}: {}", e.message),
            None => e.message.clone(),
        })
        .collect();
    (!msgs.is_empty()).then(|| msgs.join("; "))
}
