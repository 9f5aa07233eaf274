//! Suggestions: the closest known word to a misspelt one, for "did you
//! mean" hints. A leaf module, shared by every stage that reports an unknown
//! key, id, value, file or column.

/// Closest candidate to `word` (Jaro–Winkler similarity of at least 0.75;
/// ties go to the alphabetically first), never `word` itself.
pub fn suggest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
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
pub fn did_you_mean(s: Option<String>) -> Option<String> {
    s.map(|s| format!("did you mean `{s}`?"))
}

/// [`suggest`] and [`did_you_mean`] in one step.
pub fn hint<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(suggest(word, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_candidate_or_none() {
        let ids = ["delegation", "prioritization", "feedback"];
        assert_eq!(suggest("delegaton", ids).as_deref(), Some("delegation"));
        assert_eq!(suggest("zzz", ids), None);
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
