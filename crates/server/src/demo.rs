//! `serve --demo`: a complete, realistic set-up for a newcomer, seeded once (idempotent) through
//! the same use cases the admin CLI calls: an operator with UK1 and DE warehouses, their
//! real service codes and rate cards, and a funded demo client with credentials for both
//! dialects, bins in both warehouses, and approved SKUs with stock received through inbound
//! orders and put away into bins.
//!
//! Secrets are stored hashed or sealed, so they are written once to
//! `<data-dir>/demo-credentials.json` (readable by its owner only) and printed when they are
//! seeded; later starts point to the file instead of printing them into every log again.

use std::{collections::BTreeSet, path::Path};

use anyhow::Context;
use entrepot_app::{
    App, CountTarget, LocationFilter, NewErpApp, NewInbound, NewLocationRange, NewService, NewSku, PutawayScan,
};
use entrepot_core::{
    actor::Actor,
    calendar::Calendar,
    company::{Address, Warehouse},
    compliance,
    fees::{RateCard, WeightBand},
    inbound::ShippingMode,
    location::LocationKind,
    money::Currency,
    outbound::OrderKind,
    service::{Constraints, EU_COUNTRIES},
    sku::{CustomsProperty, SkuStatus},
};
use serde_json::{json, Value};

const CLIENT_NAME: &str = "Demo Seller Ltd";
const REDIRECT_URI: &str = "http://localhost:9000/oc/callback";

struct Svc {
    wh: &'static str,
    code: &'static str,
    bird_id: Option<i64>,
    name: &'static str,
    name_cn: &'static str,
    carrier: &'static str,
    dest: &'static [&'static str],
    max_kg: i64,
    max_len_mm: i64,
    /// (up to grams, fee in minor units)
    bands: &'static [(i64, i64)],
    tracking: bool,
    express: bool,
    eu_rules: bool,
    /// The one consignment type it carries, if not every type.
    consignment_type: Option<OrderKind>,
}

const UK: &[&str] = &["GB"];
const DE: &[&str] = &["DE"];

