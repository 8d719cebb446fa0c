//! An outbound order a seller types in: the form's codes resolved within the seller's own
//! warehouses, services and SKUs, every field checked at once (so the form shows each refusal
//! beside its field), then placed and submitted through [`App::place_orders`], as the dialects and
//! imports place theirs, so every rule of placement applies (the service's limits, stock,
//! balance). The reference is the key: a reference the seller already has answers that order and
//! creates nothing, so a double submit places one order.

use std::collections::{BTreeMap, HashMap};

use entrepot_core::{
    actor::Actor, company::Address, country, ids::SkuId, outbound::NewOutbound, sku::Sku, CoreError, CoreResult,
};

use crate::{
    import::MAX_LINE_QUANTITY,
    types::{
        order_by_hand::{HandFieldError, HandOrder, HandPlaced, MAX_HAND_LINES},
        orders::{OrderBatch, OrderFilter, Placement},
    },
    App, Tenant,
};

/// The field errors found so far.
#[derive(Default)]
struct Found(Vec<HandFieldError>);

impl Found {
    fn add(&mut self, field: impl Into<String>, error: CoreError) {
        self.0.push(HandFieldError { field: field.into(), error });
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, CoreError::invalid(field, "is required"));
        }
    }
}

/// A typed quantity: a whole number of 1 to [`MAX_LINE_QUANTITY`].
fn quantity(field: &str, s: &str) -> CoreResult<i64> {
    match s.trim().parse::<i64>() {
        Ok(q) if (1..=MAX_LINE_QUANTITY).contains(&q) => Ok(q),
        _ => Err(CoreError::invalid(field, format!("a whole number of 1 to {MAX_LINE_QUANTITY}"))),
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The form field a placement refusal is about (empty: the order as a whole).
fn field_of(e: &CoreError, lines: &[(usize, Sku)]) -> String {
    let line_of = |code: &str| lines.iter().find(|(_, s)| s.seller_sku == code || s.mfskuid == code).map(|(n, _)| *n);
    match e.innermost() {
        CoreError::Validation { field, .. } => match field.as_str() {
            "reference" => "reference".into(),
            "contact" | "name" => "name".into(),
            "address_line1" => "address1".into(),
            "city" => "city".into(),
            "postcode" => "postcode".into(),
            "country" => "country".into(),
            "phone" => "phone".into(),
            "email" => "email".into(),
            "delivery_service_id" => "service".into(),
            _ => String::new(),
        },
        CoreError::UnsuitableService { .. } => "service".into(),
        CoreError::InsufficientStock { sku, .. } => line_of(sku).map(|n| format!("qty_{n}")).unwrap_or_default(),
        _ => String::new(),
    }
}

impl App {
    /// Places the order a seller typed (see the module's doc). `Ok(Err(errors))`: refused, one
    /// error per field, nothing written; `Err`: not a seller, or Entrepot failed.
    pub async fn place_order_by_hand(
        &self,
        actor: &Actor,
        o: HandOrder,
    ) -> CoreResult<Result<HandPlaced, Vec<HandFieldError>>> {
        let client = actor
            .client()
            .ok_or_else(|| CoreError::Forbidden("an order is a seller's: log in as the client's user".into()))?
            .clone();
        let mut found = Found::default();
        for (field, value) in [
            ("warehouse", &o.warehouse),
            ("service", &o.service),
            ("reference", &o.reference),
            ("name", &o.name),
            ("address1", &o.address1),
            ("city", &o.city),
            ("country", &o.country),
        ] {
            found.required(field, value);
        }
        let reference = o.reference.trim().to_owned();
        if !reference.is_empty() {
            let f = OrderFilter { references: vec![reference.clone()], ..Default::default() };
            if let Some(order) = self.storage.list_orders(&client, &f).await?.0.into_iter().next() {
                return Ok(Ok(HandPlaced { order, created: false }));
            }
        }
        let code = o.country.trim().to_ascii_uppercase();
        if !code.is_empty() && (code.len() != 2 || country::by_code(&code).is_none()) {
            found.add(
                "country",
                CoreError::invalid("country", format!("'{code}' is not an ISO 3166-1 two-letter code")),
            );
        }
        if opt(&o.email).is_some_and(|e| !e.contains('@')) {
            found.add("email", CoreError::invalid("email", "is not an email address"));
        }
        let warehouses = self.storage.client_warehouses(&client).await?;
        let warehouse = match o.warehouse.trim() {
            "" => None,
            w => {
                let found_wh = warehouses.iter().find(|x| x.code.eq_ignore_ascii_case(w)).cloned();
                if found_wh.is_none() {
                    found.add("warehouse", CoreError::not_found("warehouse", w));
                }
                found_wh
            }
        };
        let service = match (&warehouse, o.service.trim()) {
            (Some(wh), s) if !s.is_empty() => {
                let services = self.storage.client_services(&client, Some(&wh.id)).await?;
                match services.into_iter().find(|x| x.code.eq_ignore_ascii_case(s)) {
                    Some(svc) if svc.active => Some(svc),
                    Some(_) => {
                        found
                            .add("service", CoreError::Conflict(format!("service {s} is not available at the moment")));
                        None
                    }
                    None => {
                        found.add("service", CoreError::not_found("service", format!("{s} ({})", wh.code)));
                        None
                    }
                }
            }
            _ => None,
        };
        // Lines: (line number, SKU code, quantity), empty lines left out.
        let typed: Vec<(usize, String, String)> = o
            .lines
            .iter()
            .take(MAX_HAND_LINES)
            .enumerate()
            .map(|(k, (s, q))| (k + 1, s.trim().to_owned(), q.trim().to_owned()))
            .filter(|(_, s, q)| !s.is_empty() || !q.is_empty())
            .collect();
        if typed.is_empty() {
            found.add("sku_1", CoreError::EmptyOrder { order: reference.clone() });
        }
        let mut codes: Vec<String> = typed
            .iter()
            .filter(|(_, s, _)| !s.is_empty())
            .flat_map(|(_, s, _)| [s.clone(), s.to_uppercase(), s.to_lowercase()])
            .collect();
        codes.sort();
        codes.dedup();
        let known: HashMap<String, Sku> = if codes.is_empty() {
            HashMap::new()
        } else {
            self.storage
                .skus_by_seller_skus(&client, &codes)
                .await?
                .into_iter()
                .map(|s| (s.seller_sku.to_lowercase(), s))
                .collect()
        };
        let mut lines: Vec<(usize, Sku)> = vec![];
        let mut merged: BTreeMap<SkuId, i64> = BTreeMap::new();
        for (n, code, qty) in &typed {
            let (sku_field, qty_field) = (format!("sku_{n}"), format!("qty_{n}"));
            let sku = match known.get(&code.to_lowercase()) {
                _ if code.is_empty() => {
                    found.add(&sku_field, CoreError::invalid(&sku_field, "is required"));
                    None
                }
                None => {
                    found.add(&sku_field, CoreError::not_found("SKU", code));
                    None
                }
                Some(s) => match s.ensure_usable() {
                    Ok(()) => Some(s.clone()),
                    Err(e) => {
                        found.add(&sku_field, e);
                        None
                    }
                },
            };
            let q = match qty.as_str() {
                "" => {
                    found.add(&qty_field, CoreError::invalid(&qty_field, "is required"));
                    None
                }
                q => quantity(&qty_field, q).map_err(|e| found.add(&qty_field, e)).ok(),
            };
            if let (Some(s), Some(q)) = (sku, q) {
                let total = merged.entry(s.id).or_default();
                *total = total.checked_add(q).ok_or_else(|| entrepot_core::limits::too_large("quantity"))?;
                lines.push((*n, s));
            }
        }
        let (Some(_), Some(svc)) = (warehouse, service) else { return Ok(Err(found.0)) };
        if !found.0.is_empty() {
            return Ok(Err(found.0));
        }
        let new = NewOutbound {
            client_id: client.clone(),
            reference: reference.clone(),
            recipient: Address {
                name: o.name.trim().to_owned(),
                company: opt(&o.company),
                lines: [o.address1.trim(), o.address2.trim()]
                    .into_iter()
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                city: o.city.trim().to_owned(),
                county: opt(&o.state),
                postcode: o.postcode.trim().to_owned(),
                country: code,
                phone: opt(&o.phone),
                email: opt(&o.email),
            },
            lines: merged.into_iter().collect(),
            ..Default::default()
        };
        let batch = OrderBatch::Stock {
            orders: vec![(new, svc.id.clone())],
            known_skus: lines.iter().map(|(_, s)| s.clone()).collect(),
        };
        let tenant = Tenant { client: client.clone(), sites: vec![], user: actor.user.clone() };
        match self.place_orders(&tenant, batch, Placement::EachOnItsOwn, true).await?.one() {
            Ok(order) => Ok(Ok(HandPlaced { order, created: true })),
            // Placed meanwhile under the same reference (a second click of the same form).
            Err(CoreError::Duplicate { .. }) => {
                let f = OrderFilter { references: vec![reference.clone()], ..Default::default() };
                let order =
                    self.storage.list_orders(&client, &f).await?.0.into_iter().next().ok_or(CoreError::Internal)?;
                Ok(Ok(HandPlaced { order, created: false }))
            }
            Err(CoreError::Internal) => Err(CoreError::Internal),
            Err(e) => Ok(Err(vec![HandFieldError { field: field_of(&e, &lines), error: e }])),
        }
    }
}
