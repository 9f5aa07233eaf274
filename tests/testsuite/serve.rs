//! `playbook serve`: the real binary on a free port, serving a fixture site
//! from a temporary folder, driven with raw HTTP over `TcpStream` (so that
//! request paths reach the server exactly as written) and a small
//! server-sent events reader.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;

const SCRIPT: &str = "/__playbook/live.js";
const START_TIMEOUT: Duration = Duration::from_secs(30);
const EVENT_TIMEOUT: Duration = Duration::from_secs(10);

// ------------------------------------------------------------------ server

/// `playbook serve SITE --port 0 …`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// Everything the server printed on stderr so far.
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &Path, args: &[&str]) -> Server {
        let mut child = playbook()
            .args(["--color", "never", "serve"])
            .arg(site)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start playbook serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                    let _ = tx.send(line);
                }
            });
        }
        let port = wait_for_url(&rx, &log);
        Server { child, port, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path, &[])
    }

    fn events(&self) -> Events {
        Events::connect(self.port)
    }

    /// Send a signal (`INT` is Ctrl-C) and wait for the exit code.
    fn signal_and_wait(mut self, signal: &str) -> (Option<i32>, Duration) {
        let started = Instant::now();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return (s.code(), started.elapsed());
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the server did not stop:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for_url(rx: &Receiver<String>, log: &Mutex<String>) -> u16 {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    return port.parse().expect("a port number");
                }
            }
            Err(_) => panic!(
                "playbook serve did not start:\n{}",
                log.lock().unwrap().as_str()
            ),
        }
    }
}

// -------------------------------------------------------------------- HTTP

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a new connection; the raw `path` is sent as is.
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    parse_response(&raw, method == "HEAD")
}

fn parse_response(raw: &[u8], head_request: bool) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    } else if head_request {
        assert!(body.is_empty(), "no body for HEAD");
    } else if let Some((_, len)) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        let len: usize = len.parse().expect("content-length");
        assert_eq!(body.len(), len, "a complete body");
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").expect("chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16)
            .expect("hex chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

// ---------------------------------------------------------- event stream

/// A server-sent events reader.
struct Events {
    reader: BufReader<TcpStream>,
}

#[derive(Debug, Clone)]
struct Ev {
    name: String,
    data: String,
}

impl Ev {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).expect("JSON event data")
    }
    fn build(&self) -> String {
        self.json()["build"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl Events {
    fn connect(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.write_all(
            format!("GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
        let mut reader = BufReader::new(s);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.contains(" 200 "), "event stream: {status}");
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if line.to_ascii_lowercase().starts_with("content-type") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
        }
        Events { reader }
    }

    /// The next event within `timeout`, or `None`. The body is chunked:
    /// chunk-size lines are skipped (they are hex numbers alone on a line,
    /// never an SSE field).
    fn next(&mut self, timeout: Duration) -> Option<Ev> {
        let deadline = Instant::now() + timeout;
        let (mut name, mut data, mut fields) = (String::new(), Vec::<String>::new(), 0);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return None
                }
                Err(e) => panic!("event stream: {e}"),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
                fields += 1;
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                fields += 1;
            } else if line.is_empty() && fields > 0 {
                return Some(Ev {
                    name: if name.is_empty() {
                        "message".into()
                    } else {
                        name
                    },
                    data: data.join("\n"),
                });
            }
        }
    }

    /// Skip events until one named `name` passes `accept`.
    fn wait(&mut self, name: &str, mut accept: impl FnMut(&Ev) -> bool) -> Ev {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(e) if e.name == name && accept(&e) => return e,
                Some(_) => {}
                None => panic!("no `{name}` event within {EVENT_TIMEOUT:?}"),
            }
        }
    }

    /// Wait for a `reload` to a build other than `build`; returns the new one.
    fn reload_after(&mut self, build: &str) -> String {
        self.wait("reload", |e| e.build() != build).build()
    }
}

