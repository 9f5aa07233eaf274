//! The `results.behaviour` part of `program.json` (FORMAT.md v1.2): the
//! figures the pages' behaviour evidence shows, as numbers — per scale
//! Cronbach's α, the paired change of scale scores and the reliable change
//! counts; per item the then → post, pre → follow-up and post → follow-up
//! changes, each rater kind's mean per phase (a withheld figure has no
//! `mean` at all, only `withheld: true`) and the self/others gap. Exact
//! means are written as the f64 nearest them, like every figure of
//! `results`.

use schemars::JsonSchema;
use serde::Serialize;

use crate::evidence::behaviour::{Behaviour, ItemBehaviour, ScaleResult};
use crate::evidence::exact;
use crate::evidence::stats::Paired;
use crate::graph::Program;

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct BehaviourExport {
    /// Distinct raters a peer's, report's or other's figure needs.
    pub min_raters: u32,
    pub scales: Vec<ScaleExport>,
    pub items: Vec<ItemBehaviourExport>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ScaleExport {
    pub id: String,
    pub name: String,
    pub items: Vec<String>,
    pub range: [f64; 2],
    #[schemars(extend("enum" = ["higher", "lower"]))]
    pub better: &'static str,
    /// Cronbach's α (null with fewer than two complete answers or no
    /// variance), from `alpha_n` complete answers of `alpha_phase`.
    pub alpha: Option<f64>,
    pub alpha_phase: &'static str,
    pub alpha_n: usize,
    /// Self pre → post of the scale scores.
    pub change: Option<ChangeExport>,
    /// Jacobson–Truax reliable change.
    pub reliable: Option<ReliableExport>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ReliableExport {
    pub n: usize,
    pub improved: usize,
    pub unchanged: usize,
    pub declined: usize,
    /// The smallest reliable change: 1.96 · √2 · SD_pre · √(1 − α).
    pub criterion: f64,
}

/// A paired change between two phases.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ChangeExport {
    #[schemars(extend("enum" = ["pre-post", "then-post", "pre-follow-up", "post-follow-up"]))]
    pub compare: &'static str,
    pub n: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    pub mean_change: f64,
    /// The 95% t interval, Hedges' g_z with its interval and the paired
    /// t-test's p (null below three pairs or when every change is equal).
    pub ci: Option<[f64; 2]>,
    pub g_z: Option<f64>,
    pub g_z_ci: Option<[f64; 2]>,
    pub p_t: Option<f64>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ItemBehaviourExport {
    pub item: String,
    pub changes: Vec<ChangeExport>,
    pub raters: Vec<RaterFigureExport>,
    pub gap: Option<GapExport>,
}

/// One rater kind's mean in one phase.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RaterFigureExport {
    #[schemars(extend("enum" = ["self", "manager", "peer", "report", "other"]))]
    pub rater: &'static str,
    #[schemars(extend("enum" = ["pre", "then", "post", "follow-up"]))]
    pub phase: &'static str,
    /// Participants rated.
    pub n: usize,
    /// Fewer distinct raters than `min_raters`: then there is no `mean`.
    pub withheld: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
}

/// Self minus others, over the participants with both.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct GapExport {
    pub phase: &'static str,
    pub n: usize,
    pub gap: f64,
    #[schemars(extend("enum" = ["blind-spot", "hidden-strength", null]))]
    pub flag: Option<&'static str>,
}

fn change(compare: &'static str, x: &Paired) -> ChangeExport {
    let t = x.tests.as_ref();
    ChangeExport {
        compare,
        n: x.n,
        mean_before: exact::to_f64(x.mean_pre),
        mean_after: exact::to_f64(x.mean_post),
        mean_change: exact::to_f64(x.mean_change),
        ci: t.map(|t| [t.ci.0, t.ci.1]),
        g_z: t.map(|t| t.g_z),
        g_z_ci: t.map(|t| [t.g_z_ci.0, t.g_z_ci.1]),
        p_t: t.map(|t| t.p_t),
    }
}

fn scale(p: &Program, r: &ScaleResult) -> ScaleExport {
    let sc = &p.scales[r.scale];
    ScaleExport {
        id: sc.id.clone(),
        name: sc.name.clone(),
        items: sc.items.clone(),
        range: [r.range.0, r.range.1],
        better: r.better.as_str(),
        alpha: r.alpha,
        alpha_phase: r.alpha_phase.as_str(),
        alpha_n: r.alpha_n,
        change: r.paired.as_ref().map(|x| change("pre-post", x)),
        reliable: r.reliable.as_ref().map(|c| ReliableExport {
            n: c.n,
            improved: c.improved,
            unchanged: c.unchanged,
            declined: c.declined,
            criterion: c.criterion,
        }),
    }
}

fn item(p: &Program, b: &ItemBehaviour) -> ItemBehaviourExport {
    let changes = [
        ("then-post", &b.then_post),
        ("pre-follow-up", &b.pre_follow_up),
        ("post-follow-up", &b.post_follow_up),
    ]
    .into_iter()
    .filter_map(|(c, x)| x.as_ref().map(|x| change(c, x)))
    .collect();
    ItemBehaviourExport {
        item: p.results.survey[b.item].item.clone(),
        changes,
        raters: b
            .figures
            .iter()
            .map(|f| RaterFigureExport {
                rater: f.rater.as_str(),
                phase: f.phase.as_str(),
                n: f.n,
                withheld: f.withheld,
                mean: if f.withheld {
                    None
                } else {
                    f.mean.map(exact::to_f64)
                },
            })
            .collect(),
        gap: b.gap.as_ref().map(|g| GapExport {
            phase: g.phase.as_str(),
            n: g.n,
            gap: exact::to_f64(g.gap),
            flag: g.flag.map(|f| f.as_str()),
        }),
    }
}

/// The behaviour evidence of `p` (null when the pages show none).
pub(crate) fn of(p: &Program, b: &Behaviour, min_raters: u32) -> Option<BehaviourExport> {
    (!b.is_empty()).then(|| BehaviourExport {
        min_raters,
        scales: b.scales.iter().map(|r| scale(p, r)).collect(),
        items: b.items.iter().map(|x| item(p, x)).collect(),
    })
}
