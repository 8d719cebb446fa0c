//! The scan screens' camera fallback on browsers without `BarcodeDetector`: a grey frame posted
//! by the page is read on the server. Staff get the code of a label in the frame (nothing for a
//! frame without one); sellers and strangers are refused before the frame is read, and frames of
//! the wrong shape or too large are refused. Real server, real socket, both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
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