/// The demo catalogue: OC codes from spec §6 and BirdSystem's real UK1 service ids.
const SERVICES: &[Svc] = &[
    Svc {
        wh: "UK1",
        code: "GBDomesticExpress",
        bird_id: Some(1),
        name: "Royal Mail 1st Class",
        name_cn: "皇家邮政一类",
        carrier: "ROYALMAIL",
        dest: UK,
        max_kg: 20,
        max_len_mm: 610,
        bands: &[(100, 135), (750, 210), (2000, 345), (20000, 795)],
        tracking: false,
        express: true,
        eu_rules: false,
        consignment_type: None,
    },
    Svc {
        wh: "UK1",
        code: "GBDomesticEconomy",
        bird_id: Some(105),
        name: "Royal Mail 2nd Class",
        name_cn: "皇家邮政二类",
        carrier: "ROYALMAIL",
        dest: UK,
        max_kg: 20,
        max_len_mm: 610,
        bands: &[(100, 85), (750, 155), (2000, 275), (20000, 625)],
        tracking: false,
        express: false,
        eu_rules: false,
        consignment_type: None,
    },
    Svc {
        wh: "UK1",
        code: "GBDomesticStandard",
        bird_id: Some(139),
        name: "Royal Mail Tracked 48",
        name_cn: "皇家邮政48小时追踪",
        carrier: "ROYALMAIL",
        dest: UK,
        max_kg: 20,
        max_len_mm: 610,
        bands: &[(1000, 325), (2000, 395), (10000, 545), (20000, 895)],
        tracking: true,
        express: false,
        eu_rules: false,
        consignment_type: None,
    },
    Svc {
        wh: "UK1",
        code: "GBDomesticStandardLetter",
        bird_id: Some(140),
        name: "Royal Mail Large Letter",
        name_cn: "皇家邮政大信封",
        carrier: "ROYALMAIL",
        dest: UK,
        max_kg: 0,
        max_len_mm: 353,
        bands: &[(100, 95), (750, 165)],
        tracking: false,
        express: false,
        eu_rules: false,
        consignment_type: None,
    },
    Svc {
        wh: "UK1",
        code: "GBInternationalStandard",
        bird_id: Some(2001),
        name: "Royal Mail International Tracked",
        name_cn: "皇家邮政国际追踪",
        carrier: "ROYALMAIL",
        dest: &[],
        max_kg: 2,
        max_len_mm: 600,
        bands: &[(250, 895), (500, 1045), (1000, 1395), (2000, 1995)],
        tracking: true,
        express: false,
        eu_rules: true,
        consignment_type: None,
    },
    Svc {
        wh: "UK1",
        code: "GBIntStd_DPDOnly",
        bird_id: Some(2002),
        name: "DPD Classic Europe",
        name_cn: "DPD欧洲经典",
        carrier: "DPD",
        dest: &[],
        max_kg: 31,
        max_len_mm: 1750,
        bands: &[(2000, 1195), (5000, 1495), (10000, 1895), (31500, 2995)],
        tracking: true,
        express: false,
        eu_rules: true,
        consignment_type: None,
    },
    Svc {
        wh: "UK1",
        code: "GBDomesticFBA",
        bird_id: Some(1677),
        name: "FBA UK",
        name_cn: "FBA英国",
        carrier: "DPD",
        dest: UK,
        max_kg: 30,
        max_len_mm: 1750,
        bands: &[(5000, 695), (15000, 895), (30000, 1295)],
        tracking: true,
        express: false,
        eu_rules: false,
        consignment_type: Some(OrderKind::Fba),
    },
    Svc {
        wh: "DE",
        code: "DEDomesticStandard",
        bird_id: Some(1201),
        name: "DHL Paket",
        name_cn: "DHL包裹",
        carrier: "DHL",
        dest: DE,
        max_kg: 31,
        max_len_mm: 1200,
        bands: &[(2000, 449), (5000, 549), (10000, 649), (31500, 999)],
        tracking: true,
        express: false,
        eu_rules: false,
        consignment_type: None,
    },
    Svc {
        wh: "DE",
        code: "DEDomesticEconomy",
        bird_id: Some(1202),
        name: "Deutsche Post Warenpost",
        name_cn: "德邮小包",
        carrier: "DHL",
        dest: DE,
        max_kg: 1,
        max_len_mm: 353,
        bands: &[(500, 265), (1000, 345)],
        tracking: true,
        express: false,
        eu_rules: false,
        consignment_type: None,
    },
    Svc {
        wh: "DE",
        code: "DEInternationalStandard",
        bird_id: Some(1203),
        name: "DHL Paket International",
        name_cn: "DHL国际包裹",
        carrier: "DHL",
        dest: &EU_COUNTRIES,
        max_kg: 31,
        max_len_mm: 1200,
        bands: &[(2000, 1349), (5000, 1649), (10000, 2149), (31500, 3449)],
        tracking: true,
        express: false,
        eu_rules: false,
        consignment_type: None,
    },
];

