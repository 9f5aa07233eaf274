//! Exports: each program's data in formats other tools read, one
//! [`Emitter`](super::emit::Emitter) per format — `calendar.ics`
//! ([`calendar`]), `program.json` ([`json`]) and `results.csv`
//! ([`scorecard`]).

pub(crate) mod calendar;
pub(crate) mod json;
pub(crate) mod scorecard;