// ---------------------------------------------------------------- helpers

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/demo/results/ratings.csv",
        "session,participant,rating\n01-intro,p1,4\n01-intro,p2,5\n",
    );
    f.write("content/demo/sessions/handouts/list.txt", "a handout\n");
    f
}

/// Write `contents` to a temporary file beside `rel`, then rename it over
/// `rel`: how vim, JetBrains IDEs and VS Code save.
fn save_by_rename(f: &Fixture, rel: &str, contents: &str) {
    let tmp = f.file(&format!("{rel}___jb_tmp___"));
    std::fs::write(&tmp, contents).unwrap();
    std::fs::rename(&tmp, f.file(rel)).unwrap();
}

fn append(f: &Fixture, rel: &str, text: &str) {
    let mut s = f.read(rel);
    s.push_str(text);
    f.write(rel, &s);
}

fn assert_complete_page(r: &Response, what: &str) {
    assert_eq!(r.status, 200, "{what}: {}", r.body);
    assert!(
        r.body.trim_end().ends_with("</html>"),
        "{what}: incomplete page: …{}",
        &r.body[r.body.len().saturating_sub(200)..]
    );
    assert!(r.body.contains(SCRIPT), "{what}: no live-reload script");
}

/// Make a change, then wait for the reload to a new build.
fn step<R>(ev: &mut Events, build: &mut String, what: &str, change: impl FnOnce() -> R) {
    change();
    let next = ev.reload_after(build);
    eprintln!("{what}: reload to {next}");
    *build = next;
}

// ------------------------------------------------------------------ tests

#[test]
fn serves_pages_from_memory_with_types_etags_and_404() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    // No public/ is written.
    assert!(!f.file("public").exists());

    let home = srv.get("/");
    assert_complete_page(&home, "/");
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Demo Program"));
    let script_at = home.body.rfind(SCRIPT).unwrap();
    assert!(script_at < home.body.rfind("</body>").unwrap());

    let css = srv.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains(SCRIPT));
    let svg = srv.get("/demo/sessions/fig/map.svg");
    assert_eq!(svg.status, 200, "{:?}", svg);
    assert!(svg
        .header("content-type")
        .unwrap()
        .starts_with("image/svg+xml"));

    // Folder URLs: index.html, and a redirect without the slash.
    assert_complete_page(&srv.get("/demo/"), "/demo/");
    assert_complete_page(&srv.get("/demo/sessions/01-intro/"), "session");
    let r = srv.get("/demo");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/demo/"));

    // ETags: If-None-Match gets a 304 without a body.
    let etag = css.header("etag").expect("an ETag").to_string();
    let r = request(srv.port, "GET", "/style.css", &[("If-None-Match", &etag)]);
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag"), Some(etag.as_str()));
    let r = request(
        srv.port,
        "GET",
        "/style.css",
        &[("If-None-Match", "\"other\"")],
    );
    assert_eq!(r.status, 200);
    let r = request(srv.port, "HEAD", "/style.css", &[]);
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());

    // Unknown paths: the site's 404 page, status 404.
    let r = srv.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"));
    assert!(r.body.contains(SCRIPT));

    let js = srv.get(SCRIPT);
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").unwrap().contains("javascript"));
    assert!(js.body.contains("EventSource"));
    // The overlay is built with DOM APIs; report text is never markup.
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!js.body.contains(sink), "{sink}");
    }
}

#[test]
fn dot_dot_paths_are_404_and_never_leave_the_site() {
    let _serial = serial();
    let top = Fixture::empty();
    top.write("secret.txt", "TOP-SECRET\n");
    for (path, text) in FILES {
        top.write(&format!("site/{path}"), text);
    }
    top.write("site/notes.txt", "SITE-SOURCE-NOTES\n");
    let srv = Server::start(&top.file("site"), &[]);
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/demo/../../secret.txt",
        "/demo/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../site/notes.txt",
        "/notes.txt",
        "/playbook.yaml",
        "/content/demo/program.yaml",
        "//etc/passwd",
    ] {
        let r = srv.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("TOP-SECRET"), "{path}");
        assert!(!r.body.contains("SITE-SOURCE-NOTES"), "{path}");
        assert!(!r.body.contains("root:"), "{path}");
        assert!(r.body.contains("Page not found"), "{path}: {}", r.body);
    }
}