struct DemoSku {
    sku: &'static str,
    name: &'static str,
    name_cn: &'static str,
    weight_g: i64,
    dims: [i64; 3],
    value: i64,
    hs: &'static str,
    props: &'static [CustomsProperty],
    stock: [(&'static str, i64); 2],
}

const SKUS: &[DemoSku] = &[
    DemoSku {
        sku: "DEMO-MUG-01",
        name: "Enamel camping mug 350ml",
        name_cn: "搪瓷露营杯",
        weight_g: 280,
        dims: [120, 95, 95],
        value: 899,
        hs: "732393",
        props: &[],
        stock: [("UK1", 120), ("DE", 60)],
    },
    DemoSku {
        sku: "DEMO-TEE-M",
        name: "Organic cotton T-shirt, M",
        name_cn: "有机棉T恤 M码",
        weight_g: 190,
        dims: [300, 220, 20],
        value: 1299,
        hs: "610910",
        props: &[],
        stock: [("UK1", 80), ("DE", 40)],
    },
    DemoSku {
        sku: "DEMO-PWR-10K",
        name: "Power bank 10000mAh",
        name_cn: "移动电源10000毫安",
        weight_g: 230,
        dims: [140, 70, 16],
        value: 1999,
        hs: "850760",
        props: &[CustomsProperty::BuiltInBattery],
        stock: [("UK1", 50), ("DE", 25)],
    },
    // The SKU of the seeded outbound day (`seed_floor_day`), so the others' stock stays whole.
    DemoSku {
        sku: "DEMO-BOOK-01",
        name: "Hardback notebook A5",
        name_cn: "A5精装笔记本",
        weight_g: 400,
        dims: [215, 150, 20],
        value: 1499,
        hs: "482010",
        props: &[],
        stock: [("UK1", 40), ("DE", 10)],
    },
];

/// Seeds once and (re)writes the credentials; prints them when they were just seeded.
pub async fn seed(app: &App, data_dir: &Path, base_url: &str) -> anyhow::Result<()> {
    let path = data_dir.join("demo-credentials.json");
    let seeded = app.find_client(CLIENT_NAME).await.is_ok();
    let mut creds = if seeded {
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "demo data exists but {} is missing; its secrets are only stored hashed or sealed, so use a fresh --data-dir",
                path.display()
            )
        })?;
        serde_json::from_str::<Value>(&text).with_context(|| format!("{} is not valid JSON", path.display()))?
    } else {
        seed_fresh(app).await?
    };
    creds["base_url"] = json!(base_url);
    write_atomically(&path, &serde_json::to_vec_pretty(&creds)?)?;
    if seeded {
        println!("Entrepot demo data was seeded before; its credentials are in {}", path.display());
    } else {
        print_banner(&creds, &path);
    }
    Ok(())
}

