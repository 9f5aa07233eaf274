//! The impact report's opening: the evaluation question answered in one
//! sentence from the data — a verdict, the success signals met, partly
//! met and not met, the headline outcome from its baseline to its latest
//! value against its target, and (once enablers say so) the required
//! drivers in place — with one chart of the headline, and the date of the
//! latest result the report reads.
//!
//! The **headline** is the program's first metric of category `outcome`
//! that is measured here (has a `source`): the business result the action
//! map's goal is about. A program without one takes the measured metric of
//! the highest LTEM tier that has data (the first of them in
//! `metrics.yaml`).
//!
//! The **verdict**: "Too early to tell" while no signal and no headline
//! has data; "Yes" when every signal with data is met and so is the
//! headline ("Yes so far" while some signal has no data yet); "Largely yes" when the headline is met (or there is none)
//! and no signal is not met; "Partly" when some signal is met or partly
//! met; else "Not yet".

use chrono::NaiveDate;

use crate::evidence::Evidence;
use crate::graph::{Ix, Metric, Program};
use crate::model::{Better, MetricCategory, Source};

use super::super::format;
use super::impact::{Headline, ImpactAnswer};
use super::{ImpactView, MetricView, ResultsView};

/// Which metric is the headline (see the module's comment).
pub(crate) fn headline_metric(p: &Program, views: &[MetricView]) -> Option<Ix<Metric>> {
    let measured = || p.each::<Metric>().filter(|(_, m)| m.source.is_some());
    if let Some((i, _)) = measured().find(|(_, m)| m.category == MetricCategory::Outcome) {
        return Some(i);
    }
    let with_data = || measured().filter(|(i, _)| views[i.index()].actual_display.is_some());
    let top = with_data().filter_map(|(_, m)| m.tier).max();
    with_data().find(|(_, m)| m.tier == top).map(|(i, _)| i)
}

/// The latest date of the program's results.
pub(crate) fn as_of(p: &Program) -> Option<NaiveDate> {
    let r = &p.results;
    let session_dates = r
        .attendance
        .keys()
        .chain(r.ratings.keys())
        .copied()
        .chain(r.feedback.iter().filter_map(|f| f.session))
        .filter_map(|s| p[s].date);
    r.observations
        .iter()
        .map(|o| o.date)
        .chain(session_dates)
        .max()
}

/// `Executive escalations` → `executive escalations`, but `NPS` stays.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

/// `3 are met and 3 partly met` (the non-zero parts, in order).
fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn signals_clause(i: &ImpactView) -> Option<String> {
    let total = i.met + i.partly_met + i.not_met + i.no_data;
    if total == 0 {
        return None;
    }
    let mut parts = Vec::new();
    let verb = |n: usize| if n == 1 { "is" } else { "are" };
    for (n, what) in [
        (i.met, "met"),
        (i.partly_met, "partly met"),
        (i.not_met, "not met"),
        (i.no_data, "without data yet"),
    ] {
        if n > 0 {
            parts.push(if parts.is_empty() {
                format!("{n} {} {what}", verb(n))
            } else {
                format!("{n} {what}")
            });
        }
    }
    Some(if total == 1 {
        format!(
            "its one success signal is {}",
            parts[0].trim_start_matches("1 is ")
        )
    } else {
        format!("of its {total} success signals, {}", and_list(&parts))
    })
}

/// `(target 1.5 or lower: met)`, or nothing without a target.
fn against_target(p: &Program, m: Ix<Metric>, v: &MetricView) -> String {
    match &v.target_display {
        Some(t) => {
            let side = match p[m].better {
                Better::Lower => " or lower",
                Better::Higher => " or higher",
            };
            format!(" (target {t}{side}: {})", v.status_label)
        }
        None => String::new(),
    }
}

