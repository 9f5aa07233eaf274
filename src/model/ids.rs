//! The id rules of FORMAT.md: what an id may be, an id made valid for a
//! hint, and the program ids the site's own pages reserve.

/// What is wrong with `name` as a program folder's name, and what to do.
pub(crate) fn program_id_problem(name: &str) -> Option<(&'static str, &'static str)> {
    if !is_valid_id(name) {
        Some((
            "is not a valid id",
            "ids use lowercase letters, digits and hyphens: rename the folder",
        ))
    } else if crate::layout::RESERVED_PROGRAM_IDS.contains(&name) {
        Some((
            "is reserved: `/library/` is the session library's page",
            "rename the folder (its pages would be published over the library's)",
        ))
    } else {
        None
    }
}

/// Ids are lowercase `a-z0-9-`, starting with a letter or digit.
pub(crate) fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// An id made valid, for hints: `Team Ownership` → `team-ownership`.
pub(crate) fn suggest_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
