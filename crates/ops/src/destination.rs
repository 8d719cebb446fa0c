//! Where a webhook may be delivered, against server-side request forgery: a tenant chooses the
//! URL, and without this it could make the server call (and, through the delivery log, read)
//! anything the server can reach — loopback services, the cloud metadata endpoint, the private
//! network. So addresses of internal ranges are refused unless the operator allowed their
//! network; a URL is checked when it is registered (with a message naming the rule), and the
//! address actually connected to is checked again at delivery, after the server's own DNS
//! resolution ([`VettedResolver`]), so a name re-pointed after registration is refused too.
//!
//! A host is read as the WHATWG URL standard (the `url` crate) reads it, which also turns the
//! legacy `inet_aton` spellings into addresses (`0x7f000001`, `2130706433`, `127.1`,
//! `0177.0.0.1` are all 127.0.0.1); [`legacy_ipv4`] reads them again should a host ever reach
//! here as a name, and a name is judged by the addresses it resolves to, of which only allowed ones are connected to.

use std::{
    fmt,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

pub use ipnet::IpNet;

/// Address ranges a webhook may not call unless the operator allows them, most specific first:
/// the first that contains an address names the rule it breaks.
const REFUSED: &[(&str, &str)] = &[
    ("0.0.0.0/8", "unspecified (\"this network\")"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "carrier-grade NAT"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignment"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "IPv4-mapped"),
    ("::/96", "IPv4-compatible"),
    ("64:ff9b::/96", "NAT64"),
    ("64:ff9b:1::/48", "NAT64 (local use)"),
    ("100::/64", "discard-only"),
    ("2001::/32", "Teredo"),
    ("2001:db8::/32", "documentation"),
    ("2002::/16", "6to4"),
    ("fc00::/7", "unique-local"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
];

/// How long registration waits for a name to resolve; a name that does not resolve in time is
/// accepted and judged again at every delivery.
const REGISTRATION_LOOKUP: Duration = Duration::from_secs(3);

/// Why a destination was refused: the address, the rule (range) it breaks, and the host as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub host: String,
    pub addr: Option<IpAddr>,
    pub rule: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            Some(a) if a.to_string() == self.host => write!(f, "{a} is a {} address", self.rule)?,
            Some(a) => write!(f, "{} resolves to {a}, a {} address", self.host, self.rule)?,
            None => write!(f, "{} is a {} name", self.host, self.rule)?,
        }
        f.write_str(
            "; webhooks may not call internal networks unless the operator allows it (--webhook-allow-networks)",
        )
    }
}

impl std::error::Error for Refused {}

/// The networks webhooks may reach besides the public internet; by default none.
#[derive(Debug, Clone, Default)]
pub struct Destinations {
    allow: Arc<[IpNet]>,
}

impl Destinations {
    /// Refuses every internal range except those in `allow`.
    pub fn allowing(allow: impl IntoIterator<Item = IpNet>) -> Self {
        Destinations { allow: allow.into_iter().map(|n| n.trunc()).collect() }
    }

    /// The networks allowed on top of the public internet.
    pub fn allowed(&self) -> &[IpNet] {
        &self.allow
    }

    /// `Err` with the rule if `ip` is in a refused range that no allowed network contains.
    pub fn check_ip(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        if self.allow.iter().any(|n| n.contains(&ip)) {
            return Ok(());
        }
        match refused_rule(ip) {
            None => Ok(()),
            Some((net, name)) => {
                Err(Refused { host: host.to_owned(), addr: Some(ip), rule: format!("{name} ({net})") })
            }
        }
    }

    /// Checks the host of a URL that names it by address (`None`: it names a host to resolve).
    /// `localhost` and its subdomains are loopback whatever the resolver says (RFC 6761), and
    /// allowed only with a loopback network.
    fn check_literal(&self, host: &url::Host<&str>) -> Option<Result<(), Refused>> {
        let ip = match host {
            url::Host::Ipv4(v) => IpAddr::V4(*v),
            url::Host::Ipv6(v) => IpAddr::V6(*v),
            url::Host::Domain(d) => {
                let name = d.trim_end_matches('.').to_ascii_lowercase();
                if name == "localhost" || name.ends_with(".localhost") {
                    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
                    return Some(self.check_ip(d, loopback).map_err(|mut r| {
                        r.addr = None;
                        r.rule = "loopback (localhost)".into();
                        r
                    }));
                }
                IpAddr::V4(legacy_ipv4(&name)?)
            }
        };
        Some(self.check_ip(&ip.to_string(), ip))
    }

