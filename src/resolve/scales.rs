//! Survey items and scales (FORMAT.md v1.2, `survey_items` and `scales`
//! of metrics.yaml) and the v1.2 keys of a metric (`rater`, `compare`,
//! `source: reliable-change`): declared into the graph, and every
//! **error** rule about them — ids, ranges, a scale's items and reversed
//! items, which sources the keys go with.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::graph::{ItemDef, Program, Scale, DEFAULT_ITEM_RANGE};
use crate::model::{is_valid_id, suggest_id, Better, Source};
use crate::suggest::{did_you_mean, Budget, SUGGESTION_BUDGET};
use crate::yaml::YamlPath;

use super::parse::Docs;

/// "1–5", "0–10", "0.5–2.5".
pub(super) fn range_text((lo, hi): (f64, f64)) -> String {
    format!("{lo}–{hi}")
}

/// The declared survey items and scales of metrics.yaml, into `p`; the
/// errors that need no survey data (ids, ranges, the metric keys).
pub(super) fn declare(p: &mut Program, docs: &Docs, diags: &mut Vec<Diagnostic>) {
    let Some((f, d)) = &docs.metrics else {
        return;
    };
    let f = *f;
    let root = YamlPath::root();
    let mut seen: HashSet<String> = HashSet::new();
    let mut id = |id: &str, at: YamlPath, diags: &mut Vec<Diagnostic>| {
        let loc = Loc::Yaml(f, 0, at.key("id"));
        if !is_valid_id(id) {
            let fixed = suggest_id(id);
            diags.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("`{id}` is not a valid survey item id"),
                    loc.clone(),
                )
                .with_label("ids use lowercase letters a-z, digits and `-`")
                .with_hint_opt((!fixed.is_empty()).then(|| format!("write it as `{fixed}`"))),
            );
        }
        if !seen.insert(id.to_string()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("duplicate survey item or scale id `{id}`"),
                    loc,
                )
                .with_label("already defined above")
                .with_hint("survey items and scales share one list of ids, unique within a program; rename one of them"),
            );
        }
    };
    for (i, s) in d.survey_items.iter().enumerate() {
        let at = root.key("survey_items").index(i);
        id(&s.id, at.clone(), diags);
        let range = match s.range.as_deref() {
            None => DEFAULT_ITEM_RANGE,
            Some(&[lo, hi]) if lo.is_finite() && hi.is_finite() && lo < hi => (lo, hi),
            Some(r) => {
                let msg = match r {
                    [lo, hi] => format!("the range [{lo}, {hi}] does not go from low to high"),
                    _ => "a range is two numbers".to_string(),
                };
                diags.push(
                    Diagnostic::error(Code::InvalidValue, msg, Loc::Yaml(f, 0, at.key("range")))
                        .with_hint("write the lowest and highest possible score: `range: [lowest, highest]`, e.g. `range: [1, 5]`"),
                );
                DEFAULT_ITEM_RANGE
            }
        };
        p.survey_items.push(ItemDef {
            id: s.id.clone(),
            text: s.text.clone(),
            range,
            better: s.better.unwrap_or(Better::Higher),
        });
    }
    for (i, s) in d.scales.iter().enumerate() {
        id(&s.id, root.key("scales").index(i), diags);
        p.scales.push(Scale {
            id: s.id.clone(),
            name: s.name.clone(),
            items: s.items.clone(),
            reversed: s.reversed.clone(),
        });
    }
    for (i, m) in d.metrics.iter().enumerate() {
        let at = root.key("metrics").index(i);
        let err = |msg: &str, key: &str, hint: &str| {
            Diagnostic::error(
                Code::InvalidValue,
                msg.to_string(),
                Loc::Yaml(f, 0, at.key(key)),
            )
            .with_hint(hint.to_string())
        };
        let survey = matches!(
            m.source,
            Some(Source::SurveyChange | Source::SurveyPost | Source::ReliableChange)
        );
        if m.rater.is_some() && !survey {
            diags.push(err(
                "`rater` goes with `source: survey-change`, `survey-post` or `reliable-change`",
                "rater",
                "remove `rater`, or give the metric a survey source",
            ));
        }
        let compares = matches!(
            m.source,
            Some(Source::SurveyChange | Source::ReliableChange)
        );
        if m.compare.is_some() && !compares {
            diags.push(err(
                "`compare` goes with `source: survey-change` or `source: reliable-change`",
                "compare",
                "remove `compare`, or make the metric a change: `source: survey-change`",
            ));
        }
        if m.source == Some(Source::ReliableChange) && m.items.is_none() {
            diags.push(err(
                "`source: reliable-change` needs `items` naming a scale",
                "source",
                "name the scale, e.g. `items: [delegation-scale]`",
            ));
        }
    }
}

