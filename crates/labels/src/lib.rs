//! Label, barcode and document generation for Entrepot.
//!
//! The sandbox carrier's shipping labels, the OC inbound SKU labels and
//! carton marks, and the Bird barcode endpoint must all print exactly the
//! same barcodes and layouts. This crate produces them with pure,
//! deterministic functions that return bytes: no I/O, no clocks, no
//! randomness, so the same input always yields the same file.
//!
//! The formats come from maintained libraries: krilla writes the PDFs and
//! subsets the embedded fonts, rxing encodes Code128, png writes images.
//! The fonts (Noto Sans, Noto Sans CJK SC) are vendored under `fonts/`, so
//! Polish, Czech, Nordic... addresses and Chinese product names print as
//! written.
//!
//! - [`encode`] turns text into a Code128 [`Barcode`].
//! - [`barcode_png`] renders a barcode as a PNG image.
//! - [`PdfDocument`] lays out label-sized PDF pages.
//! - [`shipping_label`], [`sku_labels`], [`carton_marks`] and
//!   [`bin_labels`] build the warehouse's labels as PDF; [`pick_list`],
//!   [`manifest`] and [`packing_slip`] its outbound sheets and slips.
//! - With the `inspect` feature, [`inspect`] reads printed PDFs back
//!   (poppler and a barcode decoder) for tests.

pub mod camera;
mod code128;
mod documents;
mod error;
mod fonts;
pub use fonts::chinese_web_font;
#[cfg(any(test, feature = "inspect"))]
pub mod inspect;
mod pdf;
mod png;

pub use code128::{encode, Barcode, MAX_DATA_CHARS};
pub use documents::{
    bin_labels, carton_marks, manifest, packing_slip, pick_list, shipping_label, sku_labels, Address, BinLabel,
    CartonMark, ManifestDoc, ManifestParcel, PackingSlip, PickLine, PickListDoc, PickTote, ShippingLabel, SkuLabel,
    SlipLine, MAX_PAGES,
};
pub use error::LabelError;
pub use fonts::{fit_text, text_width, Font};
pub use pdf::{Page, PdfDocument};
pub use png::{barcode_png, MAX_HEIGHT_PX, MAX_MODULE_PX, MAX_QUIET_MODULES};
