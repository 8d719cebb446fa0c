//! An inbound's files as every door keeps them: the SKU labels and carton marks printed for it,
//! and the customs clearance documents its seller uploads.
//!
//! They live in the blob store under `oc/files/{token}/{name}`, `token` being 128 random bits
//! kept in the inbound's details (`fileToken`), so OC's capability URLs and the console serve the
//! same files. The labels are one 60 × 30 mm label per unit expected (one per SKU when that would
//! exceed the page limit; print copies then) with a Code128 barcode of the MFSKUID; the carton
//! marks one 100 × 100 mm mark per carton with a Code128 barcode of the carton number. A customs
//! file is kept with its name, type and size in the details' `fileList`, and its type recorded
//! with the inbound (one created with `needClearanceDoc` is received once those due are there).

use entrepot_app::{App, InboundView};
use entrepot_core::{ids::ClientId, CoreError, CoreResult};
use entrepot_labels::{carton_marks, sku_labels, CartonMark, SkuLabel, MAX_PAGES};
use serde::Serialize;
use serde_json::{json, Value};

use crate::BlobStore;

/// The label files' names under an inbound's file token.
pub const SKU_LABELS: &str = "sku-labels.pdf";
pub const CARTON_MARKS: &str = "carton-marks.pdf";

/// Clearance document types: packing list, invoice, commercial invoice, bill of lading, master
/// and house air waybill, certificate of origin, anything else.
pub const CLEARANCE_TYPES: [&str; 8] = ["PL", "IN", "CI", "BL", "MAWB", "HAWB", "CO", "OTHERS"];

/// The largest customs file.
pub const MAX_CLEARANCE_BYTES: usize = 10 * 1024 * 1024;

/// A fresh unguessable token: 32 lowercase hex digits.
pub fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The blob key of file `name` of `token`.
pub fn blob_key(token: &str, name: &str) -> String {
    format!("oc/files/{token}/{name}")
}

/// An uploaded file's name reduced to what is safe in a URL path and a blob key.
pub fn safe_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let trimmed = cleaned.trim_start_matches('.');
    let mut out: String = trimmed.chars().take(100).collect();
    if out.is_empty() {
        out = "file".into();
    }
    out
}

/// One carton of an inbound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carton {
    pub number: String,
    pub seller_number: Option<String>,
    pub products: Vec<(String, i64)>,
}

/// The cartons of an inbound in list order; unnumbered ones get `{inboundNumber}-{nnn}`. An
/// inbound created without cartons (through the Bird API or the console) is one carton of
/// everything.
pub fn cartons(v: &InboundView, mfskuid_of: impl Fn(i64) -> String) -> Vec<Carton> {
    let listed = v.details.pointer("/request/cartons").and_then(Value::as_array).cloned().unwrap_or_default();
    if listed.is_empty() {
        let products = v.inbound.lines.iter().map(|l| (mfskuid_of(l.sku_id.0), l.expected)).collect();
        return vec![Carton { number: format!("{}-001", v.inbound.number), seller_number: None, products }];
    }
    listed
        .iter()
        .enumerate()
        .map(|(k, c)| Carton {
            number: c["cartonNumber"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{}-{:03}", v.inbound.number, k + 1)),
            seller_number: c["sellerCartonNumber"].as_str().map(str::to_owned),
            products: c["products"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| (p["mfskuid"].as_str().unwrap_or_default().to_owned(), p["quantity"].as_i64().unwrap_or(0)))
                .collect(),
        })
        .collect()
}

/// The inbound's file token, given one first if it has none.
pub async fn token(app: &App, client: &ClientId, v: &InboundView) -> CoreResult<String> {
    if let Some(t) = v.details["fileToken"].as_str() {
        return Ok(t.to_owned());
    }
    let fresh = new_token();
    let details = app
        .update_inbound_details(client, &v.inbound.number, |d| {
            if d["fileToken"].as_str().is_none() {
                d["fileToken"] = json!(fresh);
            }
            Ok(())
        })
        .await?;
    details["fileToken"].as_str().map(str::to_owned).ok_or(CoreError::Internal)
}

/// An inbound's two PDFs.
pub struct Documents {
    pub sku_labels: Vec<u8>,
    pub carton_marks: Vec<u8>,
}

/// Renders the SKU labels and carton marks of the client's inbound `v`.
pub async fn documents(app: &App, client: &ClientId, v: &InboundView) -> CoreResult<Documents> {
    let ids: Vec<_> = v.inbound.lines.iter().map(|l| l.sku_id).collect();
    let skus = app.skus_by_ids(client, &ids).await?;
    let units: i64 = v.inbound.lines.iter().map(|l| l.expected).sum();
    let one_each = units > MAX_PAGES as i64;
    let labels: Vec<SkuLabel> = v
        .inbound
        .lines
        .iter()
        .filter_map(|l| {
            let s = skus.iter().find(|s| s.id == l.sku_id)?;
            Some(SkuLabel {
                mfskuid: s.mfskuid.clone(),
                seller_sku: s.seller_sku.clone(),
                title: s.name_en.clone(),
                origin: s.origin_country.clone(),
                copies: if one_each { 1 } else { u32::try_from(l.expected).unwrap_or(1) },
            })
        })
        .collect();
    let mfskuid_of = |id: i64| skus.iter().find(|s| s.id.0 == id).map(|s| s.mfskuid.clone()).unwrap_or_default();
    let wh = app.warehouse(&v.warehouse_id).await?;
    let a = &wh.address;
    let address: Vec<&str> = a
        .lines
        .iter()
        .map(String::as_str)
        .chain([a.city.as_str(), a.postcode.as_str(), a.country.as_str()])
        .filter(|s| !s.trim().is_empty())
        .collect();
    let list = cartons(v, mfskuid_of);
    let total = u32::try_from(list.len()).unwrap_or(0);
    let marks: Vec<CartonMark> = list
        .into_iter()
        .enumerate()
        .map(|(k, c)| CartonMark {
            carton_number: c.number,
            inbound_number: v.inbound.number.clone(),
            box_index: u32::try_from(k + 1).unwrap_or(0),
            box_total: total,
            warehouse: wh.code.clone(),
            warehouse_address: address.join(", "),
            lines: c.products.into_iter().map(|(s, q)| (s, u64::try_from(q).unwrap_or(0))).collect(),
        })
        .collect();
    let render_failed = |e: entrepot_labels::LabelError| {
        tracing::error!(error = %e, inbound = %v.inbound.number, "inbound documents could not be rendered");
        CoreError::Conflict(format!("the labels of inbound {} could not be printed: {e}", v.inbound.number))
    };
    Ok(Documents {
        sku_labels: sku_labels(&labels).map_err(render_failed)?,
        carton_marks: carton_marks(&marks).map_err(render_failed)?,
    })
}

/// A customs file's kind, by its first bytes or its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn sniff(b: &[u8]) -> Option<Self> {
        if b.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if b.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else {
            None
        }
    }

    pub fn by_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "pdf" => Some(Self::Pdf),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
        }
    }
}

