//! `playbook serve` against hostile clients, on loopback only: a page on
//! another site that rebinds its name to 127.0.0.1 (DNS rebinding) reads
//! nothing, and idle half-sent connections neither pile up nor keep a
//! normal request waiting.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;

/// `playbook serve SITE --port 0`, killed when dropped; with `files`, under
/// `ulimit -n files`.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &Path, files: Option<u32>) -> Server {
        let exe = env!("CARGO_BIN_EXE_playbook");
        let mut cmd = match files {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(exe);
                c
            }
            None => Command::new(exe),
        };
        let mut child = cmd
            .args(["--color", "never", "serve"])
            .arg(site)
            .args(["--port", "0"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start playbook serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut log = String::new();
        let port = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("playbook serve did not start:\n{log}"));
            log.push_str(&line);
            log.push('\n');
            if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                break port.parse().expect("a port number");
            }
        };
        Server { child, port }
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Send `raw` on a new connection and read the answer (until the server
/// closes, or `timeout` after the request for streams): status and text.
fn exchange(addr: SocketAddr, raw: &str, timeout: Duration) -> (u16, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    s.set_read_timeout(Some(timeout)).unwrap();
    s.write_all(raw.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

/// A GET of `path` with these header lines (each ending in `\r\n`).
fn get(server: &Server, path: &str, headers: &str) -> (u16, String) {
    let raw = format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
    exchange(server.addr(), &raw, Duration::from_secs(2))
}

#[test]
fn a_request_for_another_host_is_refused_without_page_content() {
    let site = Fixture::new();
    let server = Server::start(site.path(), None);
    let port = server.port;
    // Every route: pages, the 404 page, the script, the event stream.
    let paths = [
        "/",
        "/demo/guide/",
        "/no-such-page",
        "/__playbook/live.js",
        "/__playbook/events",
    ];
    let foreign = [
        "Host: attacker.example\r\n".to_string(),
        format!("Host: attacker.example:{port}\r\n"),
        format!("Host: 127.0.0.1.attacker.example:{port}\r\n"),
        format!("Host: localhost.attacker.example:{port}\r\n"),
        format!("Host: 10.0.0.1:{port}\r\n"),
        // No Host at all, and two of them.
        String::new(),
        format!("Host: 127.0.0.1:{port}\r\nHost: attacker.example\r\n"),
    ];
    for path in paths {
        for headers in &foreign {
            let (status, text) = get(&server, path, headers);
            assert!(
                status == 421 || status == 403 || status == 400,
                "{path} with {headers:?}: {status}\n{text}"
            );
            assert!(!text.contains("<html"), "{path} {headers:?}:\n{text}");
            assert!(!text.contains("Demo"), "{path} {headers:?}:\n{text}");
            assert!(!text.contains("event:"), "{path} {headers:?}:\n{text}");
        }
    }
    // HTTP/1.0 without Host, and an absolute URL naming another host.
    for raw in [
        "GET / HTTP/1.0\r\n\r\n".to_string(),
        format!("GET http://attacker.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    ] {
        let (status, text) = exchange(server.addr(), &raw, Duration::from_secs(2));
        assert_eq!(status, 421, "{raw:?}\n{text}");
        assert!(!text.contains("<html"), "{text}");
    }
    // This machine's names, with or without the port, are answered.
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let (status, text) = get(&server, "/", &format!("Host: {host}\r\n"));
        assert_eq!(status, 200, "Host: {host}\n{text}");
        assert!(text.contains("Demo Playbooks"), "Host: {host}");
    }
}

#[test]
fn live_reload_refuses_a_foreign_origin() {
    let site = Fixture::new();
    let server = Server::start(site.path(), None);
    let port = server.port;
    let events = |origin: Option<&str>| {
        let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
        let raw = format!(
            "GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Accept: text/event-stream\r\nConnection: close\r\n\r\n"
        );
        exchange(server.addr(), &raw, Duration::from_millis(500))
    };
    for origin in [
        "http://attacker.example".to_string(),
        format!("http://attacker.example:{port}"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{port}/x"),
        "null".to_string(),
    ] {
        let (status, text) = events(Some(&origin));
        assert_eq!(status, 403, "Origin: {origin}\n{text}");
        assert!(!text.contains("event:"), "Origin: {origin}\n{text}");
    }
    for origin in [
        None,
        Some(format!("http://127.0.0.1:{port}")),
        Some(format!("http://localhost:{port}")),
    ] {
        let (status, text) = events(origin.as_deref());
        assert_eq!(status, 200, "Origin: {origin:?}\n{text}");
        assert!(text.contains("event: reload"), "Origin: {origin:?}\n{text}");
    }
}

#[test]
fn a_connection_that_never_finishes_its_headers_is_closed() {
    let site = Fixture::new();
    let server = Server::start(site.path(), None);
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(12))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let started = Instant::now();
    let mut buf = [0; 64];
    let read = s.read(&mut buf);
    let took = started.elapsed();
    if let Err(e) = &read {
        assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "the connection is still open after {took:?}"
        );
    }
    assert!(took < Duration::from_secs(10), "closed only after {took:?}");
}

#[test]
fn idle_half_sent_connections_do_not_keep_a_request_waiting() {
    const IDLE: usize = 300;
    let site = Fixture::new();
    let server = Server::start(site.path(), Some(256));
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        let s = TcpStream::connect_timeout(&server.addr(), Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("connection {i}: {e}"));
        // The server may already have closed older ones: errors are fine.
        let _ = (&s).write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        idle.push(s);
        assert!(
            Instant::now() < deadline,
            "opening {IDLE} connections took too long"
        );
    }
    let started = Instant::now();
    let (status, text) = exchange(
        server.addr(),
        &format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            server.port
        ),
        Duration::from_secs(1),
    );
    let took = started.elapsed();
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Demo Playbooks"));
    assert!(took < Duration::from_secs(1), "answered after {took:?}");
    drop(idle);
}
