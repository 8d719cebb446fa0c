//! The console in a real browser (headless Chromium over WebDriver), on the demo's data, on
//! both backends and in both languages (the browser's language chooses it):
//! - `/` leads to the login page; a wrong password is said so on the page;
//! - a seller reads the dashboard, finds an order and its timeline, switches language and back,
//!   makes a SKU (a bad weight refused on the page) and submits it for audit;
//! - staff read the cut-off board (which refreshes itself), approve the SKU, receive an inbound
//!   by scans typed into the scan field as a wedge scanner types them, release a wave, pick a
//!   list, pack an order and put it on a manifest closed at pickup;
//! - the seller sees that order shipped, with the warehouse's scans on its timeline.
//!
//! Every page is checked with axe-core (WCAG 2 A/AA). Screenshots are written when
//! `ENTREPOT_SCREENSHOTS` names a directory (how the pictures in `docs/` are made).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod common;
#[path = "common/sheets.rs"]
mod sheets;

use browser::Browser;
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::Value;

fn inbound_number(c: &Value) -> &str {
    c["inbound_in_transit"]["inbound_number"].as_str().unwrap()
}

fn creds(dir: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("demo-credentials.json")).unwrap()).unwrap()
}

/// The language a run speaks: what the browser asks for, and what the pages then say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Zh,
}

impl Lang {
    fn say<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        if self == Lang::En {
            en
        } else {
            zh
        }
    }
}

#[each_backend]
async fn a_warehouse_day_in_english(backend: Backend) {
    day(backend, Lang::En).await;
}

#[each_backend]
async fn a_warehouse_day_in_chinese(backend: Backend) {
    day(backend, Lang::Zh).await;
}

