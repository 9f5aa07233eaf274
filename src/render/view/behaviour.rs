//! Behaviour evidence as pages show it (results page, impact report):
//! per survey item the then → post, pre → follow-up and post → follow-up
//! changes, others' figures by rater kind and phase beside self (a
//! withheld one says so, with no number), the self/others gap flag; per
//! scale α, the paired change of scale scores and the reliable change
//! counts. Only means and counts: never a participant or rater.

use serde::Serialize;

use crate::evidence::behaviour::{Behaviour, ItemBehaviour, ScaleResult};
use crate::evidence::stats::Paired;
use crate::graph::Program;
use crate::model::{Better, Phase};

use super::super::format::number::{fixed, interval, p_value, signed};

/// One change between two phases.
#[derive(Serialize, Clone)]
pub(crate) struct PhaseChange {
    pub label: &'static str,
    pub n: usize,
    pub before: String,
    pub after: String,
    pub change: String,
    pub ci: Option<String>,
    pub g_z: Option<String>,
    pub p: Option<String>,
    /// The change in plain words, as the impact report says it: `a large,
    /// reliable improvement (10 people)`.
    pub plain: String,
    /// A note under the row (the then-test's caution; whether the change
    /// held to the follow-up).
    pub note: Option<&'static str>,
}

#[derive(Serialize, Clone)]
pub(crate) struct FigureView {
    pub rater: &'static str,
    pub phase: &'static str,
    pub n: usize,
    /// None when withheld.
    pub mean: Option<String>,
}

#[derive(Serialize, Clone)]
pub(crate) struct GapView {
    pub phase: &'static str,
    pub n: usize,
    pub gap: String,
    /// `blind-spot`, `hidden-strength` or None.
    pub flag: Option<&'static str>,
    pub flag_label: Option<&'static str>,
}

#[derive(Serialize, Clone)]
pub(crate) struct ItemView {
    pub item: String,
    /// "on 1–5", and "(lower is better)".
    pub range: String,
    pub changes: Vec<PhaseChange>,
    pub figures: Vec<FigureView>,
    pub gap: Option<GapView>,
}

#[derive(Serialize, Clone)]
pub(crate) struct ScaleView {
    pub name: String,
    pub items: usize,
    pub range: String,
    pub alpha: Option<String>,
    pub alpha_phase: &'static str,
    pub alpha_n: usize,
    pub change: Option<PhaseChange>,
    pub improved: Option<usize>,
    pub unchanged: Option<usize>,
    pub declined: Option<usize>,
    pub criterion: Option<String>,
}

#[derive(Serialize, Clone, Default)]
pub(crate) struct BehaviourView {
    pub any: bool,
    pub min_raters: u32,
    pub items: Vec<ItemView>,
    pub scales: Vec<ScaleView>,
}

fn range_text((lo, hi): (f64, f64), better: Better) -> String {
    let lower = if better == Better::Lower {
        " (lower is better)"
    } else {
        ""
    };
    format!("on {lo}–{hi}{lower}")
}

fn change(
    label: &'static str,
    x: &Paired,
    better: Better,
    note: Option<&'static str>,
) -> PhaseChange {
    let t = x.tests.as_ref();
    PhaseChange {
        label,
        n: x.n,
        before: fixed(x.mean_pre, 2),
        after: fixed(x.mean_post, 2),
        change: signed(x.mean_change, 2),
        ci: t.map(|t| interval(t.ci.0, t.ci.1, 2)),
        g_z: t.map(|t| {
            format!(
                "{} {}",
                signed(t.g_z, 2),
                interval(t.g_z_ci.0, t.g_z_ci.1, 2)
            )
        }),
        p: t.map(|t| p_value(t.p_t)),
        plain: super::plain::plain_change(Some(x), better),
        note,
    }
}

/// Whether a post → follow-up change held: its interval reaches zero or
/// above (or, without one, the mean change is not below zero).
fn sustained(x: &Paired, better: Better) -> &'static str {
    let sign = if better == Better::Lower { -1.0 } else { 1.0 };
    let held = match &x.tests {
        Some(t) => (t.ci.0 * sign).max(t.ci.1 * sign) >= 0.0,
        None => crate::evidence::exact::to_f64(x.mean_change) * sign >= 0.0,
    };
    if held {
        "Sustained: the follow-up is not reliably below the end of the program."
    } else {
        "Not sustained: the follow-up is reliably below the end of the program."
    }
}

const THEN_CAUTION: &str = "Caution: a retrospective \"before\" (asked at the end) tends to inflate change; read it beside the pre → post change.";

fn item(p: &Program, b: &ItemBehaviour) -> ItemView {
    let s = &p.results.survey[b.item];
    let (range, better) = crate::evidence::behaviour::item_scale(p, &s.item);
    let mut changes = Vec::new();
    if let Some(x) = &b.then_post {
        changes.push(change("Then → after", x, better, Some(THEN_CAUTION)));
    }
    if let Some(x) = &b.pre_follow_up {
        changes.push(change("Before → follow-up", x, better, None));
    }
    if let Some(x) = &b.post_follow_up {
        changes.push(change(
            "After → follow-up",
            x,
            better,
            Some(sustained(x, better)),
        ));
    }
    ItemView {
        item: s.item.clone(),
        range: range_text(range, better),
        changes,
        figures: b
            .figures
            .iter()
            .map(|f| FigureView {
                rater: f.rater.label(),
                phase: f.phase.label(),
                n: f.n,
                mean: f.mean.map(|m| fixed(m, 2)),
            })
            .collect(),
        gap: b.gap.as_ref().map(|g| GapView {
            phase: g.phase.label(),
            n: g.n,
            gap: signed(g.gap, 2),
            flag: g.flag.map(|f| f.as_str()),
            flag_label: g.flag.map(|f| f.label()),
        }),
    }
}

fn scale(p: &Program, r: &ScaleResult) -> ScaleView {
    let sc = &p.scales[r.scale];
    let rc = r.reliable.as_ref();
    ScaleView {
        name: sc.name.clone(),
        items: sc.items.len(),
        range: range_text(r.range, r.better),
        alpha: r.alpha.map(|a| fixed(a, 2)),
        alpha_phase: match r.alpha_phase {
            Phase::Pre => "before",
            _ => "after",
        },
        alpha_n: r.alpha_n,
        change: r
            .paired
            .as_ref()
            .map(|x| change("Before → after", x, r.better, None)),
        improved: rc.map(|c| c.improved),
        unchanged: rc.map(|c| c.unchanged),
        declined: rc.map(|c| c.declined),
        criterion: rc.map(|c| fixed(c.criterion, 2)),
    }
}

pub(crate) fn view(p: &Program, b: &Behaviour, min_raters: u32) -> BehaviourView {
    BehaviourView {
        any: !b.is_empty(),
        min_raters,
        items: b.items.iter().map(|x| item(p, x)).collect(),
        scales: b.scales.iter().map(|x| scale(p, x)).collect(),
    }
}
