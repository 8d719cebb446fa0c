//! The release `entrepot` binary as the benchmarks run it: a child process on a free loopback
//! port, stopped when dropped.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

/// The server process and its base URL.
pub struct Server(pub Child, pub String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The backends `BENCH_BACKENDS` names (default both), in its order.
#[allow(dead_code)]
pub fn backends() -> Vec<entrepot_testkit::Backend> {
    env_text("BENCH_BACKENDS", "sqlite,postgres")
        .split(',')
        .map(|b| match b.trim() {
            "sqlite" => entrepot_testkit::Backend::Sqlite,
            "postgres" => entrepot_testkit::Backend::Postgres,
            other => panic!("unknown backend {other}"),
        })
        .collect()
}

/// A number from the environment (`BENCH_*` knobs), else `default`.
pub fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    env_text(name, "").parse().unwrap_or(default)
}

/// A knob's text from the environment, else `default`: the one place the benchmarks read it.
pub fn env_text(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

/// Starts the server on `db` with `dir` as its data directory and `env` on top of the bench's
/// settings: the store's test key (the bench seeds the database in-process with it) and no
/// per-client request budget (one client at full speed is the point here, not an abuse). The
/// child is waited for when the returned [`Server`] is dropped.
///
/// `BENCH_SERVER_BIN` runs another build of the server (an older commit's release binary) under
/// the same harness, so that two versions are measured back to back with the same client.
#[allow(clippy::zombie_processes)]
pub fn start(db: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let bin = env_text("BENCH_SERVER_BIN", env!("CARGO_BIN_EXE_entrepot"));
    let mut child = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", db])
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", env_text("BENCH_LOG", "warn"))
        .env("ENTREPOT_SECRET_KEY", entrepot_store::fixtures::TEST_SECRET_KEY)
        .env("ENTREPOT_CLIENT_RATE_PER_SEC", "0")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut line = String::new();
    let mut r = BufReader::new(out);
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap() == 0 {
            panic!("server exited");
        }
        if let Some(url) = line.trim().strip_prefix("entrepot listening on ") {
            return Server(child, url.to_owned());
        }
    }
}

impl Server {
    /// Orders waiting for carrier booking, as `/metrics` says.
    #[allow(dead_code)]
    pub async fn awaiting_booking(&self, http: &reqwest::Client) -> u64 {
        let text = http.get(format!("{}/metrics", self.1)).send().await.unwrap().text().await.unwrap();
        let line = text.lines().find_map(|l| l.strip_prefix("entrepot_orders_awaiting_booking ")).unwrap();
        line.trim().parse::<u64>().unwrap()
    }
}
