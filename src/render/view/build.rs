//! Building a program's views from its graph: the header and navigation,
//! one view per entity, the curriculum grouping and contact hours, the
//! traceability matrices ([`super::trace`]) and the results — everything a
//! program's pages show, made once.

use std::collections::HashMap;

use crate::edition::Shows;
use crate::graph::*;
use crate::kinds::Section;
use crate::markdown::RawHtml;
use crate::model::{BarrierKind, Level, MetricCategory};

use super::super::format;
use super::super::links::{Links, Md};
use super::super::svg;
use super::super::urls::{ProgramUrls, SiteUrls, SEARCH_FILE};
use super::bodies::{Bodies, Previous};
use super::trace;
use super::*;
use super::{answers, behaviour, curriculum, results};
use crate::evidence::{exact, Evidence};

/// A program's views, and its session guides rendered to HTML.
pub(crate) struct ProgramBuild {
    pub header: ProgramHeader,
    pub view: ProgramView,
    /// What its results say, for the exports.
    pub evidence: Evidence,
    /// Rendered body of each session (curriculum order).
    pub bodies: Vec<String>,
    /// The same, for the one-page facilitator guide (outline from `h3`,
    /// ids prefixed with the session id).
    pub guide_bodies: Vec<String>,
    /// What each body (and guide body) is made from, as a fingerprint
    /// ([`Md::session_body_key`]); and of every guide body together.
    pub body_keys: Vec<u128>,
    pub guide_fingerprint: u128,
    /// Each body as plain text, as the edition shows it (for search).
    pub plain_bodies: Vec<String>,
}

/// What every part of a program's views is made from.
struct Ctx<'a> {
    p: &'a Program,
    shows: Shows,
    urls: ProgramUrls<'a>,
    links: &'a Links,
    md: &'a Md<'a>,
    ev: &'a Evidence,
    comments: &'a results::Comments,
}

impl Ctx<'_> {
    fn url(&self, kind: EntityKind, id: &str) -> String {
        self.urls.entity(kind, id).url
    }
}

/// Build the views of program `p` under `urls`, with the coverage `gaps`
/// found by `check`, raw HTML in markdown treated as `raw` says, branded
/// as `brand` (the site's logo and accent) where the program is not. A session
/// body whose text and links are those of a body of `previous` (the last
/// views of this program) is taken from it rather than rendered again.
pub(crate) fn program(
    p: &Program,
    urls: &SiteUrls,
    gaps: Vec<GapView>,
    (raw, shows): (RawHtml, Shows),
    brand: &SiteBrand,
    previous: Option<&ProgramBuild>,
) -> ProgramBuild {
    let purls = urls.program(&p.id);
    let links = Links::new(p, &purls, raw);
    let md = Md {
        urls: &purls,
        links: &links,
        raw,
        edition: shows.edition,
    };
    let ev = Evidence::of(p, shows.min_raters);
    let comments = results::Comments::new(p);
    let cx = Ctx {
        p,
        shows,
        urls: purls,
        links: &links,
        md: &md,
        ev: &ev,
        comments: &comments,
    };
    let header = header(&cx, urls, brand);
    let parts = Parts {
        practices: practices(&cx),
        signals: signals(&cx),
        metrics: metrics(&cx),
        sessions: sessions(&cx),
    };
    let previous = previous.map(|b| Previous {
        keys: &b.body_keys,
        html: &b.bodies,
        guide: &b.guide_bodies,
        plain: &b.plain_bodies,
    });
    let bodies = Bodies::of(p, &md, previous);
    let view = view(&cx, &header, gaps, parts);
    let guide_fingerprint = bodies.fingerprint();
    ProgramBuild {
        header,
        view,
        evidence: ev,
        bodies: bodies.html,
        guide_bodies: bodies.guide,
        body_keys: bodies.keys,
        guide_fingerprint,
        plain_bodies: bodies.plain,
    }
}

/// The parts of a program's view that other parts are made from.
struct Parts {
    practices: Vec<PracticeView>,
    signals: Vec<SignalView>,
    metrics: Vec<MetricView>,
    sessions: Vec<SessionView>,
}

