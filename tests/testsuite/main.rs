//! The integration tests: one test binary (as mdBook's `tests/testsuite/`)
//! that builds the binary's real behaviour — fixture sites in temporary
//! folders, `playbook check`, `build` and `serve` run as a user runs them —
//! and checks the files, links and messages produced.

// A test or bench binary has no public surface: `pub` only shares items
// between its modules.
#![allow(unreachable_pub)]

mod architecture;
mod authoring;
mod behaviour;
mod blocks;
mod build;
mod charts;
mod check;
mod cohort_gaps;
mod cohorts;
mod common;
mod deploy;
mod docs;
mod drivers;
mod editions;
mod editions_leaks;
mod evidence;
mod exact_figures;
mod example;
mod follow_up;
mod hostile;
mod hostile_build;
mod hostile_data;
mod hostile_output;
mod impact_report;
mod import;
mod import_errors;
mod library;
mod listed_feedback;
mod presentation;
mod raters;
mod recovery;
mod scales;
mod serve;
mod serve_cohorts;
mod serve_hostile;
mod statistics;
mod theme_hostile;
mod traceability;