async fn seed_fresh(app: &App) -> anyhow::Result<Value> {
    let company = match app.companies().await?.into_iter().next() {
        Some(c) => c,
        None => app.create_company("Entrepot Demo Fulfilment").await?,
    };
    for (code, name, bird, region, country, tz, cutoff, line, city, pc) in [
        (
            "UK1",
            "United Kingdom 1",
            1,
            "UK",
            "GB",
            "Europe/London",
            14 * 60,
            "Unit 4, Heathrow Logistics Park",
            "Hounslow",
            "TW4 6JS",
        ),
        (
            "DE",
            "Deutschland",
            12,
            "DE",
            "DE",
            "Europe/Berlin",
            13 * 60,
            "Am Fulfillment-Zentrum 7",
            "Frankfurt am Main",
            "60549",
        ),
    ] {
        if app.warehouse_by_code(code).await.is_ok() {
            continue;
        }
        app.create_warehouse(Warehouse {
            id: "new".into(),
            company_id: company.id.clone(),
            code: code.into(),
            name: name.into(),
            bird_company_id: Some(bird),
            oc_region: Some(region.into()),
            country: country.into(),
            timezone: tz.into(),
            cutoff_minutes: cutoff,
            address: Address {
                name: format!("Entrepot {code}"),
                lines: vec![line.into()],
                city: city.into(),
                postcode: pc.into(),
                country: country.into(),
                ..Default::default()
            },
            // Both demo sites ship Monday to Friday.
            calendar: Calendar { closed_weekdays: BTreeSet::from([6, 7]), closed_dates: BTreeSet::new() },
        })
        .await?;
    }
    seed_bins(app).await?;
    for s in SERVICES {
        let wh = app.warehouse_by_code(s.wh).await?;
        if app.service_by_code(&wh.id, s.code).await.is_ok() {
            continue;
        }
        let currency = if s.wh == "DE" { "EUR" } else { "GBP" };
        app.create_service(NewService {
            warehouse_code: s.wh.into(),
            code: s.code.into(),
            bird_id: s.bird_id,
            name: s.name.into(),
            name_cn: Some(s.name_cn.into()),
            carrier: s.carrier.into(),
            tracking: s.tracking,
            signature: false,
            express: s.express,
            constraints: Constraints {
                destinations: s.dest.iter().map(|d| d.to_string()).collect(),
                max_weight_g: (s.max_kg > 0).then_some(s.max_kg * 1000).or(Some(750)),
                max_length_mm: Some(s.max_len_mm),
                max_girth_mm: None,
                forbidden: if s.code.contains("International") {
                    vec![CustomsProperty::BatteryOnly, CustomsProperty::Liquid, CustomsProperty::Flammable]
                } else {
                    vec![CustomsProperty::Flammable]
                },
                requires_ioss_for_eu: s.eu_rules,
                requires_shipper_eori: s.eu_rules,
                requires_sender: false,
                // What the carrier needs on exports, as Bird's documentation lists it.
                requires: compliance::carrier_rules(s.carrier),
                refuses_urgent: false,
                // UK tracked parcels may ask for compensation for delay, except to remote areas.
                compensation_for_delay: s.tracking && s.dest == UK,
                consignment_type: s.consignment_type,
                remote_postcodes: if s.wh == "UK1" {
                    compliance::UK_REMOTE_AREAS.iter().map(|a| a.to_string()).collect()
                } else {
                    vec![]
                },
            },
            rates: RateCard {
                currency: currency.into(),
                handling_per_order: 120,
                handling_per_additional_item: 30,
                volumetric_divisor: 5000,
                bands: s.bands.iter().map(|(up_to_g, fee)| WeightBand { up_to_g: *up_to_g, fee: *fee }).collect(),
                per_kg_over: 100,
                urgent_surcharge: 150,
            },
        })
        .await?;
    }
    let gbp = Currency::parse("GBP")?;
    let sites = ["UK1".to_owned(), "DE".to_owned()];
    let client = app.create_client(&company.id, CLIENT_NAME, &gbp, &sites).await?;
    app.top_up(&client.id, None, 500_000, "demo funding").await?;
    app.top_up(&client.id, Some(&Currency::parse("EUR")?), 500_000, "demo funding").await?;
    let password = format!("demo-{:012x}", rand::random::<u64>() & 0xFFFF_FFFF_FFFF);
    app.create_user(Some(&client.id), "demo", &password).await?;
    let key = app.create_api_key(&client.id, "demo").await?;
    let erp = app
        .create_erp_app(NewErpApp {
            client_id: client.id.clone(),
            name: "Demo ERP".into(),
            kind: "SELLER_ERP".into(),
            environment: "PRODUCTION".into(),
            redirect_uri: REDIRECT_URI.into(),
        })
        .await?;
    // The same ERP's sandbox app: its calls act on the demo client's sandbox twin.
    let erp_sandbox = app
        .create_erp_app(NewErpApp {
            client_id: client.id.clone(),
            name: "Demo ERP (sandbox)".into(),
            kind: "SELLER_ERP".into(),
            environment: "SANDBOX".into(),
            redirect_uri: REDIRECT_URI.into(),
        })
        .await?;
    let new_skus = SKUS
        .iter()
        .map(|d| NewSku {
            seller_sku: d.sku.into(),
            reference_sku: Some(format!("ERP-{}", d.sku)),
            name_en: d.name.into(),
            name_cn: Some(d.name_cn.into()),
            weight_g: d.weight_g,
            length_mm: d.dims[0],
            width_mm: d.dims[1],
            height_mm: d.dims[2],
            declared_value: d.value,
            declared_currency: "GBP".into(),
            hs_code: Some(d.hs.into()),
            origin_country: Some("CN".into()),
            properties: d.props.to_vec(),
            image_url: None,
            status: SkuStatus::Approved,
        })
        .collect();
    let skus = app.create_skus(&client.id, new_skus).await?;
    let mut sku_rows = vec![];
    for wh_code in ["UK1", "DE"] {
        let wh = app.warehouse_by_code(wh_code).await?;
        let lines: Vec<_> = SKUS
            .iter()
            .zip(&skus)
            .map(|(d, s)| (s.id, d.stock.iter().find(|x| x.0 == wh_code).map(|x| x.1).unwrap_or(0)))
            .collect();
        // Stock arrives the real way: an inbound order, received and put away.
        let ib = app
            .create_inbound(
                &client.id,
                NewInbound {
                    warehouse_id: wh.id.clone(),
                    reference: format!("DEMO-INBOUND-{wh_code}"),
                    mode: ShippingMode::Express,
                    lines: lines.clone(),
                    need_clearance_doc: false,
                    details: json!({"note": "demo seed"}),
                },
            )
            .await?;
        app.add_inbound_tracking(&client.id, &ib.inbound.number, &[format!("DEMO{wh_code}0001")]).await?;
        let staff = Actor::system("demo");
        for (sku, qty) in &lines {
            app.receive_inbound(&client.id, &ib.inbound.number, *sku, *qty).await?;
            // Put away as staff would: into the suggested bin (every SKU gets a pick face).
            match app.suggest_bin(&staff, &wh.id, *sku, *qty).await? {
                Some(bin) => {
                    let scan = PutawayScan {
                        client: client.id.clone(),
                        sku: *sku,
                        warehouse: wh.id.clone(),
                        qty: *qty,
                        inbound: Some(ib.inbound.number.clone()),
                        bin: bin.code,
                        confirm_other_bin: false,
                    };
                    app.confirm_putaway(&staff, scan).await?;
                }
                None => {
                    app.put_away_inbound(&client.id, &ib.inbound.number, *sku, *qty).await?;
                }
            }
        }
        for ((sku, qty), s) in lines.iter().zip(&skus) {
            sku_rows.push(json!({"client_ref": s.seller_sku, "product_id": sku.0, "mfskuid": s.mfskuid, "warehouse": wh_code, "available": qty}));
        }
    }
    let book = skus.iter().find(|s| s.seller_sku == "DEMO-BOOK-01").context("the floor day's SKU")?;
    let taken = seed_floor_day(app, &client.id, book).await?;
    for row in &mut sku_rows {
        if row["client_ref"] == "DEMO-BOOK-01" && row["warehouse"] == "UK1" {
            row["available"] = json!(row["available"].as_i64().unwrap_or(0) - taken);
        }
    }
    let people = seed_people(app, &client.id).await?;
    let arriving = seed_arriving_inbound(app, &client.id, &skus).await?;
    seed_waiting_work(app, &client.id, &skus).await?;
    // Made last, so that the sandbox twin copies the demo's SKUs.
    let test_key = app.create_test_api_key(&client.id, "demo test key").await?;
    let mut creds = json!({
        "client_id": client.id,
        "inbound_in_transit": arriving,
        "bird": {"api_key": key.api_key, "test_api_key": test_key.api_key, "company_ids": {"UK1": 1, "DE": 12}},
        "oc": {"client_key": erp.client_key, "secret_key": erp.secret_key, "redirect_uri": REDIRECT_URI, "username": "demo", "password": password, "service_regions": ["UK", "DE"]},
        "oc_sandbox": {"client_key": erp_sandbox.client_key, "secret_key": erp_sandbox.secret_key, "redirect_uri": REDIRECT_URI, "username": "demo", "password": password},
        "console": {"username": "demo", "password": password},
        "skus": sku_rows,
    });
    for (k, v) in people {
        creds[k] = v;
    }
    Ok(creds)
}

