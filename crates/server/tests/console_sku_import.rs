//! The seller's console on the real binary, both backends: SKUs imported from a sheet (good rows
//! created as drafts, bad ones shown and marked in the annotated copy, the same file twice
//! creating nothing twice, another client's SKUs neither seen nor touched), and an order typed
//! by hand (created and shown; a bad one refused beside its field in the user's language with
//! nothing created; a double submit placing one order). Staff are refused both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use std::io::Cursor;

use api_common::{login, seed_people, Console, PW};
use calamine::{Data, Reader, Xlsx};
use common::{admin_ok, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};

/// Eight SKU rows in English and Chinese headers: MUG-1 and NEW-2 good, ACME-1 Acme's already,
/// then five bad rows (5: no code, 6: a weight that is no number, 7: NEW-2 again in another
/// case, 8: no country code, 9: a weight over the bound the SKU itself checks).
const SKUS: &str =
    "SKU,Name (English),中文名称,Weight (g),Length (mm),Width (mm),Height (mm),Declared value,HS code,原产国
MUG-1,Mug,马克杯,350,120,90,100,4.50,6912000000,CN
ACME-1,Anvil,,900,,,,,,
NEW-2,Bolt box,,100,,,,,,GB
,No code,,,,,,,,
BAD-W,Heavy,,abc,,,,,,
new-2,Dup,,,,,,,,
BAD-C,Thing,,,,,,,,Narnia
BIG-1,Huge,,99999999,,,,,,
";

/// The file as the browser posts it: multipart, with the CSRF token and the button pressed.
async fn upload(c: &Console<'_>, mode: &str, file: &[u8]) -> (u16, String) {
    let b = "----entrepot-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", c.who.csrf.as_str()), ("mode", mode)] {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"skus.csv\"\r\nContent-Type: text/csv\r\n\r\n")
            .bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    let r = c
        .request(reqwest::Method::POST, "/console/import/skus")
        .header("origin", c.base)
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The text of the element `id="..."` (its first text run), or "".
fn by_id<'a>(page: &'a str, id: &str) -> &'a str {
    let Some(at) = page.find(&format!("id=\"{id}\"")) else { return "" };
    let rest = &page[at..];
    let start = rest.find('>').map_or(0, |k| k + 1);
    let end = rest[start..].find('<').map_or(rest.len(), |k| start + k);
    rest[start..end].trim()
}

