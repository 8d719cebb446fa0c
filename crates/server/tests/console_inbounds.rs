//! A seller's inbounds on the console, driven over a real socket against the real server on both
//! backends as the browser posts its forms: an inbound created from line rows (more rows added
//! without script; a bad row marked on the page creating nothing), its SKU labels and carton
//! marks downloaded, a customs file uploaded and a tracking number added, and its receiving
//! appointment booked into a dock slot, moved and cancelled with the slots' room following.
//! Another seller sees none of it, and staff cannot open the seller's form.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, seed_people, Login, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::json;

/// One signed-in person's browser.
struct Browser<'a> {
    base: &'a str,
    who: &'a Login,
}

impl Browser<'_> {
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        client
            .request(method, format!("{}{path}", self.base))
            .header("cookie", format!("entrepot_session={}", self.who.session))
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self.request(reqwest::Method::GET, path).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let r = self.request(reqwest::Method::GET, path).send().await.unwrap();
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }

    /// A form post with the session's CSRF token: the status, the redirect target, the page.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.who.csrf.as_str())];
        form.extend_from_slice(fields);
        let r = self.request(reqwest::Method::POST, path).header("origin", self.base).form(&form).send().await.unwrap();
        let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (r.status().as_u16(), to, r.text().await.unwrap())
    }

    /// A multipart post of one file with `fields`, as the upload form sends it.
    async fn upload(&self, path: &str, fields: &[(&str, &str)], name: &str, bytes: &[u8]) -> (u16, String) {
        let boundary = "----entrepot-test-boundary";
        let mut body = vec![];
        for (k, v) in [("csrf", self.who.csrf.as_str())].iter().chain(fields) {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
        }
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n")
                .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let r = self
            .request(reqwest::Method::POST, path)
            .header("origin", self.base)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (r.status().as_u16(), to)
    }
}

/// The inbound numbers a list page links to.
fn listed(html: &str) -> Vec<String> {
    html.split("href=\"/console/inbounds/OCI").skip(1).map(|s| format!("OCI{}", &s[..s.find('"').unwrap()])).collect()
}

