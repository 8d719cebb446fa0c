//! The operator's administration pages, driven over a real socket against the real server on
//! both backends, as a browser posts their forms: an operator creates a client with a site and
//! tops it up (its seller sees the same balance), creates a staff user who may then log in and
//! disables it (the log-in is then refused), creates bins by range (listed as the native API
//! lists them, their labels printed), sets a cut-off and takes a service out of use. Staff and
//! sellers are refused every page and every form, and nothing they post changes anything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, seed_people, Auth, Console, Login, PW};
use common::{admin_ok, assert_check, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::json;

/// Every page of the administration.
const PAGES: &[&str] = &[
    "/console/admin/clients",
    "/console/admin/people",
    "/console/admin/warehouses",
    "/console/admin/warehouses/UK1/bins",
    "/console/admin/services",
];

/// The id in `/console/admin/clients/{id}?...`.
fn client_id(location: &str) -> String {
    let rest = location.strip_prefix("/console/admin/clients/").unwrap_or_else(|| panic!("{location}"));
    rest.split('?').next().unwrap().to_owned()
}

/// The id of the user named `username` on the people page (from its row's disable form).
fn user_id(people: &str, username: &str) -> String {
    let row = &people[people.find(&format!("id=\"user-{username}\"")).unwrap_or_else(|| panic!("{people}"))..];
    let at = row.find("/console/admin/people/").unwrap() + "/console/admin/people/".len();
    row[at..row[at..].find('/').unwrap() + at].to_owned()
}

/// Every form of the administration, as `client` (an existing client's id) and `user` (an
/// existing staff user's id) would be changed by it.
fn forms(client: &str, user: &str) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        ("/console/admin/clients".into(), vec![("name", "Intruder Ltd"), ("currency", "GBP"), ("site", "UK1")]),
        (format!("/console/admin/clients/{client}/top-up"), vec![("amount", "999.00"), ("note", "free money")]),
        (format!("/console/admin/clients/{client}/sites/detach"), vec![("site", "UK1")]),
        (format!("/console/admin/clients/{client}/sites/attach"), vec![("site", "DE")]),
        ("/console/admin/people".into(), vec![("username", "intruder"), ("password", PW), ("role", "operator")]),
        (format!("/console/admin/people/{user}/disable"), vec![]),
        (format!("/console/admin/people/{user}/grant"), vec![("warehouse", "DE"), ("supervisor", "1")]),
        (format!("/console/admin/people/{user}/revoke"), vec![("warehouse", "UK1")]),
        ("/console/admin/warehouses/UK1/cutoff".into(), vec![("cutoff", "09:00")]),
        ("/console/admin/warehouses/UK1/bins".into(), vec![("range", "X-01..02-1..2"), ("kind", "reserve")]),
        ("/console/admin/services/UK1/GBDomesticStandard/active".into(), vec![("active", "false")]),
    ]
}

async fn log_in_status(base: &str, username: &str) -> u16 {
    let body = json!({"username": username, "password": PW});
    call(base, Auth::None, "POST /api/v1/sessions", &[], "", Some(body)).await.status
}