/// The floor's people for the demo: an operator admin, UK1 staff and a UK1 supervisor, DE
/// staff, and an owner for the demo client; each with a random password, under `operator`,
/// `staff` and `sellers` in the credentials file.
async fn seed_people(app: &App, client: &entrepot_core::ids::ClientId) -> anyhow::Result<Vec<(&'static str, Value)>> {
    use entrepot_core::actor::{Actor, Role};
    let demo = Actor::system("demo");
    let password = || format!("demo-{:012x}", rand::random::<u64>() & 0xFFFF_FFFF_FFFF);
    let add = async |username: &str, role: Role| -> anyhow::Result<Value> {
        let pw = password();
        let new = entrepot_app::NewUser { username: username.into(), password: pw.clone(), role };
        app.create_person(&demo, new).await?;
        Ok(json!({"username": username, "password": pw}))
    };
    let uk1 = app.warehouse_by_code("UK1").await?.id;
    let de = app.warehouse_by_code("DE").await?.id;
    let operator = add("admin", Role::Operator).await?;
    let mut staff = vec![];
    for (name, wh, code, supervisor) in
        [("uk1-staff", &uk1, "UK1", false), ("uk1-supervisor", &uk1, "UK1", true), ("de-staff", &de, "DE", false)]
    {
        let mut v = add(name, Role::Staff { warehouses: vec![wh.clone()], supervisor }).await?;
        v["warehouses"] = json!([code]);
        v["supervisor"] = json!(supervisor);
        staff.push(v);
    }
    let mut owner = add("demo-owner", Role::Seller { client: client.clone(), owner: true }).await?;
    owner["owner"] = json!(true);
    Ok(vec![("operator", operator), ("staff", json!(staff)), ("sellers", json!([owner]))])
}

