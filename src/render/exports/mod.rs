//! Exports: each program's data in formats other tools read, one
//! [`Emitter`](super::emit::Emitter) per format — `calendar.ics`
//! ([`calendar`]), `program.json` ([`json`]) and `results.csv`
//! ([`scorecard`]).

pub mod calendar;
pub mod json;
pub mod scorecard;
