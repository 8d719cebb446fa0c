//! Headless Chromium for console tests, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`; `./scripts/test` installs them). Each [`Browser`] has its own
//! chromedriver on a free loopback port and an empty profile, so tests run side by side.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub struct Browser {
    pub c: Client,
    driver: Child,
    profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// A browser whose window is `width` × `height` CSS pixels and whose languages are `langs`
    /// (its `Accept-Language`).
    pub async fn start(width: u32, height: u32, langs: &str) -> Browser {
        Self::start_with(width, height, langs, &[]).await
    }

    /// [`Self::start`], with more of Chromium's flags (a fake camera, say).
    pub async fn start_with(width: u32, height: u32, langs: &str, flags: &[String]) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver)");
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ]
        .map(str::to_owned)
        .to_vec();
        args.extend([
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={width},{height}"),
            format!("--lang={}", langs.split(',').next().unwrap_or("en")),
        ]);
        args.extend(flags.iter().cloned());
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": {"intl.accept_languages": langs},
            }
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new()).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => {
                    // Headless windows count the frame: set the viewport itself.
                    let _ = c.set_window_size(width, height).await;
                    return Browser { c, driver, profile };
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start: {last:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.c.goto(url).await.unwrap();
    }

    pub async fn path(&self) -> String {
        self.c.current_url().await.unwrap().path().to_owned()
    }

    pub async fn find(&self, css: &str) -> Element {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} not found: {e}"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Waits until the element's text contains `part` (a page loading after a click), and
    /// returns the text.
    pub async fn wait_text(&self, css: &str, part: &str) -> String {
        let mut last = String::new();
        for _ in 0..200 {
            if let Ok(e) = self.c.find(Locator::Css(css)).await {
                last = e.text().await.unwrap_or_default();
                if last.contains(part) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let page = match self.c.find(Locator::Css("main")).await {
            Ok(m) => m.text().await.unwrap_or_default(),
            Err(_) => self.c.source().await.unwrap_or_default(),
        };
        panic!("{css} never said {part:?}; last: {last:?}; the page says:\n{page}");
    }

    pub async fn count(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// Types into a field as a person (or a keyboard-wedge scanner) does.
    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Types a code into the focused scan field and Enter, as a keyboard-wedge scanner does,
    /// then waits for the screen to say how it went (`accepted` or `refused`) and returns its
    /// message.
    pub async fn scan(&self, code: &str) -> (String, String) {
        self.expect_scan_answer().await;
        let active = self.c.active_element().await.unwrap();
        assert_eq!(active.attr("id").await.unwrap().as_deref(), Some("scan"), "the scan field has the focus");
        active.send_keys(&format!("{code}{}", char::from(fantoccini::key::Key::Enter))).await.unwrap();
        self.scan_answer(code).await
    }

    /// Marks the scan screen as it is, so that [`Self::scan_answer`] tells the next answer.
    pub async fn expect_scan_answer(&self) {
        self.c.execute("document.getElementById('screen').setAttribute('data-before', '1')", vec![]).await.unwrap();
    }

    /// Waits for the scan screen marked by [`Self::expect_scan_answer`] to answer the scan of
    /// `code` (`accepted` or `refused`), and returns its message.
    pub async fn scan_answer(&self, code: &str) -> (String, String) {
        for _ in 0..200 {
            if self.count("#screen[data-before]").await == 0 {
                let screen = self.find("#screen").await;
                let result = screen.attr("data-scan-result").await.unwrap().unwrap_or_default();
                let message = self.text("#scan-message").await;
                return (result, message);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let queue = self.c.execute("return JSON.stringify(window.localStorage)", vec![]).await.unwrap();
        panic!("no answer to the scan of {code}; stored: {queue}; page:\n{}", self.c.source().await.unwrap());
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Logs in through the login page and waits for the page it leads to.
    pub async fn log_in(&self, base: &str, username: &str, password: &str) {
        self.goto(&format!("{base}/console/login")).await;
        self.type_into("#username", username).await;
        self.type_into("#password", password).await;
        self.click("form.stack button[type=submit]").await;
        self.wait_until_path_not("/console/login").await;
    }

    pub async fn wait_until_path(&self, path: &str) {
        for _ in 0..200 {
            if self.path().await == path {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("never reached {path}; at {}", self.path().await);
    }

    pub async fn wait_until_path_not(&self, path: &str) {
        for _ in 0..100 {
            if self.path().await != path {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("still on {path}");
    }

    /// Runs axe-core's WCAG 2 A and AA rules on the page as it is now and fails listing every
    /// violation (rule, impact, the elements at fault).
    pub async fn check_accessibility(&self, page: &str) {
        let violations = self.accessibility_violations().await;
        assert!(violations.is_empty(), "accessibility of {page}:\n{}", violations.join("\n"));
    }

    /// axe-core's WCAG 2 A/AA violations on the page as it is now, one line each.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        const AXE: &str = include_str!("axe/axe.min.js");
        self.c.execute(AXE, vec![]).await.unwrap();
        let found = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' @ ' +
                       v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// Saves the viewport as a PNG when `ENTREPOT_SCREENSHOTS` names a directory (how the
    /// pictures in `docs/` are made); otherwise takes it anyway, to prove the page paints.
    pub async fn screenshot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        if let Ok(dir) = std::env::var("ENTREPOT_SCREENSHOTS") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }

    pub async fn close(mut self) {
        let _ = self.c.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    /// A test that failed never closed its session: its Chromium (chromedriver's child, which
    /// outlives it) is found by its own profile directory and stopped too.
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = Command::new("pkill").arg("-f").arg(self.profile.path()).status();
    }
}
