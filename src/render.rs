//! Render: the resolved graph to an in-memory site of HTML pages.
//!
//! Owns the URL scheme, the template context (views of the graph in which
//! every reference is already a `{id, title, url}` link), markdown rendering
//! with `kind:id` links rewritten to page URLs, the page set of a site, and
//! running Tera over it (in parallel). Nothing is written to disk here: the
//! result is an [`Output`] that `write` publishes atomically and `serve`
//! serves from memory.
//!
//! A page is a pure function of the templates and its context, so a
//! [`PageCache`] kept between renders (by `serve`) skips every page whose
//! fingerprint — a hash of the templates and of the page's context — is
//! unchanged: an edit to one session guide re-renders that session and the
//! pages that list it, nothing else.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Loc, Reported, Severity};
use crate::graph::*;
use crate::markdown;
use crate::model::{BarrierKind, Level, MetricCategory, SessionKind};
use crate::svg;
use crate::theme::{StaticFile, Theme};

/// One file of the built site.
#[derive(Debug, Clone)]
pub enum OutFile {
    /// Shared, so that a [`PageCache`] can hand out a page again unchanged.
    Bytes(Arc<[u8]>),
    Static(&'static [u8]),
    /// Copied from this path when written.
    Copy(PathBuf),
}

/// The built site: output path (relative, `/`-separated) → file.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, OutFile>,
}

impl Output {
    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }
}

/// Pages of an earlier render, reused by the next render when their
/// fingerprint is unchanged. `playbook serve` keeps one between rebuilds;
/// a render without one renders every page.
#[derive(Default)]
pub struct PageCache {
    /// Output path → fingerprint of the page's context, and the page.
    pages: HashMap<String, (u128, Arc<[u8]>)>,
    /// A page of a program, by a cheap key: the templates, the context
    /// shared by every page, the program's fingerprint and the page's place
    /// in the program. While it matches, the page's context need not even
    /// be made. → output path, context fingerprint, page.
    by_program: HashMap<u128, (String, u128, Arc<[u8]>)>,
    /// Program id → fingerprint of its resolved graph (and of what else
    /// its views are made from), the views, and their fingerprint.
    programs: HashMap<String, (u128, Arc<ProgramBuild>, u128)>,
    /// The templates, parsed, and the fingerprint of their sources.
    tera: Option<(u128, Arc<Tera>)>,
    /// The pages the last render with this cache rendered, sorted (the
    /// rest were reused).
    pub rendered: Vec<String>,
}

/// A 128-bit fingerprint of everything written into it (two SipHash
/// streams with different starting states); `io::Write`, so that a context
/// can be serialised straight into it.
struct Fingerprint(DefaultHasher, DefaultHasher);

impl Fingerprint {
    fn new() -> Self {
        let mut second = DefaultHasher::new();
        second.write_u8(0xa5);
        Fingerprint(DefaultHasher::new(), second)
    }

    fn of_json<T: Serialize + ?Sized>(mut self, x: &T) -> Self {
        // Writing into a hasher cannot fail; serialising our views does not.
        let _ = serde_json::to_writer(&mut self, x);
        self
    }

    /// Add the `Debug` form of `x`: for resolved graph types, whose
    /// derived `Debug` shows every field.
    fn of_debug<T: std::fmt::Debug + ?Sized>(mut self, x: &T) -> Self {
        use std::io::Write;
        let _ = write!(self, "{x:?}");
        self
    }

    fn add(mut self, x: u128) -> Self {
        self.0.write_u128(x);
        self.1.write_u128(x);
        self
    }