fn token_of(page: &str) -> String {
    let at = page.find("name=\"token\" value=\"").expect("a kept upload's token");
    let rest = &page[at + "name=\"token\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

fn error_rows(page: &str) -> usize {
    page.matches("<tr><td class=\"lead\">").count()
}

async fn skus_of(db: &str, client: &str) -> Vec<entrepot_core::sku::Sku> {
    let store = entrepot_store::Store::open(db).await.unwrap();
    let id = store.find_client(client).await.unwrap().id;
    let (skus, _) = store.list_skus(&id, &Default::default()).await.unwrap();
    store.close().await;
    skus
}

fn rows_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[each_backend]
async fn a_seller_imports_skus_from_a_sheet_once(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    // Beta has a MUG-1 of its own: Acme's MUG-1 is another SKU.
    admin_ok(url, &["sku", "create", "--client", "Beta", "--sku", "MUG-1", "--name", "Beta mug", "--weight-g", "1"]);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (acme_l, beta_l, op_l, uk_l) = (
        login(base, "acme-owner", PW).await,
        login(base, "beta-owner", PW).await,
        login(base, "op", PW).await,
        login(base, "uk", PW).await,
    );
    let acme = Console { base, who: &acme_l };
    let beta = Console { base, who: &beta_l };

    // The import page has a SKU tab with its template.
    let (status, page) = acme.get("/console/import").await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/console/import/skus\""), "{page}");
    assert!(acme.get("/console/skus").await.1.contains("href=\"/console/import/skus\""));
    let (status, page) = acme.get("/console/import/skus").await;
    assert_eq!(status, 200, "{page}");
    let r = acme.request(reqwest::Method::GET, "/console/import/skus/template.xlsx").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let t = rows_of(&r.bytes().await.unwrap());
    assert_eq!((t[0][0].as_str(), t[0][1].as_str(), t.len()), ("SKU", "Name (English)", 2));

    // The check: 2 good, 1 already Acme's, 5 bad rows shown; nothing written.
    let before = skus_of(url, "Acme").await.len();
    let (status, page) = upload(&acme, "check", SKUS.as_bytes()).await;
    assert_eq!(status, 200, "{page}");
    let summary = by_id(&page, "import-summary");
    assert!(summary.contains("8 rows: 2 SKUs can be imported, 5 rows have errors, 1 SKUs exist already"), "{summary}");
    assert_eq!(error_rows(&page), 5, "{page}");
    for shown in ["Row 5", "Row 6", "Row 7", "Row 8", "Row 9", "Narnia", "abc", "is also on row 4"] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert_eq!(skus_of(url, "Acme").await.len(), before, "a check creates nothing");
    let token = token_of(&page);

    // The annotated copy: an Error column beside rows 5 to 9 only.
    let r = acme
        .request(reqwest::Method::GET, &format!("/console/import/skus/{token}/annotated.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let a = rows_of(&r.bytes().await.unwrap());
    assert_eq!(a[0][10], "Error");
    let noted: Vec<usize> =
        (1..a.len()).filter(|k| a[*k].get(10).is_some_and(|e| !e.is_empty())).map(|k| k + 1).collect();
    assert_eq!(noted, [5, 6, 7, 8, 9]);
    assert!(a[7][10].contains("Narnia"), "{:?}", a[7]);
    // Another seller cannot read Acme's upload.
    let r = beta
        .request(reqwest::Method::GET, &format!("/console/import/skus/{token}/annotated.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Import the good rows: two drafts; Beta's MUG-1 untouched.
    let (status, page) = acme.post("/console/import/skus/kept", &[("token", token.as_str())], false).await;
    assert_eq!(status, 200, "{page}");
    let summary = by_id(&page, "import-summary");
    assert!(summary.contains("2 SKUs imported as drafts"), "{summary}");
    let skus = skus_of(url, "Acme").await;
    assert_eq!(skus.len(), before + 2);
    let mug = skus.iter().find(|s| s.seller_sku == "MUG-1").unwrap();
    assert_eq!(mug.status, entrepot_core::sku::SkuStatus::Draft);
    assert_eq!((mug.name_cn.as_deref(), mug.weight_g, mug.declared_value), (Some("马克杯"), 350, 450));
    assert_eq!(mug.origin_country.as_deref(), Some("CN"));
    let beta_skus = skus_of(url, "Beta").await;
    assert_eq!(beta_skus.len(), 1);
    assert_eq!((beta_skus[0].name_en.as_str(), beta_skus[0].weight_g), ("Beta mug", 1));

    // The same file again, imported at once: nothing new.
    let (status, page) = upload(&acme, "import", SKUS.as_bytes()).await;
    assert_eq!(status, 200, "{page}");
    let summary = by_id(&page, "import-summary");
    assert!(summary.contains("0 SKUs imported as drafts") && summary.contains("3 SKUs existed already"), "{summary}");
    assert_eq!(skus_of(url, "Acme").await.len(), before + 2);

    // Beta sees its own SKUs only: its MUG-1 is there already; Acme's three (ACME-1, NEW-2 and
    // its MUG-1) are not.
    let (_, page) = upload(&beta, "check", SKUS.as_bytes()).await;
    let summary = by_id(&page, "import-summary");
    assert!(summary.contains("2 SKUs can be imported") && summary.contains("1 SKUs exist already"), "{summary}");

    // Staff are refused the page, the template and the upload; nothing changes.
    for who in [&op_l, &uk_l] {
        let staff = Console { base, who };
        assert_eq!(staff.get("/console/import/skus").await.0, 403);
        assert_eq!(staff.get("/console/import/skus/template.xlsx").await.0, 403);
        assert_eq!(upload(&staff, "import", SKUS.as_bytes()).await.0, 403);
        assert_eq!(staff.post("/console/import/skus/kept", &[("token", token.as_str())], false).await.0, 403);
        assert_eq!(staff.get(&format!("/console/import/skus/{token}/annotated.xlsx")).await.0, 403);
    }
    assert_eq!(skus_of(url, "Acme").await.len(), before + 2);
    assert_eq!(skus_of(url, "Beta").await.len(), 1);
}

async fn orders_of(db: &str, client: &str) -> Vec<entrepot_app::OrderView> {
    let store = entrepot_store::Store::open(db).await.unwrap();
    let id = store.find_client(client).await.unwrap().id;
    let (orders, _) = store.list_orders(&id, &Default::default()).await.unwrap();
    store.close().await;
    orders
}

/// The new-order form's fields, with `changes` applied.
fn order_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("lines", "5"),
        ("warehouse", "UK1"),
        ("service", "GBDomesticStandard"),
        ("reference", "HAND-1"),
        ("name", "Ann Smith"),
        ("address1", "1 High Street"),
        ("city", "Leeds"),
        ("postcode", "LS1 1AA"),
        ("country", "GB"),
        ("sku_1", "ACME-1"),
        ("qty_1", "2"),
    ];
    for (k, v) in changes {
        match f.iter_mut().find(|(x, _)| x == k) {
            Some(e) => e.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

#[each_backend]
async fn a_seller_places_an_order_by_hand_once(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (acme_l, beta_l, op_l, uk_l) = (
        login(base, "acme-owner", PW).await,
        login(base, "beta-owner", PW).await,
        login(base, "op", PW).await,
        login(base, "uk", PW).await,
    );
    let acme = Console { base, who: &acme_l };
    let beta = Console { base, who: &beta_l };

    let (status, page) = acme.get("/console/orders").await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/console/orders/new\""));
    let (status, page) = acme.get("/console/orders/new").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("value=\"GBDomesticStandard\"") && page.contains("value=\"UK1\""), "{page}");
    assert!(page.contains("name=\"sku_5\"") && !page.contains("name=\"sku_6\""));

    // More lines, without a script: the form again with five more, as typed.
    let (status, page) = acme.post("/console/orders/new", &order_form(&[("more", "1")]), false).await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"sku_10\"") && page.contains("value=\"Ann Smith\""), "{page}");

    // A bad order: each refusal beside its field, nothing created.
    let bad = order_form(&[("name", ""), ("qty_1", "0"), ("sku_2", "NO-SUCH"), ("qty_2", "1")]);
    let (status, page) = acme.post("/console/orders/new", &bad, false).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(by_id(&page, "err-name"), "Required.");
    assert!(by_id(&page, "err-qty_1").starts_with("A whole number of 1 to 10"), "{page}");
    assert_eq!(by_id(&page, "err-sku_2"), "NO-SUCH is not one of your SKUs.");
    assert!(page.contains("value=\"1 High Street\""), "what was typed stays");
    // In Chinese for a Chinese reader.
    let r = acme
        .request(reqwest::Method::POST, "/console/orders/new")
        .header("cookie", format!("entrepot_session={}; entrepot_lang=zh-CN", acme_l.session))
        .header("origin", base)
        .form(&[&[("csrf", acme_l.csrf.as_str())][..], &bad].concat())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(by_id(&r.text().await.unwrap(), "err-name"), "必填。");
    // A service the placement refuses (no such service at UK1).
    let (status, page) = acme.post("/console/orders/new", &order_form(&[("service", "NOPE")]), false).await;
    assert_eq!(status, 422);
    assert_eq!(by_id(&page, "err-service"), "Not a service of this warehouse.");
    assert!(orders_of(url, "Acme").await.is_empty(), "nothing created");

    // The good order: placed (submitted) and shown; the same form again opens the same order.
    let form = order_form(&[]);
    let first = acme.submit("/console/orders/new", &form, false).await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert!(first.location.starts_with("/console/orders/"), "{}", first.location);
    let (status, page) = acme.get(&first.location).await;
    assert_eq!(status, 200);
    assert!(page.contains("HAND-1") && page.contains("ACME-1") && page.contains("Ann Smith"), "{page}");
    let again = acme.submit("/console/orders/new", &form, false).await;
    assert_eq!((again.status, again.location.as_str()), (303, first.location.as_str()));
    // A double click: two posts at once of a new reference still make one order.
    let twice = order_form(&[("reference", "HAND-2"), ("qty_1", "1")]);
    let (a, b) = tokio::join!(
        acme.submit("/console/orders/new", &twice, false),
        acme.submit("/console/orders/new", &twice, false)
    );
    assert_eq!((a.status, b.status), (303, 303), "{} {}", a.body, b.body);
    assert_eq!(a.location, b.location);
    assert_ne!(a.location, first.location);
    let orders = orders_of(url, "Acme").await;
    assert_eq!(orders.len(), 2);
    let orders: Vec<_> = orders.into_iter().filter(|o| o.reference == "HAND-1").collect();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].reference, "HAND-1");
    assert_eq!(orders[0].status, entrepot_core::outbound::OutboundStatus::Submitted);
    assert_eq!(orders[0].lines, vec![(orders[0].lines[0].0, 2)]);

    // Beta can use neither Acme's warehouse nor its SKU, nor see Acme's order by its reference.
    let (status, page) = beta.post("/console/orders/new", &order_form(&[("reference", "BETA-1")]), false).await;
    assert_eq!(status, 422);
    assert_eq!(by_id(&page, "err-warehouse"), "Not one of your warehouses.");
    assert_eq!(by_id(&page, "err-sku_1"), "ACME-1 is not one of your SKUs.");
    let (status, page) = beta.post("/console/orders/new", &order_form(&[("warehouse", "DE")]), false).await;
    assert_eq!(status, 422, "HAND-1 is Acme's: Beta's form is checked as new");
    assert_eq!(by_id(&page, "err-sku_1"), "ACME-1 is not one of your SKUs.");
    assert!(orders_of(url, "Beta").await.is_empty());

    // Staff are refused the form and the post; nothing changes.
    for who in [&op_l, &uk_l] {
        let staff = Console { base, who };
        assert_eq!(staff.get("/console/orders/new").await.0, 403);
        let (status, _) = staff.post("/console/orders/new", &order_form(&[("reference", "STAFF-1")]), false).await;
        assert_eq!(status, 403);
    }
    assert_eq!(orders_of(url, "Acme").await.len(), 2);
}
