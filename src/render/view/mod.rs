//! Views: the template context, a view of the graph in which every
//! reference is already a `{id, title, url}` link and every markdown field
//! is HTML. Built once per program ([`build`]) and shared by every output
//! ([`site`]); the README's "Themes and the template context" documents
//! these types field by field.

pub mod build;
pub mod site;

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
    /// The top of the rating scale of `ratings.csv`.
    pub rating_max: u8,
}

/// A program's name and section URLs (every program page has it).
#[derive(Serialize, Clone)]
pub struct ProgramHeader {
    pub id: String,
    pub title: String,
    pub organization: Option<String>,
    pub url: String,
    pub draft: bool,
    pub sections: Vec<Crumb>,
    pub urls: SectionUrls,
}

#[derive(Serialize, Clone)]
pub struct SectionUrls {
    pub overview: String,
    pub competencies: String,
    pub action_map: String,
    pub evaluation: String,
    pub metrics: String,
    pub curriculum: String,
    pub traceability: String,
    pub results: String,
    pub guide: String,
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
    pub headings: Vec<markdown::Heading>,
    pub attendance: Option<AttendanceView>,
    pub rating: Option<String>,
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

#[derive(Serialize, Clone)]
pub struct GapView {
    pub code: &'static str,
    pub message: String,
    pub location: String,
}

#[derive(Serialize, Clone)]
pub struct MatrixRow {
    pub link: LinkView,
    /// One per session: whether the session covers the row.
    pub cells: Vec<bool>,
    /// No session covers it.
    pub gap: bool,
    /// For competencies: how many metrics evidence it.
    pub metrics: Option<usize>,
}

#[derive(Serialize, Clone)]
pub struct SurveyView {
    pub item: String,
    pub link: Option<LinkView>,
    pub pre: Option<String>,
    pub post: Option<String>,
    pub change: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct ResultsView {
    pub has_any: bool,
    pub attendance_overall: Option<String>,
    pub sessions: Vec<SessionView>,
    pub rating_overall: Option<String>,
    pub survey: Vec<SurveyView>,
    pub attendance_svg: Option<String>,
    pub ratings_svg: Option<String>,
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
    pub competency_matrix: Vec<MatrixRow>,
    pub action_matrix: Vec<MatrixRow>,
    pub gaps: Vec<GapView>,
    pub results: ResultsView,
}

/// A session of the one-page facilitator guide: its view and its guide
/// (headings one level down, ids prefixed with the session id).
#[derive(Serialize)]
pub struct GuideSession<'a> {
    #[serde(flatten)]
    pub session: &'a SessionView,
    pub body_html: &'a str,
}

/// A program on the home page (`program_summaries[]`).
#[derive(Serialize)]
pub struct ProgramSummary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub organization: Option<&'a str>,
    pub audience: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    pub summary_text: String,
    pub sessions: usize,
    pub draft: bool,
}
