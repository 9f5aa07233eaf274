//! Which requests `playbook serve` answers: those addressed to this
//! machine. A page on another site can make a browser send requests to
//! 127.0.0.1 under the other site's own name (DNS rebinding) and read the
//! answers, drafts and facilitator notes included. So every request's
//! `Host` (and the host of an absolute request URL) must be `localhost`,
//! `127.0.0.1`, `[::1]` or the address served on, with any port; anything
//! else, a missing `Host` included, gets `421 Misdirected Request` and no
//! page. When serving on every address (`--bind 0.0.0.0`), any IP address
//! is allowed: a name can be rebound, an address cannot. The live-reload
//! stream also wants a present `Origin` to be one of these hosts, over
//! `http`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The hosts this server answers to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hosts {
    bound: IpAddr,
}

impl Hosts {
    /// The hosts of a server listening on `bound`.
    pub(super) fn new(bound: IpAddr) -> Self {
        Hosts { bound }
    }

    /// Whether `authority` (`host` or `host:port`) names this server.
    pub(super) fn allows(&self, authority: &str) -> bool {
        let Some(host) = without_port(authority) else {
            return false;
        };
        if host.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => host.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        ip.is_some_and(|ip| {
            ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                || ip == self.bound
                || self.bound.is_unspecified()
        })
    }

    /// Whether an `Origin` header is a page of this server: `http://` and
    /// an allowed host, nothing more.
    pub(super) fn allows_origin(&self, origin: &str) -> bool {
        origin
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            && !origin[7..].contains('/')
            && self.allows(&origin[7..])
    }
}

/// `host` of `host`, `host:port`, `[v6]` or `[v6]:port`; `None` when the
/// port is not a number.
fn without_port(authority: &str) -> Option<&str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(_) => authority.split_at(authority.find(']')? + 1),
        None => match authority.rfind(':') {
            Some(i) => authority.split_at(i),
            None => (authority, ""),
        },
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        });
    (port_ok && !host.is_empty()).then_some(host)
}

/// The middleware in front of every route: a request for another host is
/// refused.
pub(super) async fn check_host(State(hosts): State<Hosts>, req: Request, next: Next) -> Response {
    let mut named = req.headers().get_all(header::HOST).iter();
    let host = match (named.next(), named.next()) {
        (Some(h), None) => h.to_str().ok(),
        _ => None,
    };
    let url_host = req.uri().authority().map(|a| a.as_str());
    let ok = host.is_some_and(|h| hosts.allows(h)) && url_host.is_none_or(|a| hosts.allows(a));
    if ok {
        next.run(req).await
    } else {
        refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "playbook serve answers only requests for localhost, 127.0.0.1 or [::1] (or the address given to --bind)\n",
        )
    }
}

/// A short plain-text refusal.
pub(super) fn refuse(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine_and_the_bound_address_are_allowed_with_any_port() {
        let local = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST));
        for h in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:8000",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(local.allows(h), "{h}");
        }
        for h in [
            "",
            "attacker.example",
            "localhost.attacker.example",
            "127.0.0.1.nip.io:1111",
            "localhost:",
            "localhost:x",
            "localhost:1111:1",
            "::1",
            "[::1",
            "127.1",
            "10.0.0.1",
            "0.0.0.0",
            "[::]",
        ] {
            assert!(!local.allows(h), "{h}");
        }
        let lan = Hosts::new("192.168.1.5".parse().unwrap());
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(!lan.allows("192.168.1.6:1111"));
        let all = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert!(all.allows("192.168.1.6:1111"));
        assert!(all.allows("[fe80::1]"));
        assert!(!all.allows("attacker.example"));
    }

    #[test]
    fn an_origin_is_an_http_page_of_an_allowed_host() {
        let local = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(local.allows_origin("http://127.0.0.1:1111"));
        assert!(local.allows_origin("HTTP://localhost"));
        for o in [
            "null",
            "https://127.0.0.1:1111",
            "http://127.0.0.1:1111/",
            "http://attacker.example",
            "http://",
            "http:/",
        ] {
            assert!(!local.allows_origin(o), "{o}");
        }
    }
}
