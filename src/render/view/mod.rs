//! Views: the template context, a view of the graph in which every
//! reference is already a `{id, title, url}` link and every markdown field
//! is HTML. Built once per program ([`build`], the curriculum's grouping
//! in [`curriculum`]) and shared by every output ([`site`]); docs/themes.md's
//! "Themes and the template context" documents these types field by
//! field.

pub mod answers;
pub mod build;
pub mod cohort_view;
pub mod cohorts;
pub mod curriculum;
pub mod impact;
pub mod library;
pub mod results;
pub mod site;
pub mod summary;
pub mod trace;

use serde::Serialize;

use crate::markdown;

#[derive(Serialize, Clone, Debug)]
pub struct LinkView {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct SiteView {
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
pub struct BrandView {
    pub logo_url: Option<String>,
    /// The accent's shades: `light` (and in print) and `dark` mode, each
    /// with `light_fg`, `dark_fg` for text on it.
    pub accent: Option<crate::brand::Shades>,
}

impl BrandView {
    /// The branding of `logo` (a path under `static/`) and `accent`
    /// (`#rrggbb`), both checked, with `urls`.
    pub fn new(urls: &super::urls::SiteUrls, logo: Option<&str>, accent: Option<&str>) -> Self {
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
pub struct ProgramHeader {
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
pub struct SectionUrls {
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
pub struct ValueView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub description_html: Option<String>,
    pub competencies: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
pub struct CompetencyView {
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
pub struct BarrierView {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub text_html: String,
    pub remedy_html: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct BarrierGroup {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub barriers: Vec<BarrierView>,
}

#[derive(Serialize, Clone)]
pub struct ActionView {
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
pub struct PracticeView {
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
pub struct SignalView {
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

/// A metric as evidence: its link, status, actual and target.
#[derive(Serialize, Clone)]
pub struct MetricStatusView {
    pub link: LinkView,
    /// When its actual counts only some of the sessions with data (those
    /// that list it): `counts the 3 of 8 rated sessions that list it`, so
    /// that it is not read against the figure of all sessions beside it.
    pub scope: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub actual_display: Option<String>,
    pub target_display: Option<String>,
    pub n: usize,
    /// As in [`MetricView`].
    pub n_display: String,
}

/// A participant's comment (never who said it).
#[derive(Serialize, Clone)]
pub struct FeedbackView {
    pub comment: String,
    pub session: Option<LinkView>,
    pub competency: Option<LinkView>,
    pub signal: Option<LinkView>,
}

#[derive(Serialize, Clone)]
pub struct LevelGroup {
    pub level: &'static str,
    pub label: &'static str,
    pub signals: Vec<SignalView>,
}

#[derive(Serialize, Clone)]
pub struct EnablerView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub enabler_html: String,
    pub owner: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct MetricView {
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
    /// `n` with what it counts: `120 places`, `45 ratings`, `5 people`,
    /// `12 answers`, `1 value on the latest date`.
    pub n_display: String,
    /// `met`, `not-met`, `no-data`, `no-target`, `not-measured`.
    pub status: &'static str,
    pub status_label: &'static str,
    /// For observed metrics: the series.
    pub series: Option<SeriesView>,
}

#[derive(Serialize, Clone)]
pub struct CategoryGroup {
    pub category: &'static str,
    pub label: &'static str,
    pub metrics: Vec<MetricView>,
}

#[derive(Serialize, Clone)]
pub struct InstrumentView {
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
pub struct SessionView {
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
pub struct AttendanceView {
    pub present: u32,
    pub total: u32,
    pub percent: String,
}

#[derive(Serialize, Clone)]
pub struct ModuleGroup {
    pub name: Option<String>,
    pub weeks: Vec<WeekGroup>,
}

#[derive(Serialize, Clone)]
pub struct WeekGroup {
    pub week: Option<u32>,
    pub label: String,
    pub sessions: Vec<SessionView>,
}

#[derive(Serialize, Clone)]
pub struct HoursView {
    pub kind: &'static str,
    pub label: &'static str,
    pub sessions: usize,
    pub hours: String,
}

#[derive(Serialize, Clone, PartialEq)]
pub struct GapView {
    pub code: &'static str,
    pub message: String,
    pub location: String,
}

#[derive(Serialize, Clone)]
pub struct MatrixRow {
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

/// The answers to the items on one scale, before and after: diverging
/// bars and their table.
#[derive(Serialize, Clone)]
pub struct AnswersView {
    /// `1–5`.
    pub scale: String,
    /// The scale's points, from the lowest.
    pub levels: Vec<i64>,
    pub items: Vec<AnswerItem>,
    pub svg: String,
}

/// One item's answers over its paired participants: `2 (14%)` per point
/// of the scale, before and after.
#[derive(Serialize, Clone)]
pub struct AnswerItem {
    pub item: String,
    pub link: Option<LinkView>,
    pub n: usize,
    pub pre: Vec<String>,
    pub post: Vec<String>,
}

/// One pre/post survey item, analysed over paired respondents.
#[derive(Serialize, Clone)]
pub struct SurveyView {
    pub item: String,
    /// The competency it names.
    pub link: Option<LinkView>,
    /// Participants with both scores.
    pub n: usize,
    pub pre_only: usize,
    pub post_only: usize,
    /// The change in plain words: `a large, reliable improvement (14
    /// people)`.
    pub plain: String,
    pub mean_pre: Option<String>,
    pub mean_post: Option<String>,
    pub mean_change: Option<String>,
    /// The mean change, for ordering.
    pub change: f64,
    pub improved: usize,
    pub unchanged: usize,
    pub declined: usize,
    /// Fewer than three pairs: means and counts only.
    pub too_few: bool,
    /// Fewer than ten pairs.
    pub small: bool,
    /// Every change is the same: no interval, no test.
    pub all_equal: bool,
    pub ci: Option<String>,
    pub d_z: Option<String>,
    pub d_z_ci: Option<String>,
    pub p_t: Option<String>,
    pub p_wilcoxon: Option<String>,
    /// How the Wilcoxon p was found: `exact`, or `normal approximation
    /// with continuity and tie correction`.
    pub wilcoxon_method: Option<&'static str>,
}

/// Attendance of one session.
#[derive(Serialize, Clone)]
pub struct AttendanceRow {
    pub link: LinkView,
    pub number: usize,
    pub present: u32,
    pub total: u32,
    /// One decimal.
    pub percent: String,
}

#[derive(Serialize, Clone)]
pub struct AttendanceResults {
    pub sessions: Vec<AttendanceRow>,
    /// The fewest and most participants present at a session: `9–14`.
    pub present_range: Option<String>,
    pub mean_rate: Option<String>,
    pub pooled_rate: Option<String>,
    /// The metrics whose source is attendance.
    pub targets: Vec<MetricStatusView>,
    pub svg: String,
}

/// The ratings of one session, or of a group of sessions.
#[derive(Serialize, Clone)]
pub struct RatingRow {
    pub link: Option<LinkView>,
    pub number: Option<usize>,
    pub label: String,
    pub n: usize,
    pub mean: String,
    /// Count per scale point, from the lowest.
    pub distribution: Vec<usize>,
    pub top_two: String,
}

#[derive(Serialize, Clone)]
pub struct RatingsResults {
    pub sessions: Vec<RatingRow>,
    pub overall: RatingRow,
    /// The scale points, from the lowest.
    pub scale: Vec<u8>,
    /// `+0.15 per session over 5 sessions`.
    pub trend: Option<String>,
    pub by_kind: Vec<RatingRow>,
    pub targets: Vec<MetricStatusView>,
    pub svg: String,
}

/// A value of an observed metric.
#[derive(Serialize, Clone)]
pub struct PointView {
    pub date: String,
    pub date_iso: String,
    pub value: String,
}

/// An observed metric over time.
#[derive(Serialize, Clone)]
pub struct SeriesView {
    pub link: LinkView,
    pub points: Vec<PointView>,
    pub baseline: String,
    pub latest: String,
    pub target_display: Option<String>,
    pub svg: String,
}

#[derive(Serialize, Clone)]
pub struct ResultsView {
    pub has_any: bool,
    pub attendance: Option<AttendanceResults>,
    pub ratings: Option<RatingsResults>,
    pub survey: Vec<SurveyView>,
    /// The survey's answers, one chart per scale; and the items not drawn.
    pub answers: Vec<AnswersView>,
    pub answers_not_drawn: Option<String>,
    /// How the survey is analysed, in one sentence.
    pub survey_method: &'static str,
    pub observations: Vec<SeriesView>,
    pub feedback: Vec<FeedbackView>,
}

/// What the impact report adds to the program's views.
#[derive(Serialize, Clone)]
pub struct ImpactView {
    /// The survey items with the largest changes (with an interval).
    pub top_changes: Vec<SurveyView>,
    /// Their answers, before and after.
    pub answers: Vec<AnswersView>,
    /// A few comments.
    pub comments: Vec<FeedbackView>,
    /// Signals met, partly met, not met, without data.
    pub met: usize,
    pub partly_met: usize,
    pub not_met: usize,
    pub no_data: usize,
    /// The evaluation question's answer, before any table.
    pub answer: impact::ImpactAnswer,
}

/// Everything about a program, for section pages.
#[derive(Serialize)]
pub struct ProgramView {
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
    pub sessions: Vec<SessionView>,
    pub modules: Vec<ModuleGroup>,
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
    pub impact: ImpactView,
    /// Its cohorts (FORMAT.md v1.2): the switcher, their dates and, on
    /// the program's results page, their comparison; null without.
    pub cohorts: Option<cohort_view::CohortsView>,
}

/// A session of the one-page facilitator guide: its view and its guide
/// (headings one level down, ids prefixed with the session id).
#[derive(Serialize)]
pub struct GuideSession<'a> {
    #[serde(flatten)]
    pub session: &'a SessionView,
    pub body_html: &'a str,
}

/// A session of the printable participant workbook: its view, its guide
/// as participants see it (outline from `h3`, ids prefixed with the
/// session id), and the practice scenarios it uses.
#[derive(Serialize)]
pub struct WorkbookSession<'a> {
    #[serde(flatten)]
    pub session: &'a SessionView,
    pub body_html: &'a str,
    pub scenarios: Vec<&'a PracticeView>,
}

/// A program on the home page (`program_summaries[]`).
#[derive(Serialize)]
pub struct ProgramSummary {
    pub id: String,
    pub title: String,
    pub url: String,
    pub organization: Option<String>,
    pub audience: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub summary_text: String,
    pub sessions: usize,
    pub draft: bool,
    /// Its search documents (`search.json`): the home page's search
    /// fetches every program's.
    pub search: String,
}