    fn finish(&self) -> u128 {
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Build-time choices that are not in `playbook.yaml`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of `playbook.yaml`.
    pub base_url: Option<String>,
    /// Include programs marked `draft: true`.
    pub drafts: bool,
}

#[derive(Serialize, Clone, Debug)]
pub struct LinkView {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
struct Crumb {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageView {
    /// For `<title>`: the heading plus the program, when there is one.
    title: String,
    /// For `<h1>` and the last breadcrumb.
    heading: String,
    description: String,
    url: String,
    /// Which section of a program the page belongs to (for navigation).
    section: &'static str,
    /// Whether `program` is in the context (all program pages).
    in_program: bool,
    breadcrumbs: Vec<Crumb>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    description: Option<String>,
    language: String,
    base_url: String,
    home_url: String,
    css_url: String,
    favicon_url: String,
}

/// A program's name and section URLs (every program page has it).
#[derive(Serialize, Clone)]
struct ProgramHeader {
    id: String,
    title: String,
    organization: Option<String>,
    url: String,
    draft: bool,
    sections: Vec<Crumb>,
    urls: SectionUrls,
}

#[derive(Serialize, Clone)]
struct SectionUrls {
    overview: String,
    competencies: String,
    action_map: String,
    evaluation: String,
    metrics: String,
    curriculum: String,
    traceability: String,
    results: String,
    guide: String,
}

#[derive(Serialize, Clone)]
struct ValueView {
    id: String,
    name: String,
    url: String,
    description_html: Option<String>,
    competencies: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct CompetencyView {
    id: String,
    name: String,
    url: String,
    description_html: Option<String>,
    values: Vec<LinkView>,
    behaviors_html: Vec<String>,
    actions: Vec<LinkView>,
    sessions: Vec<LinkView>,
    signals: Vec<LinkView>,
    metrics: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct BarrierView {
    kind: &'static str,
    kind_label: &'static str,
    text_html: String,
    remedy_html: Option<String>,
}

#[derive(Serialize, Clone)]
struct BarrierGroup {
    kind: &'static str,
    kind_label: &'static str,
    barriers: Vec<BarrierView>,
}

#[derive(Serialize, Clone)]
struct ActionView {
    id: String,
    title: String,
    url: String,
    action_html: String,
    competencies: Vec<LinkView>,
    barrier_groups: Vec<BarrierGroup>,
    practices: Vec<PracticeView>,
    information_html: Vec<String>,
    sessions: Vec<LinkView>,
    signals: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct PracticeView {
    id: String,
    title: String,
    url: String,
    scenario_html: String,
    action: LinkView,
    sessions: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct SignalView {
    id: String,
    title: String,
    url: String,
    signal_html: String,
    level: &'static str,
    level_label: &'static str,
    competencies: Vec<LinkView>,
    actions: Vec<LinkView>,
    metrics: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct LevelGroup {
    level: &'static str,
    label: &'static str,
    signals: Vec<SignalView>,
}

#[derive(Serialize, Clone)]
struct EnablerView {
    id: String,
    title: String,
    url: String,
    enabler_html: String,
    owner: Option<String>,
}

#[derive(Serialize, Clone)]
struct MetricView {
    id: String,
    name: String,
    url: String,
    category: &'static str,
    category_label: &'static str,
    instrument: Option<LinkView>,
    /// When its instrument is used.
    when: Vec<&'static str>,
    target: Option<f64>,
    target_display: Option<String>,
    tier: Option<u8>,
    tier_label: Option<&'static str>,
    signals: Vec<LinkView>,
    sessions: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct CategoryGroup {
    category: &'static str,
    label: &'static str,
    metrics: Vec<MetricView>,
}

#[derive(Serialize, Clone)]
struct InstrumentView {
    id: String,
    name: String,
    url: String,
    kind: &'static str,
    kind_label: &'static str,
    when: Vec<&'static str>,
    metrics: Vec<LinkView>,
    sessions: Vec<LinkView>,
}

#[derive(Serialize, Clone)]
struct SessionView {
    id: String,
    title: String,
    url: String,
    number: usize,
    kind: &'static str,
    kind_label: &'static str,
    week: Option<u32>,
    date: Option<String>,
    date_iso: Option<String>,
    duration: Option<u32>,
    duration_display: Option<String>,
    module: Option<String>,
    competencies: Vec<LinkView>,
    actions: Vec<LinkView>,
    practices: Vec<LinkView>,
    metrics: Vec<LinkView>,
    requires: Vec<LinkView>,
    required_by: Vec<LinkView>,
    prev: Option<LinkView>,
    next: Option<LinkView>,
    headings: Vec<markdown::Heading>,
    attendance: Option<AttendanceView>,
    rating: Option<String>,
}

#[derive(Serialize, Clone)]
struct AttendanceView {
    present: u32,
    total: u32,
    percent: String,
}

#[derive(Serialize, Clone)]
struct ModuleGroup {
    name: Option<String>,
    weeks: Vec<WeekGroup>,
}

#[derive(Serialize, Clone)]
struct WeekGroup {
    week: Option<u32>,
    label: String,
    sessions: Vec<SessionView>,
}

#[derive(Serialize, Clone)]
struct HoursView {
    kind: &'static str,
    label: &'static str,
    sessions: usize,
    hours: String,
}

#[derive(Serialize, Clone)]
struct GapView {
    code: &'static str,
    message: String,
    location: String,
}

#[derive(Serialize, Clone)]
struct MatrixRow {
    link: LinkView,
    cells: Vec<bool>,
    gap: bool,
}

#[derive(Serialize, Clone)]
struct SurveyView {
    item: String,
    link: Option<LinkView>,
    pre: Option<String>,
    post: Option<String>,
    change: Option<String>,
}

#[derive(Serialize, Clone)]
struct ResultsView {
    has_any: bool,
    attendance_overall: Option<String>,
    sessions: Vec<SessionView>,
    rating_overall: Option<String>,
    survey: Vec<SurveyView>,
    attendance_svg: Option<String>,
    ratings_svg: Option<String>,
}

/// Everything about a program, for section pages.
#[derive(Serialize)]
struct ProgramView {
    #[serde(flatten)]
    header: ProgramHeader,
    summary_html: Option<String>,
    summary_text: String,
    audience: Option<String>,
    cohort_size: Option<u32>,
    start: Option<String>,
    start_iso: Option<String>,
    end: Option<String>,
    facilitators: Vec<String>,
    values: Vec<ValueView>,
    competencies: Vec<CompetencyView>,
    goal_html: Option<String>,
    goal_measure_html: Option<String>,
    actions: Vec<ActionView>,
    practices: Vec<PracticeView>,
    question_html: Option<String>,
    signals: Vec<SignalView>,
    signal_levels: Vec<LevelGroup>,
    enablers: Vec<EnablerView>,
    metrics: Vec<MetricView>,
    metric_categories: Vec<CategoryGroup>,
    instruments: Vec<InstrumentView>,
    sessions: Vec<SessionView>,
    modules: Vec<ModuleGroup>,
    hours: Vec<HoursView>,
    total_hours: String,
    weeks: u32,
    timeline_svg: String,
    competency_matrix: Vec<MatrixRow>,
    action_matrix: Vec<MatrixRow>,
    gaps: Vec<GapView>,
    results: ResultsView,
}

/// URLs of one program.
struct Urls<'a> {
    base: &'a str,
    pid: &'a str,
}

impl Urls<'_> {
    fn section(&self, s: &str) -> String {
        if s.is_empty() {
            format!("{}{}/", self.base, self.pid)
        } else {
            format!("{}{}/{s}/", self.base, self.pid)
        }
    }
    fn entity(&self, kind: EntityKind, id: &str) -> String {
        format!("{}{}/{}/{id}/", self.base, self.pid, folder(kind))
    }
    fn asset(&self, path: &str) -> String {
        format!("{}{}/sessions/{path}", self.base, self.pid)
    }
}

/// The output folder of each kind of entity page.
pub fn folder(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Value => "values",
        EntityKind::Competency => "competencies",
        EntityKind::Action => "actions",
        EntityKind::Practice => "practices",
        EntityKind::Signal => "signals",
        EntityKind::Enabler => "enablers",
        EntityKind::Metric => "metrics",
        EntityKind::Instrument => "instruments",
        EntityKind::Session => "sessions",
    }
}

/// Links of every entity of a program, by kind then index.
struct Links {
    by_kind: BTreeMap<EntityKind, Vec<LinkView>>,
}

impl Links {
    fn new(p: &Program, u: &Urls) -> Self {
        let mut by_kind = BTreeMap::new();
        let mk = |kind, id: &str, title: String| LinkView {
            id: id.to_string(),
            title,
            url: u.entity(kind, id),
        };
        by_kind.insert(
            EntityKind::Value,
            p.values
                .iter()
                .map(|v| mk(EntityKind::Value, &v.id, v.name.clone()))
                .collect(),
        );
        by_kind.insert(
            EntityKind::Competency,
            p.competencies
                .iter()
                .map(|v| mk(EntityKind::Competency, &v.id, v.name.clone()))
                .collect(),
        );
        by_kind.insert(
            EntityKind::Action,
            p.actions
                .iter()
                .map(|v| mk(EntityKind::Action, &v.id, markdown::to_plain(&v.action.src)))
                .collect(),
        );
        by_kind.insert(
            EntityKind::Practice,
            p.practices
                .iter()
                .map(|v| {
                    mk(
                        EntityKind::Practice,
                        &v.id,
                        shorten(&markdown::to_plain(&v.scenario.src), 80),
                    )
                })
                .collect(),
        );
        by_kind.insert(
            EntityKind::Signal,
            p.signals
                .iter()
                .map(|v| mk(EntityKind::Signal, &v.id, markdown::to_plain(&v.signal.src)))
                .collect(),
        );
        by_kind.insert(
            EntityKind::Enabler,
            p.enablers
                .iter()
                .map(|v| {
                    mk(
                        EntityKind::Enabler,
                        &v.id,
                        markdown::to_plain(&v.enabler.src),
                    )
                })
                .collect(),
        );
        by_kind.insert(
            EntityKind::Metric,
            p.metrics
                .iter()
                .map(|v| mk(EntityKind::Metric, &v.id, v.name.clone()))
                .collect(),
        );
        by_kind.insert(
            EntityKind::Instrument,
            p.instruments
                .iter()
                .map(|v| mk(EntityKind::Instrument, &v.id, v.name.clone()))
                .collect(),
        );
        by_kind.insert(
            EntityKind::Session,
            p.sessions
                .iter()
                .map(|v| mk(EntityKind::Session, &v.id, v.title.clone()))
                .collect(),
        );
        Links { by_kind }
    }
    fn one(&self, kind: EntityKind, i: usize) -> LinkView {
        self.by_kind[&kind][i].clone()
    }
    fn list(&self, kind: EntityKind, ix: &[usize]) -> Vec<LinkView> {
        ix.iter().map(|&i| self.one(kind, i)).collect()
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |x| x.0);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Markdown of one program rendered to HTML with links resolved.
struct Md<'a> {
    urls: &'a Urls<'a>,
    links: &'a Links,
}

impl Md<'_> {
    fn url_of(&self, t: &Target) -> String {
        match t {
            Target::External(s) | Target::Broken(s) => s.clone(),
            Target::Anchor(a) => format!("#{a}"),
            Target::Asset(p) => self.urls.asset(p),
            Target::Entity {
                kind,
                index,
                anchor,
            } => {
                let mut u = self.links.one(*kind, *index).url;
                if let Some(a) = anchor {
                    u.push('#');
                    u.push_str(a);
                }
                u
            }
        }
    }
    fn block(&self, t: &Text, shift: u8) -> String {
        self.block_prefixed(t, shift, "")
    }
    /// As [`Md::block`], with heading ids (and links to them) prefixed.
    fn block_prefixed(&self, t: &Text, shift: u8, prefix: &str) -> String {
        markdown::to_html(&t.src, shift, prefix, &mut |i, dest| match t.links.get(i) {
            Some(Target::Anchor(a)) => format!("#{prefix}{a}"),
            Some(l) => self.url_of(l),
            None => dest.to_string(),
        })
    }
    /// HTML without a wrapping paragraph, for short fields.
    fn inline(&self, t: &Text) -> String {
        let html = self.block(t, 0);
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => html,
        }
    }
    fn opt_inline(&self, t: &Option<Text>) -> Option<String> {
        t.as_ref().map(|t| self.inline(t))
    }
}

fn fmt_date(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

fn fmt_hours(minutes: u32) -> String {
    let h = minutes as f64 / 60.0;
    if (h - h.round()).abs() < 1e-9 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

fn fmt_duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn tier_label(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Attendance",
        2 => "Activity",
        3 => "Learner perceptions",
        4 => "Knowledge",
        5 => "Decision-making competence",
        6 => "Task competence",
        7 => "Transfer",
        8 => "Effects of transfer",
        _ => return None,
    })
}

fn target_display(m: &Metric) -> Option<String> {
    m.target.map(|t| {
        if t > 0.0 && t <= 1.0 && m.category != MetricCategory::Feedback {
            percent(t)
        } else {
            format!("{t}")
        }
    })
}

struct ProgramBuild {
    header: ProgramHeader,
    view: ProgramView,
    /// Rendered body of each session (curriculum order).
    bodies: Vec<String>,
    /// The same, for the one-page facilitator guide (headings one level
    /// down, ids prefixed with the session id).
    guide_bodies: Vec<String>,
}

fn build_program(p: &Program, base: &str, gaps: Vec<GapView>) -> ProgramBuild {
    let urls = Urls { base, pid: &p.id };
    let links = Links::new(p, &urls);
    let md = Md {
        urls: &urls,
        links: &links,
    };
    let l = |k, ix: &[usize]| links.list(k, ix);
    let section_urls = SectionUrls {
        overview: urls.section(""),
        competencies: urls.section("competencies"),
        action_map: urls.section("action-map"),
        evaluation: urls.section("evaluation"),
        metrics: urls.section("metrics"),
        curriculum: urls.section("curriculum"),
        traceability: urls.section("traceability"),
        results: urls.section("results"),
        guide: urls.section("guide"),
    };
    let crumb = |t: &str, u: &str| Crumb {
        title: t.to_string(),
        url: u.to_string(),
    };
    let header = ProgramHeader {
        id: p.id.clone(),
        title: p.title.clone(),
        organization: p.organization.clone(),
        url: section_urls.overview.clone(),
        draft: p.draft,
        sections: vec![
            crumb("Overview", &section_urls.overview),
            crumb("Competencies", &section_urls.competencies),
            crumb("Action map", &section_urls.action_map),
            crumb("Evaluation", &section_urls.evaluation),
            crumb("Metrics", &section_urls.metrics),
            crumb("Curriculum", &section_urls.curriculum),
            crumb("Traceability", &section_urls.traceability),
            crumb("Results", &section_urls.results),
            crumb("Facilitator guide", &section_urls.guide),
        ],
        urls: section_urls,
    };

    let values = p
        .values
        .iter()
        .map(|v| ValueView {
            id: v.id.clone(),
            name: v.name.clone(),
            url: urls.entity(EntityKind::Value, &v.id),
            description_html: md.opt_inline(&v.description),
            competencies: l(EntityKind::Competency, &v.competencies),
        })
        .collect();
    let competencies = p
        .competencies
        .iter()
        .map(|c| CompetencyView {
            id: c.id.clone(),
            name: c.name.clone(),
            url: urls.entity(EntityKind::Competency, &c.id),
            description_html: md.opt_inline(&c.description),
            values: l(EntityKind::Value, &c.values),
            behaviors_html: c.behaviors.iter().map(|b| md.inline(b)).collect(),
            actions: l(EntityKind::Action, &c.actions),
            sessions: l(EntityKind::Session, &c.sessions),
            signals: l(EntityKind::Signal, &c.signals),
            metrics: l(EntityKind::Metric, &c.metrics),
        })
        .collect();
    let practices: Vec<PracticeView> = p
        .practices
        .iter()
        .enumerate()
        .map(|(i, pr)| PracticeView {
            id: pr.id.clone(),
            title: links.one(EntityKind::Practice, i).title,
            url: urls.entity(EntityKind::Practice, &pr.id),
            scenario_html: md.inline(&pr.scenario),
            action: links.one(EntityKind::Action, pr.action),
            sessions: l(EntityKind::Session, &pr.sessions),
        })
        .collect();
    let actions = p
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let barrier_groups = BarrierKind::ALL
                .iter()
                .filter_map(|&k| {
                    let barriers: Vec<BarrierView> = a
                        .barriers
                        .iter()
                        .filter(|b| b.kind == k)
                        .map(|b| BarrierView {
                            kind: b.kind.as_str(),
                            kind_label: b.kind.label(),
                            text_html: md.inline(&b.text),
                            remedy_html: md.opt_inline(&b.remedy),
                        })
                        .collect();
                    (!barriers.is_empty()).then_some(BarrierGroup {
                        kind: k.as_str(),
                        kind_label: k.label(),
                        barriers,
                    })
                })
                .collect();
            ActionView {
                id: a.id.clone(),
                title: links.one(EntityKind::Action, i).title,
                url: urls.entity(EntityKind::Action, &a.id),
                action_html: md.inline(&a.action),
                competencies: l(EntityKind::Competency, &a.competencies),
                barrier_groups,
                practices: a
                    .practices
                    .iter()
                    .map(|&pr| practices[pr].clone())
                    .collect(),
                information_html: a.information.iter().map(|t| md.inline(t)).collect(),
                sessions: l(EntityKind::Session, &a.sessions),
                signals: l(EntityKind::Signal, &a.signals),
            }
        })
        .collect();
    let signals: Vec<SignalView> = p
        .signals
        .iter()
        .enumerate()
        .map(|(i, s)| SignalView {
            id: s.id.clone(),
            title: links.one(EntityKind::Signal, i).title,
            url: urls.entity(EntityKind::Signal, &s.id),
            signal_html: md.inline(&s.signal),
            level: s.level.as_str(),
            level_label: s.level.label(),
            competencies: l(EntityKind::Competency, &s.competencies),
            actions: l(EntityKind::Action, &s.actions),
            metrics: l(EntityKind::Metric, &s.metrics),
        })
        .collect();
    let signal_levels = Level::ALL
        .iter()
        .map(|&lv| LevelGroup {
            level: lv.as_str(),
            label: lv.label(),
            signals: p
                .signals
                .iter()
                .zip(&signals)
                .filter(|(s, _)| s.level == lv)
                .map(|(_, v)| v.clone())
                .collect(),
        })
        .collect();
    let enablers = p
        .enablers
        .iter()
        .enumerate()
        .map(|(i, e)| EnablerView {
            id: e.id.clone(),
            title: links.one(EntityKind::Enabler, i).title,
            url: urls.entity(EntityKind::Enabler, &e.id),
            enabler_html: md.inline(&e.enabler),
            owner: e.owner.clone(),
        })
        .collect();
    let metrics: Vec<MetricView> = p
        .metrics
        .iter()
        .map(|m| MetricView {
            id: m.id.clone(),
            name: m.name.clone(),
            url: urls.entity(EntityKind::Metric, &m.id),
            category: m.category.as_str(),
            category_label: m.category.label(),
            instrument: m.instrument.map(|i| links.one(EntityKind::Instrument, i)),
            when: m
                .instrument
                .map(|i| p.instruments[i].when.iter().map(|w| w.label()).collect())
                .unwrap_or_default(),
            target: m.target,
            target_display: target_display(m),
            tier: m.tier,
            tier_label: m.tier.and_then(tier_label),
            signals: l(EntityKind::Signal, &m.signals),
            sessions: l(EntityKind::Session, &m.sessions),
        })
        .collect();
    let metric_categories = MetricCategory::ALL
        .iter()
        .filter_map(|&c| {
            let ms: Vec<MetricView> = p
                .metrics
                .iter()
                .zip(&metrics)
                .filter(|(m, _)| m.category == c)
                .map(|(_, v)| v.clone())
                .collect();
            (!ms.is_empty()).then_some(CategoryGroup {
                category: c.as_str(),
                label: c.label(),
                metrics: ms,
            })
        })
        .collect();
    let instruments = p
        .instruments
        .iter()
        .map(|i| InstrumentView {
            id: i.id.clone(),
            name: i.name.clone(),
            url: urls.entity(EntityKind::Instrument, &i.id),
            kind: i.kind.as_str(),
            kind_label: i.kind.label(),
            when: i.when.iter().map(|w| w.label()).collect(),
            metrics: l(EntityKind::Metric, &i.metrics),
            sessions: l(EntityKind::Session, &i.sessions),
        })
        .collect();

