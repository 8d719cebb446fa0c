//! `serve`'s webhook options, turned into the delivery worker's configuration once at start.

use std::time::Duration;

use clap::Args;
use entrepot_ops::{parse_network, Destinations, IpNet, WebhookConfig};

/// How webhooks are delivered, and where they may go.
#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// Networks webhooks may call besides the public internet, comma-separated CIDRs (e.g.
    /// `10.0.0.0/8,fd00::/8`). Loopback, private, link-local, unique-local, carrier-grade NAT,
    /// multicast, IPv4-mapped and NAT64 addresses are refused unless listed here (`--demo` adds
    /// loopback).
    #[arg(long, env = "ENTREPOT_WEBHOOK_ALLOW_NETWORKS", value_delimiter = ',', value_parser = parse_network)]
    pub webhook_allow_networks: Vec<IpNet>,
    /// How long a claimed delivery is this process's (ms); after a crash another process sends it
    /// again once it runs out, with the same `webhook-id`. Must exceed the timeout.
    #[arg(long, env = "ENTREPOT_WEBHOOK_LEASE_MS", default_value_t = 60_000)]
    pub webhook_lease_ms: u64,
    /// Time allowed for one delivery attempt, connection to the end of the response (ms).
    #[arg(long, env = "ENTREPOT_WEBHOOK_TIMEOUT_MS", default_value_t = 10_000)]
    pub webhook_timeout_ms: u64,
    /// Deliveries in flight at once in this process, all endpoints together.
    #[arg(long, env = "ENTREPOT_WEBHOOK_CONCURRENCY", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub webhook_concurrency: u16,
    /// Deliveries in flight at once in this process to any one endpoint.
    #[arg(long, env = "ENTREPOT_WEBHOOK_ENDPOINT_CONCURRENCY", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub webhook_endpoint_concurrency: u16,
    /// Retry schedule: the waits after each failed attempt (comma-separated ms); default 5 s,
    /// 30 s, 2 min, 10 min, 1 h, 6 h.
    #[arg(long, env = "ENTREPOT_WEBHOOK_RETRY_MS", value_delimiter = ',')]
    pub webhook_retry_ms: Vec<u64>,
    /// An endpoint whose deliveries all failed for this long (ms) is set INACTIVE; default five days.
    #[arg(long, env = "ENTREPOT_WEBHOOK_DISABLE_AFTER_MS")]
    pub webhook_disable_after_ms: Option<u64>,
}

impl WebhookArgs {
    /// The worker's configuration; `demo` also allows loopback, so a developer's local receiver
    /// works.
    pub fn config(&self, demo: bool) -> anyhow::Result<WebhookConfig> {
        let mut allow = self.webhook_allow_networks.clone();
        if demo {
            allow.extend(["127.0.0.0/8", "::1/128"].iter().filter_map(|n| parse_network(n).ok()));
        }
        let ms = Duration::from_millis;
        let mut c = WebhookConfig {
            destinations: Destinations::allowing(allow),
            lease: ms(self.webhook_lease_ms),
            timeout: ms(self.webhook_timeout_ms),
            parallel: usize::from(self.webhook_concurrency),
            per_endpoint: usize::from(self.webhook_endpoint_concurrency),
            ..WebhookConfig::default()
        };
        if !self.webhook_retry_ms.is_empty() {
            c.retry = self.webhook_retry_ms.iter().map(|v| ms(*v)).collect();
        }
        if let Some(v) = self.webhook_disable_after_ms {
            c.disable_after = ms(v);
        }
        c.validate().map_err(|e| anyhow::anyhow!(e))?;
        Ok(c)
    }
}
