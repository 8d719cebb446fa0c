//! Label, barcode and document generation for Entrepot.
//!
//! The sandbox carrier's shipping labels, the OC inbound SKU labels and
//! carton marks, and the Bird barcode endpoint must all print exactly the
//! same barcodes and layouts. This crate produces them with pure,
//! deterministic, dependency-free functions that return bytes: no I/O, no
//! clocks, no randomness, so the same input always yields the same file and
//! every format can be tested by reading it back.
//!
//! - [`encode`] turns text into a Code128 [`Barcode`].
//! - [`barcode_png`] renders a barcode as a 1-bit PNG image.
//! - [`PdfDocument`] is a minimal PDF writer used by the documents below.
//! - [`shipping_label`], [`sku_labels`] and [`carton_marks`] build the
//!   warehouse's printed documents as PDF.

mod bitmap_font;
mod code128;
#[cfg(test)]
mod code128_decode;
mod code128_table;
mod documents;
mod error;
mod fonts;
mod pdf;
#[cfg(test)]
mod pdf_check;
mod png;
mod zlib;

pub use code128::{encode, Barcode, MAX_DATA_CHARS};
pub use documents::{
    bin_labels, carton_marks, shipping_label, sku_labels, Address, BinLabel, CartonMark, ShippingLabel, SkuLabel,
    MAX_PAGES,
};
pub use error::LabelError;
pub use fonts::{fit_text, text_width, Font};
pub use pdf::{Page, PdfDocument};
pub use png::{barcode_png, MAX_HEIGHT_PX, MAX_MODULE_PX, MAX_QUIET_MODULES};