/// Bins of both warehouses: pick zone A (3 aisles of 4 bays, 3 levels) and reserve zone R (2
/// aisles of 3 bays), beside the default DOCK, DAMAGED and RETURNS.
async fn seed_bins(app: &App) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    for code in ["UK1", "DE"] {
        let wh = app.warehouse_by_code(code).await?;
        let f =
            LocationFilter { warehouse: wh.id.clone(), code_prefix: Some("A-".into()), limit: 1, ..Default::default() };
        if !app.list_locations(&actor, f).await?.is_empty() {
            continue;
        }
        for (range, kind, capacity) in [
            ("A-01..03-01..04-1..3", LocationKind::PickFace, Some(500)),
            ("R-01..02-01..03", LocationKind::Reserve, Some(5_000)),
        ] {
            let r = NewLocationRange { range: range.into(), zone: None, kind, pick_seq: None, capacity };
            app.create_location_range(&actor, &wh.id, r).await?;
        }
    }
    Ok(())
}

/// Dock slots in UK1 for today and tomorrow (hourly, 4 inbounds each), and a sea inbound of the
/// demo client booked into the next free one: in transit, its appointment today (tomorrow when
/// seeded in the day's last hour), ready to be checked in and received by scans.
async fn seed_arriving_inbound(
    app: &App,
    client: &entrepot_core::ids::ClientId,
    skus: &[entrepot_core::sku::Sku],
) -> anyhow::Result<Value> {
    use entrepot_core::appointment::{local_date, SlotPlan};
    let wh = app.warehouse_by_code("UK1").await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(0))
        .unwrap_or(0);
    let today = local_date(now, &wh.timezone)?;
    let tomorrow = today.tomorrow()?;
    let plan = SlotPlan { from: today, to: tomorrow, first_hour: 0, last_hour: 24, minutes: 60, capacity: 4 };
    let system = entrepot_core::actor::Actor::system("demo");
    app.create_dock_slots(&system, entrepot_app::NewSlots { warehouse: wh.id.clone(), plan }).await?;
    let lines: Vec<_> = skus.iter().take(2).map(|s| (s.id, 24)).collect();
    let ib = app
        .create_inbound(
            client,
            NewInbound {
                warehouse_id: wh.id.clone(),
                reference: "DEMO-INBOUND-ARRIVING".into(),
                mode: ShippingMode::Sea,
                lines,
                need_clearance_doc: false,
                details: json!({"note": "demo seed: in transit, appointment booked"}),
            },
        )
        .await?;
    let a = app.book_appointment(&system, client, &ib.inbound.number, None).await?;
    Ok(json!({"inbound_number": ib.inbound.number, "warehouse": "UK1", "slot_start_ms": a.slot.start_ms}))
}