/// The free room the slot's row shows.
fn free(html: &str, slot: &str) -> i64 {
    let at = html.find(&format!("id=\"slot-{slot}\"")).unwrap_or_else(|| panic!("no slot {slot}: {html}"));
    let rest = &html[at..];
    let rest = &rest[rest.find("data-free=\"").unwrap() + 11..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// Whether the slot's row is marked as the seller's appointment.
fn mine(html: &str, slot: &str) -> bool {
    let at = html.find(&format!("id=\"slot-{slot}\"")).unwrap();
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    row.contains("pill good")
}

/// The inbound a creation redirected to.
fn created(to: &str) -> String {
    let number = to.strip_prefix("/console/inbounds/").unwrap_or_else(|| panic!("redirected to {to}"));
    number.split('?').next().unwrap().to_owned()
}

#[each_backend]
async fn a_seller_creates_an_inbound_prints_its_labels_and_books_its_appointment(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Acme (site UK1) holds approved ACME-1 and ACME-2; Beta is another seller.
    seed_people(url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (acme, beta, uk) =
        (login(base, "acme-owner", PW).await, login(base, "beta-owner", PW).await, login(base, "uk", PW).await);
    let seller = Browser { base, who: &acme };
    let other = Browser { base, who: &beta };
    let staff = Browser { base, who: &uk };

    // The form: ten rows, ten more on a press, no script; staff may not open it.
    assert_eq!(staff.get("/console/inbounds/new").await.0, 403);
    let (status, form) = seller.get("/console/inbounds/new").await;
    assert_eq!(status, 200, "{form}");
    assert_eq!(form.matches("name=\"sku\"").count(), 10, "{form}");
    assert!(!form.contains("<script>") && form.contains("value=\"UK1\""), "{form}");
    // The browser posts every row, empty or not.
    let mut rows = vec![("warehouse", "UK1"), ("more", "1")];
    rows.extend([("sku", ""), ("qty", "")].repeat(10));
    let (status, _, more) = seller.post("/console/inbounds", &rows).await;
    assert_eq!(status, 200, "{more}");
    assert_eq!(more.matches("name=\"sku\"").count(), 20, "{more}");

    // A bad row (an unknown SKU, a zero quantity) is marked beside it and nothing is created.
    let bad = [
        ("warehouse", "UK1"),
        ("mode", "SEA"),
        ("reference", "PO-1"),
        ("sku", "ACME-1"),
        ("qty", "5"),
        ("sku", "NOPE-9"),
        ("qty", "3"),
        ("sku", "ACME-2"),
        ("qty", "0"),
    ];
    let (status, _, page) = seller.post("/console/inbounds", &bad).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("id=\"row-error-2\"") && page.contains("NOPE-9"), "{page}");
    assert!(page.contains("id=\"row-error-3\"") && !page.contains("id=\"row-error-1\""), "{page}");
    assert!(page.contains("value=\"PO-1\""), "the form keeps what was typed: {page}");
    assert!(listed(&seller.get("/console/inbounds").await.1).is_empty());

    // Two good lines: created, listed, and the native API has them.
    let good = [
        ("warehouse", "UK1"),
        ("mode", "SEA"),
        ("reference", "PO-1"),
        ("need_clearance_doc", "1"),
        ("sku", "ACME-1"),
        ("qty", "5"),
        ("sku", ""),
        ("qty", ""),
        ("sku", "ACME-2"),
        ("qty", "3"),
    ];
    let (status, to, page) = seller.post("/console/inbounds", &good).await;
    assert_eq!(status, 303, "{page}");
    let number = created(&to);
    assert_eq!(listed(&seller.get("/console/inbounds").await.1), vec![number.clone()]);
    let receipt = call(base, acme.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await;
    assert_eq!(receipt.status, 200, "{}", receipt.body);
    let lines: Vec<(String, i64)> = receipt.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["seller_sku"].as_str().unwrap().to_owned(), l["expected"].as_i64().unwrap()))
        .collect();
    assert_eq!(lines, vec![("ACME-1".to_owned(), 5), ("ACME-2".to_owned(), 3)], "{}", receipt.body);
    // The same reference again is refused as the use case says, on the page.
    let (status, _, page) = seller.post("/console/inbounds", &good).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("id=\"form-error\"") && page.contains("PO-1"), "{page}");
    assert_eq!(listed(&seller.get("/console/inbounds").await.1).len(), 1);

    // Its SKU labels and carton marks download as PDFs.
    for doc in ["sku-labels.pdf", "carton-marks.pdf"] {
        let (status, pdf) = seller.bytes(&format!("/console/inbounds/{number}/{doc}")).await;
        assert_eq!(status, 200, "{doc}");
        assert!(pdf.starts_with(b"%PDF"), "{doc}");
        assert_eq!(other.bytes(&format!("/console/inbounds/{number}/{doc}")).await.0, 404, "{doc}");
    }

    // A packing list uploaded: shown, and no longer missing.
    let detail = format!("/console/inbounds/{number}");
    let (_, page) = seller.get(&detail).await;
    assert!(page.contains("Still missing: Packing list, Invoice"), "{page}");
    let file = b"%PDF-1.4\n% packing list\n%%EOF\n";
    let (status, to) = seller.upload(&format!("{detail}/clearance"), &[("file_type", "PL")], "packing.pdf", file).await;
    assert_eq!((status, to.as_str()), (303, format!("{detail}#clearance").as_str()));
    let (_, page) = seller.get(&detail).await;
    assert!(page.contains("packing.pdf</a>") && page.contains("Still missing: Invoice<"), "{page}");
    let (status, to) =
        seller.upload(&format!("{detail}/clearance"), &[("file_type", "IN")], "invoice.pdf", b"MZ").await;
    assert_eq!((status, to.as_str()), (422, ""), "not a PDF");
    assert_eq!(other.upload(&format!("{detail}/clearance"), &[("file_type", "IN")], "i.pdf", file).await.0, 404);

    // An express inbound without a reference gets one; a tracking number moves it in transit.
    let express = [("warehouse", "UK1"), ("mode", "EXPRESS"), ("reference", ""), ("sku", "ACME-2"), ("qty", "1")];
    let (status, to, page) = seller.post("/console/inbounds", &express).await;
    assert_eq!(status, 303, "{page}");
    let parcel = created(&to);
    let (_, page) = seller.get(&format!("/console/inbounds/{parcel}")).await;
    assert!(page.contains("IB-") && page.contains("Awaiting tracking"), "{page}");
    let tracking = format!("/console/inbounds/{parcel}/tracking");
    assert_eq!(other.post(&tracking, &[("numbers", "1Z0001")]).await.0, 404);
    let (status, _, page) = seller.post(&tracking, &[("numbers", "1Z0001\n1Z0002")]).await;
    assert_eq!(status, 303, "{page}");
    let (_, page) = seller.get(&format!("/console/inbounds/{parcel}")).await;
    assert!(
        page.contains("<li>1Z0001</li>") && page.contains("<li>1Z0002</li>") && page.contains("In transit"),
        "{page}"
    );

    // Appointment: two slots of room 2; booked in the first, moved to the second, cancelled.
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 10, "capacity": 2});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan)).await;
    assert_eq!(slots.status, 201, "{}", slots.body);
    let (one, two) = (
        slots.body["items"][0]["id"].as_str().unwrap().to_owned(),
        slots.body["items"][1]["id"].as_str().unwrap().to_owned(),
    );
    let slots_page = format!("/console/inbounds/{number}/appointment?from=2030-01-02");
    let (status, page) = seller.get(&slots_page).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!((free(&page, &one), free(&page, &two)), (2, 2));
    assert!(page.contains("id=\"appointment-none\""), "{page}");
    let book = format!("/console/inbounds/{number}/appointment");
    let (status, to, page) = seller.post(&book, &[("slot", &one), ("from", "2030-01-02")]).await;
    assert_eq!((status, to.as_str()), (303, slots_page.as_str()), "{page}");
    let (_, page) = seller.get(&slots_page).await;
    assert_eq!((free(&page, &one), free(&page, &two), mine(&page, &one)), (1, 2, true), "{page}");
    let (_, page) = seller.get(&detail).await;
    assert!(page.contains("2030-01-02 08:00") && page.contains("In transit"), "{page}");

    let (status, _, page) = seller.post(&book, &[("slot", &two), ("from", "2030-01-02")]).await;
    assert_eq!(status, 303, "{page}");
    let (_, page) = seller.get(&slots_page).await;
    assert_eq!((free(&page, &one), free(&page, &two), mine(&page, &two)), (2, 1, true), "{page}");

    // Another seller neither sees nor books nor cancels it.
    assert_eq!(other.get(&detail).await.0, 404);
    assert_eq!(other.get(&slots_page).await.0, 404);
    assert_eq!(other.post(&book, &[("slot", &one)]).await.0, 404);
    assert_eq!(other.post(&format!("{book}/cancel"), &[]).await.0, 404);
    let (_, page) = seller.get(&slots_page).await;
    assert_eq!((free(&page, &one), free(&page, &two)), (2, 1));

    let (status, _, page) = seller.post(&format!("{book}/cancel"), &[("from", "2030-01-02")]).await;
    assert_eq!(status, 303, "{page}");
    let (_, page) = seller.get(&slots_page).await;
    assert_eq!((free(&page, &one), free(&page, &two)), (2, 2), "{page}");
    assert!(page.contains("id=\"appointment-status\">Cancelled"), "{page}");

    // The express inbound takes no appointment.
    let (status, _, page) = seller.post(&format!("/console/inbounds/{parcel}/appointment"), &[("slot", &one)]).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("id=\"appointment-error\""), "{page}");
}