    /// Registration's check of a webhook URL: `http` or `https`, with a host that is not a
    /// refused address and does not resolve only to refused ones (delivery connects only to the
    /// allowed ones). A name that does not resolve now is accepted: delivery judges it again.
    pub async fn check_url(&self, url: &str) -> Result<(), String> {
        let u = parse_url(url)?;
        let host = u.host().ok_or("the URL has no host")?;
        if let Some(verdict) = self.check_literal(&host) {
            return verdict.map_err(|r| r.to_string());
        }
        let name = u.host_str().unwrap_or_default().to_owned();
        let port = u.port_or_known_default().unwrap_or(80);
        let addrs: Vec<SocketAddr> =
            match tokio::time::timeout(REGISTRATION_LOOKUP, tokio::net::lookup_host((name.as_str(), port))).await {
                Ok(Ok(addrs)) => addrs.collect(),
                _ => return Ok(()),
            };
        self.vet(&name, addrs).map(|_| ()).map_err(|r| r.to_string())
    }

    /// The allowed ones of the addresses `name` resolved to; `Err` naming the first refused one
    /// if none is allowed.
    fn vet(&self, name: &str, addrs: Vec<SocketAddr>) -> Result<Vec<SocketAddr>, Refused> {
        let mut refused = None;
        let mut ok = Vec::with_capacity(addrs.len());
        for a in addrs {
            match self.check_ip(name, a.ip()) {
                Ok(()) => ok.push(a),
                Err(r) => {
                    refused.get_or_insert(r);
                }
            }
        }
        match refused {
            Some(r) if ok.is_empty() => Err(r),
            _ => Ok(ok),
        }
    }

    /// Delivery's check of a URL's host before connecting, for hosts written as addresses (the
    /// HTTP client does not resolve those, so [`VettedResolver`] never sees them). Names,
    /// `localhost` included, are judged by the resolver by what they resolve to.
    pub fn check_before_connect(&self, u: &url::Url) -> Result<(), Refused> {
        let ip = match u.host() {
            None => return Err(Refused { host: String::new(), addr: None, rule: "missing host".into() }),
            Some(url::Host::Ipv4(v)) => IpAddr::V4(v),
            Some(url::Host::Ipv6(v)) => IpAddr::V6(v),
            Some(url::Host::Domain(d)) => match legacy_ipv4(d) {
                Some(v) => IpAddr::V4(v),
                None => return Ok(()),
            },
        };
        self.check_ip(&ip.to_string(), ip)
    }

    /// Resolves `name` to the addresses it may be connected to: the allowed ones of those it
    /// resolves to, or `Err` ([`Refused`]) if there is none.
    pub async fn resolve(&self, name: &str) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        if let Some(ip) = legacy_ipv4(name) {
            self.check_ip(name, IpAddr::V4(ip))?;
        }
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name, 0)).await?.collect();
        Ok(self.vet(name, addrs)?)
    }
}

/// The HTTP client's resolver: the addresses a name resolves to are checked at connection time,
/// and the connection goes only to the allowed ones, so a name cannot be re-pointed at an
/// internal address between a check and the connection (DNS rebinding).
pub struct VettedResolver(pub Destinations);

