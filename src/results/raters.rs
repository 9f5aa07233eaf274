//! A row of `survey.csv` (FORMAT.md v1.2): its phase (`pre`, `post`,
//! `then`, `follow-up`), who answered (`rater`, `rater_id`) and when
//! (`date`), checked at their cells — a peer, report or other needs a
//! `rater_id`, a follow-up a `date` — and its score within the declared
//! range of its item. Self `pre`/`post` scores go where v1.1 keeps them;
//! every other rater kind and phase into the item's `more` answers. Rater
//! ids are pseudonyms too: they become numbers here, only counted.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostics::Code;
use crate::graph::{Competency, Ix, Participant, SurveyItem};
use crate::model::{Phase, RaterKind};

use super::cells::{within, Cells, FreeItems, MAX_SCORE};
use super::table::{Row, Table};

/// What reading a survey row needs of the reader.
pub(super) struct Context<'a, 'r> {
    pub competencies: &'a HashMap<&'a str, Ix<Competency>>,
    pub declared: &'a HashMap<&'a str, (f64, f64)>,
    /// Participant pseudonyms, numbered across the program's files.
    pub participants: &'r mut HashMap<String, Participant>,
    pub raters: &'r mut Raters,
    pub survey: &'r mut Vec<SurveyItem>,
}

/// The optional columns of a v1.2 survey.
pub(super) struct Columns {
    rater: Option<usize>,
    rater_id: Option<usize>,
    date: Option<usize>,
}

impl Columns {
    pub(super) fn of(table: &Table) -> Self {
        Columns {
            rater: table.column("rater"),
            rater_id: table.column("rater_id"),
            date: table.column("date"),
        }
    }

    /// The key columns beyond participant, phase and item: rater and
    /// rater id where the file has them, and the date of a follow-up.
    pub(super) fn key(&self, row: &Row, req: &[usize]) -> Vec<(&'static str, usize)> {
        let mut key: Vec<(&'static str, usize)> = Vec::new();
        key.extend(self.rater.map(|c| ("rater", c)));
        key.extend(self.rater_id.map(|c| ("rater_id", c)));
        if row.cell(req[1]).0.eq_ignore_ascii_case("follow-up") {
            key.extend(self.date.map(|c| ("date", c)));
        }
        key
    }
}

/// Rater pseudonyms, numbered per reader.
#[derive(Default)]
pub(super) struct Raters(HashMap<String, u32>);

impl Raters {
    fn number(&mut self, key: String) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(key).or_insert(next)
    }
}

