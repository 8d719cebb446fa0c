//! An outbound order a seller types in (the console's "new order" form): the form's text as
//! typed, and what placing it did or why each field was refused.

use entrepot_core::CoreError;

use super::orders::OrderView;

/// Most product lines one order typed by hand has.
pub const MAX_HAND_LINES: usize = 50;

/// The order as typed: codes, not ids; quantities as text. Each field's error names it by the
/// key in its doc (`sku_N` and `qty_N` for line N, from 1), which the form's inputs use too.
#[derive(Debug, Clone, Default)]
pub struct HandOrder {
    /// `warehouse`: one of the client's warehouses, by code.
    pub warehouse: String,
    /// `service`: one of that warehouse's services, by code.
    pub service: String,
    /// `reference`: the seller's order number, unique: a second order with it is the first one.
    pub reference: String,
    /// `name`, `company`, `address1`, `address2`, `city`, `state`, `postcode`, `country`,
    /// `phone`, `email`.
    pub name: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    /// (SKU code, quantity) per line; a line with both empty is left out.
    pub lines: Vec<(String, String)>,
}

/// One refused field: its key (see [`HandOrder`]; empty for the order as a whole) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct HandFieldError {
    pub field: String,
    pub error: CoreError,
}

/// The order placed, or the one already placed under its reference (`created` false: a double
/// submit, or a reference used before).
#[derive(Debug, Clone)]
pub struct HandPlaced {
    pub order: OrderView,
    pub created: bool,
}
