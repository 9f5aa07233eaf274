//! Planning an import's changes to the results files: which rows of which
//! file are replaced (the roster and attendance rules of FORMAT.md
//! included), how many are added, changed and removed, and how many people
//! now have answers to pair with — everything decided before a byte is
//! written.

use std::collections::BTreeSet;
use std::path::Path;

use super::mapping::Mapped;
use super::options::{Phase, Rater, What};
use super::results_csv::{Change, NewRow, ResultsCsv, IMPORT};
use crate::diagnostics::{Code, Diagnostic, Loc};

/// The columns import writes into each file, in order.
pub(super) fn columns(what: What) -> &'static [&'static str] {
    match what {
        What::Survey => &[
            "participant",
            "phase",
            "item",
            "score",
            "rater",
            "rater_id",
            "date",
            IMPORT,
        ],
        What::Ratings => &["session", "participant", "rating", IMPORT],
        What::Roster => &["participant", IMPORT],
        What::Attendance => &["session", "participant", "present", IMPORT],
        What::Feedback => &["participant", "comment", "session", IMPORT],
    }
}

/// The columns an existing file must have.
fn required(what: What) -> &'static [&'static str] {
    match what {
        What::Survey => &["participant", "phase", "item", "score"],
        What::Ratings => &["session", "participant", "rating"],
        What::Roster => &["participant"],
        What::Attendance => &["session", "participant", "present"],
        What::Feedback => &["participant", "comment"],
    }
}

/// A file changed by the import.
pub(super) struct Planned {
    pub file: ResultsCsv,
    pub change: Change,
}