/// Work waiting on UK1's floor, so that its putaway, counts and returns screens show some: an
/// express inbound of 12 units received and waiting at the dock, a reserve bin to count, and a
/// returned parcel with no paperwork and two cartons with no inbound order, waiting to be matched
/// (the unidentified queue).
async fn seed_waiting_work(
    app: &App,
    client: &entrepot_core::ids::ClientId,
    skus: &[entrepot_core::sku::Sku],
) -> anyhow::Result<()> {
    let wh = app.warehouse_by_code("UK1").await?;
    let sku = skus.get(2).context("a third demo SKU")?;
    let new = NewInbound {
        warehouse_id: wh.id.clone(),
        reference: "DEMO-INBOUND-AT-DOCK".into(),
        mode: ShippingMode::Express,
        lines: vec![(sku.id, 12)],
        need_clearance_doc: false,
        details: json!({"note": "demo seed: received, waiting for putaway"}),
    };
    let ib = app.create_inbound(client, new).await?;
    app.receive_inbound(client, &ib.inbound.number, sku.id, 12).await?;
    let system = Actor::system("demo");
    app.create_counts(&system, &wh.id, CountTarget::Bins(vec!["R-01-01".into()])).await?;
    let parcel = entrepot_app::types::returns::ReturnArrival {
        lines: vec![],
        note: Some("demo seed: a returned parcel with no paperwork".into()),
    };
    app.receive_return(&system, &wh.id, "DEMO-RETURN-NO-PAPERWORK", parcel).await?;
    let freight = entrepot_app::NewUnidentified {
        warehouse: wh.id.clone(),
        carrier: Some("DPD".into()),
        tracking: Some("DEMO-FREIGHT-NO-ORDER".into()),
        cartons: 2,
        note: Some("demo seed: two cartons delivered with no inbound order".into()),
        photo_key: None,
    };
    app.record_unidentified(&system, freight).await?;
    Ok(())
}

