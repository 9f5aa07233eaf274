//! Views: the template context, a view of the graph in which every
//! reference is already a `{id, title, url}` link and every markdown field
//! is HTML. Built once per program ([`build`], the curriculum's grouping
//! in [`curriculum`]) and shared by every output ([`site`]); docs/themes.md's
//! "Themes and the template context" documents these types field by
//! field.

pub(crate) mod answers;
pub(crate) mod behaviour;
mod bodies;
pub(crate) mod build;
pub(crate) mod cohort_view;
pub(crate) mod cohorts;
pub(crate) mod curriculum;
pub(crate) mod follow_up;
pub(crate) mod impact;
pub(crate) mod library;
pub(crate) mod link;
pub(crate) mod plain;
pub(crate) mod results;
pub(crate) mod results_view;
pub(crate) mod site;
pub(crate) mod summary;
pub(crate) mod trace;

use std::borrow::Cow;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

pub(crate) use link::LinkView;
pub(crate) use results_view::*;

use crate::diagnostics::Code;
use crate::markdown;

#[derive(Serialize, Clone)]
pub(crate) struct Crumb {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub base_url: String,
    pub home_url: String,
    pub css_url: String,
    pub favicon_url: String,
    /// The search script, and the search library it loads.
    pub search_js_url: String,
    pub minisearch_url: String,
    /// The top of the rating scale of `ratings.csv`.
    pub rating_max: u8,
    /// `facilitator` or `participant`.
    pub edition: &'static str,
    /// Whether measured results (actuals, statuses, comments) are shown:
    /// always in the facilitator edition, in the participant edition when
    /// `participant.results` says so.
    pub show_results: bool,
    /// The site's logo and accent (`playbook.yaml`).
    pub brand: BrandView,
}

/// A logo and an accent colour: the site's, or a program's own (each part
/// the site's where the program has none); absent, the theme's own.
#[derive(Serialize, Clone, Default)]
pub(crate) struct BrandView {
    pub logo_url: Option<String>,
    /// The accent's shades: `light` (and in print) and `dark` mode, each
    /// with `light_fg`, `dark_fg` for text on it.
    pub accent: Option<crate::brand::Shades>,
}

impl BrandView {
    /// The branding of `logo` (a path under `static/`) and `accent`
    /// (`#rrggbb`), both checked, with `urls`.
    pub(crate) fn new(
        urls: &super::urls::SiteUrls,
        logo: Option<&str>,
        accent: Option<&str>,
    ) -> Self {
        BrandView {
            logo_url: logo.map(|l| urls.file(l).url),
            accent: accent
                .and_then(crate::brand::Rgb::parse)
                .map(crate::brand::shades),
        }
    }
}

/// A program's name and section URLs (every program page has it).
#[derive(Serialize, Clone)]
pub(crate) struct ProgramHeader {
    pub id: String,
    pub title: String,
    pub organization: Option<String>,
    pub url: String,
    pub draft: bool,
    /// Its logo and accent, or the site's.
    pub brand: BrandView,
    pub sections: Vec<Crumb>,
    pub urls: SectionUrls,
    /// A program with cohorts: the cohort whose figures its own pages show.
    pub figures_from: Option<cohort_view::FiguresFrom>,
}