#[test]
fn base_url_serves_under_a_prefix() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &["--base-url", "/playbooks/"]);
    let r = srv.get("/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/playbooks/"));
    let home = srv.get("/playbooks/");
    assert_complete_page(&home, "/playbooks/");
    let link = "/playbooks/demo/";
    assert!(
        home.body.contains(&format!("href=\"{link}\"")),
        "{}",
        home.body
    );
    assert_eq!(srv.get("/playbooks/style.css").status, 200);
    assert_eq!(srv.get("/style.css").status, 404);
}

#[test]
fn the_participant_edition_is_served_with_edition_participant() {
    let _serial = serial();
    let f = fixture();
    f.write(
        "content/demo/sessions/00-prep.md",
        "---\ntitle: Briefing\nkind: workshop\naudience: facilitator\nweek: 1\ncompetencies: [delegation]\nactions: [hand-over-outcomes]\n---\n## Run sheet\n\nBRIEFING-NOTES\n",
    );
    let srv = Server::start(f.path(), &["--edition", "participant"]);
    assert_eq!(srv.get("/demo/sessions/00-prep/").status, 404);
    assert_eq!(srv.get("/demo/guide/").status, 404);
    let workbook = srv.get("/demo/workbook/");
    assert_complete_page(&workbook, "/demo/workbook/");
    assert!(
        !workbook.body.contains("BRIEFING-NOTES"),
        "{}",
        workbook.body
    );
    let docs = srv.get("/demo/search.json");
    assert_eq!(docs.status, 200);
    assert!(!docs.body.contains("Briefing"), "{}", docs.body);
    drop(srv);
    let srv = Server::start(f.path(), &[]);
    assert!(srv
        .get("/demo/sessions/00-prep/")
        .body
        .contains("BRIEFING-NOTES"));
}

#[test]
fn concurrent_clients_get_complete_pages_during_rebuilds() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    let port = srv.port;
    let pages = [
        "/",
        "/demo/",
        "/demo/sessions/01-intro/",
        "/demo/curriculum/",
        "/demo/traceability/",
        "/demo/guide/",
    ];
    let rebuilds = |log: &str| log.matches("rebuilt").count();
    let done = Arc::new(AtomicBool::new(false));
    let toucher = {
        let done = Arc::clone(&done);
        let path = f.file(INTRO);
        std::thread::spawn(move || {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                let text = format!("{INTRO_SRC}\nEdit number {n}.\n");
                std::fs::write(&path, text).unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let started = Instant::now();
    let before = rebuilds(&srv.log());
    let requests = Arc::new(AtomicUsize::new(0));
    // 200 clients read pages until three rebuilds happened while they did
    // (at least two pages each).
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let done = Arc::clone(&done);
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || {
                let mut k = 0;
                while k < 2 || !done.load(Ordering::Relaxed) {
                    let path = pages[(i + k) % pages.len()];
                    let r = request(port, "GET", path, &[]);
                    assert_complete_page(&r, path);
                    requests.fetch_add(1, Ordering::Relaxed);
                    k += 1;
                }
            })
        })
        .collect();
    while rebuilds(&srv.log()) < before + 3 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    done.store(true, Ordering::Relaxed);
    let failures = clients
        .into_iter()
        .map(|c| c.join())
        .filter(Result::is_err)
        .count();
    toucher.join().unwrap();
    assert_eq!(failures, 0, "clients got incomplete responses");
    let log = srv.log();
    assert!(
        rebuilds(&log) >= before + 3,
        "rebuilds happened while clients were reading:\n{log}"
    );
    eprintln!(
        "{} complete responses during {} rebuilds",
        requests.load(Ordering::Relaxed),
        rebuilds(&log) - before
    );
}

