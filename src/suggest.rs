//! Suggestions: the closest known word to a misspelt one, for "did you
//! mean" hints. A leaf module, shared by every stage that reports an unknown
//! key, id, value, file or column.

/// Closest candidate to `word`: one that differs only in case and
/// separators ([`same_but_case`]; `01-INTRO` for `01-intro`), else the one
/// of highest Jaro–Winkler similarity, at least 0.75 (ties go to the
/// alphabetically first); never `word` itself.
pub(crate) fn suggest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let w = folded(word);
    if let Some(c) = candidates
        .iter()
        .filter(|c| **c != word && folded(c) == w)
        .min()
    {
        return Some(c.to_string());
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let score = strsim::jaro_winkler(word, c);
        if best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.75).map(|(_, c)| c.to_string())
}

/// The hint text for a suggestion: "did you mean `x`?".
pub(crate) fn did_you_mean(s: Option<String>) -> Option<String> {
    s.map(|s| format!("did you mean `{s}`?"))
}

/// How many candidates one program's suggestions may compare in all
/// (about a fifth of a second): a site of many ids with many unknown
/// references costs no more. Real sites spend a few thousand.
pub(crate) const SUGGESTION_BUDGET: usize = 1_000_000;

/// A bound on the work of many suggestions made in one order (one
/// program's references): each [`Budget::suggest`] spends one unit per
/// candidate, and once the budget is spent there are no more suggestions.
/// What is suggested depends only on that order, so output stays
/// deterministic.
pub(crate) struct Budget(std::cell::Cell<usize>);

impl Budget {
    pub(crate) fn new(units: usize) -> Self {
        Budget(std::cell::Cell::new(units))
    }

    /// [`suggest`], while the budget lasts.
    pub(crate) fn suggest<'a, I>(&self, word: &str, candidates: I) -> Option<String>
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: ExactSizeIterator,
    {
        let candidates = candidates.into_iter();
        let left = self.0.get().checked_sub(candidates.len())?;
        self.0.set(left);
        suggest(word, candidates)
    }
}

/// [`suggest`] and [`did_you_mean`] in one step.
pub(crate) fn hint<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(suggest(word, candidates))
}

/// `s` as ids compare when case and separators are not minded:
/// lowercase, with `_` and spaces as `-`.
pub(crate) fn folded(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Whether `a` and `b` are two spellings of one word: different, but the
/// same when case and separators (`-`, `_`, space) are not minded.
pub(crate) fn same_but_case(a: &str, b: &str) -> bool {
    a != b && folded(a) == folded(b)
}

/// The candidate that `word` is most likely a slip of, for words that may
/// rightly differ from every candidate (free text): one that differs only
/// in case and separators, else one of at least five characters that is
/// one edit away (a letter added, dropped, changed, or two swapped; case
/// not minded). Far stricter than [`suggest`]: `delegation-confidence` is
/// no slip of `delegation`, nor `q2` of `q1`. Ties go to the
/// alphabetically first; never `word` itself.
pub(crate) fn slip_of<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let w = folded(word);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let f = folded(c);
        let d = if f == w {
            0
        } else if c.chars().count() >= 5 && strsim::osa_distance(&w, &f) == 1 {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(bd, b)| d < bd || (d == bd && c < b)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_are_case_separators_or_one_edit() {
        let ids = ["delegation", "feedback", "q1"];
        assert_eq!(slip_of("Delegation", ids), Some("delegation"));
        assert_eq!(slip_of("FEED_BACK", ids), Some("feedback"));
        assert_eq!(slip_of("delegaton", ids), Some("delegation"));
        assert_eq!(slip_of("dleegation", ids), Some("delegation"));
        assert_eq!(slip_of("Q1", ids), Some("q1"));
        assert_eq!(slip_of("q2", ids), None, "short ids take no edit");
        assert_eq!(slip_of("delegation-confidence", ids), None);
        assert_eq!(slip_of("feedback-quality", ids), None);
        assert_eq!(slip_of("delegation", ids), None);
        assert!(same_but_case("Trust in the team", "trust-in-the-team"));
        assert!(!same_but_case("q1", "q2"));
        assert!(!same_but_case("x", "x"));
    }

    #[test]
    fn a_spent_budget_suggests_nothing_more() {
        let ids = ["delegation", "feedback"];
        let b = Budget::new(5);
        assert_eq!(b.suggest("delegaton", ids).as_deref(), Some("delegation"));
        assert_eq!(b.suggest("feedbak", ids).as_deref(), Some("feedback"));
        // One unit left: not enough for two candidates.
        assert_eq!(b.suggest("feedbak", ids), None);
        assert_eq!(
            b.suggest("feedbak", ["feedback"]).as_deref(),
            Some("feedback")
        );
        assert_eq!(b.suggest("feedbak", ["feedback"]), None);
    }

    #[test]
    fn closest_candidate_or_none() {
        let ids = ["delegation", "prioritization", "feedback"];
        assert_eq!(suggest("delegaton", ids).as_deref(), Some("delegation"));
        assert_eq!(suggest("zzz", ids), None);
        // Case and separators first, however far Jaro–Winkler puts them.
        assert_eq!(
            suggest("01-INTRO", ["01-intro", "01-int"]).as_deref(),
            Some("01-intro")
        );
        assert_eq!(
            suggest("Time_Box", ["time-box"]).as_deref(),
            Some("time-box")
        );
        // The word itself is never suggested.
        assert_eq!(suggest("feedback", ["feedback"]), None);
        assert_eq!(
            hint("feedbak", ids).as_deref(),
            Some("did you mean `feedback`?")
        );
    }

    #[test]
    fn ties_go_to_the_alphabetically_first() {
        assert_eq!(suggest("abcd", ["abcf", "abce"]).as_deref(), Some("abce"));
        assert_eq!(suggest("abcd", ["abce", "abcf"]).as_deref(), Some("abce"));
    }
}