fn headline_clause(p: &Program, ev: &Evidence, m: Ix<Metric>, v: &MetricView) -> String {
    let name = lower_first(&v.name);
    let target = against_target(p, m, v);
    let short = |iso: &str| {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .map(|d| d.format("%-d %b %Y").to_string())
            .unwrap_or_default()
    };
    if let Some(s) = v.series.as_ref().filter(|s| s.points.len() >= 2) {
        let (first, last) = (&s.points[0], &s.points[s.points.len() - 1]);
        let points = ev
            .series
            .iter()
            .find(|x| x.metric == m)
            .map(|x| x.points.as_slice())
            .unwrap_or_default();
        let moved = match (points.first(), points.last()) {
            (Some((_, a)), Some((_, b))) if b < a => "fell",
            (Some((_, a)), Some((_, b))) if b > a => "rose",
            _ => "went",
        };
        return format!(
            "{name} {moved} from {} on {} to {} on {}{target}",
            s.baseline,
            short(&first.date_iso),
            s.latest,
            short(&last.date_iso)
        );
    }
    match (
        &v.actual_display,
        v.series.as_ref().and_then(|s| s.points.first()),
    ) {
        (Some(a), Some(pt)) => format!("{name} was {a} on {}{target}", short(&pt.date_iso)),
        (Some(a), None) => format!("{name} is {a}{target}"),
        (None, _) => format!("{name} has no data yet"),
    }
}

fn verdict(i: &ImpactView, headline: Option<&'static str>) -> &'static str {
    let signals_with_data = i.met + i.partly_met + i.not_met;
    let headline_data = headline.is_some_and(|s| s != "no-data");
    if signals_with_data == 0 && !headline_data {
        return "Too early to tell";
    }
    let headline_ok = headline.is_none_or(|s| s == "met" || s == "no-target");
    if i.partly_met == 0 && i.not_met == 0 && i.met > 0 && headline_ok {
        if i.no_data == 0 {
            "Yes"
        } else {
            "Yes so far"
        }
    } else if i.not_met == 0 && (i.met + i.partly_met) > 0 && headline_ok {
        "Largely yes"
    } else if i.met + i.partly_met > 0 {
        "Partly"
    } else {
        "Not yet"
    }
}

/// The impact report's answer, from the program's metric and results
/// views and the signal counts already in `impact`.
pub(crate) fn answer(
    p: &Program,
    metrics: &[MetricView],
    results: &ResultsView,
    impact: &ImpactView,
    ev: &Evidence,
) -> ImpactAnswer {
    let head = headline_metric(p, metrics);
    let headline = head.map(|m| {
        let v = &metrics[m.index()];
        let svg = match p[m].source {
            Some(Source::Observations) => v.series.as_ref().map(|s| s.svg.clone()),
            Some(Source::Attendance) => results.attendance.as_ref().map(|a| a.svg.clone()),
            Some(Source::Ratings) => results.ratings.as_ref().map(|r| r.svg.clone()),
            _ => None,
        };
        Headline {
            title: v.name.clone(),
            url: v.url.clone(),
            why: if p[m].category == MetricCategory::Outcome {
                "the program's first outcome metric"
            } else {
                "the measured metric of the highest LTEM tier (the program has no outcome metric)"
            },
            status: v.status,
            status_label: v.status_label,
            svg,
        }
    });
    let drivers = crate::drivers::in_place(p).map(crate::drivers::in_place_text);
    let clauses: Vec<String> = signals_clause(impact)
        .into_iter()
        .chain(head.map(|m| headline_clause(p, ev, m, &metrics[m.index()])))
        .chain(drivers.clone())
        .collect();
    let verdict = verdict(impact, headline.as_ref().map(|h| h.status));
    let sentence = if clauses.is_empty() {
        "nothing is measured yet.".to_string()
    } else {
        format!("{}.", clauses.join("; "))
    };
    let date = as_of(p);
    ImpactAnswer {
        verdict,
        sentence,
        headline,
        drivers,
        as_of: date.map(format::date),
        as_of_iso: date.map(|d| d.to_string()),
    }
}