/// What an import would do.
#[derive(Default)]
pub(super) struct Plan {
    pub files: Vec<Planned>,
    /// Lines for the summary beyond the per-file counts.
    pub notes: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Read a results file of `results` (`rel_dir` in messages).
pub(super) fn read(
    results: &Path,
    rel_dir: &str,
    what: What,
) -> Result<ResultsCsv, Box<Diagnostic>> {
    let name = what.file();
    ResultsCsv::read(
        &results.join(name),
        &format!("{rel_dir}/{name}"),
        columns(what),
        required(what),
    )
}

/// The first results file in `results` that holds imported rows (a
/// non-empty `import` cell), if any.
pub(super) fn imported_before(results: &Path, rel_dir: &str) -> Option<String> {
    [
        What::Survey,
        What::Ratings,
        What::Feedback,
        What::Roster,
        What::Attendance,
    ]
    .into_iter()
    .filter_map(|w| read(results, rel_dir, w).ok())
    .find(|f| {
        let c = f.col(IMPORT);
        (0..f.rows.len()).any(|r| !f.cell(r, c).is_empty())
    })
    .map(|f| f.rel)
}

/// What the rows of `mapped` (taken from it) do to the files in
/// `results`; `survey` is survey.csv when it was read already.
#[allow(clippy::too_many_arguments)]
pub(super) fn plan(
    results: &Path,
    rel_dir: &str,
    what: What,
    scope: &str,
    phase: Option<Phase>,
    rater: Rater,
    mapped: &mut Mapped,
    survey: Option<ResultsCsv>,
) -> Result<Plan, Vec<Diagnostic>> {
    let one = |d: Box<Diagnostic>| vec![*d];
    let mut plan = Plan::default();
    let rows = std::mem::take(&mut mapped.rows);
    match what {
        What::Survey => {
            let mut file = match survey {
                Some(f) => f,
                None => read(results, rel_dir, what).map_err(one)?,
            };
            let mut key = vec!["participant", "phase", "item", "rater_id"];
            if phase == Some(Phase::FollowUp) {
                key.push("date");
            }
            let change = file.replace(scope, rows, &key)?;
            if let Some(phase) = phase {
                let other = phase.pairs_with();
                let paired = paired(&file, &mapped.people, other.as_str(), rater.as_str());
                let who = if rater == Rater::Own {
                    "people"
                } else {
                    "people rated"
                };
                plan.notes.push(format!(
                    "{paired} of {} {who} paired with `{}` answers",
                    mapped.people.len(),
                    other.as_str()
                ));
            }
            plan.files.push(Planned { file, change });
        }
        What::Ratings => {
            let mut file = read(results, rel_dir, what).map_err(one)?;
            let change = file.replace(scope, rows, &["session", "participant"])?;
            plan.files.push(Planned { file, change });
        }
        What::Feedback => {
            let mut file = read(results, rel_dir, what).map_err(one)?;
            let change = file.replace(scope, rows, &[])?;
            plan.files.push(Planned { file, change });
        }
        What::Roster => {
            let mut file = read(results, rel_dir, what).map_err(one)?;
            let (p, imp) = (file.col("participant"), file.col(IMPORT));
            // Someone rostered by hand stays so; someone an attendance
            // import added is now on the roster proper.
            let by_hand: BTreeSet<String> = (0..file.rows.len())
                .filter(|&r| file.cell(r, imp).is_empty())
                .map(|r| file.cell(r, p).to_string())
                .collect();
            let rows: Vec<NewRow> = rows
                .into_iter()
                .filter(|row| !by_hand.contains(&row[0].1))
                .collect();
            let absorbed: Vec<usize> = (0..file.rows.len())
                .filter(|&r| {
                    file.cell(r, imp).starts_with("attendance ")
                        && mapped.people.contains(file.cell(r, p))
                })
                .collect();
            for r in absorbed.into_iter().rev() {
                file.rows.remove(r);
                file.lines.remove(r);
            }
            let change = file.replace(scope, rows, &["participant"])?;
            plan.files.push(Planned { file, change });
        }
        What::Attendance => attendance(results, rel_dir, scope, mapped, &mut plan)?,
    }
    Ok(plan)
}

/// How many of `people` have a `phase` answer by `rater` in `file`.
fn paired(file: &ResultsCsv, people: &BTreeSet<String>, phase: &str, rater: &str) -> usize {
    let (p, ph, r) = (
        file.col("participant"),
        file.col("phase"),
        file.col("rater"),
    );
    let with: BTreeSet<&str> = (0..file.rows.len())
        .filter(|&i| {
            let kind = match file.cell(i, r) {
                "" => "self",
                k => k,
            };
            file.cell(i, ph) == phase && kind == rater
        })
        .map(|i| file.cell(i, p))
        .collect();
    people.iter().filter(|x| with.contains(x.as_str())).count()
}

/// An attendance import: a row for every rostered participant (present
/// when in the export), and those in the export but not on the roster
/// added to it.
fn attendance(
    results: &Path,
    rel_dir: &str,
    scope: &str,
    mapped: &Mapped,
    plan: &mut Plan,
) -> Result<(), Vec<Diagnostic>> {
    let one = |d: Box<Diagnostic>| vec![*d];
    let mut roster = read(results, rel_dir, What::Roster).map_err(one)?;
    let (p, imp) = (roster.col("participant"), roster.col(IMPORT));
    if roster.rows.is_empty() {
        return Err(vec![Diagnostic::error(
            Code::NoRoster,
            format!(
                "{} has no participants: attendance is counted against the roster",
                roster.rel
            ),
            Loc::Path(roster.rel.clone()),
        )
        .with_hint(
            "import the roster first: playbook import PROGRAM enrolled.xlsx --as roster",
        )]);
    }
    let rostered: BTreeSet<String> = (0..roster.rows.len())
        .filter(|&r| roster.cell(r, imp) != scope)
        .map(|r| roster.cell(r, p).to_string())
        .filter(|x| !x.is_empty())
        .collect();
    let added: Vec<&String> = mapped
        .people
        .iter()
        .filter(|x| !rostered.contains(*x))
        .collect();
    let new_roster: Vec<NewRow> = added
        .iter()
        .map(|x| vec![("participant", x.to_string())])
        .collect();
    let roster_change = roster.replace(scope, new_roster, &["participant"])?;
    if !added.is_empty() {
        plan.warnings.push(
            Diagnostic::warning(
                Code::NotOnRoster,
                format!(
                    "{} in the export {} not on the roster: added to {}",
                    if added.len() == 1 { "1 person".to_string() } else { format!("{} people", added.len()) },
                    if added.len() == 1 { "is" } else { "are" },
                    roster.rel
                ),
                Loc::Path(roster.rel.clone()),
            )
            .with_hint("import the corrected roster (--as roster) if they are not enrolled, or if the roster export missed them"),
        );
    }
    let session = scope.strip_prefix("attendance ").unwrap_or_default();
    let everyone: BTreeSet<&String> = rostered.iter().chain(added.iter().copied()).collect();
    let rows: Vec<NewRow> = everyone
        .iter()
        .map(|x| {
            vec![
                ("session", session.to_string()),
                ("participant", x.to_string()),
                (
                    "present",
                    if mapped.people.contains(*x) { "1" } else { "0" }.to_string(),
                ),
            ]
        })
        .collect();
    let (present, everyone) = (rows.iter().filter(|r| r[2].1 == "1").count(), rows.len());
    let mut file = read(results, rel_dir, What::Attendance).map_err(one)?;
    let change = file.replace(scope, rows, &["session", "participant"])?;
    plan.notes
        .push(format!("{present} of {everyone} rostered people present"));
    plan.files.push(Planned { file, change });
    if roster_change != Change::default() {
        plan.files.push(Planned {
            file: roster,
            change: roster_change,
        });
    }
    Ok(())
}
