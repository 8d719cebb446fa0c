//! Throwaway databases for tests, on both backends, so every store test is a conformance test.
//!
//! PostgreSQL comes from the machine's own `initdb`/`pg_ctl`: the first test that needs it starts
//! a private cluster (unix socket only, `fsync=off`) in a temporary directory, and a small reaper
//! process stops and deletes it when the test process exits. `scripts/test` starts one cluster for
//! the whole run and passes it in `ENTREPOT_TEST_PG_URL` (a URL to the `postgres` database); each
//! test then gets a fresh database of its own.
//!
//! A test that holds on both backends is written once, `#[each_backend] async fn name(b: Backend)`,
//! and runs as two cases, `name_sqlite` and `name_postgres`. `ENTREPOT_TEST_BACKENDS` picks the
//! backends (`sqlite`, `postgres`, or `sqlite,postgres`, the default); the other cases pass at once,
//! printing that they were skipped, so `ENTREPOT_TEST_BACKENDS=sqlite` needs no PostgreSQL at all.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    future::Future,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

pub use entrepot_testkit_macros::each_backend;

use sqlx::{Connection, Executor};

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Both backends. Prefer [`each_backend`]: a loop over both in one test hides the second
/// backend's result behind the first one's failure, and ignores `ENTREPOT_TEST_BACKENDS`.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// What the environment says about the test run, read once: the only place tests read it.
struct Settings {
    /// `ENTREPOT_TEST_PG_URL`: a running cluster's maintenance database.
    pg_url: Option<String>,
    /// `ENTREPOT_TEST_BACKENDS`, comma-separated; both when unset or empty.
    backends: Vec<Backend>,
}

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Settings {
            pg_url: var("ENTREPOT_TEST_PG_URL"),
            backends: var("ENTREPOT_TEST_BACKENDS")
                .map(|v| parse_backends(&v).unwrap_or_else(|e| panic!("ENTREPOT_TEST_BACKENDS: {e}")))
                .unwrap_or(BACKENDS.to_vec()),
        }
    })
}

/// `"sqlite"`, `"postgres"`, `"sqlite,postgres"` (any case, spaces allowed).
fn parse_backends(v: &str) -> Result<Vec<Backend>, String> {
    let mut out = vec![];
    for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let b = BACKENDS
            .into_iter()
            .find(|b| b.name().eq_ignore_ascii_case(part))
            .ok_or_else(|| format!("unknown backend '{part}' (sqlite, postgres)"))?;
        if !out.contains(&b) {
            out.push(b);
        }
    }
    if out.is_empty() {
        return Err(format!("'{v}' names no backend (sqlite, postgres)"));
    }
    Ok(out)
}

/// Whether `ENTREPOT_TEST_BACKENDS` selects `backend`; says so on stdout when it does not. A
/// test that needs one backend only starts with `if !selected(Backend::Postgres) { return; }`.
pub fn selected(backend: Backend) -> bool {
    let on = settings().backends.contains(&backend);
    if !on {
        let test = std::thread::current().name().unwrap_or("this test").to_owned();
        println!("{test}: skipped, ENTREPOT_TEST_BACKENDS leaves out {}", backend.name());
    }
    on
}

/// Runs `test` on `backend` if it is selected: the body of each case [`each_backend`] writes.
pub async fn run_on<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Backend) -> Fut,
    Fut: Future<Output = ()>,
{
    if selected(backend) {
        test(backend).await;
    }
}

/// A fresh, empty database. Keep it alive for the test's duration (SQLite lives in its temp dir).
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("entrepot.db").display());
                TestDb { url, backend, _dir: Some(dir) }
            }
            Backend::Postgres => TestDb { url: fresh_pg_database().await, backend, _dir: None },
        }
    }

    /// The SQLite database file (`None` on PostgreSQL), for a test that opens it directly.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self._dir.as_ref().map(|d| d.path().join("entrepot.db"))
    }
}

