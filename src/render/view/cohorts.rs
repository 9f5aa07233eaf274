//! Cohorts in the views (FORMAT.md v1.2): a program as one cohort ran it
//! ([`run`]: its dates and results), the views of each run (its results
//! page and impact report are the program's, made from the run), and what
//! the program's pages add — the cohort switcher, each cohort's dates on
//! the curriculum, and the results page's comparison of the cohorts: each
//! metric's actual and status per cohort (with a chart across cohorts),
//! each survey item's mean change with its interval per cohort, the
//! latest cohort's mean change minus the one before with a Welch 95%
//! interval, attendance and ratings side by side.

use std::sync::Arc;

use crate::evidence::exact::{self, Decimal};
use crate::evidence::welch::welch;
use crate::evidence::Evidence;
use crate::graph::{Cohort, Program, RATING_SCALE};
use crate::kinds::Section;

use super::super::format;
use super::super::svg::{self, Bar, Caption, Scale, TargetLine};
use super::super::urls::ProgramUrls;
use super::build::ProgramBuild;
use super::cohort_view::Ref as LinkView;
use super::cohort_view::{
    AttendanceCell, CohortLink, ComparisonView, DateCell, DatesRow, DifferenceView, ItemCell,
    ItemRow, MetricCell, MetricRow, RatingCell,
};

/// The program `p` as cohort `c` ran it: the cohort's start, size,
/// facilitators, session dates and results.
pub(crate) fn run(p: &Program, c: &Cohort) -> Program {
    let mut q = p.clone();
    for s in &mut q.sessions {
        s.date = c.date_of(s);
    }
    q.start = Some(c.start);
    q.cohort_size = c.cohort_size.or(p.cohort_size);
    if !c.facilitators.is_empty() {
        q.facilitators = c.facilitators.clone();
    }
    q.results = c.results.clone();
    q.cohorts = Vec::new();
    q
}

/// The program `p` as its own pages show it when it has cohorts: its
/// curriculum (no cohort's dates) with the results of `latest`, its latest
/// cohort, and that cohort's size.
pub(crate) fn latest_figures(p: &Program, latest: &Cohort) -> Program {
    let mut q = p.clone();
    q.results = latest.results.clone();
    q.cohort_size = latest.cohort_size.or(p.cohort_size);
    q
}

/// One cohort's run and its views.
#[derive(Clone)]
pub(crate) struct CohortBuild {
    pub id: String,
    pub title: String,
    pub program: Arc<Program>,
    pub build: Arc<ProgramBuild>,
}

/// How the difference between cohorts is found.
pub(crate) const METHOD: &str = "Per survey item, the latest cohort's mean change per person (post − pre) minus the previous cohort's, with a Welch 95% interval (the cohorts are different people: unpaired, variances not assumed equal).";

/// How many cohorts either side of its own a cohort's switcher lists.
pub(crate) const NEIGHBOURS: usize = 5;

/// The cohorts a cohort's pages list in their switcher: the one at `i` of
/// `list` (by start) and up to [`NEIGHBOURS`] either side of it. Every
/// cohort on every cohort's pages grew with the square of the cohorts;
/// the program's results page (linked from each) lists them all.
pub(crate) fn neighbours(list: &[CohortLink], i: usize) -> &[CohortLink] {
    &list[i.saturating_sub(NEIGHBOURS)..(i + NEIGHBOURS + 1).min(list.len())]
}

/// The link to cohort `c` of a program under `urls`; `results`: whether
/// the edition shows results.
pub(crate) fn link(c: &CohortBuild, urls: &ProgramUrls, results: bool) -> CohortLink {
    let p = &c.program;
    let start = p.start.unwrap_or_default();
    CohortLink {
        id: c.id.clone(),
        title: c.title.clone(),
        start: format::date(start),
        start_iso: start.to_string(),
        end: super::build::last_date(p).map(format::date),
        cohort_size: p.cohort_size,
        facilitators: p.facilitators.clone(),
        results_url: results.then(|| urls.cohort_section(&c.id, Section::Results).url),
        impact_url: results.then(|| urls.cohort_section(&c.id, Section::Impact).url),
        calendar_url: urls.cohort_file(&c.id, "calendar.ics").url,
        csv_url: results.then(|| urls.cohort_file(&c.id, "results.csv").url),
    }
}

/// The views of a cohort's own pages: the run's, with its results,
/// impact report, calendar and CSV at the cohort's addresses.
pub(crate) fn point_at(b: &mut ProgramBuild, c: &CohortLink) {
    for u in [&mut b.header.urls, &mut b.view.header.urls] {
        u.results = c.results_url.clone();
        u.impact = c.impact_url.clone();
        u.csv = c.csv_url.clone();
        u.calendar = c.calendar_url.clone();
    }
}

/// Each session's date in each cohort.
pub(crate) fn dates(main: &ProgramBuild, runs: &[CohortBuild]) -> Vec<DatesRow> {
    main.view
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| DatesRow {
            link: LinkView {
                id: s.id.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
            },
            number: s.number,
            dates: runs
                .iter()
                .map(|r| {
                    r.program
                        .sessions
                        .get(i)
                        .and_then(|x| x.date)
                        .map(|d| DateCell {
                            date: format::date(d),
                            date_iso: d.to_string(),
                        })
                })
                .collect(),
        })
        .collect()
}

