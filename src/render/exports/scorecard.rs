//! `/<program>/results.csv`: the scorecard as a table, one row per metric
//! (target, actual, n, status), for a spreadsheet. Written with the `csv`
//! crate, so names with commas or quotes stay one field.

use crate::diagnostics::Diagnostic;
use crate::evidence::Evidence;
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
            table(p, &program.build.evidence),
        );
        Ok(())
    }
}

fn table(p: &Program, ev: &Evidence) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let _ = w.write_record([
        "metric", "name", "category", "tier", "source", "better", "target", "actual", "n", "status",
    ]);
    for (m, r) in p.metrics.iter().zip(&ev.metrics) {
        let _ = w.write_record([
            m.id.as_str(),
            &m.name,
            m.category.as_str(),
            &m.tier.map(|t| t.to_string()).unwrap_or_default(),
            m.source.map_or("", |s| s.as_str()),
            m.better.as_str(),
            &num(m.target),
            &num(r.actual),
            &r.n.to_string(),
            r.status.as_str(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
