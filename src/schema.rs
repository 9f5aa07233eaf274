//! JSON Schemas (2020-12) of every file an author writes — `playbook.yaml`,
//! `program.yaml`, the four alignment files, a session guide's front
//! matter, `cohort.yaml` and `results/import.yaml` — derived from the types in [`crate::model`] and
//! [`crate::config`] with `schemars`, so that they cannot drift from what
//! `check` accepts: descriptions come from the types' doc comments,
//! vocabularies are enums, unknown keys are refused. `playbook schema`
//! writes them, with the schema of the `program.json` export; the
//! repository's `schemas/` folder holds them too (a test keeps it equal).

use schemars::{schema_for, JsonSchema};

use crate::config::ConfigDoc;
use crate::layout::AlignmentFile::{self, ActionMap, Competencies, Evaluation, Metrics};
use crate::layout::{CONFIG_FILE, PROGRAM_FILE};
use crate::model::{
    ActionMapDoc, CompetenciesDoc, EvaluationDoc, MetricsDoc, ProgramDoc, SessionDoc,
};

/// A program's session guide: a guide of its own, or one that starts from
/// a library guide (`from: library:<id>`, every other key optional).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum SessionFront {
    Guide(SessionDoc),
    FromLibrary(crate::model::SessionFromDoc),
}

fn json<T: JsonSchema>(title: &str) -> String {
    let mut schema = schema_for!(T);
    schema.insert("title".into(), title.into());
    // A JSON value (string keys only) always serializes.
    let mut s = serde_json::to_string_pretty(&schema).expect("a JSON value serializes");
    s.push('\n');
    s
}

/// Every schema: file name and text.
pub(crate) fn all() -> Vec<(&'static str, String)> {
    vec![
        ("playbook.schema.json", json::<ConfigDoc>(CONFIG_FILE)),
        ("program.schema.json", json::<ProgramDoc>(PROGRAM_FILE)),
        (
            alignment_schema(Competencies),
            json::<CompetenciesDoc>(Competencies.path()),
        ),
        (
            alignment_schema(ActionMap),
            json::<ActionMapDoc>(ActionMap.path()),
        ),
        (
            alignment_schema(Evaluation),
            json::<EvaluationDoc>(Evaluation.path()),
        ),
        (
            alignment_schema(Metrics),
            json::<MetricsDoc>(Metrics.path()),
        ),
        (
            "session.schema.json",
            json::<SessionFront>("session guide front matter"),
        ),
        (
            "library-session.schema.json",
            json::<SessionDoc>("library/sessions/*.md front matter"),
        ),
        (
            "cohort.schema.json",
            json::<crate::model::CohortDoc>("cohorts/<cohort>/cohort.yaml"),
        ),
        (
            "import.schema.json",
            json::<crate::import::config::ImportDoc>("results/import.yaml"),
        ),
        ("export.schema.json", crate::render::exports::json::schema()),
    ]
}

/// The schema of an alignment file.
fn alignment_schema(f: AlignmentFile) -> &'static str {
    match f {
        Competencies => "competencies.schema.json",
        ActionMap => "action-map.schema.json",
        Evaluation => "evaluation.schema.json",
        Metrics => "metrics.schema.json",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schemas_in_the_repository_are_the_derived_ones() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas");
        let mut stale = Vec::new();
        for (name, text) in super::all() {
            let path = format!("{dir}/{name}");
            if std::fs::read_to_string(&path).unwrap_or_default() != text {
                if std::env::var_os("PLAYBOOK_WRITE_SCHEMAS").is_some() {
                    std::fs::write(&path, &text).unwrap();
                } else {
                    stale.push(name);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "schemas/ is out of date ({}): run `PLAYBOOK_WRITE_SCHEMAS=1 cargo test --lib schema`",
            stale.join(", ")
        );
    }

    #[test]
    fn the_schemas_refuse_unknown_keys_and_name_vocabularies() {
        let all = super::all();
        let metrics = &all
            .iter()
            .find(|(n, _)| *n == "metrics.schema.json")
            .unwrap()
            .1;
        let v: serde_json::Value = serde_json::from_str(metrics).unwrap();
        let metric = &v["$defs"]["MetricDoc"];
        assert_eq!(metric["additionalProperties"], false);
        assert!(metrics.contains("\"survey-change\""), "sources are an enum");
        assert!(metric["properties"]["tier"]
            .to_string()
            .contains("\"maximum\":8"));
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
}