/// The program's view: `header`, `parts`, the coverage `gaps`, and
/// everything else made here.
fn view(cx: &Ctx, header: &ProgramHeader, gaps: Vec<GapView>, parts: Parts) -> ProgramView {
    let (p, md, ev) = (cx.p, cx.md, cx.ev);
    let Parts {
        practices,
        signals,
        metrics,
        sessions,
    } = parts;
    let (hours, total) = curriculum::hours(p);
    let (results, impact) = outcomes(cx, &metrics);
    ProgramView {
        header: header.clone(),
        summary_text: summary_text(p, md.raw),
        summary_html: p.summary.as_ref().map(|t| md.block(t, 1)),
        audience: p.audience.clone(),
        cohort_size: p.cohort_size,
        start: p.start.map(format::date),
        start_iso: p.start.map(|d| d.to_string()),
        end: last_date(p).map(format::date),
        facilitators: p.facilitators.clone(),
        values: values(cx),
        competencies: competencies(cx),
        goal_html: md.opt_inline(&p.goal.statement),
        goal_measure_html: md.opt_inline(&p.goal.measure),
        actions: actions(cx, &practices),
        practices,
        question_html: md.opt_inline(&p.question),
        signal_levels: signal_levels(p, &signals),
        signals,
        enablers: enablers(cx),
        metric_categories: metric_categories(p, &metrics),
        metrics,
        instruments: instruments(cx),
        modules: curriculum::modules(p, &sessions),
        follow_ups: follow_ups(p),
        hours,
        total_hours: format::hours(total),
        weeks: weeks(p),
        timeline_svg: svg::timeline(p, cx.links),
        trace_matrix: trace::matrix_shown(p),
        competency_matrix: trace::competency_matrix(p, cx.links),
        action_matrix: trace::action_matrix(p, cx.links),
        gaps,
        results,
        opinions_only: ev.opinions_only(),
        behaviour: behaviour::view(p, &ev.behaviour, cx.shows.min_raters),
        drivers_in_place: crate::drivers::in_place(p).map(crate::drivers::in_place_text),
        impact,
        sessions,
        cohorts: None,
    }
}

/// The results, and the impact they show with its answers and the
/// summary's answer.
fn outcomes(cx: &Ctx, metrics: &[MetricView]) -> (ResultsView, ImpactView) {
    let (p, links, ev) = (cx.p, cx.links, cx.ev);
    let results = results::results(p, links, ev);
    let mut impact = results::impact(&results, ev);
    let top: Vec<&str> = impact.top_changes.iter().map(|s| s.item.as_str()).collect();
    impact.answers = answers::answers(p, links, ev, Some(&top)).0;
    impact.answer = summary::answer(p, metrics, &results, &impact, ev);
    (results, impact)
}

/// The program's summary as plain text (empty without one).
fn summary_text(p: &Program, raw: RawHtml) -> String {
    p.summary
        .as_ref()
        .map(|t| crate::markdown::to_plain(&t.src, raw))
        .unwrap_or_default()
}

/// `follow_up:` of program.yaml, dated.
fn follow_ups(p: &Program) -> Vec<super::follow_up::FollowUpView> {
    curriculum::follow_ups(p)
        .iter()
        .map(|f| super::follow_up::FollowUpView {
            title: f.title(),
            date: format::date(f.date),
            date_iso: f.date.to_string(),
            days: f.days,
        })
        .collect()
}

/// The week of the program's last session (0 without weeks).
fn weeks(p: &Program) -> u32 {
    p.sessions
        .iter()
        .filter_map(|s| curriculum::week(p, s))
        .max()
        .unwrap_or(0)
}

/// The date of the program's last dated session.
pub(crate) fn last_date(p: &Program) -> Option<chrono::NaiveDate> {
    p.sessions.iter().filter_map(|s| s.date).max()
}