    let n = p.sessions.len();
    let sessions: Vec<SessionView> = p
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| SessionView {
            id: s.id.clone(),
            title: s.title.clone(),
            url: urls.entity(EntityKind::Session, &s.id),
            number: i + 1,
            kind: s.kind.as_str(),
            kind_label: s.kind.label(),
            week: s.week,
            date: s.date.map(fmt_date),
            date_iso: s.date.map(|d| d.to_string()),
            duration: s.duration,
            duration_display: s.duration.map(fmt_duration),
            module: s.module.clone(),
            competencies: l(EntityKind::Competency, &s.competencies),
            actions: l(EntityKind::Action, &s.actions),
            practices: l(EntityKind::Practice, &s.practices),
            metrics: l(EntityKind::Metric, &s.metrics),
            requires: l(EntityKind::Session, &s.requires),
            required_by: l(EntityKind::Session, &s.required_by),
            prev: (i > 0).then(|| links.one(EntityKind::Session, i - 1)),
            next: (i + 1 < n).then(|| links.one(EntityKind::Session, i + 1)),
            headings: s.headings.clone(),
            attendance: p.results.attendance.get(&i).map(|a| AttendanceView {
                present: a.present,
                total: a.total,
                percent: percent(f64::from(a.present) / f64::from(a.total.max(1))),
            }),
            rating: p
                .results
                .ratings
                .get(&i)
                .and_then(|r| r.mean())
                .map(|m| format!("{m:.2}")),
        })
        .collect();
    let bodies: Vec<String> = p
        .sessions
        .par_iter()
        .map(|s| md.block(&s.body, 0))
        .collect();
    let guide_bodies: Vec<String> = p
        .sessions
        .par_iter()
        .map(|s| md.block_prefixed(&s.body, 1, &format!("{}-", s.id)))
        .collect();