#[test]
fn every_kind_of_change_sends_a_reload() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    let mut ev = srv.events();
    let mut build = ev.wait("reload", |_| true).build();
    assert!(!build.is_empty());

    step(&mut ev, &mut build, "session edit", || {
        append(&f, INTRO, "\nA line added by the session edit.\n")
    });
    assert!(srv
        .get("/demo/sessions/01-intro/")
        .body
        .contains("A line added by the session edit."));

    step(&mut ev, &mut build, "alignment edit", || {
        f.edit(
            COMPETENCIES,
            "Delegating effectively",
            "Delegating with care",
        )
    });
    assert!(srv
        .get("/demo/competencies/")
        .body
        .contains("Delegating with care"));

    step(&mut ev, &mut build, "results edit", || {
        append(&f, "content/demo/results/ratings.csv", "01-intro,p3,2\n")
    });

    step(&mut ev, &mut build, "playbook.yaml edit", || {
        f.edit(
            "playbook.yaml",
            "A tiny site for tests",
            "A tiny site, edited",
        )
    });
    assert!(srv.get("/").body.contains("A tiny site, edited"));

    step(&mut ev, &mut build, "new template override", || {
        f.write(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<h1>Lost: an override</h1>{% endblock content %}",
        );
    });
    assert!(srv.get("/nowhere").body.contains("Lost: an override"));
    step(&mut ev, &mut build, "template override edit", || {
        f.edit("templates/404.html", "Lost: an override", "Lost again")
    });
    assert!(srv.get("/nowhere").body.contains("Lost again"));

    step(&mut ev, &mut build, "new static file", || {
        f.write("static/notes.txt", "static notes\n")
    });
    assert_eq!(srv.get("/notes.txt").body, "static notes\n");

    step(&mut ev, &mut build, "rename-style save", || {
        let text = format!("{INTRO_SRC}\nSaved through a rename.\n");
        save_by_rename(&f, INTRO, &text);
    });
    assert!(srv
        .get("/demo/sessions/01-intro/")
        .body
        .contains("Saved through a rename."));

    step(&mut ev, &mut build, "new session", || {
        f.write(
            "content/demo/sessions/04-extra.md",
            "---\ntitle: Extra\nkind: workshop\ncompetencies: [feedback]\n---\nExtra session.\n",
        )
    });
    assert_eq!(srv.get("/demo/sessions/04-extra/").status, 200);

    step(&mut ev, &mut build, "session deleted", || {
        f.remove("content/demo/sessions/04-extra.md")
    });
    assert_eq!(srv.get("/demo/sessions/04-extra/").status, 404);

    assert_eq!(srv.get("/demo/sessions/handouts/list.txt").status, 200);
    step(&mut ev, &mut build, "folder deleted", || {
        f.remove("content/demo/sessions/handouts")
    });
    assert_eq!(srv.get("/demo/sessions/handouts/list.txt").status, 404);
}

#[test]
fn poll_watcher_sees_changes() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &["--poll"]);
    assert!(srv.log().contains("(polling)"));
    let mut ev = srv.events();
    let mut build = ev.wait("reload", |_| true).build();
    step(&mut ev, &mut build, "session edit", || {
        append(&f, INTRO, "\nSeen by polling.\n")
    });
    assert!(srv
        .get("/demo/sessions/01-intro/")
        .body
        .contains("Seen by polling."));
    step(&mut ev, &mut build, "rename-style save", || {
        save_by_rename(&f, INTRO, &format!("{INTRO_SRC}\nRenamed, polled.\n"))
    });
    step(&mut ev, &mut build, "new template folder", || {
        f.write(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<h1>Polled 404</h1>{% endblock content %}",
        )
    });
    assert!(srv.get("/nowhere").body.contains("Polled 404"));
}

