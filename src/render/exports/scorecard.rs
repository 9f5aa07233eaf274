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

use super::super::emit::{output_error, Emitter, ProgramContext};

/// The scorecard emitter.
pub(crate) struct Scorecards;

impl Emitter for Scorecards {
    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        if !cx.site.shows.results {
            return Ok(());
        }
        let (p, program, urls) = (cx.program, cx.views, cx.urls());
        // With cohorts, the latest cohort's (as the program's pages).
        let figures = program.figures.as_deref().unwrap_or(p);
        let path = urls.file("results.csv").path;
        let text =
            table(figures, &program.build.evidence).map_err(|e| vec![output_error(&path, e)])?;
        out.add_text(path, text);
        for c in &program.cohorts {
            let path = urls.cohort_file(&c.id, "results.csv").path;
            let text =
                table(&c.program, &c.build.evidence).map_err(|e| vec![output_error(&path, e)])?;
            out.add_text(path, text);
        }
        Ok(())
    }
}

fn table(p: &Program, ev: &Evidence) -> Result<String, csv::Error> {
    let bytes = write_table(Vec::new(), p, ev)?;
    String::from_utf8(bytes).map_err(|e| csv::Error::from(std::io::Error::other(e)))
}

/// The scorecard of `p` written to `out`, which is returned when every
/// row went in.
fn write_table<W: std::io::Write>(out: W, p: &Program, ev: &Evidence) -> Result<W, csv::Error> {
    // Quotes around every field that is not a number.
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(out);
    // The shortest form that reads back as the f64 nearest the value, as
    // in program.json: an exact 0.85 is `0.85`.
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    w.write_record([
        "metric", "name", "category", "tier", "source", "better", "target", "actual", "n",
        "people", "status",
    ])?;
    for (m, r) in p.metrics.iter().zip(&ev.metrics) {
        w.write_record([
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
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
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
    use super::{text, write_table};
    use crate::evidence::Evidence;
    use crate::graph::Program;

    /// A writer that takes nothing.
    struct Full;

    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::other("disk full"))
        }
    }

    #[test]
    fn a_failed_write_is_an_error_not_an_empty_table() {
        let (p, ev) = (Program::default(), Evidence::default());
        let e = write_table(Full, &p, &ev).err().expect("the write fails");
        assert!(e.to_string().contains("disk full"), "{e}");
        let ok = write_table(Vec::new(), &p, &ev).expect("a table");
        assert!(String::from_utf8(ok)
            .unwrap()
            .starts_with("\"metric\",\"name\""));
    }

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