async fn day(backend: Backend, lang: Lang) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let c = creds(dir.path());
    let base = server.base.clone();
    let b = Browser::start(1280, 900, lang.say("en-GB,en", "zh-CN,zh")).await;
    let shot = |name: &str| format!("{name}{}", lang.say("", "-zh"));

    // The base URL leads to the login page, which speaks the browser's language.
    b.goto(&format!("{base}/")).await;
    assert_eq!(b.path().await, "/console/login");
    assert_eq!(b.text("label[for=username]").await, lang.say("User name", "用户名"));
    b.check_accessibility("the login page").await;
    // The check does see a fault: a field whose label is gone.
    b.c.execute("document.querySelector('label[for=username]').remove()", vec![]).await.unwrap();
    let faults = b.accessibility_violations().await;
    assert!(faults.iter().any(|v| v.starts_with("label")), "{faults:?}");
    b.goto(&format!("{base}/console/login")).await;

    // A wrong password is said so, on the page.
    b.type_into("#username", "demo").await;
    b.type_into("#password", "not-it").await;
    b.click("form.stack button[type=submit]").await;
    assert_eq!(b.text("p.flash.bad").await, lang.say("Wrong user name or password.", "用户名或密码错误。"));

    // The seller's dashboard: a card per warehouse with the stock the demo put there.
    b.log_in(&base, c["console"]["username"].as_str().unwrap(), c["console"]["password"].as_str().unwrap()).await;
    assert_eq!(b.path().await, "/console/dashboard");
    assert_eq!(b.text("main h1").await, lang.say("Dashboard", "概览"));
    let uk1 = b.text("#wh-UK1").await;
    assert!(uk1.contains("UK1") && uk1.contains(lang.say("Available", "可用")), "{uk1}");
    // 14 days up to today, and the days to the next shipping day (none before today's cut-off).
    assert!(b.count("svg.chart rect.due").await >= 14, "a bar a day, up to the next shipping day");
    // The pictures come after the cards: waited for, the page may still be arriving.
    b.find("#stock-numbers tbody tr:nth-of-type(30)").await;
    assert_eq!(b.count("#on-time table tbody tr").await, 30, "on time: 30 days, as numbers too");
    assert_eq!(b.count("#stock-trend svg circle.stock").await, 30, "units on hand: 30 days");
    b.screenshot(&shot("seller-dashboard-desktop")).await;
    b.c.set_window_size(360, 740).await.unwrap();
    b.screenshot(&shot("seller-dashboard-360")).await;
    b.c.set_window_size(1280, 900).await.unwrap();
    b.check_accessibility("the dashboard").await;

    // Orders: the demo's floor day is listed; one opens with its timeline.
    b.click("nav a[href='/console/orders']").await;
    b.wait_text("main h1", lang.say("Orders", "订单")).await;
    b.check_accessibility("the orders").await;
    assert!(b.count("table.orders tbody tr").await >= 8);
    b.click("table.orders tbody tr:first-child a").await;
    b.wait_text("ol.timeline", lang.say("Order placed", "订单已创建")).await;
    b.screenshot(&shot("order-timeline-desktop")).await;
    b.check_accessibility("an order").await;

    // The other language, chosen in the header, stays chosen; and back.
    let other = lang.say("zh-CN", "en");
    b.click(&format!("header button[lang='{other}']")).await;
    b.wait_text("ol.timeline", lang.say("订单已创建", "Order placed")).await;
    b.goto(&format!("{base}/console/dashboard")).await;
    assert_eq!(b.text("main h1").await, lang.say("概览", "Dashboard"));
    let mine = lang.say("en", "zh-CN");
    b.click(&format!("header button[lang='{mine}']")).await;
    b.wait_text("main h1", lang.say("Dashboard", "概览")).await;

    // Stock by bucket, a SKU's movements, the inbound on its way, the balance and its statement.
    b.click("nav a[href='/console/stock']").await;
    let stock = b.wait_text("table.stock", "DEMO-MUG-01").await;
    assert!(stock.contains("UK1") && stock.contains("DE"), "{stock}");
    b.check_accessibility("the stock").await;
    b.click("table.stock tbody tr:first-child a").await;
    b.wait_text("table.movements", lang.say("put away", "上架")).await;
    b.click("nav a[href='/console/inbounds']").await;
    b.wait_text("table.inbounds", inbound_number(&c)).await;
    b.check_accessibility("the inbounds").await;
    b.click("nav a[href='/console/balance']").await;
    b.wait_text("main", lang.say("Statement", "对账单")).await;
    assert!(b.text("table.statement").await.contains(lang.say("Top-up", "充值")));
    b.check_accessibility("the balance").await;

    // A new SKU: a draft with a bad weight is refused on the page, then saved and submitted.
    b.click("nav a[href='/console/skus']").await;
    b.click("a[href='/console/skus/new']").await;
    b.type_into("#seller_sku", "CONSOLE-LAMP").await;
    b.type_into("#name_en", "Desk lamp").await;
    b.type_into("#name_cn", "台灯").await;
    b.type_into("#weight_g", "heavy").await;
    b.click("form.grid-form button[type=submit]").await;
    let refusal = b.wait_text("p.flash.bad", "weight_g").await;
    assert!(refusal.contains("whole number"), "{refusal}");
    b.type_into("#weight_g", "850").await;
    b.type_into("#declared_value", "12.50").await;
    b.click("form.grid-form button[type=submit]").await;
    b.wait_text("p.flash.good", "CONSOLE-LAMP").await;
    let row = b.text("table.skus tbody tr:first-child").await;
    assert!(row.contains("CONSOLE-LAMP") && row.contains(lang.say("Draft", "草稿")), "{row}");
    b.click("table.skus tbody tr:first-child form button").await;
    b.wait_text("p.flash.good", lang.say("submitted", "已提交")).await;
    assert!(b.text("table.skus tbody tr:first-child").await.contains(lang.say("Waiting for audit", "待审核")));
    b.check_accessibility("the SKUs").await;

    // Staff: the board of their warehouse, refreshed in place.
    b.click("header form[action='/console/logout'] button").await;
    b.wait_until_path("/console/login").await;
    let staff = &c["staff"][0];
    b.log_in(&base, staff["username"].as_str().unwrap(), staff["password"].as_str().unwrap()).await;
    assert_eq!(b.path().await, "/console/board");
    assert_eq!(b.text("main h1").await, lang.say("Cut-off board", "截单看板"));
    b.find("#board table").await;
    b.c.execute("document.querySelector('#board').setAttribute('data-old', '1')", vec![]).await.unwrap();
    // The table is replaced by a fresh one within the refresh period.
    let mut refreshed = false;
    for _ in 0..80 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if b.count("#board[data-old]").await == 0 && b.count("#board").await == 1 {
            refreshed = true;
            break;
        }
    }
    assert!(refreshed, "the board did not refresh itself");
    b.screenshot(&shot("cutoff-board-desktop")).await;
    b.check_accessibility("the board").await;
    b.c.set_window_size(360, 740).await.unwrap();
    b.screenshot(&shot("cutoff-board-360")).await;

    // Staff audit the seller's new SKU.
    b.click("nav a[href='/console/sku-audit']").await;
    let card = b.wait_text("main", "CONSOLE-LAMP").await;
    assert!(card.contains("850 g"), "{card}");
    b.click("main article.card button[value=approve]").await;
    b.wait_text("main", lang.say("No SKU is waiting for audit", "没有待审核的商品")).await;
    b.check_accessibility("the SKU audit").await;

    // Receiving by scans, typed into the scan field as a wedge scanner types them.
    b.c.set_window_size(1280, 900).await.unwrap();
    b.click("nav a[href='/console/receiving']").await;
    b.wait_text("main h1", lang.say("Receiving", "收货")).await;
    let inbound = c["inbound_in_transit"]["inbound_number"].as_str().unwrap();
    let (result, message) = b.scan(inbound).await;
    assert_eq!(result, "accepted", "{message}");
    assert!(message.contains(inbound), "{message}");
    let mug = c["skus"].as_array().unwrap().iter().find(|s| s["client_ref"] == "DEMO-MUG-01").unwrap();
    let mug_code = mug["mfskuid"].as_str().unwrap();
    for _ in 0..2 {
        let (result, message) = b.scan(mug_code).await;
        assert_eq!((result.as_str(), message.as_str()), ("accepted", "+1 DEMO-MUG-01"));
    }
    // A label of no SKU of this inbound is refused, saying what the inbound expects.
    let (result, message) = b.scan("NOT-A-LABEL").await;
    assert_eq!(result, "refused");
    assert!(message.contains(mug_code), "{message}");
    // Four at once: the quantity typed first.
    b.type_into("#quantity", "4").await;
    b.find("#scan").await.click().await.unwrap();
    let (_, message) = b.scan(mug_code).await;
    assert_eq!(message, "+4 DEMO-MUG-01");
    assert_eq!(b.text("table.receipt tr.last td:nth-of-type(2)").await, "6");
    b.screenshot(&shot("receiving-desktop")).await;
    b.check_accessibility("receiving").await;
    b.c.set_window_size(360, 740).await.unwrap();
    b.screenshot(&shot("receiving-360")).await;
    b.c.set_window_size(1280, 900).await.unwrap();

    // A wave of everything due (the demo's orders may be due tomorrow: the day is moved on).
    b.click("nav a[href='/console/waves']").await;
    b.wait_text("main h1", lang.say("Waves", "波次")).await;
    b.c.execute("document.getElementById('due_by').value = '2099-12-31'", vec![]).await.unwrap();
    b.click("#release-form button[type=submit]").await;
    b.wait_text("#wave-notice", lang.say("released", "已释放")).await;
    b.check_accessibility("the waves").await;

    // Pick the first list: bin, SKU label, tote, pick after pick; a wrong bin is refused.
    b.click("table.lists tbody tr:first-child a").await;
    b.wait_text("#prompt", lang.say("bin", "库位")).await;
    let (result, message) = b.scan("NO-SUCH-BIN").await;
    assert_eq!(result, "refused");
    let bin = b.find("dl.pick").await.attr("data-bin").await.unwrap().unwrap();
    assert!(message.contains(&bin), "{message}");
    let mut picks = 0;
    while b.count("dl.pick").await == 1 {
        let pick = b.find("dl.pick").await;
        let (bin, sku, tote) = (
            pick.attr("data-bin").await.unwrap().unwrap(),
            pick.attr("data-sku").await.unwrap().unwrap(),
            pick.attr("data-tote").await.unwrap().unwrap(),
        );
        assert_eq!(b.scan(&bin).await.0, "accepted");
        assert_eq!(b.scan(&sku).await.0, "accepted");
        let (result, message) = b.scan(&format!("T{tote}")).await;
        assert_eq!(result, "accepted", "{message}");
        picks += 1;
        assert!(picks < 100, "the list never ends");
    }
    b.wait_text("#prompt", lang.say("done", "已完成")).await;
    b.check_accessibility("picking").await;
    let order = b.find("ul.totes li[data-status=PICKING]").await.attr("data-order").await.unwrap().unwrap();

    // Pack that order: its units scanned in, weighed at what they weigh, closed: the label is booked.
    b.click("nav a[href='/console/packing']").await;
    b.wait_text("main h1", lang.say("Packing", "打包")).await;
    assert_eq!(b.scan(&order).await.0, "accepted");
    while let Ok(row) = b.c.find(fantoccini::Locator::Css("table.receipt tbody tr:not(.done)")).await {
        let sku = row.attr("data-sku").await.unwrap().unwrap();
        let left = row.attr("data-left").await.unwrap().unwrap();
        b.type_into("#quantity", &left).await;
        b.find("#scan").await.click().await.unwrap();
        let (result, message) = b.scan(&sku).await;
        assert_eq!(result, "accepted", "{message}");
    }
    let expected = b.find("fieldset.weigh").await.attr("data-expected").await.unwrap().unwrap();
    b.type_into("#weight_g", &(expected.parse::<i64>().unwrap() + 100).to_string()).await;
    b.type_into("#length_mm", "250").await;
    b.type_into("#width_mm", "180").await;
    b.type_into("#height_mm", "60").await;
    b.click("#pack-close").await;
    b.wait_text("#pack-done", lang.say("Packed", "已打包")).await;
    b.check_accessibility("packing").await;
    b.find("a[href$='label.pdf?warehouse=UK1']").await;

    // The parcel onto the carrier's manifest, closed at pickup.
    b.click("nav a[href='/console/manifests']").await;
    b.wait_text("main h1", lang.say("Manifests", "交接单")).await;
    let (result, message) = b.scan(&order).await;
    assert_eq!(result, "accepted", "{message}");
    assert!(message.contains(&order), "{message}");
    b.goto(&format!("{base}/console/manifests?warehouse=UK1")).await;
    b.click("table.manifests tbody tr:first-child button").await;
    b.wait_text("table.manifests tbody tr:first-child", "CLOSED").await;
    b.check_accessibility("the manifests").await;

    // The seller sees the order shipped, with the warehouse's scans on its timeline.
    b.click("header form[action='/console/logout'] button").await;
    b.wait_until_path("/console/login").await;
    b.log_in(&base, c["console"]["username"].as_str().unwrap(), c["console"]["password"].as_str().unwrap()).await;
    b.goto(&format!("{base}/console/orders/{order}")).await;
    assert_eq!(b.text("#order-status").await, lang.say("Shipped", "已发货"));
    let timeline = b.text("ol.timeline").await;
    for step in [
        lang.say("Picked", "已拣货"),
        lang.say("Packed", "已打包"),
        lang.say("manifest", "交接单"),
        lang.say("Handed over to", "已交接给"),
    ] {
        assert!(timeline.contains(step), "{step} missing from:\n{timeline}");
    }
    b.screenshot(&shot("order-timeline-shipped")).await;
    b.c.set_window_size(360, 740).await.unwrap();
    b.screenshot(&shot("order-timeline-360")).await;
    b.c.set_window_size(1280, 900).await.unwrap();

    // An order still being picked: the seller's cancel becomes a request to stop it.
    b.goto(&format!("{base}/console/orders?status=PICKING")).await;
    b.click("table.orders tbody tr:first-child a").await;
    let stopped = b.wait_text("main p.meta", "OCO").await;
    let stopped = stopped.split_whitespace().find(|w| w.starts_with("OCO")).unwrap().to_owned();
    b.type_into("#reason", "buyer changed their mind").await;
    b.click("#cancel-form button").await;
    b.wait_text("#intercept", "REQUESTED").await;

    // Integrations: the seller's user reads the connection sheet; the owner makes a Bird key,
    // which works at once, and revokes it, which stops it.
    b.click("nav a[href='/console/integrations']").await;
    b.wait_text("#connect", "company_id").await;
    assert!(b.text("main").await.contains(lang.say("Only an owner", "只有账户所有者")));
    b.check_accessibility("the integrations").await;
    b.click("header form[action='/console/logout'] button").await;
    b.wait_until_path("/console/login").await;
    let owner = &c["sellers"][0];
    b.log_in(&base, owner["username"].as_str().unwrap(), owner["password"].as_str().unwrap()).await;
    b.goto(&format!("{base}/console/integrations")).await;
    b.type_into("#label", "Console test ERP").await;
    b.click("#new-key-form button").await;
    let key = b.wait_text("#new-key code", "").await;
    assert_eq!(key.len(), 32, "{key}");
    let http = reqwest::Client::new();
    let bird = |key: String| {
        let http = http.clone();
        let url = format!("{base}/client/product/Get-Product-Available-Quantity");
        async move { http.get(url).header("api_key", key).header("company_id", "1").send().await.unwrap().status().as_u16() }
    };
    assert_eq!(bird(key.clone()).await, 200, "the new key works");
    b.goto(&format!("{base}/console/integrations")).await;
    let row = b.find("table.keys tbody tr:first-child").await;
    assert!(row.text().await.unwrap().contains("Console test ERP"));
    b.click("table.keys tbody tr:first-child form button").await;
    b.wait_text("table.keys tbody tr:first-child", "UTC").await;
    assert_ne!(bird(key).await, 200, "a revoked key is refused");
    // A webhook (the demo allows loopback): its secret shown once, a test queued, its log.
    b.type_into("#hook-url", "http://127.0.0.1:9/hook").await;
    b.click("#new-hook-form button").await;
    assert!(b.wait_text("#new-secret code", "whsec_").await.starts_with("whsec_"));
    b.check_accessibility("the integrations with a webhook").await;
    b.click("table.hooks tbody tr:first-child form button.test").await;
    b.wait_text("#log-flash", lang.say("test message was queued", "测试消息已排队")).await;
    b.wait_text("table.deliveries tbody tr:first-child", "test").await;
    b.check_accessibility("a webhook's delivery log").await;

    // An XLSX of 200 orders with 3 bad rows: checked, the 3 shown, the rest imported once.
    b.click("nav a[href='/console/import']").await;
    b.wait_text("main h1", lang.say("Import", "导入")).await;
    b.check_accessibility("the import").await;
    let sheet = dir.path().join(format!("orders-{}.xlsx", lang.say("en", "zh")));
    let plan = [
        ("UK1", "GBDomesticStandard", "GB", "DEMO-MUG-01", 100),
        ("UK1", "GBDomesticStandard", "GB", "DEMO-TEE-M", 60),
        ("DE", "DEDomesticStandard", "DE", "DEMO-MUG-01", 40),
    ];
    std::fs::write(&sheet, sheets::orders_xlsx("CONSOLE", &plan)).unwrap();
    b.find("#file").await.send_keys(sheet.to_str().unwrap()).await.unwrap();
    b.click("#import-form button[value=check]").await;
    let summary = b.wait_text("#import-summary", "200").await;
    assert!(summary.contains("197"), "{summary}");
    assert_eq!(b.count("table.import-errors tbody tr").await, 3);
    let errors = b.text("table.import-errors").await;
    for row in ["51", "102", "153"] {
        assert!(errors.contains(row), "row {row} is not among the errors:\n{errors}");
    }
    b.check_accessibility("an import's check").await;
    b.click("#import-kept button").await;
    let done = b.wait_text("#import-summary", lang.say("imported", "已导入")).await;
    assert!(done.contains("197"), "{done}");
    // The same file again creates nothing.
    b.find("#file").await.send_keys(sheet.to_str().unwrap()).await.unwrap();
    b.click("#import-form button[value=import]").await;
    let again = b.wait_text("#import-summary", lang.say("before", "导入过")).await;
    assert!(again.contains("197"), "{again}");

    // The SKU tab, and an order typed by hand refused beside its fields: both accessible.
    b.click("nav.tabs a[href='/console/import/skus']").await;
    b.wait_text("main h1", lang.say("Import SKUs", "导入 SKU")).await;
    b.check_accessibility("the SKU import").await;
    b.goto(&format!("{base}/console/orders/new")).await;
    b.wait_text("main h1", lang.say("New order", "新建订单")).await;
    b.check_accessibility("a new order").await;
    b.click("#order-new button.primary").await;
    b.wait_text("#err-name", lang.say("Required.", "必填。")).await;
    b.check_accessibility("a new order refused").await;

    // Staff find the request in their queue and accept it: the order is cancelled.
    b.click("header form[action='/console/logout'] button").await;
    b.wait_until_path("/console/login").await;
    b.log_in(&base, staff["username"].as_str().unwrap(), staff["password"].as_str().unwrap()).await;
    b.goto(&format!("{base}/console/queue?warehouse=UK1")).await;
    let card = b.wait_text(&format!("#queue-{stopped}"), lang.say("asks to stop", "申请拦截")).await;
    assert!(card.contains(&stopped), "{card}");
    b.check_accessibility("the queue").await;
    b.click(&format!("#queue-{stopped} button[value=accept]")).await;
    b.wait_until_path("/console/queue").await;
    for _ in 0..100 {
        if b.count(&format!("#queue-{stopped}")).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(b.count(&format!("#queue-{stopped}")).await, 0, "the accepted request left the queue");

    // The dock's week: the demo's booked inbound in its slot, a day under another on a phone.
    b.goto(&format!("{base}/console/appointments?warehouse=UK1")).await;
    let booked = b.text(&format!("#booking-{inbound}")).await;
    assert!(booked.contains("DEMO-INBOUND-ARRIVING"), "{booked}");
    b.screenshot(&shot("appointments-desktop")).await;
    b.check_accessibility("the appointments calendar").await;
    b.c.set_window_size(360, 740).await.unwrap();
    b.screenshot(&shot("appointments-360")).await;
    b.c.set_window_size(1280, 900).await.unwrap();
    // The unidentified queue: the demo's parcel and cartons, counted in the navigation.
    b.goto(&format!("{base}/console/unidentified?warehouse=UK1")).await;
    let queue = b.text("main").await;
    assert!(queue.contains("DEMO-RETURN-NO-PAPERWORK") && queue.contains("DEMO-FREIGHT-NO-ORDER"), "{queue}");
    assert!(b.wait_text("#unidentified-count", "2").await.starts_with('2'));
    b.check_accessibility("the unidentified queue").await;
    b.close().await;
}
