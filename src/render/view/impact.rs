//! What the impact report's opening shows: the evaluation question's
//! answer and its headline, as the template sees them (computed in
//! `summary.rs`).

use serde::Serialize;

/// The answer at the top of the impact report.
#[derive(Serialize, Clone, Default)]
pub(crate) struct ImpactAnswer {
    /// `Yes`, `Yes so far`, `Largely yes`, `Partly`, `Not yet`, `Too early to tell`.
    pub verdict: &'static str,
    /// The rest of the sentence, from the data: `of its 6 success
    /// signals, 3 are met and 3 partly met; executive escalations … fell
    /// from 3.2 on 9 Jan 2026 to 1.4 on 5 Jun 2026 (target 1.5 or lower:
    /// met).`
    pub sentence: String,
    pub headline: Option<Headline>,
    /// Required drivers in place, `2 of 3 drivers in place`;
    /// `None` while the enablers carry no status (FORMAT.md v1.2,
    /// "Required drivers"): the sentence then says nothing of them.
    pub drivers: Option<String>,
    /// The latest date in the results (an observation's, or a session's
    /// with attendance, ratings or comments recorded): `Fri 5 Jun 2026`.
    pub as_of: Option<String>,
    pub as_of_iso: Option<String>,
}

/// The headline outcome metric.
#[derive(Serialize, Clone)]
pub(crate) struct Headline {
    /// The metric's name and page.
    pub title: String,
    pub url: String,
    /// Why it is the headline: `the program's first outcome metric`.
    pub why: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    /// Its chart (an observed series, or the attendance or ratings
    /// chart); `None` for a survey metric (the changes follow below).
    pub svg: Option<String>,
}
