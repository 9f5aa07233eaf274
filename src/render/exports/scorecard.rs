//! `/<program>/results.csv` (and each cohort's): the scorecard as a
//! table, one row per metric (target, actual, n, people for a survey
//! source, status), for a spreadsheet. Written with the `csv`
//! crate, so names with commas or quotes stay one field; numbers are
//! written bare and every text cell quoted, and a text cell that would start
//! a formula is made text (OWASP's CSV injection: `text`).

use crate::diagnostics::Diagnostic;
use crate::evidence::{exact, Evidence};
use crate::graph::Program;
use crate::output::Chunk;

use super::super::emit::Emitter;
use super::super::view::site::{ProgramViews, SiteViews};

/// The scorecard emitter.
pub struct Scorecards;

impl Emitter for Scorecards {
    fn name(&self) -> &'static str {
        "results.csv"
    }

    fn emit_program(
        &self,
        views: &SiteViews,
        pi: usize,
        program: &ProgramViews,
        out: &mut Chunk,
    ) -> Result<(), Vec<Diagnostic>> {
        if !views.shows.results {
            return Ok(());
        }
        let p = &views.programs[pi];
        out.add_text(
            views.urls.program(&p.id).file("results.csv").path,
            // With cohorts, the latest cohort's (as the program's pages).
            table(
                program.figures.as_deref().unwrap_or(p),
                &program.build.evidence,
            ),
        );
        for c in &program.cohorts {
            out.add_text(
                views
                    .urls
                    .program(&p.id)
                    .cohort_file(&c.id, "results.csv")
                    .path,
                table(&c.program, &c.build.evidence),
            );
        }
        Ok(())
    }
}

fn table(p: &Program, ev: &Evidence) -> String {
    // Quotes around every field that is not a number.
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    // The shortest form that reads back as the f64 nearest the value, as
    // in program.json: an exact 0.85 is `0.85`.
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let _ = w.write_record([
        "metric", "name", "category", "tier", "source", "better", "target", "actual", "n",
        "people", "status",
    ]);
    for (m, r) in p.metrics.iter().zip(&ev.metrics) {
        let _ = w.write_record([
            text(&m.id),
            text(&m.name),
            text(m.category.as_str()),
            m.tier.map(|t| t.to_string()).unwrap_or_default(),
            text(m.source.map_or("", |s| s.as_str())),
            text(m.better.as_str()),
            num(m.target),
            num(r.actual.map(exact::to_f64)),
            r.n.to_string(),
            r.people.map(|n| n.to_string()).unwrap_or_default(),
            text(r.status.as_str()),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A text cell that a spreadsheet cannot take for a formula: one that
/// starts with `=`, `+`, `-`, `@`, a tab or a CR (OWASP's list) gets a `'`
/// first, which spreadsheets read as "this is text". Numbers are never
/// passed here: `-0.4` stays a number.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formula_starts_are_made_text() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(text(f), format!("'{f}"));
        }
        for t in ["a=1", "Rate", "", "'quoted", " =1"] {
            assert_eq!(text(t), t);
        }
    }
}