/// A program's first and last day, for the home page: its `start` and
/// last session, or for a program with cohorts the first run's start
/// and the last session of the run that ends last.
pub(crate) fn span(p: &Program) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    if p.cohorts.is_empty() {
        return (p.start, last_date(p));
    }
    let first = p.cohorts.iter().map(|c| c.start).min();
    let last = p
        .cohorts
        .iter()
        .filter_map(|c| p.sessions.iter().filter_map(|s| c.date_of(s)).max())
        .max();
    (first, last)
}

/// The site's logo (a path under `static/`) and accent colour
/// (`#rrggbb`), from `playbook.yaml`, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SiteBrand {
    pub logo: Option<String>,
    pub accent: Option<String>,
}

fn header(cx: &Ctx, site: &SiteUrls, brand: &SiteBrand) -> ProgramHeader {
    let url = |s| cx.urls.section(s).url;
    let shown = |s| cx.shows.section(s).then(|| url(s));
    let urls = SectionUrls {
        overview: url(Section::Overview),
        competencies: url(Section::Competencies),
        action_map: url(Section::ActionMap),
        evaluation: url(Section::Evaluation),
        metrics: url(Section::Metrics),
        curriculum: url(Section::Curriculum),
        traceability: shown(Section::Traceability),
        results: shown(Section::Results),
        impact: shown(Section::Impact),
        guide: shown(Section::Guide),
        workbook: shown(Section::Workbook),
        calendar: cx.urls.file("calendar.ics").url,
        json: cx.urls.file("program.json").url,
        csv: cx.shows.results.then(|| cx.urls.file("results.csv").url),
        search: cx.urls.file(SEARCH_FILE).url,
    };
    ProgramHeader {
        id: cx.p.id.clone(),
        title: format::title(&cx.p.title),
        organization: cx.p.organization.clone(),
        url: urls.overview.clone(),
        draft: cx.p.draft,
        brand: BrandView::new(
            site,
            cx.p.logo.as_deref().or(brand.logo.as_deref()),
            cx.p.accent.as_deref().or(brand.accent.as_deref()),
        ),
        sections: cx
            .shows
            .sections()
            .map(|s| Crumb {
                title: s.info().nav_title.to_string(),
                url: url(s),
            })
            .collect(),
        urls,
        figures_from: None,
    }
}

fn values(cx: &Ctx) -> Vec<ValueView> {
    cx.p.values
        .iter()
        .map(|v| ValueView {
            id: v.id.clone(),
            name: v.name.clone(),
            url: cx.url(EntityKind::Value, &v.id),
            description_html: cx.md.opt_inline(&v.description),
            competencies: cx.links.list(&v.competencies),
        })
        .collect()
}

fn competencies(cx: &Ctx) -> Vec<CompetencyView> {
    let l = cx.links;
    // Each competency's pre/post item (the first that names it).
    let mut items: HashMap<Ix<Competency>, &crate::evidence::ItemResult> = HashMap::new();
    for r in &cx.ev.items {
        if let Some(c) = cx.p.results.survey[r.item].competency {
            items.entry(c).or_insert(r);
        }
    }
    cx.p.each::<Competency>()
        .map(|(i, c)| CompetencyView {
            id: c.id.clone(),
            name: c.name.clone(),
            url: cx.url(EntityKind::Competency, &c.id),
            description_html: cx.md.opt_inline(&c.description),
            values: l.list(&c.values),
            behaviors_html: c.behaviors.iter().map(|b| cx.md.inline(b)).collect(),
            actions: l.list(&c.actions),
            sessions: l.list(&c.sessions),
            signals: l.list(&c.signals),
            metrics: l.list(&c.metrics),
            survey: items.get(&i).map(|r| results::survey_item(cx.p, l, r)),
            feedback: cx.comments.competency(cx.p, l, i),
        })
        .collect()
}

fn practices(cx: &Ctx) -> Vec<PracticeView> {
    cx.p.each::<Practice>()
        .map(|(i, pr)| {
            let (scenario_html, scenario_title_html) = cx.md.inline_and_title(&pr.scenario);
            PracticeView {
                id: pr.id.clone(),
                title: cx.links.get(i).title.clone(),
                url: cx.url(EntityKind::Practice, &pr.id),
                scenario_html,
                scenario_title_html,
                action: cx.links.one(pr.action),
                sessions: cx.links.list(&pr.sessions),
            }
        })
        .collect()
}

