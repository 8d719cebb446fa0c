//! Backups that lose nothing, against the real `entrepot` binary: `admin backup` copies a SQLite
//! database while a server takes orders, `admin restore` puts the copy into a fresh data
//! directory (with the key file beside it), and every order acknowledged before the backup began
//! is there, with `admin check` clean. PostgreSQL is pointed to `pg_dump`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    path::Path,
    process::{Command, Output},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use common::{admin, stderr, Server, BIN, SECRET_KEY_ENV};
use entrepot_testkit::{Backend, TestDb};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

/// `entrepot admin --data-dir DIR ...` with the data directory's own key file.
fn admin_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("admin")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove(SECRET_KEY_ENV.0)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("entrepot.db").display())
}

/// One Bird single order of one mug; its id once acknowledged.
async fn place(http: &reqwest::Client, base: &str, api_key: &str, reference: &str) -> Option<String> {
    let row = json!({
        "delivery_service_id": "139", "sales_reference": reference, "custom_identity_reference": reference,
        "contact": "Norman Drury", "address_line1": "3, Northam Close", "city": "Southport", "post_code": "PR9 9GA",
        "country_iso": "GB", "type": "LOCAL", "products": [{"client_sku": "DEMO-MUG-01", "quantity": 1}]
    });
    let r = http
        .post(format!("{base}{PENDING}"))
        .header("api_key", api_key)
        .header("company_id", "1")
        .json(&json!([row]))
        .send()
        .await
        .ok()?;
    let body: Value = r.json().await.ok()?;
    (body["success"] == true).then(|| body["data"][0]["id"].as_str().map(str::to_owned)).flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_acknowledged_order() {
    let a = tempfile::tempdir().unwrap();
    // The server keeps its key in its data directory (no ENTREPOT_SECRET_KEY).
    let server = Server::start_with(a.path(), &sqlite_url(a.path()), true, &[(SECRET_KEY_ENV.0, "")]);
    assert!(a.path().join("secret.key").exists());
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(a.path().join("demo-credentials.json")).unwrap()).unwrap();
    let api_key = creds["bird"]["api_key"].as_str().unwrap().to_owned();

    // Four sellers' ERPs place single orders until told to stop.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = vec![];
    for task in 0..4 {
        let (acked, stop, base, key) = (acked.clone(), stop.clone(), server.base.clone(), api_key.clone());
        load.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            for n in 0..25 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Some(id) = place(&http, &base, &key, &format!("LOAD-{task}-{n}")).await {
                    acked.lock().unwrap().push(id);
                }
            }
        }));
    }
    for _ in 0..600 {
        if acked.lock().unwrap().len() >= 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before = acked.lock().unwrap().clone();
    assert!(before.len() >= 20, "the load runs: {}", before.len());
    let file = a.path().join("backup.db");
    let dir = a.path().to_owned();
    let to = file.to_str().unwrap().to_owned();
    let out = tokio::task::spawn_blocking(move || admin_in(&dir, &["backup", "--to", &to])).await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let during = acked.lock().unwrap().len();
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.await.unwrap();
    }
    assert!(acked.lock().unwrap().len() > before.len(), "orders kept coming ({during} when the backup ended)");
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // A backup never overwrites; a restore never replaces a database in use.
    let again = admin_in(a.path(), &["backup", "--to", file.to_str().unwrap()]);
    assert!(!again.status.success() && stderr(&again).contains("exists"), "{}", stderr(&again));
    let busy = admin_in(a.path(), &["restore", "--from", file.to_str().unwrap()]);
    assert!(!busy.status.success() && stderr(&busy).contains("in use"), "{}", stderr(&busy));
    assert!(server.stop().success());

    // Restore into a fresh data directory, with the key file kept beside the backup.
    let b = tempfile::tempdir().unwrap();
    std::fs::copy(a.path().join("secret.key"), b.path().join("secret.key")).unwrap();
    let junk = b.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let refused = admin_in(b.path(), &["restore", "--from", junk.to_str().unwrap()]);
    assert!(
        !refused.status.success() && stderr(&refused).contains("not a sound Entrepot database"),
        "{}",
        stderr(&refused)
    );
    let restored = admin_in(b.path(), &["restore", "--from", file.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let check = admin_in(b.path(), &["check"]);
    assert!(check.status.success(), "check after restore: {}", stderr(&check));
    let server = Server::start_with(b.path(), &sqlite_url(b.path()), false, &[(SECRET_KEY_ENV.0, "")]);
    let list: Value = reqwest::Client::new()
        .get(format!("{}/client/Consignment?limit=-1", server.base))
        .header("api_key", &api_key)
        .header("company_id", "1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let have: std::collections::HashSet<&str> =
        list["data"].as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).collect();
    let lost: Vec<&String> = before.iter().filter(|id| !have.contains(id.as_str())).collect();
    assert!(lost.is_empty(), "orders acknowledged before the backup are missing: {lost:?}");
    assert!(server.stop().success());
    // Without the key file the restored secrets cannot be read, and the server says so.
    std::fs::remove_file(b.path().join("secret.key")).unwrap();
    let out = admin_in(b.path(), &["check"]);
    assert!(!out.status.success() && stderr(&out).contains("sealed with another key"), "{}", stderr(&out));
}

#[tokio::test]
async fn postgres_backups_are_pointed_to_pg_dump() {
    if !entrepot_testkit::selected(Backend::Postgres) {
        return;
    }
    let db = TestDb::new(Backend::Postgres).await;
    for cmd in [["backup", "--to"], ["restore", "--from"]] {
        let out = admin(&db.url, &[cmd[0], cmd[1], "/tmp/never-written.db"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("pg_dump"), "{}", stderr(&out));
    }
    assert!(!Path::new("/tmp/never-written.db").exists());
}
