//! Admin commands for the operator's set-up: companies, warehouses, services, clients and the
//! credentials that let ERPs and people in.

use clap::{Args, Subcommand};
use entrepot_app::{App, NewErpApp, NewService};
use entrepot_core::{
    calendar::{parse_weekdays, Calendar},
    company::{parse_cutoff, validate_country, Address, Warehouse},
    compliance::{self, Requirement},
    fees::{RateCard, WeightBand},
    money::Currency,
    service::Constraints,
    sku::CustomsProperty,
};
use serde_json::json;

use super::{find_client, parse_amount, print};

#[derive(Debug, Subcommand)]
pub enum CompanyCmd {
    Create {
        #[arg(long)]
        name: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum WarehouseCmd {
    Create(WarehouseArgs),
    List,
    /// Sets the days a warehouse does not ship: orders due on them move to its next working day.
    Calendar {
        /// Warehouse code, e.g. UK1.
        code: String,
        /// Weekdays closed every week, e.g. `sat,sun` (empty: open every day).
        #[arg(long, default_value = "")]
        closed_weekdays: String,
        /// A closed date, YYYY-MM-DD (repeatable; replaces the dates kept so far).
        #[arg(long)]
        closed_date: Vec<String>,
    },
    /// Moves the daily cut-off: orders submitted after it are due the next working day.
    Cutoff {
        /// Warehouse code, e.g. UK1.
        code: String,
        /// HH:MM, the warehouse's local time.
        #[arg(long)]
        at: String,
    },
}

#[derive(Debug, Args)]
pub struct WarehouseArgs {
    /// Operator code, e.g. UK1.
    #[arg(long)]
    code: String,
    #[arg(long)]
    name: String,
    /// Company id or name (default: the only company).
    #[arg(long)]
    company: Option<String>,
    /// ISO-2 country.
    #[arg(long)]
    country: String,
    /// IANA time zone.
    #[arg(long)]
    timezone: String,
    /// Daily cut-off, HH:MM local time.
    #[arg(long, default_value = "14:00")]
    cutoff: String,
    /// The `company_id` Bird ERPs use for this site.
    #[arg(long)]
    bird_company_id: Option<i64>,
    /// The `serviceRegion` OC ERPs use for this site.
    #[arg(long)]
    oc_region: Option<String>,
    /// Street address line (repeatable).
    #[arg(long)]
    address_line: Vec<String>,
    #[arg(long, default_value = "")]
    city: String,
    #[arg(long, default_value = "")]
    postcode: String,
}

#[derive(Debug, Subcommand)]
pub enum ServiceCmd {
    Create(ServiceArgs),
    List,
    /// Stop (or resume) taking orders on a service.
    SetActive {
        #[arg(long)]
        warehouse: String,
        #[arg(long)]
        code: String,
        #[arg(long, action = clap::ArgAction::Set)]
        active: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServiceArgs {
    #[arg(long)]
    warehouse: String,
    /// OC shippingServiceCode, e.g. GBDomesticStandard.
    #[arg(long)]
    code: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    name_cn: Option<String>,
    /// Bird delivery_service_id.
    #[arg(long)]
    bird_id: Option<i64>,
    /// Carrier the sandbox books with (ROYALMAIL, DHL, DPD, ...).
    #[arg(long)]
    carrier: String,
    #[arg(long)]
    currency: String,
    /// Handling fee per order, e.g. 1.20.
    #[arg(long, default_value = "0")]
    handling: String,
    /// Handling fee per additional item.
    #[arg(long, default_value = "0")]
    handling_item: String,
    /// Weight band UP_TO_GRAMS:FEE, e.g. 1000:3.10 (repeatable, ascending).
    #[arg(long)]
    band: Vec<String>,
    /// Fee per started kg above the last band.
    #[arg(long, default_value = "0")]
    per_kg_over: String,
    /// cm³ per kg for volumetric weight (0 = actual weight only).
    #[arg(long, default_value_t = 5000)]
    volumetric_divisor: i64,
    /// Destination countries, comma separated (empty = all).
    #[arg(long, default_value = "")]
    destinations: String,
    #[arg(long)]
    max_weight_g: Option<i64>,
    #[arg(long)]
    max_length_mm: Option<i64>,
    #[arg(long)]
    max_girth_mm: Option<i64>,
    /// Forbidden customs properties, comma separated (LIQUID, BUILT_IN_BATTERY, ...).
    #[arg(long, default_value = "")]
    forbid: String,
    #[arg(long)]
    requires_ioss: bool,
    #[arg(long)]
    requires_eori: bool,
    /// The carrier prints the sender: orders must give a complete sender address.
    #[arg(long)]
    requires_sender: bool,
    /// A compliance field the carrier requires on exports, FIELD[:business|:COUNTRIES], e.g.
    /// `receiver_eori:business`, `receiver_pid_number:NO,ES,IT` (repeatable). Without any, the
    /// carrier's rules from Bird's documentation (ROYALMAIL, YODEL, DPD); `--require none` for none.
    #[arg(long)]
    require: Vec<String>,
    /// The one consignment type the service carries (FBA, DIRECT, ...); without it, every type.
    #[arg(long)]
    consignment_type: Option<String>,
    /// The service takes no urgent consignments (`is_urgent`).
    #[arg(long)]
    refuse_urgent: bool,
    /// Added to an urgent order's handling fee, e.g. 2.50.
    #[arg(long, default_value = "0")]
    urgent_surcharge: String,
    /// The carrier compensates late deliveries when the order asks (`is_compensation_for_delay`).
    #[arg(long)]
    compensation_for_delay: bool,
    /// Remote postcode areas or district ranges (comma separated, e.g. HS,ZE,PA20-PA49) where no
    /// compensation for delay is offered; `UK` for the UK's usual list.
    #[arg(long, default_value = "")]
    remote_postcodes: String,
    #[arg(long)]
    tracking: bool,
    #[arg(long)]
    signature: bool,
    #[arg(long)]
    express: bool,
}

#[derive(Debug, Subcommand)]
pub enum ClientCmd {
    /// A new client, attached to the `--site`s given and to no other.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        company: Option<String>,
        #[arg(long, default_value = "GBP")]
        currency: String,
        /// Warehouse code of a site the client has a contract with (repeatable).
        #[arg(long)]
        site: Vec<String>,
    },
    List,
    /// Lets the client use sites (warehouse codes, repeatable) of its operator company.
    Attach {
        #[arg(long)]
        client: String,
        #[arg(long, required = true)]
        site: Vec<String>,
    },
    /// Stops the client from naming sites; its orders and stock there stay.
    Detach {
        #[arg(long)]
        client: String,
        #[arg(long, required = true)]
        site: Vec<String>,
    },
    /// The sites the client is attached to.
    Sites {
        #[arg(long)]
        client: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCmd {
    Create {
        #[arg(long)]
        client: String,
        #[arg(long, default_value = "api")]
        label: String,
        /// A test key: it acts on the client's sandbox twin, never on live rows.
        #[arg(long)]
        test: bool,
    },
    Revoke {
        #[arg(long)]
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ErpAppCmd {
    Create {
        #[arg(long)]
        client: String,
        #[arg(long)]
        name: String,
        /// SELLER_ERP or 3PP_ERP.
        #[arg(long, default_value = "SELLER_ERP")]
        kind: String,
        /// SANDBOX or PRODUCTION.
        #[arg(long, default_value = "PRODUCTION")]
        environment: String,
        #[arg(long)]
        redirect_uri: String,
    },
    /// Revokes the app and with it every token issued to it.
    Revoke {
        #[arg(long)]
        client_key: String,
    },
    /// Issues production credentials for a sandbox app whose verification report is complete
    /// (`admin sandbox report`); `--force` issues them whatever it says.
    Promote {
        #[arg(long)]
        client_key: String,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BalanceCmd {
    TopUp {
        #[arg(long)]
        client: String,
        /// Decimal amount, e.g. 100.00.
        #[arg(long)]
        amount: String,
        /// Defaults to the client's currency.
        #[arg(long)]
        currency: Option<String>,
        #[arg(long, default_value = "admin top-up")]
        note: String,
    },
    Show {
        #[arg(long)]
        client: String,
    },
}

/// The company `--company` names, or the only one when it is not given (a convenience of this
/// command line: with several, the operator must say which).
async fn company_id(app: &App, key: Option<&str>) -> anyhow::Result<entrepot_core::ids::CompanyId> {
    if let Some(k) = key {
        return Ok(app.find_company(k).await?.id);
    }
    let all = app.companies().await?;
    match all.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => anyhow::bail!("no company yet: run `entrepot admin company create --name ...` first"),
        _ => anyhow::bail!("several companies exist: pass --company"),
    }
}

pub async fn company(app: &App, c: CompanyCmd) -> anyhow::Result<()> {
    match c {
        CompanyCmd::Create { name } => print(&app.create_company(&name).await?),
        CompanyCmd::List => print(&app.companies().await?),
    }
}

pub async fn warehouse(app: &App, c: WarehouseCmd) -> anyhow::Result<()> {
    match c {
        WarehouseCmd::Create(a) => {
            let company_id = company_id(app, a.company.as_deref()).await?;
            let country = validate_country("country", &a.country)?;
            let w = Warehouse {
                id: "new".into(),
                company_id,
                code: a.code.trim().to_owned(),
                name: a.name,
                bird_company_id: a.bird_company_id,
                oc_region: a.oc_region,
                country: country.clone(),
                timezone: a.timezone,
                cutoff_minutes: parse_cutoff(&a.cutoff)?,
                address: Address {
                    name: a.code.clone(),
                    lines: a.address_line,
                    city: a.city,
                    postcode: a.postcode,
                    country,
                    ..Default::default()
                },
                calendar: Default::default(),
            };
            print(&app.create_warehouse(w).await?)
        }
        WarehouseCmd::List => print(&app.warehouses().await?),
        WarehouseCmd::Calendar { code, closed_weekdays, closed_date } => {
            let mut closed_dates = std::collections::BTreeSet::new();
            for d in &closed_date {
                let date = d.trim().parse().map_err(|_| anyhow::anyhow!("'{d}' is not a date YYYY-MM-DD"))?;
                closed_dates.insert(date);
            }
            let calendar = Calendar { closed_weekdays: parse_weekdays(&closed_weekdays)?, closed_dates };
            print(&app.set_warehouse_calendar(code.trim(), &calendar).await?)
        }
        WarehouseCmd::Cutoff { code, at } => print(&app.set_warehouse_cutoff(code.trim(), &at).await?),
    }
}

/// Parses `1000:3.10` weight bands.
fn parse_band(s: &str) -> anyhow::Result<WeightBand> {
    let (w, fee) = s.split_once(':').ok_or_else(|| anyhow::anyhow!("band '{s}' must be UP_TO_GRAMS:FEE"))?;
    Ok(WeightBand {
        up_to_g: w.trim().parse().map_err(|_| anyhow::anyhow!("band '{s}': '{w}' is not a weight in grams"))?,
        fee: parse_amount(fee)?,
    })
}

/// `--require` as given, or the carrier's documented rules when none is.
fn requirements(given: &[String], carrier: &str) -> anyhow::Result<Vec<Requirement>> {
    match given {
        [] => Ok(compliance::carrier_rules(carrier)),
        [none] if none.eq_ignore_ascii_case("none") => Ok(vec![]),
        _ => Ok(given.iter().map(|r| r.parse()).collect::<Result<_, _>>()?),
    }
}

/// `--remote-postcodes`, with `UK` standing for the UK's usual remote areas.
fn remote_postcodes(s: &str) -> Vec<String> {
    list(s)
        .into_iter()
        .flat_map(|a| match a.eq_ignore_ascii_case("UK") {
            true => compliance::UK_REMOTE_AREAS.iter().map(|x| x.to_string()).collect(),
            false => vec![a],
        })
        .collect()
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

pub async fn service(app: &App, c: ServiceCmd) -> anyhow::Result<()> {
    match c {
        ServiceCmd::Create(a) => {
            let currency = Currency::parse(&a.currency)?;
            let bands = a.band.iter().map(|b| parse_band(b)).collect::<anyhow::Result<Vec<_>>>()?;
            let destinations = list(&a.destinations)
                .iter()
                .map(|d| validate_country("destinations", d))
                .collect::<Result<Vec<_>, _>>()?;
            let requires = requirements(&a.require, &a.carrier)?;
            let forbidden = list(&a.forbid).iter().map(|p| CustomsProperty::parse(p)).collect::<Result<Vec<_>, _>>()?;
            let n = NewService {
                warehouse_code: a.warehouse,
                code: a.code,
                bird_id: a.bird_id,
                name: a.name,
                name_cn: a.name_cn,
                carrier: a.carrier,
                tracking: a.tracking,
                signature: a.signature,
                express: a.express,
                constraints: Constraints {
                    destinations,
                    max_weight_g: a.max_weight_g,
                    max_length_mm: a.max_length_mm,
                    max_girth_mm: a.max_girth_mm,
                    forbidden,
                    requires_ioss_for_eu: a.requires_ioss,
                    requires_shipper_eori: a.requires_eori,
                    requires_sender: a.requires_sender,
                    requires,
                    refuses_urgent: a.refuse_urgent,
                    compensation_for_delay: a.compensation_for_delay,
                    remote_postcodes: remote_postcodes(&a.remote_postcodes),
                    consignment_type: a.consignment_type.as_deref().map(str::parse).transpose()?,
                },
                rates: RateCard {
                    currency: currency.as_str().to_owned(),
                    handling_per_order: parse_amount(&a.handling)?,
                    handling_per_additional_item: parse_amount(&a.handling_item)?,
                    volumetric_divisor: a.volumetric_divisor,
                    bands,
                    per_kg_over: parse_amount(&a.per_kg_over)?,
                    urgent_surcharge: parse_amount(&a.urgent_surcharge)?,
                },
            };
            print(&app.create_service(n).await?)
        }
        ServiceCmd::List => print(&app.services(None).await?),
        ServiceCmd::SetActive { warehouse, code, active } => {
            let (wh, svc) = app.set_service_active(&warehouse, &code, active).await?;
            print(&json!({"service": svc.code, "warehouse": wh.code, "active": active}))
        }
    }
}

pub async fn client(app: &App, c: ClientCmd) -> anyhow::Result<()> {
    match c {
        ClientCmd::Create { name, company, currency, site } => {
            let company = company_id(app, company.as_deref()).await?;
            let client = app.create_client(&company, &name, &Currency::parse(&currency)?, &site).await?;
            let mut out = serde_json::to_value(&client)?;
            out["sites"] = json!(site_codes(app, &client.id).await?);
            print(&out)
        }
        ClientCmd::List => print(&app.clients().await?),
        ClientCmd::Attach { client, site } => {
            let client = find_client(app, &client).await?;
            app.attach_client_sites(&client.id, &site).await?;
            print(&json!({"client": client.name, "sites": site_codes(app, &client.id).await?}))
        }
        ClientCmd::Detach { client, site } => {
            let client = find_client(app, &client).await?;
            app.detach_client_sites(&client.id, &site).await?;
            print(&json!({"client": client.name, "sites": site_codes(app, &client.id).await?}))
        }
        ClientCmd::Sites { client } => {
            let client = find_client(app, &client).await?;
            print(&json!({"client": client.name, "sites": site_codes(app, &client.id).await?}))
        }
    }
}

/// The codes of the warehouses a client is attached to.
async fn site_codes(app: &App, client: &entrepot_core::ids::ClientId) -> anyhow::Result<Vec<String>> {
    Ok(app.client_warehouses(client).await?.into_iter().map(|w| w.code).collect())
}

pub async fn api_key(app: &App, c: ApiKeyCmd) -> anyhow::Result<()> {
    match c {
        ApiKeyCmd::Create { client, label, test } => {
            let client = find_client(app, &client).await?;
            let created = if test {
                app.create_test_api_key(&client.id, &label).await?
            } else {
                app.create_api_key(&client.id, &label).await?
            };
            print(
                &json!({"id": created.id, "client_id": client.id, "api_key": created.api_key, "test": test, "note": "shown once; store it now"}),
            )
        }
        ApiKeyCmd::Revoke { id } => {
            app.revoke_api_key(&id.as_str().into()).await?;
            print(&json!({"revoked": id}))
        }
    }
}

pub async fn erp_app(app: &App, c: ErpAppCmd) -> anyhow::Result<()> {
    match c {
        ErpAppCmd::Create { client, name, kind, environment, redirect_uri } => {
            let client = find_client(app, &client).await?;
            let created = app
                .create_erp_app(NewErpApp { client_id: client.id.clone(), name, kind, environment, redirect_uri })
                .await?;
            print(
                &json!({"id": created.id, "client_id": client.id, "client_key": created.client_key, "secret_key": created.secret_key, "note": "the SecretKey is shown once; store it now"}),
            )
        }
        ErpAppCmd::Revoke { client_key } => {
            app.revoke_erp_app(&client_key).await?;
            print(&json!({"revoked": client_key}))
        }
        ErpAppCmd::Promote { client_key, force } => {
            let created = app.promote_erp_app(&client_key, force).await?;
            print(
                &json!({"id": created.id, "environment": "PRODUCTION", "client_key": created.client_key, "secret_key": created.secret_key, "promoted_from": client_key, "note": "the SecretKey is shown once; store it now"}),
            )
        }
    }
}

pub async fn balance(app: &App, c: BalanceCmd) -> anyhow::Result<()> {
    match c {
        BalanceCmd::TopUp { client, amount, currency, note } => {
            let client = find_client(app, &client).await?;
            let currency = currency.map(|c| Currency::parse(&c)).transpose()?;
            app.top_up(&client.id, currency.as_ref(), parse_amount(&amount)?, &note).await?;
            show_balances(app, &client.id).await
        }
        BalanceCmd::Show { client } => {
            let client = find_client(app, &client).await?;
            show_balances(app, &client.id).await
        }
    }
}

async fn show_balances(app: &App, client: &entrepot_core::ids::ClientId) -> anyhow::Result<()> {
    use entrepot_core::{balance::MoneyBucket, money::format_minor};
    let rows: Vec<_> = app
        .balances(client)
        .await?
        .into_iter()
        .map(|(cur, a)| {
            json!({"currency": cur, "available": format_minor(a.get(MoneyBucket::Available), 2), "held": format_minor(a.get(MoneyBucket::Held), 2), "charged": format_minor(a.get(MoneyBucket::Charged), 2)})
        })
        .collect();
    print(&json!({"client_id": client, "balances": rows}))
}