/// A PostgreSQL test database is dropped with its test, as SQLite's temp dir is: a developer's
/// long-lived cluster otherwise keeps every test's database (a day of runs filled 14 GB). The
/// drop runs on a thread of its own (this may be inside a runtime, which cannot block on another
/// future) and is waited for: left running, most drops were cut short by the test process's exit.
impl Drop for TestDb {
    fn drop(&mut self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let Some(name) = self.url.split('?').next().and_then(|u| u.rsplit('/').next()).map(str::to_owned) else {
            return;
        };
        if !name.starts_with("t_") || !name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
            return;
        }
        let admin = pg_admin_url();
        let dropping = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    // FORCE: a server the test started may still hold connections.
                    let _ = conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = dropping.join();
    }
}

/// A new database in the shared test cluster; returns its URL.
pub async fn fresh_pg_database() -> String {
    let admin = pg_admin_url();
    let name = format!("t_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach test PostgreSQL at {admin}: {e}"));
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
    conn.close().await.ok();
    with_database(&admin, &name)
}

/// Replaces the database name in a `postgres://` URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{db}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The URL of the cluster's maintenance database, starting the cluster if nobody did.
pub fn pg_admin_url() -> String {
    if let Some(url) = &settings().pg_url {
        return url.clone();
    }
    static CLUSTER: OnceLock<String> = OnceLock::new();
    CLUSTER.get_or_init(start_cluster).clone()
}

fn pg_bin(name: &str) -> PathBuf {
    let on_path = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output();
    if let Ok(o) = on_path {
        let p = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        if !p.is_empty() {
            return PathBuf::from(p);
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name))).filter(|p| p.exists()).collect())
        .unwrap_or_default();
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!("{name} not found: install PostgreSQL (apt-get install postgresql) or set ENTREPOT_TEST_PG_URL")
    })
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root (initdb refuses root).
fn pg_command(bin: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin);
        c
    } else {
        Command::new(bin)
    }
}

/// Starts a private cluster and returns the URL of its `postgres` database.
pub fn start_cluster() -> String {
    let dir = std::env::temp_dir().join(format!("entrepot-pg-{}-{:08x}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).expect("cluster dir");
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "cannot chown {} to postgres", dir.display());
    }
    let data = dir.join("data");
    let out = pg_command(&pg_bin("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
        .output()
        .expect("run initdb");
    assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
    let port = 20000 + (std::process::id() % 20000);
    // Sized as a server for 10⁶ orders would be, for the benches that use this cluster: at the
    // default 128 MB of buffers and 1 GB of log between checkpoints, the floor bench measured
    // reads from disk and checkpoints in the middle of its scans.
    let opts = format!(
        "-c listen_addresses='' -k {} -p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
         -c shared_buffers=2GB -c max_wal_size=4GB -c checkpoint_timeout=15min",
        dir.display()
    );
    let pg_ctl = pg_bin("pg_ctl");
    let out = pg_command(&pg_ctl)
        .arg("-D")
        .arg(&data)
        .args(["-o", &opts, "-w", "-l"])
        .arg(dir.join("log"))
        .arg("start")
        .output()
        .expect("run pg_ctl");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("log")).unwrap_or_default()
    );
    spawn_reaper(&pg_ctl, &data, &dir);
    format!("postgres://postgres@localhost:{port}/postgres?host={}", dir.display())
}

/// Stops and deletes the cluster once this process is gone. The reaper must outlive us, so it is
/// deliberately never waited for.
#[allow(clippy::zombie_processes)]
fn spawn_reaper(pg_ctl: &Path, data: &Path, dir: &Path) {
    let runas = if is_root() { "runuser -u postgres -- " } else { "" };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {runas}{ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display()
    );
    Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn cluster reaper");
}

#[cfg(test)]
mod tests {
    use super::{parse_backends, Backend};

    #[test]
    fn backends_are_named_in_any_order_and_case() {
        assert_eq!(parse_backends("sqlite"), Ok(vec![Backend::Sqlite]));
        assert_eq!(parse_backends(" Postgres "), Ok(vec![Backend::Postgres]));
        assert_eq!(parse_backends("postgres,sqlite,postgres"), Ok(vec![Backend::Postgres, Backend::Sqlite]));
        assert!(parse_backends("sqlite,mysql").is_err());
        assert!(parse_backends(",").is_err());
    }

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://postgres@localhost:5432/postgres?host=/tmp/x", "t_1"),
            "postgres://postgres@localhost:5432/t_1?host=/tmp/x"
        );
        assert_eq!(super::with_database("postgres://u:p@h/db", "t_2"), "postgres://u:p@h/t_2");
    }
}
