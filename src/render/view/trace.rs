//! The traceability views: which session covers which competency and
//! which action. A small program gets the two matrices (one cell per row
//! and session); past [`MATRIX_MAX_CELLS`] cells a matrix would be
//! unreadable and its page and views grow with the product of the two
//! counts (3,000 competencies × 3,000 sessions: 9 million cells), so each
//! row lists instead the first [`LIST_MAX`] sessions that cover it (their
//! indices in the program's `sessions[]`) and how many more there are — a
//! page that grows with the rows alone.

use crate::graph::Program;
use crate::kinds::EntityKind;

use super::super::links::Links;
use super::{LinkView, MatrixRow};

/// The most cells a matrix may have (rows × sessions) to be shown as one.
pub(crate) const MATRIX_MAX_CELLS: usize = 10_000;

/// How many covering sessions a row lists when there is no matrix.
pub(crate) const LIST_MAX: usize = 12;

/// Whether the program's matrices are small enough to show.
pub(crate) fn matrix_shown(p: &Program) -> bool {
    p.competencies.len().max(p.actions.len()) * p.sessions.len() <= MATRIX_MAX_CELLS
}

/// One row per link; `covering[r]`: the indices of the sessions that cover
/// row `r`, in order.
fn rows(
    p: &Program,
    links: &[LinkView],
    covering: Vec<Vec<usize>>,
    metrics: impl Fn(usize) -> Option<usize>,
) -> Vec<MatrixRow> {
    let matrix = matrix_shown(p);
    links
        .iter()
        .zip(covering)
        .enumerate()
        .map(|(r, (link, covered))| {
            let mut cells = Vec::new();
            let mut sessions = Vec::new();
            if matrix {
                cells = vec![false; p.sessions.len()];
                for &s in &covered {
                    cells[s] = true;
                }
            } else {
                sessions = covered.iter().take(LIST_MAX).copied().collect();
            }
            MatrixRow {
                link: link.clone(),
                gap: covered.is_empty(),
                more: if matrix {
                    0
                } else {
                    covered.len() - sessions.len()
                },
                cells,
                sessions,
                metrics: metrics(r),
            }
        })
        .collect()
}

pub(crate) fn competency_matrix(p: &Program, links: &Links) -> Vec<MatrixRow> {
    let mut covering = vec![Vec::new(); p.competencies.len()];
    for (s, session) in p.sessions.iter().enumerate() {
        for c in &session.competencies {
            if covering[c.index()].last() != Some(&s) {
                covering[c.index()].push(s);
            }
        }
    }
    rows(p, links.all(EntityKind::Competency), covering, |r| {
        Some(p.competencies[r].metrics.len())
    })
}

pub(crate) fn action_matrix(p: &Program, links: &Links) -> Vec<MatrixRow> {
    let mut covering: Vec<Vec<usize>> = vec![Vec::new(); p.actions.len()];
    for (s, session) in p.sessions.iter().enumerate() {
        let practised = session.practices.iter().map(|&pr| p[pr].action);
        for a in session.actions.iter().copied().chain(practised) {
            if covering[a.index()].last() != Some(&s) {
                covering[a.index()].push(s);
            }
        }
    }
    rows(p, links.all(EntityKind::Action), covering, |_| None)
}