/// A day on UK1's outbound floor, so the console has a live warehouse to show: eight orders of
/// notebooks, six of them released in a wave; four picked, three of those packed (booked with
/// the sandbox carrier, as packing does), two handed over on Royal Mail's manifest (the tracking
/// loop delivers them in its own time); two orders wait for the next wave. Returns the units the
/// orders took from what was available.
async fn seed_floor_day(
    app: &App,
    client: &entrepot_core::ids::ClientId,
    book: &entrepot_core::sku::Sku,
) -> anyhow::Result<i64> {
    use entrepot_app::{OrderBatch, PickScan, Placement, Tenant, WaveRequest};
    use entrepot_core::outbound::{NewOutbound, OrderKind};
    let wh = app.warehouse_by_code("UK1").await?;
    let svc = app.service_by_code(&wh.id, "GBDomesticStandard").await?;
    let staff = Actor::system("demo");
    let cities = [("Leeds", "LS1 4AP"), ("York", "YO1 7HH"), ("Bath", "BA1 1LT"), ("Derby", "DE1 2FS")];
    let orders = (1..=8usize)
        .map(|k| {
            let (city, postcode) = cities[k % cities.len()];
            let new = NewOutbound {
                client_id: client.clone(),
                reference: format!("DEMO-ORDER-{k:02}"),
                kind: OrderKind::Local,
                recipient: Address {
                    name: format!("Demo Buyer {k}"),
                    lines: vec![format!("{k} Market Street")],
                    city: city.into(),
                    postcode: postcode.into(),
                    country: "GB".into(),
                    ..Default::default()
                },
                lines: vec![(book.id, 1 + (k % 2) as i64)],
                ..Default::default()
            };
            (new, svc.id.clone())
        })
        .collect();
    let batch = OrderBatch::Stock { orders, known_skus: vec![] };
    let placed = app.place_orders(&Tenant::of(client), batch, Placement::Atomic, true).await?.all()?;
    let units: i64 = placed.iter().flat_map(|o| o.lines.iter().map(|(_, q)| *q)).sum();
    let due = placed.iter().filter_map(|o| o.due_date.clone()).max();
    let wave = WaveRequest { due_by: due, max_orders: Some(6), totes: Some(6), ..Default::default() };
    let w = app.release_wave(&staff, &wh.id, wave).await?;
    let list_id = w.lists.first().context("the demo wave's pick list")?.id.0.clone();
    let list = app.pick_list(&staff, &list_id).await?;
    for p in list.picks.iter().filter(|p| p.tote <= 4) {
        let scan = PickScan {
            list: list_id.clone(),
            scan_id: None,
            bin: p.bin.clone(),
            sku: p.mfskuid.clone(),
            tote: p.tote,
            qty: p.left,
            short: false,
        };
        app.pick(&staff, scan).await?;
    }
    let carrier: std::sync::Arc<dyn entrepot_ops::CarrierConnector> =
        std::sync::Arc::new(entrepot_ops::SandboxCarrier::new());
    for t in list.totes.iter().filter(|t| t.tote <= 3) {
        let v = app.pack_view(&staff, &wh.id, &t.order_id.0).await?;
        for l in &v.lines {
            app.pack_unit(&staff, &wh.id, &t.order_id.0, &l.mfskuid, l.qty, None).await?;
        }
        app.close_pack(&staff, &wh.id, &t.order_id.0, v.expected_weight_g + 120, (250, 190, 60), false).await?;
        entrepot_ops::book_now(app, carrier.clone(), &entrepot_ops::BookingConfig::default(), client, &t.order_id)
            .await
            .map_err(|e| anyhow::anyhow!("demo booking: {e}"))?;
        if t.tote <= 2 {
            let m = app.manifest_parcel(&staff, &wh.id, &t.order_id.0).await?;
            if t.tote == 2 {
                app.close_manifest(&staff, &m.id).await?;
            }
        }
    }
    Ok(units)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    entrepot_store::write_private(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn print_banner(c: &Value, path: &Path) {
    let base = c["base_url"].as_str().unwrap_or_default();
    let key = c["bird"]["api_key"].as_str().unwrap_or_default();
    let ck = c["oc"]["client_key"].as_str().unwrap_or_default();
    let redirect = c["oc"]["redirect_uri"].as_str().unwrap_or_default();
    println!("Entrepot demo data is ready (credentials in {}):", path.display());
    println!("  Bird api_key:    {key}   company_id: 1 (UK1), 12 (DE)");
    println!("  OC ClientKey:    {ck}");
    println!("  OC SecretKey:    {}", c["oc"]["secret_key"].as_str().unwrap_or_default());
    println!(
        "  Sandbox (never live data): Bird test api_key {}, OC ClientKey {}",
        c["bird"]["test_api_key"].as_str().unwrap_or_default(),
        c["oc_sandbox"]["client_key"].as_str().unwrap_or_default()
    );
    println!("  Console:         {base}/console");
    println!(
        "    seller (also OC authorize): {} / {}",
        c["oc"]["username"].as_str().unwrap_or_default(),
        c["oc"]["password"].as_str().unwrap_or_default()
    );
    if let Some(staff) = c["staff"].as_array() {
        for s in staff {
            println!(
                "    staff {}:     {} / {}",
                s["warehouses"][0].as_str().unwrap_or_default(),
                s["username"].as_str().unwrap_or_default(),
                s["password"].as_str().unwrap_or_default()
            );
        }
    }
    println!(
        "    operator:       {} / {}",
        c["operator"]["username"].as_str().unwrap_or_default(),
        c["operator"]["password"].as_str().unwrap_or_default()
    );
    println!("Try:");
    println!("  curl -s -H 'api_key: {key}' -H 'company_id: 1' '{base}/client/product/Get-Product-Available-Quantity'");
    println!(
        "  curl -s -i '{base}/oauth/authorize?response_type=code&client_id={ck}&redirect_uri={redirect}&state=demo'"
    );
}
