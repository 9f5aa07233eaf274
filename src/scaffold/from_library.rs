//! `playbook new session PROGRAM ID --from library:<id>`: a program's
//! session that starts from a guide of the session library (FORMAT.md
//! v1.2) — front matter with `from:` and the week, every other key
//! offered as a commented override, and no body (it takes the library's).

use std::path::{Path, PathBuf};

use super::{check_id, err, program_of, write_new, NewError};
use crate::model::SessionKind;

/// A session kind, as `--kind` takes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind(pub SessionKind);

impl clap::ValueEnum for Kind {
    fn value_variants<'a>() -> &'a [Self] {
        static KINDS: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
        KINDS.get_or_init(|| SessionKind::ALL.iter().map(|k| Kind(*k)).collect())
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.as_str()))
    }
}

/// The arguments of `playbook new session`.
#[derive(Debug, clap::Args)]
pub(crate) struct SessionArgs {
    /// The id of the program it belongs to.
    pub program: String,
    /// The session's id (a-z, 0-9 and -): its file name under sessions/.
    pub id: String,
    /// What kind of session it is.
    #[arg(long, value_enum, required_unless_present = "from")]
    pub kind: Option<Kind>,
    /// Start from a guide of the session library: `library:<id>`.
    #[arg(long, conflicts_with = "kind")]
    pub from: Option<String>,
    /// The week of the program it runs in (default: the week after the
    /// last session).
    #[arg(long)]
    pub week: Option<u32>,
    /// The session's title (default: from the id; with `--from`, the
    /// library guide's).
    #[arg(long)]
    pub title: Option<String>,
    /// The site folder (default: the nearest folder upwards from the
    /// current one that holds playbook.yaml).
    #[arg(long)]
    pub site: Option<PathBuf>,
}

/// `playbook new session`: a guide of its own, or one that starts from
/// the library.
pub(crate) fn run(root: &Path, a: &SessionArgs) -> Result<Vec<PathBuf>, NewError> {
    let (program, id, t) = (a.program.as_str(), a.id.as_str(), a.title.as_deref());
    match &a.from {
        Some(f) => session(root, (program, id), f, a.week, t),
        None => {
            let kind = a.kind.map_or(SessionKind::Workshop, |k| k.0);
            super::session_in(root, program, id, kind, a.week, t)
        }
    }
}

/// A new session `id` of `program` in the site at `root` that starts from
/// the library guide `from` (`library:<id>`), in week `week` (default:
/// the week after the program's last session).
pub(crate) fn session(
    root: &Path,
    (program, id): (&str, &str),
    from: &str,
    week: Option<u32>,
    title: Option<&str>,
) -> Result<Vec<PathBuf>, NewError> {
    check_id("session", id)?;
    let Some(guide) = from.strip_prefix("library:") else {
        return Err(err(
            format!("`--from` must be `library:` and the id of a library guide, found `{from}`"),
            format!("write `--from library:{from}`"),
        ));
    };
    let compiled = crate::compile(root);
    let p = program_of(root, &compiled, program)?;
    let library = &compiled.site.library;
    let Some(g) = library.iter().find(|g| g.id == guide) else {
        let ids: Vec<&str> = library.iter().map(|g| g.id.as_str()).collect();
        let hint = crate::suggest::hint(guide, ids.iter().copied()).unwrap_or_else(|| {
            match ids.is_empty() {
                true => format!(
                    "the site has no library guides: write library/sessions/{guide}.md first"
                ),
                false => format!("the library's guides are: {}", ids.join(", ")),
            }
        });
        return Err(err(
            format!("there is no library guide `{guide}` (no library/sessions/{guide}.md)"),
            hint,
        ));
    };
    if p.sessions.iter().any(|s| s.id == id) {
        return Err(err(
            format!("the session `{id}` exists already in `{program}`"),
            "choose another id, e.g. with the next number",
        ));
    }
    let last = p.sessions.iter().filter_map(|s| s.week).max();
    let week = week.unwrap_or(last.map_or(1, |w| (w + 1).min(104)));
    if !(1..=104).contains(&week) {
        return Err(err(
            format!("week {week} is outside the program: weeks run from 1 to 104"),
            "give the week of the program, counted from 1",
        ));
    }
    let title = match title {
        Some(t) => format!("title: {}\n", super::yaml_str(t)),
        None => format!(
            "# title: {}   # the library's; give one to override it\n",
            super::yaml_str(&g.title)
        ),
    };
    let text = format!(
        "---
from: library:{guide}   # {path}
{title}week: {week}
# Any key of a session guide given here overrides the library guide's,
# with this program's ids, e.g.:
# competencies: []
# requires: []
---
",
        path = g.path,
    );
    // No body: the session takes the library guide's. Write one below the
    // front matter to replace it.
    write_new(
        root,
        &vec![(format!("content/{program}/sessions/{id}.md"), text)],
    )
}
