//! Agent-direct products: the client describes each product inline with its order (Bird
//! AGENT_DIRECT), and the products are matched to the client's SKUs by seller SKU: a new one is
//! created from the description, an existing one takes every field given. This decides which
//! SKUs a batch creates or changes; the storage writes them in the orders' transaction, so a
//! failing row leaves neither orders nor products behind (Bird's pending upload stays
//! all-or-nothing for this form too).

use entrepot_core::{
    ids::{ClientId, SkuId},
    sku::{Dimensions, Sku},
    CoreError, CoreResult,
};

use crate::{
    types::{
        orders::{AgentDirectOrder, AgentProduct, OrderWrite, SkuWrite},
        skus::{NewSku, SkuFilter},
    },
    App,
};

/// A SKU as a batch leaves it, and whether it must be written.
struct Touched {
    sku: Sku,
    new: bool,
    changed: bool,
    /// The last batch row that described it, to name in an error.
    line: usize,
}

/// Applies the fields a product description gives onto a SKU.
fn merge(sku: &mut Sku, p: &AgentProduct) {
    let set = |to: &mut Option<String>, from: &Option<String>| {
        if let Some(v) = from.as_ref().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            *to = Some(v.to_owned());
        }
    };
    if let Some(n) = p.name_en.as_ref().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        sku.name_en = n.to_owned();
    }
    set(&mut sku.name_cn, &p.name_cn);
    set(&mut sku.hs_code, &p.hs_code);
    set(&mut sku.origin_country, &p.origin_country);
    set(&mut sku.image_url, &p.image_url);
    if let Some(w) = p.weight_g {
        // The seller's declaration; a weight the warehouse measured still rules.
        sku.declare(Dimensions { weight_g: w, ..sku.declared() });
    }
    if let Some(v) = p.declared_value {
        sku.declared_value = v;
    }
    if let Some(c) = p.declared_currency.as_ref().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        sku.declared_currency = c.to_ascii_uppercase();
    }
    if let Some(props) = &p.properties {
        let mut props = props.clone();
        props.sort();
        props.dedup();
        sku.properties = props;
    }
}

/// A new SKU from a product description: usable at once (Bird products have no audit step), named
/// by its Chinese name when no English one is given.
fn fresh(tenant: &ClientId, id: SkuId, p: &AgentProduct) -> Sku {
    let code = p.seller_sku.trim().to_owned();
    let mut sku = NewSku::approved(code.clone()).into_sku(id, tenant, code);
    merge(&mut sku, p);
    if sku.name_en.is_empty() {
        sku.name_en = sku.name_cn.clone().unwrap_or_default();
    }
    sku
}

impl App {
    /// Agent-direct orders as orders of SKUs: each product matched to the tenant's SKU by seller
    /// SKU (created or changed as described), its line added to the order's own; an error names
    /// its 1-based row.
    pub(crate) async fn with_products(
        &self,
        tenant: &ClientId,
        batch: Vec<AgentDirectOrder>,
    ) -> CoreResult<OrderWrite> {
        let mut refs: Vec<String> =
            batch.iter().flat_map(|r| r.products.iter().map(|p| p.seller_sku.trim().to_owned())).collect();
        refs.sort();
        refs.dedup();
        // No seller SKU to match: an empty filter would list every SKU.
        let existing = if refs.is_empty() {
            vec![]
        } else {
            self.storage.list_skus(tenant, &SkuFilter { seller_skus: refs, ..Default::default() }).await?.0
        };
        let mut touched: Vec<Touched> =
            existing.into_iter().map(|sku| Touched { sku, new: false, changed: false, line: 0 }).collect();
        let mut named: Vec<SkuId> = batch.iter().flat_map(|r| r.order.lines.iter().map(|l| l.0)).collect();
        named.sort_unstable();
        named.dedup();
        named.retain(|id| !touched.iter().any(|t| t.sku.id == *id));
        let named = if named.is_empty() { vec![] } else { self.storage.skus_by_ids(tenant, &named).await? };
        let mut created = 0;
        let mut orders = Vec::with_capacity(batch.len());
        for (k, row) in batch.into_iter().enumerate() {
            let mut order = row.order;
            order.client_id = tenant.clone();
            for p in &row.products {
                if p.seller_sku.trim().is_empty() {
                    return Err(CoreError::invalid("client_ref", "is required").at_line(k + 1));
                }
                let at = match touched.iter().position(|t| t.sku.seller_sku == p.seller_sku.trim()) {
                    Some(at) => {
                        let t = &mut touched[at];
                        let before = t.sku.clone();
                        merge(&mut t.sku, p);
                        t.changed |= t.sku != before;
                        at
                    }
                    None => {
                        let sku = fresh(tenant, SkuWrite::provisional(created), p);
                        touched.push(Touched { sku, new: true, changed: true, line: 0 });
                        created += 1;
                        touched.len() - 1
                    }
                };
                touched[at].line = k + 1;
                let id = touched[at].sku.id;
                order.lines.push((id, p.quantity));
                if !p.sale.is_empty() {
                    order.line_sales.entry(id).or_default().merge(p.sale.clone(), id).map_err(|e| e.at_line(k + 1))?;
                }
            }
            orders.push((order, row.service));
        }
        let mut skus = vec![];
        let mut known_skus = named;
        for t in touched {
            if t.changed {
                t.sku.validate().map_err(|e| e.at_line(t.line))?;
                skus.push(SkuWrite { sku: t.sku, new: t.new, line: t.line });
            } else {
                known_skus.push(t.sku);
            }
        }
        Ok(OrderWrite::Stock { orders, known_skus, skus })
    }
}
