//! The scan screens' camera fallback on browsers without `BarcodeDetector`: a grey frame posted
//! by the page is read on the server. Staff get the code of a label in the frame (nothing for a
//! frame without one); sellers and strangers are refused before the frame is read, and frames of
//! the wrong shape or too large are refused. Real server, real socket, both backends. And in
//! headless Chromium (which has no `BarcodeDetector` on Linux) with a fake camera filming a
//! label: the camera button reads it through the server and submits it as a scan.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod browser;
mod common;

use api_common::{login, seed_people, Console, PW};
use common::Server;
use entrepot_testkit::{each_backend, Backend, TestDb};

/// A `w` × `h` grey frame with `text`'s Code128 (3 px a module) on a light, uneven background.
fn frame(text: &str, w: usize, h: usize) -> Vec<u8> {
    let code = entrepot_labels::encode(text).unwrap();
    let mut px: Vec<u8> = (0..w * h).map(|i| 185 + ((i % w) * 50 / w) as u8).collect();
    for (k, dark) in code.modules().iter().enumerate() {
        for col in (60 + k * 3)..(63 + k * 3) {
            for row in 80..200 {
                if *dark && col < w && row < h {
                    px[row * w + col] = 25;
                }
            }
        }
    }
    px
}

async fn post_frame(c: &Console<'_>, w: usize, h: usize, body: Vec<u8>) -> (u16, String) {
    let r = c
        .request(reqwest::Method::POST, &format!("/console/scan/read?w={w}&h={h}"))
        .header("origin", c.base)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[each_backend]
async fn a_camera_frame_is_read_for_staff_only(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let staff_l = login(base, "uk", PW).await;
    let staff = Console { base, who: &staff_l };

    let (status, body) = post_frame(&staff, 640, 360, frame("BIN-A-01-02", 640, 360)).await;
    assert_eq!((status, body.as_str()), (200, r#"{"code":"BIN-A-01-02"}"#));
    let (status, body) = post_frame(&staff, 320, 240, vec![200; 320 * 240]).await;
    assert_eq!((status, body.as_str()), (200, r#"{"code":null}"#));

    // Wrong shape, too many pixels for the shape, a body over the limit.
    assert_eq!(post_frame(&staff, 640, 360, vec![0; 100]).await.0, 400);
    assert_eq!(post_frame(&staff, 4000, 4000, vec![0; 1000]).await.0, 400);
    assert_eq!(post_frame(&staff, 1400, 1000, vec![0; 1400 * 1000]).await.0, 413);

    // A seller has no scan screen; no session is sent to log in.
    let seller_l = login(base, "acme-owner", PW).await;
    assert_eq!(post_frame(&Console { base, who: &seller_l }, 640, 360, frame("X-1", 640, 360)).await.0, 403);
    let stranger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = stranger
        .post(format!("{base}/console/scan/read?w=640&h=360"))
        .header("origin", base)
        .body(frame("X-1", 640, 360))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/console/login"));
}

/// `luma` (`w` × `h` grey) as a one-frame YUV4MPEG2 video: what Chromium's fake camera plays,
/// in a loop, from `--use-file-for-fake-video-capture`.
fn y4m(w: usize, h: usize, luma: &[u8]) -> Vec<u8> {
    let mut video = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\nFRAME\n").into_bytes();
    video.extend_from_slice(luma);
    video.resize(video.len() + 2 * (w / 2) * (h / 2), 128);
    video
}

#[each_backend]
async fn the_camera_button_reads_a_label_and_submits_it_as_a_scan(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let inbound = creds["inbound_in_transit"]["inbound_number"].as_str().unwrap();
    let (w, h) = (960, 360);
    let video = dir.path().join("label.y4m");
    std::fs::write(&video, y4m(w, h, &frame(inbound, w, h))).unwrap();
    let camera = [
        "--use-fake-ui-for-media-stream".to_owned(),
        "--use-fake-device-for-media-stream".to_owned(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
    ];
    let b = browser::Browser::start_with(1280, 900, "en-GB,en", &camera).await;
    let staff = &creds["staff"][0];
    b.log_in(&server.base, staff["username"].as_str().unwrap(), staff["password"].as_str().unwrap()).await;
    b.goto(&format!("{}/console/receiving", server.base)).await;
    let detector = b.c.execute("return 'BarcodeDetector' in window", vec![]).await.unwrap();
    assert_eq!(detector, serde_json::json!(false), "this browser would not use the server's reader");
    b.expect_scan_answer().await;
    b.click("button[data-camera]").await;
    let (result, message) = b.scan_answer(inbound).await;
    assert_eq!(result, "accepted", "{message}");
    assert!(message.contains(inbound), "{message}");
    b.close().await;
}