/// Read one survey row (`req`: participant, phase, item, score).
pub(super) fn survey_row(
    cx: &mut Context,
    row: &Row,
    req: &[usize],
    cols: &Columns,
    cells: &mut Cells,
    free: &mut FreeItems,
) {
    {
        let (phase_text, _) = row.cell(req[1]);
        let phase = match phase_text.to_ascii_lowercase().as_str() {
            "pre" => Some(Phase::Pre),
            "post" => Some(Phase::Post),
            "then" => Some(Phase::Then),
            "follow-up" => Some(Phase::FollowUp),
            _ => {
                cells.err(
                    Code::InvalidValue,
                    format!("phase must be `pre`, `post`, `then` or `follow-up`, found `{phase_text}`"),
                    (row, req[1]),
                    Some("write pre, post, then or follow-up (`then` is the retrospective \"before\" asked at the end)".into()),
                );
                None
            }
        };
        let rater = match cols.rater.map(|c| (c, row.cell(c).0)) {
            None | Some((_, "")) => Some(RaterKind::Own),
            Some((c, r)) => match RaterKind::ALL
                .iter()
                .find(|k| k.as_str().eq_ignore_ascii_case(r))
            {
                Some(k) => Some(*k),
                None => {
                    cells.err(
                        Code::InvalidValue,
                        format!("rater must be `self`, `manager`, `peer`, `report` or `other`, found `{r}`"),
                        (row, c),
                        Some(crate::suggest::hint(r, RaterKind::ALL.iter().map(|k| k.as_str()))
                            .unwrap_or_else(|| "write self, manager, peer, report or other".into())),
                    );
                    None
                }
            },
        };
        let rater_id = cols.rater_id.map(|c| row.cell(c).0).unwrap_or("");
        let mut ok = phase.is_some() && rater.is_some();
        if let Some(k @ (RaterKind::Peer | RaterKind::Report | RaterKind::Other)) = rater {
            if rater_id.is_empty() {
                let col = cols.rater_id.or(cols.rater).unwrap_or(req[0]);
                cells.err(
                    Code::InvalidValue,
                    format!("a `{}` row needs a `rater_id`", k.as_str()),
                    (row, col),
                    Some("give each rater a pseudonym in `rater_id`, the same in every row they answered: the site counts raters to keep them anonymous".into()),
                );
                ok = false;
            }
        }
        let date = match cols.date.map(|c| (c, row.cell(c).0)) {
            None | Some((_, "")) => None,
            Some((c, d)) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    cells.err(
                        Code::InvalidValue,
                        format!("`{d}` is not a date"),
                        (row, c),
                        Some("write dates as YYYY-MM-DD, e.g. 2026-06-30".into()),
                    );
                    ok = false;
                    None
                }
            },
        };
        if phase == Some(Phase::FollowUp) && date.is_none() && ok {
            cells.err(
                Code::InvalidValue,
                "a `follow-up` row needs a `date`".into(),
                (row, cols.date.unwrap_or(req[1])),
                Some("say when it was answered, as YYYY-MM-DD (add a `date` column if there is none)".into()),
            );
            ok = false;
        }
        let score = cells.number(
            row,
            req[3],
            "score",
            within(MAX_SCORE),
            &format!("survey scores are numbers from -{MAX_SCORE} to {MAX_SCORE}"),
        );
        let (item, span) = row.cell(req[2]);
        if item.is_empty() {
            cells.err(
                Code::InvalidValue,
                "the survey item is empty".into(),
                (row, req[2]),
                Some("name a competency id, or the question as free text".into()),
            );
            return;
        }
        if !cx.competencies.contains_key(item) && !cx.declared.contains_key(item) {
            free.saw(item, row.line_no, span);
        }
        let score = score.filter(|s| match cx.declared.get(item) {
            Some(&(lo, hi)) if !in_range(*s, lo, hi) => {
                cells.err(
                    Code::OutOfRange,
                    format!(
                        "score {} is outside the range of `{item}` ({lo}–{hi})",
                        row.cell(req[3]).0
                    ),
                    (row, req[3]),
                    Some(format!(
                        "`{item}` is scored {lo} to {hi} (its `range` in metrics.yaml): correct the score, or the range"
                    )),
                );
                false
            }
            _ => true,
        });
        let (Some(phase), Some(rater), Some(score), true) = (phase, rater, score, ok) else {
            return;
        };
        let participant = row.cell(req[0]).0;
        let next = Participant(cx.participants.len() as u32);
        let who = *cx
            .participants
            .entry(participant.to_string())
            .or_insert(next);
        let rater_no = match rater {
            RaterKind::Own => cx.raters.number(format!("self\u{1}{participant}")),
            // A manager may go without a rater id: one per participant.
            _ if rater_id.is_empty() => cx
                .raters
                .number(format!("{}\u{1}of\u{1}{participant}", rater.as_str())),
            _ => cx
                .raters
                .number(format!("{}\u{1}{rater_id}", rater.as_str())),
        };
        let survey = &mut *cx.survey;
        let i = match survey.iter().position(|s| s.item == item) {
            Some(i) => i,
            None => {
                survey.push(SurveyItem {
                    item: item.to_string(),
                    competency: cx.competencies.get(item).copied(),
                    ..SurveyItem::default()
                });
                survey.len() - 1
            }
        };
        let item = &mut survey[i];
        match (rater, phase) {
            (RaterKind::Own, Phase::Pre) => {
                item.pre.insert(who, score);
            }
            (RaterKind::Own, Phase::Post) => {
                item.post.insert(who, score);
            }
            _ => item.more.entry((rater, phase)).or_default().add(
                who,
                rater_no,
                score,
                date.filter(|_| phase == Phase::FollowUp),
            ),
        }
    }
}

/// Whether `x` lies in `lo..=hi` (a declared range, read from YAML).
fn in_range(x: Decimal, lo: f64, hi: f64) -> bool {
    let x = crate::evidence::exact::to_f64(x);
    (lo..=hi).contains(&x)
}
