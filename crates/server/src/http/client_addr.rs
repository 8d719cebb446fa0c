//! The client's address behind reverse proxies. The socket's peer is the client unless it is one
//! of the proxies the operator trusts (`--trusted-proxy`); then `X-Forwarded-For` is read from the
//! right, past every trusted proxy, and its first other address is the client. A client cannot
//! choose its address by sending the header itself: only a trusted peer's header is read, and
//! only the entries that trusted proxies appended.
//!
//! The result replaces the request's `ConnectInfo<SocketAddr>` (port 0 when forwarded), so
//! whoever needs the client's address (the OC login page's per-address throttling) reads it the
//! one way.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::extract::{ConnectInfo, Request, State};
use ipnet::IpNet;

/// The networks of trusted reverse proxies.
pub type TrustedProxies = Arc<[IpNet]>;

pub async fn resolve(State(trusted): State<TrustedProxies>, mut req: Request) -> Request {
    let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() else { return req };
    if let Some(client) = client(&trusted, peer.ip(), req.headers()) {
        req.extensions_mut().insert(ConnectInfo(SocketAddr::new(client, 0)));
    }
    req
}

fn client(trusted: &[IpNet], peer: IpAddr, headers: &axum::http::HeaderMap) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return None;
    }
    let mut entries: Vec<&str> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        entries.extend(value.to_str().ok()?.split(','));
    }
    let mut client = None;
    for entry in entries.iter().rev().take(16) {
        let Some(ip) = parse(entry.trim()) else { break };
        client = Some(ip);
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// `1.2.3.4`, `1.2.3.4:56`, `::1` or `[::1]:56`.
fn parse(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    fn headers(xff: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn only_trusted_proxies_are_believed_and_only_for_what_they_appended() {
        let trusted: Vec<IpNet> = ["10.0.0.0/8", "127.0.0.1/32"].iter().filter_map(|n| n.parse().ok()).collect();
        let h = headers(&["203.0.113.7"]);
        assert_eq!(client(&trusted, ip("10.1.2.3"), &h), Some(ip("203.0.113.7")));
        // An untrusted peer's header is ignored.
        assert_eq!(client(&trusted, ip("198.51.100.1"), &h), None);
        // The client wrote its own entry first; the proxies appended the real one.
        let h = headers(&["1.1.1.1, 203.0.113.7, 10.0.0.2"]);
        assert_eq!(client(&trusted, ip("127.0.0.1"), &h), Some(ip("203.0.113.7")));
        let h = headers(&["1.1.1.1", "203.0.113.7:5555"]);
        assert_eq!(client(&trusted, ip("127.0.0.1"), &h), Some(ip("203.0.113.7")));
        let h = headers(&["[2001:db8::1]:443"]);
        assert_eq!(client(&trusted, ip("127.0.0.1"), &h), Some(ip("2001:db8::1")));
        // Garbage stops the walk at the last address known good.
        let h = headers(&["203.0.113.7, junk, 10.0.0.9"]);
        assert_eq!(client(&trusted, ip("127.0.0.1"), &h), Some(ip("10.0.0.9")));
        assert_eq!(client(&trusted, ip("127.0.0.1"), &headers(&[])), None);
    }
}