/// Bin codes of UK1 starting with `prefix`, as the native API lists them.
async fn api_bins(base: &str, who: &Login, prefix: &str) -> Vec<String> {
    let q = format!("prefix={prefix}&limit=500");
    let a = call(base, who.bearer(), "GET /api/v1/warehouses/{code}/locations", &["UK1"], &q, None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["items"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap().to_owned()).collect()
}

/// Whether UK1's GBDomesticStandard takes orders, as the CLI lists services.
fn service_active(db: &str) -> serde_json::Value {
    let all = admin_ok(db, &["service", "list"]);
    let s = all.as_array().unwrap().iter().find(|s| s["code"] == "GBDomesticStandard").unwrap();
    s["active"].clone()
}

#[each_backend]
async fn an_operator_administers_clients_people_bins_and_services(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Op runs UK1 and DE; Acme uses UK1; users of every role (seed_people).
    seed_people(url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (op_l, uk_l, sup_l, acme_l) = (
        login(base, "op", PW).await,
        login(base, "uk", PW).await,
        login(base, "uksup", PW).await,
        login(base, "acme-owner", PW).await,
    );
    let op = Console { base, who: &op_l };

    // The operator's console opens on the clients page, with the administration in the nav.
    let home = op.request(reqwest::Method::GET, "/console").send().await.unwrap();
    assert_eq!(home.headers()["location"], "/console/admin/clients");
    let (status, page) = op.get("/console/admin/clients").await;
    assert_eq!(status, 200, "{page}");
    for href in PAGES.iter().filter(|p| !p.contains("/bins")) {
        assert!(page.contains(&format!("href=\"{href}\"")), "nav {href}: {page}");
    }
    assert!(page.contains("Acme"), "{page}");

    // Staff, a supervisor and a seller owner: 403 on every page and every form, nothing changed.
    let acme = {
        let store = entrepot_store::Store::open(url).await.unwrap();
        let id = store.find_client("Acme").await.unwrap().id.0;
        store.close().await;
        id
    };
    let (_, people) = op.get("/console/admin/people").await;
    let uk_id = user_id(&people, "uk");
    for who in [&uk_l, &sup_l, &acme_l] {
        let c = Console { base, who };
        for page in PAGES {
            let (status, body) = c.get(page).await;
            assert_eq!(status, 403, "{page}: {body}");
        }
        for (path, fields) in forms(&acme, &uk_id) {
            let p = c.submit(&path, &fields, false).await;
            assert_eq!(p.status, 403, "{path}: {}", p.body);
        }
    }
    let (_, clients) = op.get("/console/admin/clients").await;
    assert!(!clients.contains("Intruder") && !clients.contains("999.00"), "{clients}");
    let (_, acme_page) = op.get(&format!("/console/admin/clients/{acme}")).await;
    assert!(acme_page.contains("<th scope=\"row\">UK1</th>") && !acme_page.contains("<th scope=\"row\">DE</th>"));
    assert_eq!(log_in_status(base, "intruder").await, 401);
    assert_eq!(log_in_status(base, "uk").await, 201, "not disabled");
    assert!(api_bins(base, &uk_l, "X-").await.is_empty());
    let (_, whs) = op.get("/console/admin/warehouses").await;
    assert!(!whs.contains("value=\"09:00\""), "{whs}");
    assert_eq!(service_active(url), true);
    let (_, people) = op.get("/console/admin/people").await;
    let uk_row = &people[people.find("id=\"user-uk\"").unwrap()..];
    assert!(uk_row[..uk_row.find("</tr>").unwrap()].contains(">UK1<"), "uk keeps UK1 alone: {uk_row}");

    // A client with a site, topped up: the operator's list and the seller's own page agree.
    let made =
        op.submit("/console/admin/clients", &[("name", "Gamma"), ("currency", "GBP"), ("site", "UK1")], false).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let gamma = client_id(&made.location);
    let refused = op
        .submit(&format!("/console/admin/clients/{gamma}/top-up"), &[("amount", "1.005"), ("note", "x")], false)
        .await;
    assert_eq!(refused.status, 422, "no rounding of money");
    assert!(refused.body.contains("class=\"flash bad\""), "{}", refused.body);
    let topped = op
        .submit(
            &format!("/console/admin/clients/{gamma}/top-up"),
            &[("amount", "250.00"), ("note", "bank ref 42")],
            false,
        )
        .await;
    assert_eq!(topped.status, 303, "{}", topped.body);
    let (_, page) = op.get(&topped.location).await;
    assert!(page.contains("250.00 GBP") && page.contains("<th scope=\"row\">UK1</th>"), "{page}");
    let (_, list) = op.get("/console/admin/clients").await;
    let row = &list[list.find(&format!("id=\"client-{gamma}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("Gamma") && row.contains("UK1") && row.contains("250.00 GBP"), "{row}");
    let sites = |how: &'static str| format!("/console/admin/clients/{gamma}/sites/{how}");
    assert_eq!(op.submit(&sites("attach"), &[("site", "DE")], false).await.status, 303);
    let (_, page) = op.get(&format!("/console/admin/clients/{gamma}")).await;
    assert!(page.contains("<th scope=\"row\">DE</th>"), "{page}");
    assert_eq!(op.submit(&sites("detach"), &[("site", "DE")], false).await.status, 303);
    let (_, page) = op.get(&format!("/console/admin/clients/{gamma}")).await;
    assert!(!page.contains("<th scope=\"row\">DE</th>") && page.contains("<th scope=\"row\">UK1</th>"), "{page}");
    let seller = op
        .submit(
            "/console/admin/people",
            &[("username", "gamma-owner"), ("password", PW), ("role", "seller"), ("client", &gamma), ("owner", "1")],
            false,
        )
        .await;
    assert_eq!(seller.status, 303, "{}", seller.body);
    let gamma_l = login(base, "gamma-owner", PW).await;
    let (status, balance) = Console { base, who: &gamma_l }.get("/console/balance").await;
    assert_eq!(status, 200, "{balance}");
    assert!(balance.contains("250.00 GBP"), "{balance}");
    // The CLI reads the same books.
    let shown = admin_ok(url, &["balance", "show", "--client", "Gamma"]);
    assert_eq!(shown["balances"][0]["available"], "250.00", "{shown}");

    // A staff user who can then log in, granted DE too, then disabled: refused at once.
    let created = op
        .submit(
            "/console/admin/people",
            &[("username", "newpicker"), ("password", PW), ("role", "staff"), ("warehouse", "UK1")],
            false,
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let picker_l = login(base, "newpicker", PW).await;
    let picker = Console { base, who: &picker_l };
    assert_eq!(picker.get("/console/board").await.0, 200);
    let (_, people) = op.get("/console/admin/people").await;
    let picker_id = user_id(&people, "newpicker");
    let granted = op.submit(&format!("/console/admin/people/{picker_id}/grant"), &[("warehouse", "DE")], false).await;
    assert_eq!(granted.status, 303, "{}", granted.body);
    let (_, people) = op.get("/console/admin/people").await;
    assert!(people.contains(">UK1, DE<") || people.contains(">DE, UK1<"), "{people}");
    let disabled = op.submit(&format!("/console/admin/people/{picker_id}/disable"), &[], false).await;
    assert_eq!(disabled.status, 303, "{}", disabled.body);
    assert_eq!(log_in_status(base, "newpicker").await, 401);
    let gone = picker.request(reqwest::Method::GET, "/console/board").send().await.unwrap();
    assert_eq!(gone.status().as_u16(), 303, "its open session ends too");

    // Bins by range: listed a page at a time, as the native API lists them; labels printed.
    let bins = op
        .submit("/console/admin/warehouses/UK1/bins", &[("range", "Z-01..30-1..5"), ("kind", "reserve")], false)
        .await;
    assert_eq!(bins.status, 303, "{}", bins.body);
    let (status, page) = op.get(&bins.location).await;
    assert_eq!(status, 200, "{page}");
    let listed = |page: &str| page.matches("<td class=\"lead\">Z-").count();
    let (_, first) = op.get("/console/admin/warehouses/UK1/bins?prefix=Z-").await;
    assert_eq!(listed(&first), 100, "a page of 100");
    assert!(first.contains("after=Z-20-5"), "next page: {first}");
    let (_, second) = op.get("/console/admin/warehouses/UK1/bins?prefix=Z-&after=Z-20-5").await;
    assert_eq!(listed(&second), 50);
    let from_api = api_bins(base, &uk_l, "Z-").await;
    assert_eq!(from_api.len(), 150);
    assert!(from_api.iter().all(|c| first.contains(&format!(">{c}<")) || second.contains(&format!(">{c}<"))));
    let labels = page.find("/api/v1/warehouses/UK1/locations/labels.pdf?range=").map(|at| {
        let rest = &page[at..];
        rest[..rest.find('"').unwrap()].replace("&#38;", "&").replace("&amp;", "&")
    });
    let pdf = op.get(&labels.expect("a link to the range's labels")).await;
    assert_eq!(pdf.0, 200);
    assert!(pdf.1.starts_with("%PDF"));
    let again =
        op.submit("/console/admin/warehouses/UK1/bins", &[("range", "Z-01-1"), ("kind", "reserve")], false).await;
    assert_eq!(again.status, 422, "an existing bin: {}", again.body);

    // The cut-off, set on the warehouses page.
    let set = op.submit("/console/admin/warehouses/UK1/cutoff", &[("cutoff", "15:30")], false).await;
    assert_eq!(set.status, 303, "{}", set.body);
    let (_, whs) = op.get("/console/admin/warehouses").await;
    assert!(whs.contains("value=\"15:30\""), "{whs}");
    let listed = admin_ok(url, &["warehouse", "list"]);
    let uk1 = listed.as_array().unwrap().iter().find(|w| w["code"] == "UK1").unwrap().clone();
    assert_eq!(uk1["cutoff_minutes"], 15 * 60 + 30, "{uk1}");

    // A service out of use, with its rate card shown.
    let (_, services) = op.get("/console/admin/services?warehouse=UK1").await;
    assert!(services.contains("GBDomesticStandard") && services.contains("1.20 GBP"), "{services}");
    let off = op.submit("/console/admin/services/UK1/GBDomesticStandard/active", &[("active", "false")], false).await;
    assert_eq!(off.status, 303, "{}", off.body);
    let (_, services) = op.get(&off.location).await;
    assert!(services.contains("name=\"active\" value=\"true\""), "{services}");
    assert_eq!(service_active(url), false);

    assert_check(url);
    assert!(server.stop().success());
}
