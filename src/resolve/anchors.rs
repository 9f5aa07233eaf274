//! The heading anchors of each session, as links to them are checked:
//! looked up by name, and listed in the order of the text for a hint.

use std::collections::HashSet;

use crate::markdown::Analysis;
use crate::suggest::{did_you_mean, Budget};

/// The heading anchors of one session: to look up, and in the order of
/// its text (for hints).
pub(super) struct Anchors<'a> {
    set: HashSet<&'a str>,
    order: Vec<&'a str>,
}

impl<'a> Anchors<'a> {
    pub(super) fn new(a: &'a Analysis) -> Self {
        let order: Vec<&str> = a.headings.iter().map(|h| h.anchor.as_str()).collect();
        Anchors {
            set: order.iter().copied().collect(),
            order,
        }
    }

    pub(super) fn contains(&self, anchor: &str) -> bool {
        self.set.contains(anchor)
    }
}

/// How many anchors a hint lists at most.
const LISTED_ANCHORS: usize = 12;

/// "did you mean", or the anchors that exist (the first ones, in the
/// order of the text).
pub(super) fn anchor_hint(anchor: &str, headings: &Anchors, budget: &Budget) -> String {
    let all = &headings.order;
    did_you_mean(budget.suggest(anchor, all.iter().copied())).unwrap_or_else(|| match all.len() {
        0 => "that session has no headings".into(),
        n if n <= LISTED_ANCHORS => format!("its heading anchors are: {}", all.join(", ")),
        n => format!(
            "its heading anchors are: {} and {} more",
            all[..LISTED_ANCHORS].join(", "),
            n - LISTED_ANCHORS
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::SUGGESTION_BUDGET;

    #[test]
    fn anchor_hints_suggest_or_list() {
        let analysis = |names: Vec<String>| Analysis {
            headings: names
                .into_iter()
                .map(|n| crate::markdown::Heading {
                    level: 2,
                    text: n.clone(),
                    anchor: n,
                    facilitator: false,
                })
                .collect(),
            ..Analysis::default()
        };
        let two = analysis(vec!["debrief-questions".into(), "agenda".into()]);
        let many = analysis((0..20).map(|i| format!("step-{i}")).collect());
        let none = Analysis::default();
        let b = Budget::new(SUGGESTION_BUDGET);
        let h = Anchors::new(&two);
        assert_eq!(anchor_hint("agend", &h, &b), "did you mean `agenda`?");
        assert_eq!(
            anchor_hint("zzz", &h, &b),
            "its heading anchors are: debrief-questions, agenda"
        );
        assert_eq!(
            anchor_hint("x", &Anchors::new(&none), &b),
            "that session has no headings"
        );
        assert_eq!(
            anchor_hint("zzz", &Anchors::new(&many), &b),
            "its heading anchors are: step-0, step-1, step-2, step-3, step-4, step-5, step-6, step-7, step-8, step-9, step-10, step-11 and 8 more"
        );
        // Once the budget is spent, the list without a suggestion.
        let spent = Budget::new(1);
        assert_eq!(
            anchor_hint("agend", &h, &spent),
            "its heading anchors are: debrief-questions, agenda"
        );
    }
}
