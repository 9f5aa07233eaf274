//! What the parts of `playbook serve` share: the options it was started
//! with, the site being served and the status of the latest build, which
//! open pages are told about.

use std::net::IpAddr;
use std::path::PathBuf;

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::diagnostics::Reported;

use super::site::ServedSite;

/// The state of the latest build, as open pages are told.
#[derive(Debug, Clone)]
pub(super) enum Status {
    /// `build` is being served and is the latest.
    Ok { build: String },
    /// The latest build failed; the last good one is still being served.
    /// `report` is the JSON sent to pages: see [`Report`].
    Broken { report: String },
}

/// What the server and the rebuild loop share.
pub(super) struct Shared {
    /// The site being served, swapped whole by each successful rebuild.
    pub site: ArcSwap<ServedSite>,
    /// Sent after each rebuild, once the new site is in place.
    pub status: tokio::sync::watch::Sender<Status>,
}

/// The diagnostics of a failed build, for the overlay.
#[derive(Serialize)]
pub(super) struct Report<'a> {
    /// The build still being served.
    pub build: &'a str,
    pub errors: Vec<&'a Reported>,
    pub warnings: usize,
    /// The errors as the terminal shows them, with source snippets.
    pub text: String,
}

/// What `playbook serve` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The site root (the folder holding `playbook.yaml`).
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Include programs marked `draft: true`.
    pub drafts: bool,
    /// Watch by polling instead of the OS's file events.
    pub poll: bool,
    /// Overrides `base_url` of `playbook.yaml` (only its path is used).
    pub base_url: Option<String>,
    /// Which edition to serve.
    pub edition: crate::edition::Edition,
    /// Colour diagnostics in the terminal.
    pub color: bool,
}