impl reqwest::dns::Resolve for VettedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let (policy, host) = (self.0.clone(), name.as_str().to_owned());
        Box::pin(async move {
            let addrs = policy.resolve(&host).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The refused range containing `ip` and its name, if any.
pub fn refused_rule(ip: IpAddr) -> Option<(IpNet, &'static str)> {
    REFUSED.iter().find_map(|(net, name)| {
        let net: IpNet = net.parse().ok()?;
        net.contains(&ip).then_some((net, *name))
    })
}

/// Whether an address is in a range webhooks may not call by default.
pub fn is_internal(ip: IpAddr) -> bool {
    refused_rule(ip).is_some()
}

/// An allowed network as the operator writes it: a CIDR (`10.0.0.0/8`, `fd00::/8`) or a single
/// address.
pub fn parse_network(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map(|n| n.trunc())
        .map_err(|_| format!("'{s}' is not a network (CIDR such as 10.0.0.0/8) or an address"))
}

/// A webhook URL: `http` or `https` with a host, at most 2,048 characters.
fn parse_url(url: &str) -> Result<url::Url, String> {
    if url.len() > 2048 {
        return Err("the URL is longer than 2048 characters".into());
    }
    let u = url::Url::parse(url.trim()).map_err(|e| format!("invalid URL: {e}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err("only http and https URLs are supported".into());
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    Ok(u)
}

/// Refuses URLs a webhook cannot use, without looking at where they point: anything but
/// `http`/`https` with a host.
pub fn validate_url(url: &str) -> Result<(), String> {
    parse_url(url).map(|_| ())
}

/// The IPv4 address a host written in one of `inet_aton`'s legacy forms stands for: one to four
/// dot-separated parts, each decimal, octal (leading `0`) or hexadecimal (`0x`), the last filling
/// the remaining bytes (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`). `None` for anything
/// else, including a name that merely starts with digits.
pub fn legacy_ipv4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if digits.is_empty() && radix == 16 {
            nums.push(0u64); // "0x" alone is 0, as inet_aton and WHATWG read it
            continue;
        }
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) || digits.len() > 32 {
            return None;
        }
        nums.push(u64::from_str_radix(digits, radix).ok()?);
    }
    let (last, init) = nums.split_last()?;
    if init.iter().any(|n| *n > 255) {
        return None;
    }
    let room = 8 * (4 - init.len() as u32);
    if *last >= 1u64 << room {
        return None;
    }
    let mut v: u64 = *last;
    for (k, n) in init.iter().enumerate() {
        v |= n << (24 - 8 * k as u32);
    }
    u32::try_from(v).ok().map(Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deny() -> Destinations {
        Destinations::default()
    }

    #[test]
    fn the_legacy_spellings_of_loopback_are_read_as_inet_aton_reads_them() {
        for h in ["0x7f000001", "2130706433", "127.1", "0177.0.0.1", "0x7f.0.0.1", "127.0.1", "0x7F.1", "127.0.0.1."] {
            assert_eq!(legacy_ipv4(h), Some(Ipv4Addr::LOCALHOST), "{h}");
        }
        assert_eq!(legacy_ipv4("0"), Some(Ipv4Addr::UNSPECIFIED));
        assert_eq!(legacy_ipv4("169.254.43518"), Some(Ipv4Addr::new(169, 254, 169, 254)));
        for h in ["example.com", "127.0.0.1.5", "256.0.0.1", "1.2.3.4294967296", "08.0.0.1", "0x", "1..1", "", "1e3"] {
            assert!(legacy_ipv4(h).is_none_or(|a| h == "0x" && a == Ipv4Addr::UNSPECIFIED), "{h}");
        }
    }

    #[test]
    fn the_url_parser_already_normalises_every_attacker_spelling() {
        for h in ["127.0.0.1", "0x7f000001", "2130706433", "127.1", "0177.0.0.1", "0x7f.1"] {
            let u = url::Url::parse(&format!("http://{h}:8080/x")).unwrap();
            assert_eq!(u.host(), Some(url::Host::Ipv4(Ipv4Addr::LOCALHOST)), "{h}");
        }
        let u = url::Url::parse("http://[::ffff:127.0.0.1]/").unwrap();
        assert!(matches!(u.host(), Some(url::Host::Ipv6(_))));
    }

    #[test]
    fn internal_ranges_are_refused_with_their_rule() {
        let cases = [
            ("127.0.0.1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "carrier-grade NAT"),
            ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fd00::1", "unique-local"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "IPv4-mapped"),
            ("::ffff:8.8.8.8", "IPv4-mapped"),
            ("::127.0.0.1", "IPv4-compatible"),
            ("64:ff9b::7f00:1", "NAT64"),
        ];
        for (ip, rule) in cases {
            let e = deny().check_ip(ip, ip.parse().unwrap()).unwrap_err();
            assert!(e.rule.starts_with(rule), "{ip}: {e}");
            assert!(e.to_string().contains("--webhook-allow-networks"), "{e}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "2a00:1450::1"] {
            assert!(deny().check_ip(ip, ip.parse().unwrap()).is_ok(), "{ip}");
        }
    }

    #[test]
    fn an_allowed_network_lets_its_addresses_through_and_no_others() {
        let d = Destinations::allowing([parse_network("127.0.0.0/8").unwrap(), parse_network("fd00::1").unwrap()]);
        assert!(d.check_ip("h", "127.0.0.1".parse().unwrap()).is_ok());
        assert!(d.check_ip("h", "127.9.9.9".parse().unwrap()).is_ok());
        assert!(d.check_ip("h", "fd00::1".parse().unwrap()).is_ok());
        assert!(d.check_ip("h", "fd00::2".parse().unwrap()).is_err());
        assert!(d.check_ip("h", "::ffff:127.0.0.1".parse().unwrap()).is_err(), "mapped is not the network itself");
        assert!(d.check_ip("h", "10.0.0.1".parse().unwrap()).is_err());
        assert!(parse_network("10.0.0.1/8").unwrap() == parse_network("10.0.0.0/8").unwrap());
        assert!(parse_network("nonsense").is_err());
    }

    #[tokio::test]
    async fn registration_refuses_every_spelling_of_an_internal_host() {
        for url in [
            "http://127.0.0.1:9/h",
            "http://localhost:9/h",
            "http://LOCALHOST./h",
            "http://api.localhost/h",
            "http://[::1]/h",
            "http://0.0.0.0/h",
            "http://169.254.169.254/latest/meta-data/",
            "http://0x7f000001/h",
            "http://2130706433/h",
            "http://127.1/h",
            "http://0177.0.0.1/h",
            "http://[::ffff:127.0.0.1]/h",
            "http://[64:ff9b::a9fe:a9fe]/h",
        ] {
            let e = deny().check_url(url).await.unwrap_err();
            assert!(e.contains("address") || e.contains("name"), "{url}: {e}");
        }
        assert!(deny().check_url("https://8.8.8.8/hook").await.is_ok());
        assert!(deny().check_url("ftp://8.8.8.8/").await.is_err());
        let loopback = Destinations::allowing([parse_network("127.0.0.0/8").unwrap()]);
        assert!(loopback.check_url("http://127.0.0.1:9/h").await.is_ok());
        assert!(loopback.check_url("http://localhost:9/h").await.is_ok());
    }

    #[test]
    fn only_http_urls_with_a_host() {
        assert!(validate_url("https://erp.example.com/hook?x=1").is_ok());
        assert!(validate_url("http://127.0.0.1:8080/").is_ok());
        for bad in ["ftp://x/", "javascript:alert(1)", "not a url", "http://", "file:///etc/passwd"] {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
        assert!(validate_url(&format!("https://x.example/{}", "a".repeat(2048))).is_err());
    }

    #[test]
    fn addresses_in_urls_are_checked_before_connecting_and_names_left_to_the_resolver() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(deny().check_before_connect(&u("http://127.0.0.1:9/x")).is_err());
        assert!(deny().check_before_connect(&u("http://[::1]/x")).is_err());
        assert!(deny().check_before_connect(&u("http://0x7f000001/x")).is_err());
        assert!(deny().check_before_connect(&u("https://8.8.8.8/x")).is_ok());
        assert!(deny().check_before_connect(&u("https://localhost/x")).is_ok(), "a name: the resolver's");
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_of_internal_addresses() {
        let e = deny().resolve("localhost").await.unwrap_err();
        assert!(e.to_string().contains("loopback") && e.to_string().contains("resolves to"), "{e}");
        let ok = Destinations::allowing([parse_network("127.0.0.0/8").unwrap(), parse_network("::1").unwrap()]);
        let addrs = ok.resolve("localhost").await.unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
    }
}