#[test]
fn a_burst_of_saves_is_one_rebuild_and_ignored_files_are_ignored() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    let mut ev = srv.events();
    let build = ev.wait("reload", |_| true).build();

    let burst = Instant::now();
    for i in 0..10 {
        std::fs::write(f.file(INTRO), format!("{INTRO_SRC}\nSave {i}.\n")).unwrap();
    }
    let burst = burst.elapsed();
    ev.reload_after(&build);
    // The server waits until no change came for 15 ms: a burst that took
    // longer than that (a busy machine) may give a second rebuild.
    if let Some(e) = ev.next(Duration::from_millis(800)) {
        assert!(
            burst > Duration::from_millis(10),
            "one rebuild for a burst of saves ({burst:?}), got {e:?}:\n{}",
            srv.log()
        );
    }
    assert!(srv.get("/demo/sessions/01-intro/").body.contains("Save 9."));
    let home = srv.get("/");

    // Files that are not inputs change nothing.
    f.write("content/demo/sessions/.01-intro.md.swp", "swap");
    f.write("content/demo/sessions/01-intro.md~", "backup");
    f.write("content/demo/sessions/4913", "");
    f.remove("content/demo/sessions/4913");
    f.write("content/demo/sessions/.#01-intro.md", "lock");
    f.write("content/demo/sessions/01-intro.md___jb_old___", "old");
    f.write("public/index.html", "not an input");
    f.write("target/debug/x", "not an input");
    f.write("node_modules/x/index.js", "not an input");
    f.write("content/demo/node_modules/x.md", "not an input");
    f.write(".git/index", "not an input");
    f.write("README.md", "not an input");
    if let Some(e) = ev.next(Duration::from_millis(800)) {
        panic!("an ignored file caused {e:?}:\n{}", srv.log());
    }
    assert_eq!(srv.get("/").body, home.body);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_errors() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    let mut ev = srv.events();
    let good = ev.wait("reload", |_| true).build();
    let before = srv.get("/demo/sessions/01-intro/");

    f.edit(
        INTRO,
        "competencies: [delegation]",
        "competencies: [delegashun]",
    );
    let err = ev.wait("error", |_| true);
    let report = err.json();
    assert_eq!(report["build"], good.as_str());
    let errors = report["errors"].as_array().expect("errors");
    let d = errors
        .iter()
        .find(|d| d["code"] == "unknown-reference")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(d["file"], INTRO);
    assert_eq!(d["line"], 7);
    assert!(d["message"].as_str().unwrap().contains("delegashun"));
    assert_eq!(d["hint"], "did you mean `delegation`?");
    assert!(report["text"].as_str().unwrap().contains("delegashun"));

    // The old page is still served, and the terminal shows the error.
    let page = srv.get("/demo/sessions/01-intro/");
    assert_complete_page(&page, "the last good page");
    assert_eq!(page.body, before.body);
    assert!(srv.log().contains("unknown-reference"), "{}", srv.log());

    // A page opened now learns about the errors when it connects.
    let mut late = srv.events();
    assert_eq!(late.next(EVENT_TIMEOUT).expect("an event").name, "error");

    // Deleting a session others link to names the broken links.
    f.remove(PRACTICE);
    let err = ev.wait("error", |e| e.data.contains("02-practice"));
    let text = err.json()["text"].as_str().unwrap().to_string();
    assert!(text.contains(REVIEW), "{text}");

    // Fixing everything reloads.
    f.write(PRACTICE, PRACTICE_SRC);
    f.write(INTRO, INTRO_SRC);
    ev.reload_after(&good);
    late.reload_after(&good);
    // The same sources give the same page, with the same version.
    let after = srv.get("/demo/sessions/01-intro/");
    assert_eq!(after.body, before.body);
    assert_eq!(after.header("etag"), before.header("etag"));
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let _serial = serial();
    let f = fixture();
    f.edit(
        INTRO,
        "competencies: [delegation]",
        "competencies: [delegashun]",
    );
    let srv = Server::start(f.path(), &[]);
    let r = srv.get("/");
    assert_eq!(r.status, 503);
    assert!(r.body.contains(SCRIPT));
    let mut ev = srv.events();
    assert!(ev.wait("error", |_| true).data.contains("delegashun"));
    f.edit(
        INTRO,
        "competencies: [delegashun]",
        "competencies: [delegation]",
    );
    ev.reload_after("");
    assert_complete_page(&srv.get("/"), "/ once fixed");
}