/// A customs file to keep, checked by its door.
pub struct ClearanceFile {
    pub file_name: String,
    /// One of [`CLEARANCE_TYPES`].
    pub file_type: String,
    pub bytes: Vec<u8>,
}

/// A customs file as kept: `name` is its blob's name under the inbound's file token.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredFile {
    pub name: String,
    pub file_name: String,
    pub file_type: String,
    pub size: usize,
    /// UTC milliseconds.
    pub uploaded_at: i64,
    pub verify_status: &'static str,
}

/// Keeps customs files of the client's inbound `v` (not a cancelled one): stored in the blob
/// store, listed in its details, their types recorded with it.
pub async fn add_clearance_files(
    app: &App,
    blobs: &dyn BlobStore,
    client: &ClientId,
    v: &InboundView,
    files: Vec<ClearanceFile>,
    now_ms: i64,
) -> CoreResult<Vec<StoredFile>> {
    if v.inbound.status == entrepot_core::inbound::InboundStatus::Cancelled {
        return Err(CoreError::Conflict(format!("inbound {} is cancelled", v.inbound.number)));
    }
    let token = token(app, client, v).await?;
    let mut stored = vec![];
    for f in files {
        let name = format!("customs-{:08x}-{}", rand::random::<u32>(), safe_name(&f.file_name));
        blobs.put(&blob_key(&token, &name), &f.bytes).await.map_err(|e| {
            tracing::error!(error = %e, "storing a customs file failed");
            CoreError::Internal
        })?;
        stored.push(StoredFile {
            name,
            file_name: f.file_name,
            file_type: f.file_type,
            size: f.bytes.len(),
            uploaded_at: now_ms,
            verify_status: "Received",
        });
    }
    app.update_inbound_details(client, &v.inbound.number, |d| {
        let mut list = d["fileList"].as_array().cloned().unwrap_or_default();
        for f in &stored {
            list.push(serde_json::to_value(f).map_err(|_| CoreError::Internal)?);
        }
        d["fileList"] = Value::Array(list);
        Ok(())
    })
    .await?;
    let types: Vec<String> = stored.iter().map(|f| f.file_type.clone()).collect();
    app.add_inbound_clearance_docs(client, &v.inbound.number, &types).await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content_and_name() {
        assert_eq!(FileKind::sniff(b"%PDF-1.4\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(b"MZ\x90\x00"), None);
        assert_eq!(FileKind::by_name("Invoice.PDF"), Some(FileKind::Pdf));
        assert_eq!(FileKind::by_name("scan.JPEG"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::by_name("noext"), None);
    }
}
