//! Configuration read once at start-up and passed down as typed values: the only place the
//! server reads its environment itself (clap reads the `ENTREPOT_*` variables of the flags in
//! `cli.rs`; the host name is read here). Nothing below `main` looks at the environment, so a
//! test or an embedding sets a value by building the struct.

use std::time::Duration;

use clap::{Args, ValueEnum};
use entrepot_ops::BookingConfig;

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// `serve`'s options for the background loops (task worker and carrier booking).
#[derive(Debug, Clone, Args)]
pub struct WorkerArgs {
    /// How long a claimed background task stays this process's without a renewal (ms); a dead
    /// process's task resumes elsewhere once it runs out. At least 100.
    #[arg(long, env = "ENTREPOT_TASK_LEASE_MS", default_value_t = 30_000)]
    pub task_lease_ms: u64,
    /// Carrier booking retry schedule: the waits after each temporary failure (comma-separated
    /// ms, the last repeats); default 5 s, 30 s, 2 min, 10 min, 1 h.
    #[arg(long, env = "ENTREPOT_BOOKING_RETRY_MS", value_delimiter = ',', value_parser = millis)]
    pub booking_retry_ms: Vec<u64>,
    /// This process's name in leases (a random suffix is added per loop); default the host name.
    #[arg(long, env = "ENTREPOT_WORKER_NAME")]
    pub worker_name: Option<String>,
    /// How often booked appointments whose dock slot has passed with no arrival are recorded as
    /// no-shows (ms, at least 100).
    #[arg(long, env = "ENTREPOT_NO_SHOW_INTERVAL_MS", default_value_t = 60_000)]
    pub no_show_interval_ms: u64,
    /// How often shipped parcels' carriers are asked for tracking events (ms, at least 100).
    #[arg(long, env = "ENTREPOT_TRACKING_INTERVAL_MS", default_value_t = 60_000)]
    pub tracking_interval_ms: u64,
    /// The sandbox carrier's pace: a parcel moves one stage (accepted, in transit, out for
    /// delivery, delivered) every this many ms after the handover (at least 1).
    #[arg(long, env = "ENTREPOT_SANDBOX_TRACKING_STEP_MS", default_value_t = 3_600_000)]
    pub sandbox_tracking_step_ms: u64,
}

/// A number of milliseconds; spaces around it are allowed (`"50, 100"`).
fn millis(s: &str) -> Result<u64, String> {
    s.trim().parse().map_err(|_| format!("'{s}' is not a number of milliseconds"))
}

/// What the background loops are given.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Lease of a claimed task.
    pub task_lease: Duration,
    /// Prefix of every lease owner this process writes.
    pub name: String,
    /// The booking loop's settings, also used by a request's synchronous booking.
    pub booking: BookingConfig,
    /// Period of the no-show sweep.
    pub no_show_every: Duration,
    /// Period of the tracking loop.
    pub tracking_every: Duration,
    /// The sandbox carrier's stage length.
    pub sandbox_tracking_step: Duration,
}

impl WorkerArgs {
    /// The loops' configuration; the host name (`HOSTNAME`, else `entrepot`) names the process
    /// unless `--worker-name` does.
    pub fn config(&self) -> WorkerConfig {
        let name = self
            .worker_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()))
            .unwrap_or_else(|| "entrepot".into());
        self.config_named(name)
    }

    fn config_named(&self, name: String) -> WorkerConfig {
        let mut booking = BookingConfig::default();
        if !self.booking_retry_ms.is_empty() {
            booking.retry = self.booking_retry_ms.iter().map(|ms| Duration::from_millis(*ms)).collect();
        }
        WorkerConfig {
            task_lease: Duration::from_millis(self.task_lease_ms.max(100)),
            name,
            booking,
            no_show_every: Duration::from_millis(self.no_show_interval_ms.max(100)),
            tracking_every: Duration::from_millis(self.tracking_interval_ms.max(100)),
            sandbox_tracking_step: Duration::from_millis(self.sandbox_tracking_step_ms.max(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn serve_workers(args: &[&str]) -> WorkerConfig {
        let cli = Cli::try_parse_from([&["entrepot", "serve"], args].concat()).expect("parses");
        let Command::Serve(serve) = cli.command else { panic!("not serve") };
        serve.workers.config_named("host".into())
    }

    #[test]
    fn worker_defaults_and_flags() {
        let c = serve_workers(&[]);
        assert_eq!(c.task_lease, Duration::from_secs(30));
        assert_eq!(c.booking.retry, BookingConfig::default().retry);
        assert_eq!(c.name, "host");
        assert_eq!(c.no_show_every, Duration::from_secs(60));
        assert_eq!(serve_workers(&["--no-show-interval-ms", "5"]).no_show_every, Duration::from_millis(100));
        let c = serve_workers(&["--task-lease-ms", "50", "--booking-retry-ms", "50, 100,200"]);
        assert_eq!(c.task_lease, Duration::from_millis(100), "a lease is never below 100 ms");
        assert_eq!(c.booking.retry, [50, 100, 200].map(Duration::from_millis).to_vec());
        assert!(Cli::try_parse_from(["entrepot", "serve", "--booking-retry-ms", "5,x"]).is_err());
        assert!(Cli::try_parse_from(["entrepot", "serve", "--task-lease-ms", "soon"]).is_err());
    }

    #[test]
    fn log_format_is_text_json_or_refused_and_applies_to_every_command() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.log_format);
        assert_eq!(parse(&["entrepot", "serve"]).unwrap(), LogFormat::Text);
        assert_eq!(parse(&["entrepot", "serve", "--log-format", "JSON"]).unwrap(), LogFormat::Json);
        assert_eq!(parse(&["entrepot", "--log-format", "json", "admin", "check"]).unwrap(), LogFormat::Json);
        assert!(parse(&["entrepot", "serve", "--log-format", "xml"]).is_err());
    }
}