    // Curriculum grouping: module (in order of first appearance), then week.
    let mut modules: Vec<ModuleGroup> = Vec::new();
    for s in &sessions {
        if modules.last().is_none_or(|m| m.name != s.module) {
            modules.push(ModuleGroup {
                name: s.module.clone(),
                weeks: Vec::new(),
            });
        }
        let m = modules.last_mut().expect("pushed above");
        if m.weeks.last().is_none_or(|w| w.week != s.week) {
            m.weeks.push(WeekGroup {
                week: s.week,
                label: s
                    .week
                    .map_or_else(|| "Unscheduled".to_string(), |w| format!("Week {w}")),
                sessions: Vec::new(),
            });
        }
        m.weeks
            .last_mut()
            .expect("pushed above")
            .sessions
            .push(s.clone());
    }
    let mut hours = Vec::new();
    let mut total = 0;
    for &k in SessionKind::ALL {
        let ss: Vec<&Session> = p.sessions.iter().filter(|s| s.kind == k).collect();
        if ss.is_empty() {
            continue;
        }
        let mins: u32 = ss.iter().filter_map(|s| s.duration).sum();
        total += mins;
        hours.push(HoursView {
            kind: k.as_str(),
            label: k.label(),
            sessions: ss.len(),
            hours: fmt_hours(mins),
        });
    }
    let weeks = p.sessions.iter().filter_map(|s| s.week).max().unwrap_or(0);
    let timeline_svg = svg::timeline(p, &links.by_kind[&EntityKind::Session]);

    let matrix = |rows: &[LinkView], covered: &dyn Fn(usize, &Session) -> bool| -> Vec<MatrixRow> {
        rows.iter()
            .enumerate()
            .map(|(r, link)| {
                let cells: Vec<bool> = p.sessions.iter().map(|s| covered(r, s)).collect();
                MatrixRow {
                    link: link.clone(),
                    gap: !cells.iter().any(|c| *c),
                    cells,
                }
            })
            .collect()
    };
    let competency_matrix = matrix(&links.by_kind[&EntityKind::Competency], &|r, s| {
        s.competencies.contains(&r)
    });
    let action_matrix = matrix(&links.by_kind[&EntityKind::Action], &|r, s| {
        s.actions.contains(&r) || s.practices.iter().any(|&pr| p.practices[pr].action == r)
    });