/// Where a program's section pages are; those the edition leaves out are
/// `null` (the traceability page and the facilitator guide in the
/// participant edition, the workbook in the facilitator edition, results
/// and the impact report unless results are shown).
#[derive(Serialize, Clone)]
pub(crate) struct SectionUrls {
    pub overview: String,
    pub competencies: String,
    pub action_map: String,
    pub evaluation: String,
    pub metrics: String,
    pub curriculum: String,
    pub traceability: Option<String>,
    pub results: Option<String>,
    pub impact: Option<String>,
    pub guide: Option<String>,
    pub workbook: Option<String>,
    /// The exports: `calendar.ics`, `program.json`, `results.csv` (when
    /// results are shown).
    pub calendar: String,
    pub json: String,
    pub csv: Option<String>,
    /// What the program's search finds (`search.json`).
    pub search: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct ValueView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub description_html: Option<String>,
    pub competencies: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct CompetencyView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub description_html: Option<String>,
    pub values: Vec<LinkView>,
    pub behaviors_html: Vec<String>,
    pub actions: Vec<LinkView>,
    pub sessions: Vec<LinkView>,
    pub signals: Vec<LinkView>,
    pub metrics: Vec<LinkView>,
    /// The pre/post survey item that names it.
    pub survey: Option<SurveyView>,
    pub feedback: Vec<FeedbackView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct BarrierView {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub text_html: String,
    pub remedy_html: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct BarrierGroup {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub barriers: Vec<BarrierView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct ActionView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub action_html: String,
    pub competencies: Vec<LinkView>,
    pub barrier_groups: Vec<BarrierGroup>,
    pub practices: Vec<PracticeView>,
    pub information_html: Vec<String>,
    pub sessions: Vec<LinkView>,
    pub signals: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct PracticeView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub scenario_html: String,
    /// The scenario as a link's text: phrasing content, without links.
    pub scenario_title_html: String,
    pub action: LinkView,
    pub sessions: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct SignalView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub signal_html: String,
    pub level: &'static str,
    pub level_label: &'static str,
    pub competencies: Vec<LinkView>,
    pub actions: Vec<LinkView>,
    pub metrics: Vec<LinkView>,
    /// From its metrics: `met`, `partly-met`, `not-met`, `no-data`.
    pub status: &'static str,
    pub status_label: &'static str,
    /// Each metric behind the status, with its own.
    pub evidence: Vec<MetricStatusView>,
    pub feedback: Vec<FeedbackView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct LevelGroup {
    pub level: &'static str,
    pub label: &'static str,
    pub signals: Vec<SignalView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct EnablerView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub enabler_html: String,
    pub owner: Option<String>,
    /// v1.2 required drivers: due date, status and evidence.
    pub due: Option<String>,
    pub due_iso: Option<String>,
    pub status: Option<&'static str>,
    pub status_label: Option<&'static str>,
    pub evidence_html: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct MetricView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub category: &'static str,
    pub category_label: &'static str,
    pub instrument: Option<LinkView>,
    /// When its instrument is used.
    pub when: Vec<&'static str>,
    pub target: Option<f64>,
    pub target_display: Option<String>,
    pub tier: Option<u8>,
    pub tier_label: Option<&'static str>,
    pub signals: Vec<LinkView>,
    pub sessions: Vec<LinkView>,
    /// Where its actual comes from (`source`), and its label.
    pub source: Option<&'static str>,
    pub source_label: Option<&'static str>,
    pub better: &'static str,
    pub better_label: &'static str,
    pub actual: Option<f64>,
    pub actual_display: Option<String>,
    /// How many data points the actual is made from.
    pub n: usize,
    /// `n` with what it counts: `120 places`, `45 ratings`, `1 value on
    /// the latest date`; for a survey source `10 people`, or `14 people, 28
    /// answers` when it pools several items.
    pub n_display: String,
    /// `met`, `not-met`, `no-data`, `no-target`, `not-measured`.
    pub status: &'static str,
    pub status_label: &'static str,
    /// For observed metrics: the series.
    pub series: Option<SeriesView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct CategoryGroup {
    pub category: &'static str,
    pub label: &'static str,
    pub metrics: Vec<MetricView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct InstrumentView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub when: Vec<&'static str>,
    pub metrics: Vec<LinkView>,
    pub sessions: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct SessionView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub number: usize,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub week: Option<u32>,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub duration: Option<u32>,
    pub duration_display: Option<String>,
    pub module: Option<String>,
    pub competencies: Vec<LinkView>,
    pub actions: Vec<LinkView>,
    pub practices: Vec<LinkView>,
    pub metrics: Vec<LinkView>,
    pub requires: Vec<LinkView>,
    pub required_by: Vec<LinkView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// What the session is for (`purpose` of its front matter), rendered.
    pub purpose_html: Option<String>,
    /// `everyone` or `facilitator` (facilitator-only sessions are only in
    /// the facilitator edition).
    pub audience: &'static str,
    /// The library guide it starts from (its entry on `/library/`).
    pub library: Option<LinkView>,
    pub headings: Vec<markdown::Heading>,
    pub attendance: Option<AttendanceView>,
    pub rating: Option<String>,
    /// How many ratings the mean is made from.
    pub rating_n: usize,
    pub feedback: Vec<FeedbackView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct AttendanceView {
    pub present: u32,
    pub total: u32,
    pub percent: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct ModuleGroup {
    pub name: Option<String>,
    pub weeks: Vec<WeekGroup>,
}

#[derive(Serialize, Clone)]
pub(crate) struct WeekGroup {
    pub week: Option<u32>,
    pub label: String,
    pub sessions: Vec<SessionView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct HoursView {
    pub kind: &'static str,
    pub label: &'static str,
    pub sessions: usize,
    pub hours: String,
}

#[derive(Serialize, Clone, PartialEq)]
pub(crate) struct GapView {
    pub code: Code,
    pub message: String,
    pub location: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct MatrixRow {
    pub link: LinkView,
    /// One per session: whether the session covers the row (empty when
    /// the matrix is too large to show: see [`trace`]).
    pub cells: Vec<bool>,
    /// Without a matrix: the first sessions that cover the row (their
    /// indices in `sessions`, [`trace::LIST_MAX`] at most), and how many
    /// more do.
    pub sessions: Vec<usize>,
    pub more: usize,
    /// No session covers it.
    pub gap: bool,
    /// For competencies: how many metrics evidence it.
    pub metrics: Option<usize>,
}

/// Everything about a program, for section pages.
#[derive(Serialize)]
pub(crate) struct ProgramView {
    #[serde(flatten)]
    pub header: ProgramHeader,
    pub summary_html: Option<String>,
    pub summary_text: String,
    pub audience: Option<String>,
    pub cohort_size: Option<u32>,
    pub start: Option<String>,
    pub start_iso: Option<String>,
    pub end: Option<String>,
    pub facilitators: Vec<String>,
    pub values: Vec<ValueView>,
    pub competencies: Vec<CompetencyView>,
    pub goal_html: Option<String>,
    pub goal_measure_html: Option<String>,
    pub actions: Vec<ActionView>,
    pub practices: Vec<PracticeView>,
    pub question_html: Option<String>,
    pub signals: Vec<SignalView>,
    pub signal_levels: Vec<LevelGroup>,
    pub enablers: Vec<EnablerView>,
    pub metrics: Vec<MetricView>,
    pub metric_categories: Vec<CategoryGroup>,
    pub instruments: Vec<InstrumentView>,
    /// Their comments bounded in all ([`listed`]).
    #[serde(serialize_with = "serialize_listed")]
    pub sessions: Vec<SessionView>,
    pub modules: Vec<ModuleGroup>,
    /// `follow_up:` of program.yaml, dated.
    pub follow_ups: Vec<follow_up::FollowUpView>,
    pub hours: Vec<HoursView>,
    pub total_hours: String,
    pub weeks: u32,
    pub timeline_svg: String,
    /// Whether the matrices below have their `cells` (at most
    /// [`trace::MATRIX_MAX_CELLS`] each), or list covering sessions.
    pub trace_matrix: bool,
    pub competency_matrix: Vec<MatrixRow>,
    pub action_matrix: Vec<MatrixRow>,
    pub gaps: Vec<GapView>,
    pub results: ResultsView,
    /// No metric reaches past LTEM tier 3 (attendance and opinions only).
    pub opinions_only: bool,
    /// v1.2 behaviour evidence: phases, others' ratings, scales.
    pub behaviour: behaviour::BehaviourView,
    /// "2 of 3 drivers in place", when some enabler has a `status`.
    pub drivers_in_place: Option<String>,
    pub impact: ImpactView,
    /// Its cohorts (FORMAT.md v1.2): the switcher, their dates and, on
    /// the program's results page, their comparison; null without.
    pub cohorts: Option<cohort_view::CohortsView>,
}

/// A session of the one-page facilitator guide: its view and its guide
/// (headings one level down, ids prefixed with the session id).
#[derive(Serialize)]
pub(crate) struct GuideSession<'a> {
    /// As listed ([`listed`]).
    #[serde(flatten)]
    pub session: Cow<'a, SessionView>,
    pub body_html: &'a str,
}

/// A session of the printable participant workbook: its view, its guide
/// as participants see it (outline from `h3`, ids prefixed with the
/// session id), and the practice scenarios it uses.
#[derive(Serialize)]
pub(crate) struct WorkbookSession<'a> {
    /// As listed ([`listed`]).
    #[serde(flatten)]
    pub session: Cow<'a, SessionView>,
    pub body_html: &'a str,
    pub scenarios: Vec<&'a PracticeView>,
}

/// A program on the home page (`program_summaries[]`).
#[derive(Serialize)]
pub(crate) struct ProgramSummary {
    pub id: String,
    pub title: String,
    pub url: String,
    pub organization: Option<String>,
    pub audience: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// How many runs it has (FORMAT.md v1.2 cohorts); 0 without cohorts.
    pub cohorts: usize,
    /// The title of its latest run (by `start`).
    pub latest_cohort: Option<String>,
    pub summary_text: String,
    pub sessions: usize,
    pub draft: bool,
    /// Its search documents (`search.json`): the home page's search
    /// fetches every program's.
    pub search: String,
}

// Sessions as a program's lists show them (`program.sessions[]` of the
// section pages, the guide's `guide[]` and the workbook's `workbook[]`):
// their comments bounded in all, so that a program of many sessions and
// comments does not hold every comment as template values once for each
// list. Each session's own page keeps its comments.

/// How many comments a program's list of sessions carries in all, in
/// curriculum order (the results page lists as many).
pub(crate) const MAX_LISTED_FEEDBACK: usize = 1_000;

/// `s` as listed when `left` comments may still be listed (taking its
/// own from `left`): itself, or a copy with its first comments only.
pub(crate) fn listed<'a>(s: &'a SessionView, left: &mut usize) -> Cow<'a, SessionView> {
    let n = s.feedback.len().min(*left);
    *left -= n;
    if n == s.feedback.len() {
        return Cow::Borrowed(s);
    }
    let mut copy = SessionView {
        feedback: Vec::new(),
        ..s.clone()
    };
    copy.feedback.extend_from_slice(&s.feedback[..n]);
    Cow::Owned(copy)
}

/// `sessions` serialized as listed (for `serialize_with`), one at a time.
pub(crate) fn serialize_listed<S: Serializer>(
    sessions: &[SessionView],
    ser: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = ser.serialize_seq(Some(sessions.len()))?;
    let mut left = MAX_LISTED_FEEDBACK;
    for s in sessions {
        seq.serialize_element(&*listed(s, &mut left))?;
    }
    seq.end()
}