fn actions(cx: &Ctx, practices: &[PracticeView]) -> Vec<ActionView> {
    let l = cx.links;
    cx.p.each::<Action>()
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
                            text_html: cx.md.inline(&b.text),
                            remedy_html: cx.md.opt_inline(&b.remedy),
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
                title: l.get(i).title.clone(),
                url: cx.url(EntityKind::Action, &a.id),
                action_html: cx.md.title(&a.action),
                competencies: l.list(&a.competencies),
                barrier_groups,
                practices: a
                    .practices
                    .iter()
                    .map(|pr| practices[pr.index()].clone())
                    .collect(),
                information_html: a.information.iter().map(|t| cx.md.inline(t)).collect(),
                sessions: l.list(&a.sessions),
                signals: l.list(&a.signals),
            }
        })
        .collect()
}

fn signals(cx: &Ctx) -> Vec<SignalView> {
    let l = cx.links;
    cx.p.each::<Signal>()
        .map(|(i, s)| SignalView {
            id: s.id.clone(),
            title: l.get(i).title.clone(),
            url: cx.url(EntityKind::Signal, &s.id),
            signal_html: cx.md.title(&s.signal),
            level: s.level.as_str(),
            level_label: s.level.label(),
            competencies: l.list(&s.competencies),
            actions: l.list(&s.actions),
            metrics: l.list(&s.metrics),
            status: cx.ev.signals[i.index()].as_str(),
            status_label: cx.ev.signals[i.index()].label(),
            evidence: s
                .metrics
                .iter()
                .map(|&m| results::metric_status(cx.p, l, cx.ev, m))
                .collect(),
            feedback: cx.comments.signal(cx.p, l, i),
        })
        .collect()
}

fn signal_levels(p: &Program, signals: &[SignalView]) -> Vec<LevelGroup> {
    Level::ALL
        .iter()
        .map(|&lv| LevelGroup {
            level: lv.as_str(),
            label: lv.label(),
            signals: p
                .signals
                .iter()
                .zip(signals)
                .filter(|(s, _)| s.level == lv)
                .map(|(_, v)| v.clone())
                .collect(),
        })
        .collect()
}

fn enablers(cx: &Ctx) -> Vec<EnablerView> {
    cx.p.each::<Enabler>()
        .map(|(i, e)| EnablerView {
            id: e.id.clone(),
            title: cx.links.get(i).title.clone(),
            url: cx.url(EntityKind::Enabler, &e.id),
            enabler_html: cx.md.title(&e.enabler),
            owner: e.owner.clone(),
            due: e.due.map(format::date),
            due_iso: e.due.map(|d| d.to_string()),
            status: e.status.map(|s| s.as_str()),
            status_label: e.status.map(|s| s.label()),
            evidence_html: e.evidence.as_ref().map(|t| cx.md.block(t, 1)),
        })
        .collect()
}

fn metrics(cx: &Ctx) -> Vec<MetricView> {
    let l = cx.links;
    cx.p.each::<Metric>()
        .map(|(i, m)| (i, m, &cx.ev.metrics[i.index()]))
        .map(|(i, m, r)| MetricView {
            id: m.id.clone(),
            name: m.name.clone(),
            url: cx.url(EntityKind::Metric, &m.id),
            category: m.category.as_str(),
            category_label: m.category.label(),
            instrument: m.instrument.map(|i| l.one(i)),
            when: m
                .instrument
                .map(|i| cx.p[i].when.iter().map(|w| w.label()).collect())
                .unwrap_or_default(),
            target: m.target,
            target_display: format::target(m),
            tier: m.tier,
            tier_label: m.tier.and_then(format::tier_label),
            signals: l.list(&m.signals),
            sessions: l.list(&m.sessions),
            source: m.source.map(|s| s.as_str()),
            source_label: m.source.map(|s| s.label()),
            better: m.better.as_str(),
            better_label: m.better.label(),
            actual: r.actual.map(exact::to_f64),
            actual_display: r.actual.map(|a| format::actual(m, a)),
            n: r.n,
            n_display: results::n_display(m, r),
            status: r.status.as_str(),
            status_label: r.status.label(),
            series: cx
                .ev
                .series
                .iter()
                .find(|s| s.metric == i)
                .map(|s| results::series(cx.p, l, s)),
        })
        .collect()
}

