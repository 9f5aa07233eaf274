//! SVG pictures generated at build time: the curriculum timeline
//! ([`timeline()`]) and every results chart — bars per session
//! ([`bar_chart`]), a series over time ([`line_chart`]), answers before and
//! after as diverging stacked bars ([`fn@diverging`]). Plain inline SVG, no
//! scripts, coloured by the theme's stylesheet (so dark mode and print
//! follow it). A chart is `role="img"` with a title and a description, a
//! view box that fills its column (its text readable on a phone), nice
//! ticks on axes with titles and units, bounded scales on their own range,
//! a target as a dashed line that no value label crosses; pages show its
//! data as a table beside it, and a sentence instead of a chart when there
//! is too little data ([`instead`]).

mod axis;
mod bars;
mod diverging;
mod frame;
mod label;
mod line;
mod timeline;

pub(crate) use axis::Scale;
pub(crate) use bars::{bar_chart, Bar, TargetLine};
pub(crate) use diverging::{diverging, Answers, Levels};
pub(crate) use frame::{instead, Caption};
pub(crate) use line::{line_chart, Point};
pub(crate) use timeline::timeline;
