//! playbook compiles leadership-development playbooks — YAML alignment files
//! and markdown session guides — into a checked, linked static site.
//!
//! The pipeline runs one way, one module per stage:
//!
//! 1. [`load`] — files on disk → raw documents ([`load::RawSite`]);
//! 2. [`model`] — the typed documents authors write (deserialised via [`yaml`]
//!    and [`markdown`]);
//! 3. [`resolve`] — ids to a checked graph ([`graph::Site`]) plus
//!    [`coverage`] warnings and [`results`] data; every problem is a
//!    [`diagnostics::Diagnostic`];
//!
//! [`cli`] only parses arguments and calls [`compile`].

pub mod cli;
pub mod config;
pub mod coverage;
pub mod diagnostics;
pub mod graph;
pub mod load;
pub mod markdown;
pub mod model;
pub mod resolve;
pub mod results;
pub mod yaml;

use std::path::Path;

use serde::Serialize;

use diagnostics::{Reported, Sources};
use graph::Site;

/// The outcome of loading, resolving and checking a site.
pub struct Compiled {
    pub site: Site,
    pub sources: Sources,
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Reported>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == diagnostics::Severity::Error)
    }
}

/// Load, resolve and check the site whose root (the folder holding
/// `playbook.yaml`) is `root`.
pub fn compile(root: &Path) -> Compiled {
    let mut diags = Vec::new();
    let raw = load::load(root, &mut diags);
    let site = resolve::resolve(&raw, &mut diags);
    for p in &site.programs {
        coverage::check(p, &mut diags);
    }
    let diagnostics = diagnostics::finalize(diags, &raw.sources);
    Compiled {
        site,
        sources: raw.sources,
        diagnostics,
    }
}

/// What a site holds, for the summary line.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub programs: usize,
    pub sessions: usize,
    pub competencies: usize,
    pub actions: usize,
    pub signals: usize,
    pub metrics: usize,
}

impl Stats {
    pub fn of(site: &Site) -> Self {
        let mut s = Stats {
            programs: site.programs.len(),
            ..Stats::default()
        };
        for p in &site.programs {
            s.sessions += p.sessions.len();
            s.competencies += p.competencies.len();
            s.actions += p.actions.len();
            s.signals += p.signals.len();
            s.metrics += p.metrics.len();
        }
        s
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{}, {}, {}, {}, {}, {}",
            n(self.programs, "program", "programs"),
            n(self.sessions, "session", "sessions"),
            n(self.competencies, "competency", "competencies"),
            n(self.actions, "action", "actions"),
            n(self.signals, "signal", "signals"),
            n(self.metrics, "metric", "metrics"),
        )
    }
}