    let res = &p.results;
    let (mut present, mut totalp) = (0u32, 0u32);
    for a in res.attendance.values() {
        present += a.present;
        totalp += a.total;
    }
    let (mut rsum, mut rcount) = (0.0, 0u32);
    for r in res.ratings.values() {
        rsum += r.sum;
        rcount += r.count;
    }
    let results = ResultsView {
        has_any: !res.is_empty(),
        attendance_overall: (totalp > 0).then(|| percent(f64::from(present) / f64::from(totalp))),
        sessions: sessions
            .iter()
            .filter(|s| s.attendance.is_some() || s.rating.is_some())
            .cloned()
            .collect(),
        rating_overall: (rcount > 0).then(|| format!("{:.2}", rsum / f64::from(rcount))),
        survey: res
            .survey
            .iter()
            .map(|s| {
                let pre = s.pre.mean();
                let post = s.post.mean();
                SurveyView {
                    item: s.item.clone(),
                    link: s.competency.map(|c| links.one(EntityKind::Competency, c)),
                    pre: pre.map(|v| format!("{v:.2}")),
                    post: post.map(|v| format!("{v:.2}")),
                    change: pre.zip(post).map(|(a, b)| format!("{:+.2}", b - a)),
                }
            })
            .collect(),
        attendance_svg: svg::attendance(p, &links.by_kind[&EntityKind::Session]),
        ratings_svg: svg::ratings(p, &links.by_kind[&EntityKind::Session]),
    };

    let view = ProgramView {
        header: header.clone(),
        summary_text: p
            .summary
            .as_ref()
            .map(|t| markdown::to_plain(&t.src))
            .unwrap_or_default(),
        summary_html: p.summary.as_ref().map(|t| md.block(t, 1)),
        audience: p.audience.clone(),
        cohort_size: p.cohort_size,
        start: p.start.map(fmt_date),
        start_iso: p.start.map(|d| d.to_string()),
        end: p.sessions.iter().filter_map(|s| s.date).max().map(fmt_date),
        facilitators: p.facilitators.clone(),
        values,
        competencies,
        goal_html: md.opt_inline(&p.goal.statement),
        goal_measure_html: md.opt_inline(&p.goal.measure),
        actions,
        practices,
        question_html: md.opt_inline(&p.question),
        signals,
        signal_levels,
        enablers,
        metrics,
        metric_categories,
        instruments,
        sessions,
        modules,
        hours,
        total_hours: fmt_hours(total),
        weeks,
        timeline_svg,
        competency_matrix,
        action_matrix,
        gaps,
        results,
    };
    ProgramBuild {
        header,
        view,
        bodies,
        guide_bodies,
    }
}

/// One page of the site, by position in the program builds.
#[derive(Clone, Copy, Hash)]
enum Spec {
    Home,
    NotFound,
    /// Program, index into [`SECTIONS`].
    Section(usize, usize),
    /// Program, entity kind, entity index.
    Entity(usize, EntityKind, usize),
}

/// A unit of the parallel render: one page, or every section page of a
/// program, rendered in turn with one [`SectionContext`].
#[derive(Clone, Copy)]
enum Job {
    Page(Spec),
    Sections(usize),
}

/// Program section pages: folder, template, title, navigation key.
const SECTIONS: [(&str, &str, &str, &str); 9] = [
    ("", "program.html", "Overview", "overview"),
    (
        "competencies",
        "competencies.html",
        "Values and competencies",
        "competencies",
    ),
    ("action-map", "action-map.html", "Action map", "action-map"),
    (
        "evaluation",
        "evaluation.html",
        "Evaluation plan",
        "evaluation",
    ),
    (
        "metrics",
        "metrics.html",
        "Metrics and measurement",
        "metrics",
    ),
    ("curriculum", "curriculum.html", "Curriculum", "curriculum"),
    (
        "traceability",
        "traceability.html",
        "Traceability",
        "traceability",
    ),
    ("results", "results.html", "Measured results", "results"),
    ("guide", "guide.html", "Facilitator guide", "guide"),
];

/// What every page context is built from.
struct Pages<'a> {
    site: &'a Site,
    base: &'a str,
    /// `site` and `programs`, shared by every page.
    common: &'a Vars,
    builds: &'a [Arc<ProgramBuild>],
    programs: &'a [&'a Program],
}

/// A page before rendering: its context without the large per-program
/// parts, which [`Pages::complete`] adds only if the page is rendered.
struct Page {
    path: String,
    template: String,
    vars: Vars,
    /// A section page of this program: the program's full view (and, for
    /// the facilitator guide, every session body) join its context.
    section_of: Option<usize>,
}

/// A program's full view in a Tera context, lent to its section pages one
/// after the other: the view is large, and each page's context would
/// otherwise need a copy of it.
struct SectionContext(Context);

impl SectionContext {
    /// Render `page` (a section page of this program) with its variables
    /// (and, for the facilitator guide, every session body) added to the
    /// program's view; they are taken out again afterwards.
    fn render(&mut self, tera: &Tera, mut page: Page, bodies: &[String]) -> tera::Result<String> {
        // The program's view is `program` on a section page, as it was.
        page.vars.remove("program");
        let keys: Vec<String> = page.vars.keys().cloned().collect();
        self.0
            .extend(Context::from_value(serde_json::Value::Object(page.vars)).unwrap_or_default());
        let guide = page.template == "guide.html";
        if guide {
            self.0.insert("bodies", bodies);
        }
        let html = tera.render(&page.template, &self.0);
        for k in &keys {
            self.0.remove(k);
        }
        if guide {
            self.0.remove("bodies");
        }
        html
    }
}

