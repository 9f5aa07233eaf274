//! The accept loop of `playbook serve`: every connection served by hyper's
//! HTTP/1 with a deadline for its request headers, and never so many open
//! connections that the process runs out of file descriptors.
//!
//! A client that opens connections and sends half a request would
//! otherwise hold each one forever: with the usual limit of file
//! descriptors, a few hundred of them and the server can accept nothing
//! more, so a real request waits until they close. So:
//!
//! - a connection that has not sent its request headers within
//!   [`HEADER_TIMEOUT`] (and one idle that long between requests) is closed;
//! - open connections are kept below the file-descriptor limit, less a
//!   reserve for the rebuilds: at the cap, the oldest connection that has
//!   not sent a request yet is closed to make room for the new one, and if
//!   accepting still fails for want of descriptors, the same happens.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper::service::{service_fn, Service};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};

/// How long a client has to send its request headers.
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// File descriptors left for everything but connections (the watcher, the
/// files a rebuild reads, the runtime).
const RESERVE: u64 = 64;
/// The most connections open at once, whatever the limit.
const MAX_CONNECTIONS: usize = 4096;

/// The open connections, in the order they were accepted.
#[derive(Default)]
struct Conns {
    slots: Mutex<BTreeMap<u64, Slot>>,
    /// Told when a connection ends.
    ended: Notify,
}

struct Slot {
    /// No request has arrived on it yet.
    fresh: Arc<AtomicBool>,
    /// Told to close it.
    close: Arc<Notify>,
}

impl Conns {
    fn len(&self) -> usize {
        self.slots.lock().map_or(0, |s| s.len())
    }

    /// Close the oldest connection that has not sent a request yet;
    /// whether there was one.
    fn evict(&self) -> bool {
        let Ok(mut slots) = self.slots.lock() else {
            return false;
        };
        let oldest = slots
            .iter()
            .find(|(_, s)| s.fresh.load(Ordering::Relaxed))
            .map(|(id, _)| *id);
        match oldest.and_then(|id| slots.remove(&id)) {
            Some(slot) => {
                slot.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Removes its connection from [`Conns`] when the connection's task ends.
struct Open {
    conns: Arc<Conns>,
    id: u64,
}

impl Drop for Open {
    fn drop(&mut self) {
        if let Ok(mut slots) = self.conns.slots.lock() {
            slots.remove(&self.id);
        }
        self.conns.ended.notify_one();
    }
}

/// Accept and serve connections until `stopping` becomes `true`, then let
/// the open ones finish their response.
pub(super) async fn serve(listener: TcpListener, router: Router, stopping: watch::Receiver<bool>) {
    let cap = connection_cap();
    let conns = Arc::new(Conns::default());
    let mut stop = stopping.clone();
    let mut next_id = 0u64;
    'accept: loop {
        // Make room first: at the cap, close the oldest connection that
        // has sent nothing, or wait for one to end.
        while conns.len() >= cap && !conns.evict() {
            tokio::select! {
                _ = conns.ended.notified() => {}
                _ = stop.wait_for(|s| *s) => break 'accept,
            }
        }
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.wait_for(|s| *s) => break 'accept,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                let id = next_id;
                next_id += 1;
                let fresh = Arc::new(AtomicBool::new(true));
                let close = Arc::new(Notify::new());
                if let Ok(mut slots) = conns.slots.lock() {
                    slots.insert(
                        id,
                        Slot {
                            fresh: Arc::clone(&fresh),
                            close: Arc::clone(&close),
                        },
                    );
                }
                let open = Open {
                    conns: Arc::clone(&conns),
                    id,
                };
                let conn = connection(stream, router.clone(), fresh, close, stopping.clone());
                tokio::spawn(async move {
                    conn.await;
                    drop(open);
                });
            }
            Err(e) if out_of_descriptors(&e) => {
                // Close one connection that has sent nothing and try again
                // once it is gone; with none, wait for one to end.
                if conns.evict() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                } else {
                    let _ =
                        tokio::time::timeout(Duration::from_millis(100), conns.ended.notified())
                            .await;
                }
            }
            // The client gave up before it was accepted, and the like.
            Err(_) => tokio::task::yield_now().await,
        }
    }
    finish(&conns).await;
}

/// Wait until every connection has ended (each was told to stop).
async fn finish(conns: &Conns) {
    loop {
        let ended = conns.ended.notified();
        if conns.len() == 0 {
            return;
        }
        ended.await;
    }
}

/// Serve one connection: until the client or the header deadline closes
/// it, it is evicted, or the server stops (after the response under way).
async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    fresh: Arc<AtomicBool>,
    close: Arc<Notify>,
    mut stopping: watch::Receiver<bool>,
) {
    let app = TowerToHyperService::new(router);
    let service = service_fn(move |req| {
        fresh.store(false, Ordering::Relaxed);
        app.call(req)
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = close.notified() => return,
            _ = stopping.wait_for(|s| *s), if !shutting_down => {
                shutting_down = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// How many connections may be open at once: the file-descriptor limit
/// less [`RESERVE`] (half the limit when it is small), at most
/// [`MAX_CONNECTIONS`].
fn connection_cap() -> usize {
    #[cfg(unix)]
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    #[cfg(not(unix))]
    let limit: Option<u64> = None;
    match limit {
        Some(n) if n < 2 * RESERVE => (n / 2).max(1) as usize,
        Some(n) => ((n - RESERVE) as usize).min(MAX_CONNECTIONS),
        None => MAX_CONNECTIONS,
    }
}

/// Whether accepting failed because the process (or the system) has no
/// file descriptor left.
fn out_of_descriptors(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        matches!(
            Errno::from_io_error(e),
            Some(Errno::MFILE) | Some(Errno::NFILE)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}