/// The rules that need the survey's items: a scale's items are survey
/// items (declared, or in survey.csv), two or more on one range, its
/// reversed items among them; a reliable-change metric names scales.
pub(super) fn check(p: &Program, diags: &mut Vec<Diagnostic>) {
    let Some(f) = p.files.alignment[crate::layout::AlignmentFile::Metrics] else {
        return;
    };
    let root = YamlPath::root();
    let items = known_items(p);
    let at = |path: YamlPath| Loc::Yaml(f, 0, path);
    let budget = Budget::new(SUGGESTION_BUDGET);
    for (i, s) in p.scales.iter().enumerate() {
        let sp = root.key("scales").index(i);
        let mut ok = true;
        for (j, item) in s.items.iter().enumerate() {
            if items.contains_key(item.as_str()) {
                continue;
            }
            ok = false;
            let hint =
                did_you_mean(budget.suggest(item, items.keys().copied())).unwrap_or_else(|| {
                    "declare it under `survey_items`, or name an item of results/survey.csv".into()
                });
            diags.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("`{item}` is no survey item"),
                    at(sp.key("items").index(j)),
                )
                .with_hint(hint),
            );
        }
        if s.items.len() < 2 {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "the scale `{}` has {} item{}: a scale needs two or more",
                        s.id,
                        if s.items.is_empty() { "no" } else { "one" },
                        if s.items.is_empty() { "s" } else { "" }
                    ),
                    at(sp.key("items")),
                )
                .with_hint(
                    "add its other items, or name the single item in the metric's `items` instead",
                ),
            );
        }
        let own: HashSet<&str> = s.items.iter().map(String::as_str).collect();
        for (j, r) in s.reversed.iter().enumerate() {
            if !own.contains(r.as_str()) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{r}` is not an item of the scale `{}`", s.id),
                        at(sp.key("reversed").index(j)),
                    )
                    .with_hint(items_hint(&s.items)),
                );
            }
        }
        if !ok {
            continue;
        }
        let ranges: Vec<(&str, (f64, f64))> = s
            .items
            .iter()
            .map(|i| (i.as_str(), items[i.as_str()]))
            .collect();
        if let Some((other, r)) = ranges.iter().find(|(_, r)| *r != ranges[0].1) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "the items of the scale `{}` have different ranges: `{other}` is on {}, `{}` on {}",
                        s.id,
                        range_text(*r),
                        ranges[0].0,
                        range_text(ranges[0].1)
                    ),
                    at(sp.key("items")),
                )
                .with_hint("a scale's score is the mean of its items: give them one range, or make two scales"),
            );
        }
    }
    let scales: Vec<&str> = p.scales.iter().map(|s| s.id.as_str()).collect();
    for (i, m) in p.metrics.iter().enumerate() {
        if m.source != Some(Source::ReliableChange) {
            continue;
        }
        for (j, item) in m.items.iter().flatten().enumerate() {
            if scales.contains(&item.as_str()) {
                continue;
            }
            let hint = match scales.is_empty() {
                true => "declare a scale under `scales:` and name it here".to_string(),
                false => format!("name a scale: {}", scales.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{item}` is no scale: reliable change is counted on scales"),
                    at(root.key("metrics").index(i).key("items").index(j)),
                )
                .with_hint(hint),
            );
        }
    }
}

/// Every survey item of `p` (declared or in survey.csv) with its range.
/// How many of a scale's items the hint of a wrong `reversed` entry lists.
const LISTED_ITEMS: usize = 12;

/// The hint of a `reversed` entry that is none of the scale's `items`:
/// them, or the first [`LISTED_ITEMS`] (a hint per entry listing thousands
/// of items grew with the square of the scale).
fn items_hint(items: &[String]) -> String {
    match items.len() {
        n if n <= LISTED_ITEMS => format!("its items are {}", items.join(", ")),
        n => format!(
            "its items are {} and {} more",
            items[..LISTED_ITEMS].join(", "),
            n - LISTED_ITEMS
        ),
    }
}

pub(super) fn known_items(p: &Program) -> HashMap<&str, (f64, f64)> {
    let mut items: HashMap<&str, (f64, f64)> = p
        .results
        .survey
        .iter()
        .map(|s| (s.item.as_str(), DEFAULT_ITEM_RANGE))
        .collect();
    for d in &p.survey_items {
        items.insert(d.id.as_str(), d.range);
    }
    items
}

/// Each declared item's range, by id: survey scores must lie in it.
pub(super) fn declared_ranges(p: &Program) -> HashMap<&str, (f64, f64)> {
    p.survey_items
        .iter()
        .map(|d| (d.id.as_str(), d.range))
        .collect()
}