impl Pages<'_> {
    fn ctx(
        &self,
        title: &str,
        description: &str,
        url: &str,
        section: &'static str,
        breadcrumbs: Vec<Crumb>,
    ) -> Vars {
        let mut c = self.common.clone();
        c.insert(
            "page".into(),
            json(&PageView {
                title: title.to_string(),
                heading: title.split(" — ").next().unwrap_or(title).to_string(),
                description: shorten(description, 160),
                url: url.to_string(),
                section,
                in_program: !matches!(section, "home" | "404"),
                breadcrumbs,
            }),
        );
        c
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            title: "Home".into(),
            url: self.base.to_string(),
        }
    }

    /// The context that every section page of program `pi` shares: the
    /// program's full view, made once, to which each page's own variables
    /// are added in turn (see [`SectionContext`]).
    fn section_context(&self, pi: usize) -> SectionContext {
        let view = serde_json::to_value(&self.builds[pi].view).unwrap_or_default();
        // `from_value` moves the view in; `Context::insert` would copy it.
        SectionContext(
            Context::from_value(serde_json::json!({ "program": view })).unwrap_or_default(),
        )
    }

    /// What a page is rendered from: its template (`seed`, a fingerprint
    /// of every template), its context, and for a section page its
    /// program's fingerprint (`programs`, standing for the full view).
    fn fingerprint(&self, seed: u128, programs: &[u128], page: &Page) -> u128 {
        let mut f = Fingerprint::new().add(seed);
        std::io::Write::write_all(&mut f, page.template.as_bytes()).ok();
        let f = f.of_json(&page.vars);
        match page.section_of {
            Some(pi) => f.add(programs[pi]).finish(),
            None => f.finish(),
        }
    }

    /// Output path, template and context of a page.
    fn page(&self, spec: Spec) -> Page {
        let site_desc = self
            .site
            .config
            .description
            .clone()
            .unwrap_or_else(|| self.site.config.title.clone());
        match spec {
            Spec::Home => {
                let mut c = self.ctx(
                    &self.site.config.title,
                    &site_desc,
                    self.base,
                    "home",
                    vec![],
                );
                let summaries: Vec<serde_json::Value> = self
                    .builds
                    .iter()
                    .map(|b| {
                        serde_json::json!({
                            "id": b.view.header.id,
                            "title": b.view.header.title,
                            "url": b.view.header.url,
                            "organization": b.view.header.organization,
                            "audience": b.view.audience,
                            "start": b.view.start,
                            "end": b.view.end,
                            "summary_text": shorten(&b.view.summary_text, 220),
                            "sessions": b.view.sessions.len(),
                            "draft": b.view.header.draft,
                        })
                    })
                    .collect();
                c.insert(
                    "program_summaries".into(),
                    serde_json::Value::Array(summaries),
                );
                Page::new("index.html".into(), "index.html", c)
            }
            Spec::NotFound => {
                let url = format!("{}404.html", self.base);
                let c = self.ctx("Page not found", &site_desc, &url, "404", vec![]);
                Page::new("404.html".into(), "404.html", c)
            }
            Spec::Section(pi, si) => {
                let (b, p) = (&self.builds[pi], self.programs[pi]);
                let (dir, template, title, section) = SECTIONS[si];
                let (url, path, title, crumbs) = if dir.is_empty() {
                    (
                        b.header.url.clone(),
                        format!("{}/index.html", p.id),
                        p.title.clone(),
                        vec![self.home_crumb()],
                    )
                } else {
                    (
                        format!("{}{dir}/", b.header.url),
                        format!("{}/{dir}/index.html", p.id),
                        format!("{title} — {}", p.title),
                        self.program_crumbs(b),
                    )
                };
                let c = self.ctx(&title, &self.program_desc(b), &url, section, crumbs);
                Page {
                    section_of: Some(pi),
                    ..Page::new(path, template, c)
                }
            }
            Spec::Entity(pi, kind, i) => self.entity(pi, kind, i),
        }
    }

    fn program_crumbs(&self, b: &ProgramBuild) -> Vec<Crumb> {
        vec![
            self.home_crumb(),
            Crumb {
                title: b.header.title.clone(),
                url: b.header.url.clone(),
            },
        ]
    }

    fn program_desc(&self, b: &ProgramBuild) -> String {
        if b.view.summary_text.is_empty() {
            b.header.title.clone()
        } else {
            b.view.summary_text.clone()
        }
    }

    fn entity(&self, pi: usize, kind: EntityKind, i: usize) -> Page {
        let b = &self.builds[pi];
        let v = &b.view;
        let plain = |h: &Option<String>| h.as_deref().map(strip_tags).unwrap_or_default();
        let (id, title, desc, value): (&str, String, String, serde_json::Value) = match kind {
            EntityKind::Value => {
                let x = &v.values[i];
                (&x.id, x.name.clone(), plain(&x.description_html), json(x))
            }
            EntityKind::Competency => {
                let x = &v.competencies[i];
                (&x.id, x.name.clone(), plain(&x.description_html), json(x))
            }
            EntityKind::Action => {
                let x = &v.actions[i];
                (&x.id, shorten(&x.title, 60), x.title.clone(), json(x))
            }
            EntityKind::Practice => {
                let x = &v.practices[i];
                (
                    &x.id,
                    format!("Practice: {}", shorten(&x.title, 50)),
                    x.title.clone(),
                    json(x),
                )
            }
            EntityKind::Signal => {
                let x = &v.signals[i];
                (&x.id, shorten(&x.title, 60), x.title.clone(), json(x))
            }
            EntityKind::Enabler => {
                let x = &v.enablers[i];
                (&x.id, shorten(&x.title, 60), x.title.clone(), json(x))
            }
            EntityKind::Metric => {
                let x = &v.metrics[i];
                (
                    &x.id,
                    x.name.clone(),
                    format!("{} metric: {}", x.category_label, x.name),
                    json(x),
                )
            }
            EntityKind::Instrument => {
                let x = &v.instruments[i];
                (
                    &x.id,
                    x.name.clone(),
                    format!("{}: {}", x.kind_label, x.name),
                    json(x),
                )
            }
            EntityKind::Session => {
                let x = &v.sessions[i];
                (
                    &x.id,
                    x.title.clone(),
                    format!("{} session guide: {}", x.kind_label, x.title),
                    json(x),
                )
            }
        };
        let url = format!("{}{}/{id}/", b.header.url, folder(kind));
        let mut crumbs = self.program_crumbs(b);
        crumbs.push(section_crumb(b, kind));
        let mut c = self.ctx(
            &format!("{title} — {}", b.header.title),
            &desc,
            &url,
            section_for(kind),
            crumbs,
        );
        c.insert("program".into(), json(&b.header));
        c.insert(kind.prefix().into(), value);
        if kind == EntityKind::Session {
            c.insert("content".into(), json(&b.bodies[i]));
        }
        let path = format!("{}/{}/{id}/index.html", b.header.id, folder(kind));
        Page::new(path, format!("{}.html", kind.prefix()), c)
    }
}

impl Page {
    fn new(path: String, template: impl Into<String>, vars: Vars) -> Self {
        Page {
            path,
            template: template.into(),
            vars,
            section_of: None,
        }
    }
}

/// The variables of a page's template context.
type Vars = serde_json::Map<String, serde_json::Value>;

fn json<T: Serialize + ?Sized>(x: &T) -> serde_json::Value {
    serde_json::to_value(x).unwrap_or(serde_json::Value::Null)
}