/// The cohorts of `p` (whose views are `main`) compared.
pub(crate) fn comparison(p: &Program, main: &ProgramBuild, runs: &[CohortBuild]) -> ComparisonView {
    let evs: Vec<&Evidence> = runs.iter().map(|r| &r.build.evidence).collect();
    let metrics =
        p.metrics
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let view = &main.view.metrics[i];
                let cells: Vec<MetricCell> = runs
                    .iter()
                    .map(|r| {
                        let v = &r.build.view.metrics[i];
                        MetricCell {
                            actual_display: v.actual_display.clone(),
                            n: v.n,
                            status: v.status,
                            status_label: v.status_label,
                        }
                    })
                    .collect();
                let bars: Vec<Bar> = runs
                    .iter()
                    .zip(&evs)
                    .enumerate()
                    .filter_map(|(k, (_, ev))| {
                        let a = ev.metrics[i].actual?;
                        Some(Bar {
                            label: (k + 1).to_string(),
                            value: exact::to_f64(a),
                            shown: format::actual(m, a),
                        })
                    })
                    .collect();
                let rate = format::is_rate(m);
                let rating = m.source == Some(crate::model::Source::Ratings);
                let (lo, hi) = RATING_SCALE;
                let svg = match bars.len() {
                    0 => String::new(),
                    _ => svg::bar_chart(
                        &Caption {
                            id: &format!("cohorts-{}", m.id),
                            title: &format!("{} per cohort", m.name),
                            desc: &format!(
                            "One bar per cohort with data, numbered by start as in the table{}.",
                            if m.target.is_some() { "; the dashed line is the target" } else { "" }
                        ),
                        },
                        "Cohort",
                        &bars,
                        &Scale {
                            title: &m.name,
                            bounds: if rate {
                                Some((0.0, 1.0))
                            } else if rating {
                                Some((f64::from(lo), f64::from(hi)))
                            } else {
                                None
                            },
                            percent: rate,
                        },
                        m.target
                            .zip(format::target(m))
                            .map(|(value, shown)| TargetLine { value, shown })
                            .as_ref(),
                    ),
                };
                MetricRow {
                    link: LinkView {
                        id: view.id.clone(),
                        title: view.name.clone(),
                        url: view.url.clone(),
                    },
                    target_display: view.target_display.clone(),
                    cells,
                    svg,
                }
            })
            .collect();
    ComparisonView {
        metrics,
        survey: survey(main, runs),
        attendance: evs
            .iter()
            .map(|ev| AttendanceCell {
                pooled_rate: ev.attendance.pooled_rate.map(format::percent),
                mean_rate: ev.attendance.mean_rate.map(format::percent),
                sessions: ev.attendance.sessions.len(),
            })
            .collect(),
        ratings: evs
            .iter()
            .map(|ev| {
                let o = ev.ratings.overall.as_ref();
                RatingCell {
                    mean: o.map(|o| format::fixed(o.mean, 2)),
                    n: o.map_or(0, |o| o.n),
                    top_two: o.map(|o| format::percent(o.top_two)),
                }
            })
            .collect(),
        latest: (runs.len() >= 2).then(|| runs[runs.len() - 1].title.clone()),
        previous: (runs.len() >= 2).then(|| runs[runs.len() - 2].title.clone()),
        method: METHOD,
    }
}

/// Every survey item of any cohort (in order of first appearance), with
/// each cohort's mean change and the difference of the last two.
fn survey(main: &ProgramBuild, runs: &[CohortBuild]) -> Vec<ItemRow> {
    let mut items: Vec<String> = Vec::new();
    for r in runs {
        for s in &r.program.results.survey {
            if !items.contains(&s.item) {
                items.push(s.item.clone());
            }
        }
    }
    // Exact changes: five changes of 0.6 made from different scores are
    // equal, and the difference of two means is exact.
    let changes = |r: &CohortBuild, item: &str| -> Vec<Decimal> {
        r.program
            .results
            .survey
            .iter()
            .find(|s| s.item == item)
            .map(|s| s.pairs().iter().map(|(a, b)| b - a).collect())
            .unwrap_or_default()
    };
    items
        .into_iter()
        .map(|item| {
            let link = main
                .view
                .competencies
                .iter()
                .find(|c| c.id == item)
                .map(|c| LinkView {
                    id: c.id.clone(),
                    title: c.name.clone(),
                    url: c.url.clone(),
                });
            let cells = runs
                .iter()
                .map(|r| {
                    let v = r.build.view.results.survey.iter().find(|s| s.item == item);
                    ItemCell {
                        n: v.map_or(0, |v| v.n),
                        mean_change: v.and_then(|v| v.mean_change.clone()),
                        ci: v.and_then(|v| v.ci.clone()),
                    }
                })
                .collect();
            let difference = match runs {
                [.., before, last] => {
                    let (a, b) = (changes(last, &item), changes(before, &item));
                    let mean = |x: &[Decimal]| exact::mean(x).unwrap_or_default();
                    match (a.is_empty() || b.is_empty(), welch(&a, &b)) {
                        (true, _) => None,
                        (false, Some(w)) => Some(DifferenceView {
                            difference: format::signed(w.diff, 2),
                            ci: Some(format::interval(w.ci.0, w.ci.1, 2)),
                            df: Some(format::fixed(w.df, 1)),
                            p: Some(format::p_value(w.p)),
                            note: None,
                        }),
                        (false, None) => Some(DifferenceView {
                            difference: format::signed(mean(&a) - mean(&b), 2),
                            ci: None,
                            df: None,
                            p: None,
                            note: Some("too few pairs, or no spread, for an interval"),
                        }),
                    }
                }
                _ => None,
            };
            ItemRow {
                item,
                link,
                cells,
                difference,
            }
        })
        .collect()
}