#[test]
fn ctrl_c_stops_cleanly_even_with_open_event_streams() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    let mut ev = srv.events();
    ev.wait("reload", |_| true);
    let (code, took) = srv.signal_and_wait("INT");
    assert_eq!(code, Some(0));
    assert!(took < Duration::from_secs(3), "stopping took {took:?}");
    // The stream was ended by the server.
    assert!(ev.next(Duration::from_secs(2)).is_none());
}

#[test]
fn a_port_in_use_is_a_clear_error_with_exit_code_2() {
    let _serial = serial();
    let f = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = playbook()
        .args(["serve"])
        .arg(f.path())
        .args(["--port", &port.to_string()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains(&format!("--port {}", port + 1)), "{stderr}");
}

#[test]
fn build_output_has_no_live_reload_script() {
    let _serial = serial();
    let f = fixture();
    let out = tempfile::tempdir().unwrap();
    let status = playbook()
        .arg("build")
        .arg(f.path())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success());
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(!text.contains("__playbook"), "{}", entry.path().display());
            pages += 1;
        }
    }
    assert!(pages > 10);
}

/// Serve tests watch files and time reloads: run them one at a time so they
/// do not compete for the machine's cores (and make each other miss
/// deadlines) when `cargo test` runs tests in parallel.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn each_page_has_a_version_that_changes_only_with_the_page_or_the_assets() {
    let _serial = serial();
    let f = fixture();
    let srv = Server::start(f.path(), &[]);
    let mut ev = srv.events();
    let mut build = ev.wait("reload", |_| true).build();
    let intro = "/demo/sessions/01-intro/";
    let review = "/demo/sessions/03-review/";
    let etag = |path: &str| {
        let r = srv.get(path);
        let tag = r.header("etag").expect("an ETag").to_string();
        // The injected script knows the page's version: its ETag.
        let version = tag.trim_matches('"');
        assert!(
            r.body.contains(&format!("data-page=\"{version}\"")),
            "{path}: the script does not carry the version {tag}"
        );
        tag
    };
    let (intro0, review0) = (etag(intro), etag(review));

    // An edit to one session's body: that page has a new version; a page
    // that does not show the body keeps its version and a conditional GET
    // with it is still answered 304.
    step(&mut ev, &mut build, "session body edit", || {
        append(&f, INTRO, "\nA new paragraph.\n")
    });
    let intro1 = etag(intro);
    assert_ne!(intro1, intro0);
    assert_eq!(etag(review), review0);
    let r = request(srv.port, "GET", review, &[("If-None-Match", &review0)]);
    assert_eq!(r.status, 304);

    // A new stylesheet changes how every page looks: every version changes.
    step(&mut ev, &mut build, "stylesheet", || {
        f.write("static/style.css", "body { color: #123; }\n")
    });
    assert_ne!(etag(intro), intro1);
    assert_ne!(etag(review), review0);

    // The 404 page says its version too, so a page left open on it can
    // tell that it is current.
    let missing = srv.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let tag = missing.header("etag").expect("an ETag on the 404 page");
    assert!(missing
        .body
        .contains(&format!("data-page=\"{}\"", tag.trim_matches('"'))));
}
