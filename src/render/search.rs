//! `/<program>/search.json`: what the program's search finds — each
//! session, competency, action, practice scenario, success signal and
//! metric, each cohort's results page and impact report, with its kind,
//! title, page and plain text as the edition shows it. The theme's
//! `search.js` hands the file to MiniSearch (a maintained full-text search
//! library, vendored as `minisearch.js`), which indexes it
//! in the browser on the first search: any static host, no server, a sub-path
//! base URL, nothing to build beyond this file (a few milliseconds a
//! program), so search costs a build almost nothing.
//!
//! In the participant edition the documents come from that edition's graph
//! and leave `facilitator` blocks out, so search finds nothing participants
//! may not see.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::graph::Text;
use crate::markdown;
use crate::output::Chunk;

use super::emit::{json_file, Emitter, ProgramContext};
use super::urls::SEARCH_FILE;

/// The search emitter.
pub(crate) struct Search;

/// The search file of a program.
#[derive(Serialize)]
struct Docs<'a> {
    program: &'a str,
    docs: Vec<Doc<'a>>,
}

/// One thing search can find.
#[derive(Serialize)]
struct Doc<'a> {
    id: usize,
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    text: String,
}

impl Emitter for Search {
    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let (views, p, program) = (cx.site, cx.program, cx.views);
        let v = &program.build.view;
        let plain = |t: &Text| markdown::to_plain_in(&t.src, views.raw, views.shows.edition);
        let join = |parts: Vec<String>| parts.join(" ");
        let mut docs = Vec::new();
        for ((s, sv), body) in p
            .sessions
            .iter()
            .zip(&v.sessions)
            .zip(&program.build.plain_bodies)
        {
            docs.push(doc("Session", &sv.title, &sv.url, {
                let mut parts: Vec<String> = s.purpose.iter().map(plain).collect();
                parts.push(body.clone());
                join(parts)
            }));
        }
        for (c, cv) in p.competencies.iter().zip(&v.competencies) {
            let mut parts: Vec<String> = c.description.iter().map(plain).collect();
            parts.extend(c.behaviors.iter().map(plain));
            docs.push(doc("Competency", &cv.name, &cv.url, join(parts)));
        }
        for (a, av) in p.actions.iter().zip(&v.actions) {
            let mut parts = vec![plain(&a.action)];
            parts.extend(a.information.iter().map(plain));
            for b in &a.barriers {
                parts.push(plain(&b.text));
                parts.extend(b.remedy.iter().map(plain));
            }
            docs.push(doc("Action", &av.title, &av.url, join(parts)));
        }
        for (x, xv) in p.practices.iter().zip(&v.practices) {
            docs.push(doc(
                "Practice scenario",
                &xv.title,
                &xv.url,
                plain(&x.scenario),
            ));
        }
        for (s, sv) in p.signals.iter().zip(&v.signals) {
            docs.push(doc("Success signal", &sv.title, &sv.url, plain(&s.signal)));
        }
        for mv in &v.metrics {
            let text = format!(
                "{} {}",
                mv.category_label,
                mv.instrument.as_ref().map_or("", |i| i.title.as_str())
            );
            docs.push(doc("Metric", &mv.name, &mv.url, text));
        }
        // Each cohort's results page and impact report (FORMAT.md v1.2).
        let cohort_pages: Vec<(String, String, String)> = program
            .cohorts
            .iter()
            .filter_map(|c| c.build.view.cohorts.as_ref()?.current.as_ref())
            .flat_map(|c| {
                let text = format!(
                    "Cohort {}, from {}{} {}",
                    c.title,
                    c.start,
                    c.end.as_ref().map_or(String::new(), |e| format!(" to {e}")),
                    c.facilitators.join(", ")
                );
                [
                    ("Measured results", &c.results_url),
                    ("Impact report", &c.impact_url),
                ]
                .into_iter()
                .filter_map(|(what, url)| {
                    let url = url.as_ref()?;
                    Some((format!("{what}: {}", c.title), url.clone(), text.clone()))
                })
                .collect::<Vec<_>>()
            })
            .collect();
        for (title, url, text) in &cohort_pages {
            docs.push(doc("Cohort", title, url, text.trim_end().to_string()));
        }
        for (i, d) in docs.iter_mut().enumerate() {
            d.id = i;
        }
        let file = Docs {
            program: &p.title,
            docs,
        };
        let path = cx.urls().file(SEARCH_FILE).path;
        let json = json_file(&path, &file, false)?;
        out.add_text(path, json);
        Ok(())
    }
}

fn doc<'a>(kind: &'static str, title: &'a str, url: &'a str, text: String) -> Doc<'a> {
    Doc {
        id: 0,
        kind,
        title,
        url,
        text,
    }
}