/// Render a checked site. Template errors are returned as diagnostics.
///
/// With a `cache`, pages whose fingerprint is unchanged since the render
/// that filled it are reused instead of rendered; the cache then holds this
/// render's pages (a failed render leaves it as it was). The output is the
/// same either way.
pub fn render(
    site: &Site,
    theme: &Theme,
    warnings: &[Reported],
    opts: &RenderOptions,
    mut cache: Option<&mut PageCache>,
) -> Result<Output, Vec<Diagnostic>> {
    // Fingerprints are only worth their cost when there is a cache to use.
    let seed = match &cache {
        Some(_) => Fingerprint::new().of_json(&theme.templates).finish(),
        None => 0,
    };
    let tera = match cache.as_deref_mut() {
        Some(c) => match &c.tera {
            Some((fp, tera)) if *fp == seed => Arc::clone(tera),
            _ => {
                let tera = Arc::new(build_tera(theme)?);
                c.tera = Some((seed, Arc::clone(&tera)));
                tera
            }
        },
        None => Arc::new(build_tera(theme)?),
    };
    let base = opts
        .base_url
        .as_deref()
        .map(crate::config::normalize_base_url)
        .unwrap_or_else(|| site.config.base_url.clone());
    let programs: Vec<&Program> = site
        .programs
        .iter()
        .filter(|p| opts.drafts || !p.draft)
        .collect();
    let program_links: Vec<LinkView> = programs
        .iter()
        .map(|p| LinkView {
            id: p.id.clone(),
            title: p.title.clone(),
            url: format!("{base}{}/", p.id),
        })
        .collect();
    let site_view = SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        base_url: base.clone(),
        home_url: base.clone(),
        css_url: format!("{base}style.css"),
        favicon_url: format!("{base}favicon.svg"),
    };
    let mut common = Vars::new();
    common.insert("site".into(), json(&site_view));
    common.insert("programs".into(), json(&program_links));

    let old_programs = cache.as_deref().map(|c| &c.programs);
    // Each program's views, and (with a cache) the fingerprints of its
    // inputs and of its views; a program whose inputs are unchanged is not
    // built again.
    type Made = (Arc<ProgramBuild>, u128, u128);
    let made: Vec<Made> = programs
        .par_iter()
        .map(|p| {
            let prefix = format!("content/{}/", p.id);
            let gaps = warnings
                .iter()
                .filter(|w| w.severity == Severity::Warning)
                .filter(|w| w.file.as_deref().is_some_and(|f| f.starts_with(&prefix)))
                .map(|w| GapView {
                    code: w.code,
                    message: w.message.clone(),
                    location: match (&w.file, w.line) {
                        (Some(f), Some(l)) => format!("{f}:{l}"),
                        (Some(f), None) => f.clone(),
                        _ => String::new(),
                    },
                })
                .collect();
            let Some(old) = old_programs else {
                return (Arc::new(build_program(p, &base, gaps)), 0, 0);
            };
            let key = Fingerprint::new()
                .of_debug(p)
                .of_json(&gaps)
                .of_json(&base)
                .finish();
            if let Some((_, b, fp)) = old.get(&p.id).filter(|(k, _, _)| *k == key) {
                return (Arc::clone(b), key, *fp);
            }
            let b = build_program(p, &base, gaps);
            let fp = Fingerprint::new()
                .of_json(&b.header)
                .of_json(&b.view)
                .of_json(&b.bodies)
                .of_json(&b.guide_bodies)
                .finish();
            (Arc::new(b), key, fp)
        })
        .collect();
    let builds: Vec<Arc<ProgramBuild>> = made.iter().map(|(b, _, _)| Arc::clone(b)).collect();
    let program_fps: Vec<u128> = made.iter().map(|(_, _, fp)| *fp).collect();

    // Every page, described cheaply; contexts are built inside the parallel
    // render so that only a few exist at a time.
    let mut jobs: Vec<Job> = vec![Job::Page(Spec::Home), Job::Page(Spec::NotFound)];
    for (pi, b) in builds.iter().enumerate() {
        jobs.push(Job::Sections(pi));
        let v = &b.view;
        let counts = [
            (EntityKind::Value, v.values.len()),
            (EntityKind::Competency, v.competencies.len()),
            (EntityKind::Action, v.actions.len()),
            (EntityKind::Practice, v.practices.len()),
            (EntityKind::Signal, v.signals.len()),
            (EntityKind::Enabler, v.enablers.len()),
            (EntityKind::Metric, v.metrics.len()),
            (EntityKind::Instrument, v.instruments.len()),
            (EntityKind::Session, v.sessions.len()),
        ];
        for (kind, n) in counts {
            jobs.extend((0..n).map(|i| Job::Page(Spec::Entity(pi, kind, i))));
        }
    }
    let common_fp = match &cache {
        Some(_) => Fingerprint::new().of_json(&common).finish(),
        None => 0,
    };
    let previous = cache.as_deref();
    // The cheap key of a program's page (see `PageCache::by_program`).
    let program_key = |spec: Spec| -> Option<u128> {
        let pi = match spec {
            Spec::Section(pi, _) | Spec::Entity(pi, _, _) => pi,
            Spec::Home | Spec::NotFound => return None,
        };
        let mut h = DefaultHasher::new();
        std::hash::Hash::hash(&spec, &mut h);
        Some(
            Fingerprint::new()
                .add(seed)
                .add(common_fp)
                .add(program_fps[pi])
                .add(u128::from(h.finish()))
                .finish(),
        )
    };
    let pages = Pages {
        site,
        base: &base,
        common: &common,
        builds: &builds,
        programs: &programs,
    };
    type Rendered = (String, Arc<[u8]>, u128, Option<u128>, bool);
    // A page reused from the cache, or its context (and fingerprint and
    // cheap key) to render it from.
    enum Step {
        Reused(Rendered),
        Render(Page, u128, Option<u128>),
    }
    let prepare = |spec: Spec| -> Step {
        let key = previous.and_then(|_| program_key(spec));
        if let Some((path, fp, html)) =
            key.and_then(|k| previous.and_then(|c| c.by_program.get(&k)))
        {
            return Step::Reused((path.clone(), Arc::clone(html), *fp, key, false));
        }
        let page = pages.page(spec);
        let fp = match previous {
            Some(_) => pages.fingerprint(seed, &program_fps, &page),
            None => 0,
        };
        match previous
            .and_then(|c| c.pages.get(&page.path))
            .filter(|(old, _)| *old == fp)
        {
            Some((_, html)) => Step::Reused((page.path, Arc::clone(html), fp, key, false)),
            None => Step::Render(page, fp, key),
        }
    };
    let done = |path: String, template: &str, fp, key, html: tera::Result<String>| {
        html.map(|h| (path, Arc::from(h.into_bytes()), fp, key, true))
            .map_err(|e| Box::new(template_error(theme, template, &e)))
    };
    let rendered: Vec<Result<Rendered, Box<Diagnostic>>> = jobs
        .par_iter()
        .flat_map_iter(|job| match *job {
            Job::Page(spec) => vec![match prepare(spec) {
                Step::Reused(r) => Ok(r),
                Step::Render(page, fp, key) => {
                    let context = Context::from_value(serde_json::Value::Object(page.vars))
                        .unwrap_or_default();
                    let html = tera.render(&page.template, &context);
                    done(page.path, &page.template, fp, key, html)
                }
            }],
            Job::Sections(pi) => {
                let mut shared = None;
                (0..SECTIONS.len())
                    .map(|si| match prepare(Spec::Section(pi, si)) {
                        Step::Reused(r) => Ok(r),
                        Step::Render(page, fp, key) => {
                            let (path, template) = (page.path.clone(), page.template.clone());
                            let html = shared
                                .get_or_insert_with(|| pages.section_context(pi))
                                .render(&tera, page, &builds[pi].guide_bodies);
                            done(path, &template, fp, key, html)
                        }
                    })
                    .collect()
            }
        })
        .collect();
    let mut out = Output::default();
    let mut errors = Vec::new();
    let mut kept = HashMap::new();
    let mut by_program = HashMap::new();
    let mut fresh = Vec::new();
    for r in rendered {
        match r {
            Ok((path, html, fp, key, was_rendered)) => {
                if cache.is_some() {
                    if was_rendered {
                        fresh.push(path.clone());
                    }
                    if let Some(k) = key {
                        by_program.insert(k, (path.clone(), fp, Arc::clone(&html)));
                    }
                    kept.insert(path.clone(), (fp, Arc::clone(&html)));
                }
                out.files.insert(path, OutFile::Bytes(html));
            }
            Err(d) => {
                if !errors.iter().any(|e: &Diagnostic| e.message == d.message) {
                    errors.push(*d);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(c) = cache {
        c.pages = kept;
        c.by_program = by_program;
        c.programs = programs
            .iter()
            .zip(made)
            .map(|(p, (b, key, fp))| (p.id.clone(), (key, b, fp)))
            .collect();
        fresh.sort();
        c.rendered = fresh;
    }
    for (path, f) in &theme.statics {
        let file = match f {
            StaticFile::Embedded(b) => OutFile::Static(b),
            StaticFile::Disk(p) => OutFile::Copy(p.clone()),
        };
        out.files.insert(path.clone(), file);
    }
    for p in &programs {
        for a in &p.assets {
            out.files.insert(
                format!("{}/sessions/{a}", p.id),
                OutFile::Copy(p.dir.join("sessions").join(a)),
            );
        }
    }
    out.files.insert(
        "sitemap.xml".into(),
        OutFile::Bytes(Arc::from(sitemap(&out, &base).into_bytes())),
    );
    Ok(out)
}

/// The breadcrumb of the section page an entity page belongs to: the
/// [`SECTIONS`] entry whose navigation key is [`section_for`] the kind.
fn section_crumb(b: &ProgramBuild, kind: EntityKind) -> Crumb {
    let key = section_for(kind);
    let (dir, _, title, _) = SECTIONS
        .iter()
        .find(|s| s.3 == key)
        .copied()
        .unwrap_or(SECTIONS[0]);
    Crumb {
        title: title.to_string(),
        url: format!("{}{dir}/", b.header.url),
    }
}

fn section_for(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Value | EntityKind::Competency => "competencies",
        EntityKind::Action | EntityKind::Practice => "action-map",
        EntityKind::Signal | EntityKind::Enabler => "evaluation",
        EntityKind::Metric | EntityKind::Instrument => "metrics",
        EntityKind::Session => "curriculum",
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn sitemap(out: &Output, base: &str) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in out.files.keys() {
        if !path.ends_with("index.html") {
            continue;
        }
        let url = format!("{base}{}", path.trim_end_matches("index.html"));
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(&url));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// Escape text for XML and HTML.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn build_tera(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    let templates: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    tera.add_raw_templates(templates).map_err(|e| {
        let (file, detail) = error_chain(&e);
        let origin = file
            .as_deref()
            .and_then(|f| theme.origins.get(f).cloned())
            .or(file)
            .unwrap_or_else(|| "templates".into());
        vec![Diagnostic::error(
            "template-error",
            format!("template {origin} does not parse: {detail}"),
            Loc::Path(origin),
        )
        .with_hint("fix the template syntax (Tera, similar to Jinja2)")]
    })?;
    Ok(tera)
}

fn error_chain(e: &tera::Error) -> (Option<String>, String) {
    let mut file = None;
    let mut parts = Vec::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = cur {
        let msg = err.to_string();
        if file.is_none() {
            if let Some(rest) = msg.split('\'').nth(1) {
                if rest.ends_with(".html") || rest.ends_with(".xml") {
                    file = Some(rest.to_string());
                }
            }
        }
        parts.push(msg);
        cur = err.source();
    }
    (file, parts.join(": "))
}

/// A render error as a diagnostic naming template, line and variable.
///
/// Tera names the page's template and the variable but not the line, and a
/// variable used in a parent template or a macro is blamed on the child. So
/// the variable is looked for in the page's template, then the templates it
/// extends and imports, and the first line that uses it is reported.
fn template_error(theme: &Theme, template: &str, e: &tera::Error) -> Diagnostic {
    let (file, detail) = error_chain(e);
    let page = file.unwrap_or_else(|| template.to_string());
    let var = detail
        .split("Variable `")
        .last()
        .filter(|_| detail.contains("Variable `"))
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    let found = var.as_ref().and_then(|v| {
        related_templates(theme, &page)
            .into_iter()
            .find_map(|name| use_line(theme.templates.get(&name)?, v).map(|l| (name, l)))
    });
    let (name, line) = match found {
        Some((n, l)) => (n, Some(l)),
        None => (page, None),
    };
    let origin = theme
        .origins
        .get(&name)
        .cloned()
        .unwrap_or_else(|| name.clone());
    let at = match line {
        Some(l) => format!("{origin}:{l}"),
        None => origin.clone(),
    };
    let message = match &var {
        Some(v) => format!("template {at}: variable `{v}` is not defined here"),
        None => format!("template {at}: {detail}"),
    };
    let mut d = Diagnostic::error("template-error", message, Loc::Path(origin));
    if let Some(v) = var {
        d = d.with_hint(format!(
            "`{v}` is not in the context of this page; see \"Template context\" in the README"
        ));
    }
    d
}

/// `name`, then the templates it extends and imports (transitively), then
/// every other template.
fn related_templates(theme: &Theme, name: &str) -> Vec<String> {
    let mut order = vec![name.to_string()];
    let mut i = 0;
    while i < order.len() {
        if let Some(src) = theme.templates.get(&order[i]) {
            for kw in ["{% extends \"", "{% import \""] {
                for part in src.split(kw).skip(1) {
                    if let Some(dep) = part.split('"').next() {
                        if !order.iter().any(|o| o == dep) {
                            order.push(dep.to_string());
                        }
                    }
                }
            }
        }
        i += 1;
    }
    for other in theme.templates.keys() {
        if !order.contains(other) {
            order.push(other.clone());
        }
    }
    order
}

/// The first line that uses `var` outside an `is defined` test (a line
/// that tests it is taken to guard its uses).
fn use_line(src: &str, var: &str) -> Option<usize> {
    let tested = [format!("{var} is defined"), format!("{var} is not defined")];
    src.lines()
        .position(|l| {
            !tested.iter().any(|t| l.contains(t.as_str()))
                && l.match_indices(var).any(|(i, _)| {
                    let before = l[..i].chars().next_back();
                    let after = &l[i + var.len()..];
                    let word_start =
                        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
                    let word_end = !after
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    word_start && word_end && !after.trim_start().starts_with("is ")
                })
        })
        .map(|i| i + 1)
}
