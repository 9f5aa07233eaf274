//! The template context of cohorts (FORMAT.md v1.2), `program.cohorts`:
//! the types only, made by [`super::cohorts`]. A leaf: its links are
//! [`Ref`]s, of the shape of every link (`{id, title, url}`).

use serde::Serialize;

/// A link: `{id, title, url}`.
#[derive(Serialize, Clone, PartialEq)]
pub(crate) struct Ref {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// A cohort, as the switcher and the comparison link to it.
#[derive(Serialize, Clone, PartialEq)]
pub(crate) struct CohortLink {
    pub id: String,
    pub title: String,
    pub start: String,
    pub start_iso: String,
    pub end: Option<String>,
    pub cohort_size: Option<u32>,
    pub facilitators: Vec<String>,
    /// Its results page and impact report (null when the edition shows no
    /// results), calendar and `results.csv`.
    pub results_url: Option<String>,
    pub impact_url: Option<String>,
    pub calendar_url: String,
    pub csv_url: Option<String>,
}

/// What a program with cohorts adds to its views (`program.cohorts`).
#[derive(Serialize, Clone)]
pub(crate) struct CohortsView {
    /// Every cohort, by start (on a cohort's own pages: its neighbours,
    /// [`super::cohorts::neighbours`]).
    pub list: Vec<CohortLink>,
    /// The program's results page, which compares them (null when the
    /// edition shows no results).
    pub compare_url: Option<String>,
    /// On a cohort's own pages: that cohort.
    pub current: Option<CohortLink>,
    /// On the program's pages: the cohorts compared.
    pub comparison: Option<ComparisonView>,
    /// On the program's pages: each session's date in each cohort.
    pub dates: Vec<DatesRow>,
}

/// A session's date in each cohort (in the order of `list`).
#[derive(Serialize, Clone)]
pub(crate) struct DatesRow {
    pub link: Ref,
    pub number: usize,
    pub dates: Vec<Option<DateCell>>,
}

#[derive(Serialize, Clone)]
pub(crate) struct DateCell {
    pub date: String,
    pub date_iso: String,
}

/// The cohorts side by side (columns in the order of `list`).
#[derive(Serialize, Clone)]
pub(crate) struct ComparisonView {
    pub metrics: Vec<MetricRow>,
    pub survey: Vec<ItemRow>,
    pub attendance: Vec<AttendanceCell>,
    pub ratings: Vec<RatingCell>,
    /// The two cohorts the difference compares (latest by start, and the
    /// one before), when there are two or more.
    pub latest: Option<String>,
    pub previous: Option<String>,
    /// How the difference is found, in one sentence.
    pub method: &'static str,
}

#[derive(Serialize, Clone)]
pub(crate) struct MetricRow {
    pub link: Ref,
    pub target_display: Option<String>,
    pub cells: Vec<MetricCell>,
    /// A bar per cohort with an actual; a sentence when none has one.
    pub svg: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct MetricCell {
    pub actual_display: Option<String>,
    pub n: usize,
    pub status: &'static str,
    pub status_label: &'static str,
}

#[derive(Serialize, Clone)]
pub(crate) struct ItemRow {
    pub item: String,
    pub link: Option<Ref>,
    pub cells: Vec<ItemCell>,
    /// The latest cohort's mean change minus the previous one's.
    pub difference: Option<DifferenceView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct ItemCell {
    pub n: usize,
    pub mean_change: Option<String>,
    pub ci: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct DifferenceView {
    pub difference: String,
    pub ci: Option<String>,
    pub df: Option<String>,
    pub p: Option<String>,
    /// Why there is no interval, when there is none.
    pub note: Option<&'static str>,
}

#[derive(Serialize, Clone)]
pub(crate) struct AttendanceCell {
    pub pooled_rate: Option<String>,
    pub mean_rate: Option<String>,
    pub sessions: usize,
}

#[derive(Serialize, Clone)]
pub(crate) struct RatingCell {
    pub mean: Option<String>,
    pub n: usize,
    pub top_two: Option<String>,
}

/// On a program's own pages, when it has cohorts: whose figures they show
/// (the latest cohort, by start) and where the cohorts are compared.
#[derive(Serialize, Clone, PartialEq)]
pub(crate) struct FiguresFrom {
    pub cohort: String,
    pub compare_url: Option<String>,
}
