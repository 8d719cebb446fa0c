//! A seller's order typed by hand (`/console/orders/new`): warehouse and service, reference,
//! recipient, a few product lines (more by pressing "more lines": no script needed). The handler
//! translates: [`entrepot_app::App::place_order_by_hand`] checks every field and places the
//! order as every other door does. Each refusal shows beside its field, in the user's language;
//! nothing is created then. The reference is the key, so a double submit opens the one order.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::{HandFieldError, HandOrder, MAX_HAND_LINES};
use entrepot_core::{ids::ClientId, CoreError};

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const HERE: &str = "/console/orders/new";
/// Lines the form shows at first, and how many more "more lines" adds.
const LINES_STEP: usize = 5;

/// The recipient's fields: (form key, label key, required, max length).
const RECIPIENT: &[(&str, &str, bool, usize)] = &[
    ("name", "order-new-name", true, 100),
    ("company", "order-new-company", false, 100),
    ("address1", "order-new-address1", true, 200),
    ("address2", "order-new-address2", false, 200),
    ("city", "order-new-city", true, 100),
    ("state", "order-new-state", false, 100),
    ("postcode", "order-new-postcode", false, 20),
    ("country", "order-new-country", true, 2),
    ("phone", "order-new-phone", false, 40),
    ("email", "order-new-email", false, 200),
];

/// One input as the page shows it.
pub(crate) struct Input {
    key: &'static str,
    label: String,
    value: String,
    required: bool,
    max: usize,
    error: String,
}

/// One product line as the page shows it.
pub(crate) struct LineInput {
    n: usize,
    sku: String,
    qty: String,
    sku_error: String,
    qty_error: String,
}

/// A service to choose: (code, "warehouse — name").
pub(crate) struct ServiceOption {
    code: String,
    label: String,
}

#[derive(Template)]
#[template(path = "order_new.html")]
struct NewOrderPage {
    c: Chrome,
    t: Tr,
    warehouses: Vec<(String, String)>,
    warehouse: String,
    warehouse_error: String,
    services: Vec<ServiceOption>,
    service: String,
    service_error: String,
    reference: Input,
    recipient: Vec<Input>,
    lines: Vec<LineInput>,
    /// A refusal about the order as a whole.
    error: String,
}

/// The form as posted: every field by name (bounded by the console's form body limit).
type Posted = Vec<(String, String)>;

fn field<'a>(p: &'a Posted, key: &str) -> &'a str {
    p.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// A refusal in the user's language.
fn message(t: Tr, e: &CoreError) -> String {
    match e {
        CoreError::Validation { message, .. } if message == "is required" => t.t("order-new-required"),
        CoreError::Validation { field, .. } if field.starts_with("qty_") => {
            t.t1("order-new-bad-quantity", "max", entrepot_app::import::MAX_LINE_QUANTITY)
        }
        CoreError::Validation { field, .. } if field == "country" => t.t("order-new-bad-country"),
        CoreError::Validation { field, .. } if field == "email" => t.t("order-new-bad-email"),
        CoreError::EmptyOrder { .. } => t.t("order-new-no-lines"),
        CoreError::NotFound { entity: "warehouse", .. } => t.t("order-new-unknown-warehouse"),
        CoreError::NotFound { entity: "service", .. } => t.t("order-new-unknown-service"),
        CoreError::NotFound { entity: "SKU", id } => t.t1("order-new-unknown-sku", "sku", id.clone()),
        e => crate::scan::Outcome::refused(t, e).message().to_owned(),
    }
}

fn seller(v: &Viewer) -> Result<ClientId, Failure> {
    v.actor.client().cloned().ok_or_else(|| Failure::forbidden(v.tr))
}

/// The page for `p` (empty: a new form) with `errors` beside their fields, `lines` line inputs.
async fn render(
    st: &ConsoleState,
    v: &Viewer,
    p: &Posted,
    errors: &[HandFieldError],
    lines: usize,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = seller(v)?;
    let warehouses = st.app.client_warehouses(&client).await.or_page(t)?;
    let services = st.app.client_services(&client, None).await.or_page(t)?;
    let err = |key: &str| errors.iter().find(|e| e.field == key).map(|e| message(t, &e.error)).unwrap_or_default();
    let input = |&(key, label, required, max): &(&'static str, &str, bool, usize)| Input {
        key,
        label: t.t(label),
        value: field(p, key).to_owned(),
        required,
        max,
        error: err(key),
    };
    let page = NewOrderPage {
        c: Chrome::new(v, "/console/orders", "order-new", HERE),
        t,
        services: services
            .iter()
            .filter(|s| s.active)
            .map(|s| {
                let wh = warehouses.iter().find(|w| w.id == s.warehouse_id).map_or("", |w| w.code.as_str());
                ServiceOption { code: s.code.clone(), label: format!("{wh} — {} ({})", s.name, s.code) }
            })
            .collect(),
        warehouses: warehouses.iter().map(|w| (w.code.clone(), format!("{} — {}", w.code, w.name))).collect(),
        warehouse: field(p, "warehouse").to_owned(),
        warehouse_error: err("warehouse"),
        service: field(p, "service").to_owned(),
        service_error: err("service"),
        reference: input(&("reference", "order-reference", true, 100)),
        recipient: RECIPIENT.iter().map(input).collect(),
        lines: (1..=lines)
            .map(|n| LineInput {
                n,
                sku: field(p, &format!("sku_{n}")).to_owned(),
                qty: field(p, &format!("qty_{n}")).to_owned(),
                sku_error: err(&format!("sku_{n}")),
                qty_error: err(&format!("qty_{n}")),
            })
            .collect(),
        error: err(""),
    };
    let mut r = html(t, &page)?;
    if !errors.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub(crate) async fn page(State(st): State<ConsoleState>, v: Viewer) -> Result<Response, Failure> {
    render(&st, &v, &vec![], &[], LINES_STEP).await
}

/// How many line inputs the posted form had (bounded).
fn lines_of(p: &Posted) -> usize {
    field(p, "lines").parse::<usize>().unwrap_or(LINES_STEP).clamp(1, MAX_HAND_LINES)
}

pub(crate) async fn create(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(p): Form<Posted>,
) -> Result<Response, Failure> {
    v.check_csrf(field(&p, "csrf"))?;
    let t = v.tr;
    seller(&v)?;
    let lines = lines_of(&p);
    if !field(&p, "more").is_empty() {
        return render(&st, &v, &p, &[], lines.saturating_add(LINES_STEP).min(MAX_HAND_LINES)).await;
    }
    let get = |k: &str| field(&p, k).to_owned();
    let order = HandOrder {
        warehouse: get("warehouse"),
        service: get("service"),
        reference: get("reference"),
        name: get("name"),
        company: get("company"),
        address1: get("address1"),
        address2: get("address2"),
        city: get("city"),
        state: get("state"),
        postcode: get("postcode"),
        country: get("country"),
        phone: get("phone"),
        email: get("email"),
        lines: (1..=lines).map(|n| (get(&format!("sku_{n}")), get(&format!("qty_{n}")))).collect(),
    };
    match st.app.place_order_by_hand(&v.actor, order).await.or_page(t)? {
        Ok(placed) => {
            let id = placed.order.id.0;
            Ok(Redirect::to(&format!("/console/orders/{}", path_segment(&id))).into_response())
        }
        Err(errors) => render(&st, &v, &p, &errors, lines).await,
    }
}

/// An order id as a path segment (ids are ASCII letters, digits and dashes; anything else is dropped).
fn path_segment(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
}
