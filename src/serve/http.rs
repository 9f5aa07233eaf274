//! The HTTP side of `playbook serve` (axum on tokio): pages of the current
//! [`ServedSite`](super::site::ServedSite) from memory with their MIME type, an ETag and
//! `Cache-Control: no-cache` (`If-None-Match` gets a 304); the live-reload
//! script; the server-sent events stream that tells open pages about every
//! build; and a graceful shutdown on Ctrl-C (or SIGTERM) that also ends the
//! event streams, which would otherwise keep the server waiting. Every
//! request passes the [`super::guard`] first; connections are
//! accepted by [`super::listen`].

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;

use super::guard::{self, Hosts};
use super::site::{Entry, Resolved, EVENTS_PATH, SCRIPT_PATH};
use super::state::{Shared, Status};

/// The client side of live reload and the error overlay.
const LIVE_JS: &str = include_str!("live.js");

#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
    /// Becomes `true` when the server shuts down.
    stopping: watch::Receiver<bool>,
    /// The hosts requests may be for.
    hosts: Hosts,
}

/// Serve until Ctrl-C or SIGTERM.
pub(super) async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let hosts = Hosts::new(listener.local_addr()?.ip());
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let (stop, stopping) = watch::channel(false);
    let app = App {
        shared,
        stopping: stopping.clone(),
        hosts,
    };
    let router = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(page)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(
            hosts,
            guard::check_host,
        ));
    let server = super::listen::serve(listener, router, stopping);
    let server = tokio::spawn(server);
    shutdown_signal().await;
    eprintln!("stopping…");
    let _ = stop.send(true);
    // Open connections get a moment to finish their response.
    match tokio::time::timeout(Duration::from_secs(3), server).await {
        Ok(Err(join)) => Err(std::io::Error::other(join)),
        Ok(Ok(())) | Err(_) => Ok(()),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Every page of the site (and its 404 page).
async fn page(State(app): State<App>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let site = app.shared.site.load_full();
    match site.resolve(uri.path()) {
        Resolved::File(entry) => send(entry, StatusCode::OK, &headers),
        Resolved::Unavailable(entry) => send(entry, StatusCode::SERVICE_UNAVAILABLE, &headers),
        Resolved::Redirect(to) => {
            let to = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            match HeaderValue::from_str(&to) {
                Ok(location) => (
                    StatusCode::FOUND,
                    [
                        (header::LOCATION, location),
                        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                    ],
                )
                    .into_response(),
                Err(_) => not_found(site.not_found_page(), &headers),
            }
        }
        Resolved::NotFound => not_found(site.not_found_page(), &headers),
    }
}

fn not_found(page: Option<&Entry>, headers: &HeaderMap) -> Response {
    match page {
        Some(entry) => send(entry, StatusCode::NOT_FOUND, headers),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn send(entry: &Entry, status: StatusCode, request: &HeaderMap) -> Response {
    // The ETag goes with every status: a page left open on the 404 page
    // (or the placeholder) tells by it that it is still current.
    let builder = Response::builder()
        .header(header::CONTENT_TYPE, entry.content_type.clone())
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::ETAG, entry.etag.clone());
    if status != StatusCode::OK {
        return builder
            .status(status)
            .body(Body::from(entry.body.clone()))
            .unwrap_or_default();
    }
    if none_match(request, &entry.etag) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    builder
        .status(status)
        .body(Body::from(entry.body.clone()))
        .unwrap_or_default()
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks).
fn none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
}

/// The event stream: the current state on connect, then every change.
/// `reload` (`{"build": …}`) says which build is current; a page showing
/// another build reloads. `error` carries the diagnostics of a failed build
/// (the previous build is still served). The stream ends on shutdown. A
/// page of another site (its `Origin`) gets nothing.
async fn events(State(app): State<App>, headers: HeaderMap) -> Response {
    let foreign = headers
        .get(header::ORIGIN)
        .is_some_and(|o| !o.to_str().is_ok_and(|o| app.hosts.allows_origin(o)));
    if foreign {
        return guard::refuse(
            StatusCode::FORBIDDEN,
            "the live-reload stream is only for pages of this server\n",
        );
    }
    let mut stopping = app.stopping.clone();
    let stopped = Box::pin(async move {
        let _ = stopping.wait_for(|s| *s).await;
    });
    let stream = WatchStream::new(app.shared.status.subscribe())
        .map(|status| Ok::<_, Infallible>(event(&status)))
        .take_until(stopped);
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

fn event(status: &Status) -> Event {
    let e = match status {
        Status::Ok { build } => Event::default()
            .event("reload")
            .data(serde_json::json!({ "build": build }).to_string()),
        Status::Broken { report } => Event::default().event("error").data(report.as_str()),
    };
    // Reconnect quickly when the server restarts.
    e.retry(Duration::from_millis(300))
}