fn metric_categories(p: &Program, metrics: &[MetricView]) -> Vec<CategoryGroup> {
    MetricCategory::ALL
        .iter()
        .filter_map(|&c| {
            let ms: Vec<MetricView> = p
                .metrics
                .iter()
                .zip(metrics)
                .filter(|(m, _)| m.category == c)
                .map(|(_, v)| v.clone())
                .collect();
            (!ms.is_empty()).then_some(CategoryGroup {
                category: c.as_str(),
                label: c.label(),
                metrics: ms,
            })
        })
        .collect()
}

fn instruments(cx: &Ctx) -> Vec<InstrumentView> {
    cx.p.instruments
        .iter()
        .map(|i| InstrumentView {
            id: i.id.clone(),
            name: i.name.clone(),
            url: cx.url(EntityKind::Instrument, &i.id),
            kind: i.kind.as_str(),
            kind_label: i.kind.label(),
            when: i.when.iter().map(|w| w.label()).collect(),
            metrics: cx.links.list(&i.metrics),
            sessions: cx.links.list(&i.sessions),
        })
        .collect()
}

/// How many headings a program's session views list in all (in
/// curriculum order): each is a template value in the program's view and
/// again in the guide's, and 1 MB of `#` lines is 500,000 headings.
pub(crate) const MAX_VIEW_HEADINGS: usize = crate::graph::LISTED_HEADINGS;

fn sessions(cx: &Ctx) -> Vec<SessionView> {
    let (p, l) = (cx.p, cx.links);
    let n = p.sessions.len();
    let mut headings_left = MAX_VIEW_HEADINGS;
    p.each::<Session>()
        .map(|(ix, s)| {
            let i = ix.index();
            SessionView {
                id: s.id.clone(),
                title: s.title.clone(),
                url: cx.url(EntityKind::Session, &s.id),
                number: s.number,
                kind: s.kind.as_str(),
                kind_label: s.kind.label(),
                week: s.week,
                date: s.date.map(format::date),
                date_iso: s.date.map(|d| d.to_string()),
                duration: s.duration,
                duration_display: s.duration.map(format::duration),
                module: s.module.clone(),
                competencies: l.list(&s.competencies),
                actions: l.list(&s.actions),
                practices: l.list(&s.practices),
                metrics: l.list(&s.metrics),
                requires: l.list(&s.requires),
                required_by: l.list(&s.required_by),
                prev: (i > 0).then(|| l.one(Ix::<Session>::new(i - 1))),
                next: (i + 1 < n).then(|| l.one(Ix::<Session>::new(i + 1))),
                purpose_html: s.purpose.as_ref().map(|t| cx.md.block(t, 1)),
                audience: s.audience.as_str(),
                library: s.library.as_ref().map(|id| LinkView {
                    id: id.clone(),
                    title: id.clone(),
                    url: cx.urls.library_guide(id),
                }),
                headings: {
                    let listed = s.headings.len().min(headings_left);
                    headings_left -= listed;
                    s.headings[..listed].to_vec()
                },
                attendance: p.results.attendance.get(&ix).map(|a| AttendanceView {
                    present: a.present,
                    total: a.total,
                    percent: format::percent(
                        exact::ratio(a.present, a.total.max(1)).unwrap_or_default(),
                    ),
                }),
                rating: p
                    .results
                    .ratings
                    .get(&ix)
                    .and_then(|r| exact::mean(r))
                    .map(|m| format::fixed(m, 2)),
                rating_n: p.results.ratings.get(&ix).map_or(0, Vec::len),
                feedback: cx.comments.session(p, l, ix),
            }
        })
        .collect()
}
