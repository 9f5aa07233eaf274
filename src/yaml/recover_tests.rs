//! Unit tests of recovery: what a document with mistakes reads as, which
//! mistakes are reported, and where.

use serde::Deserialize;

use crate::diagnostics::code::Code;

use super::recover::MAX_ROUNDS;
use super::*;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Doc {
    #[serde(default)]
    metrics: Vec<Metric>,
    #[serde(default)]
    tools: Vec<Tool>,
    #[serde(default)]
    start: Option<u32>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Metric {
    id: String,
    kind: Kind,
    #[serde(default)]
    target: Option<f64>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Tool {
    id: String,
    name: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
enum Kind {
    #[serde(rename = "log")]
    Log,
    #[serde(rename = "survey")]
    Survey,
}

fn codes(r: &Recovered<Doc>) -> Vec<Code> {
    r.errors.iter().map(|e| e.code).collect()
}

fn at<'s>(src: &'s str, e: &YamlError) -> &'s str {
    let o = e.offset.unwrap();
    &src[o..src[o..].find([':', '\n']).map_or(src.len(), |n| o + n)]
}

fn path(s: &str) -> YamlPath {
    let mut p = YamlPath::root();
    for part in s.split('.') {
        p = match part.parse() {
            Ok(i) => p.index(i),
            Err(_) => p.key(part),
        };
    }
    p
}

#[test]
fn a_clean_document_is_the_strict_parse() {
    let r = from_str_recovering::<Doc>("metrics:\n  - id: a\n    kind: log\n");
    assert!(r.errors.is_empty() && r.repairs.is_empty());
    assert_eq!(r.value.unwrap().metrics[0].id, "a");
}

#[test]
fn an_unknown_key_is_removed_and_the_entry_kept() {
    let src = "metrics:\n  - id: a\n    kind: log\n    colour: red\n  - id: b\n    kind: survey\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::UnknownKey]);
    assert!(r.errors[0]
        .hint
        .as_deref()
        .unwrap()
        .starts_with("allowed keys"));
    let d = r.value.unwrap();
    assert_eq!(
        (d.metrics[0].id.as_str(), d.metrics[1].id.as_str()),
        ("a", "b")
    );
    assert_eq!(r.repairs.dropped, [path("metrics.0.colour")]);
    assert!(r.repairs.touches("metrics") && !r.repairs.touches("start"));
}

#[test]
fn a_misspelt_key_is_read_as_the_key_it_was_taken_for() {
    let src = "metrics:\n  - id: a\n    kind: log\n    targt: 3\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::UnknownKey]);
    assert_eq!(r.errors[0].hint.as_deref(), Some("did you mean `target`?"));
    assert_eq!(r.value.unwrap().metrics[0].target, Some(3.0));
    assert_eq!(r.repairs.dropped, [path("metrics.0.target")]);
    // A required one too: no second error for the key it lacks.
    let r = from_str_recovering::<Doc>("metrics:\n  - id: a\n    kidn: survey\n");
    assert_eq!(codes(&r), [Code::UnknownKey]);
    assert_eq!(r.value.unwrap().metrics[0].kind, Kind::Survey);
    // A mistake inside it is one of its own, found where it is written.
    let src = "metricz:\n  - id: a\n    kind: log\n  - id: b\n    kind: lgo\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::UnknownKey, Code::InvalidValue]);
    assert_eq!(at(src, &r.errors[1]), "lgo");
    assert!(
        r.errors[1].message.starts_with("metrics[1].kind"),
        "{}",
        r.errors[1].message
    );
    assert_eq!(r.value.unwrap().metrics.len(), 2);
}

#[test]
fn a_key_written_twice_over_is_removed_and_a_required_one_gets_a_placeholder() {
    // `kidn` is taken for `kind`, which is there: it is removed.
    let src = "metrics:\n  - id: a\n    kind: log\n    kidn: survey\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::UnknownKey]);
    assert_eq!(r.value.unwrap().metrics[0].kind, Kind::Log);
    // A missing required key: the first word of the vocabulary.
    let r = from_str_recovering::<Doc>("metrics:\n  - id: a\n");
    assert_eq!(codes(&r), [Code::MissingKey]);
    assert_eq!(r.value.unwrap().metrics[0].kind, Kind::Log);
    assert!(r.repairs.is_placeholder(&path("metrics.0.kind")));
}

#[test]
fn a_wrong_value_is_one_error_and_a_required_one_gets_a_placeholder() {
    let src = "metrics:\n  - id: a\n    kind: lgo\n    target: high\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::InvalidValue, Code::WrongType]);
    assert_eq!(at(src, &r.errors[0]), "lgo");
    assert_eq!(at(src, &r.errors[1]), "high");
    assert!(r.errors[1]
        .message
        .starts_with("metrics[0].target: invalid type"));
    let d = r.value.unwrap();
    assert_eq!((d.metrics[0].kind, d.metrics[0].target), (Kind::Log, None));
}

#[test]
fn independent_mistakes_are_each_reported_where_they_are() {
    let src = "metrics:\n  - kind: log\n  - id: b\n    kind: log\n    tgas: [x]\nstart: soon\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(
        codes(&r),
        [Code::MissingKey, Code::UnknownKey, Code::WrongType]
    );
    assert_eq!(at(src, &r.errors[0]), "kind");
    assert_eq!(at(src, &r.errors[1]), "tgas");
    assert_eq!(r.errors[1].hint.as_deref(), Some("did you mean `tags`?"));
    assert_eq!(at(src, &r.errors[2]), "soon");
    let d = r.value.unwrap();
    assert_eq!(d.metrics.len(), 2);
    assert!(r.repairs.is_placeholder(&path("metrics.0.id")));
    assert!(r.repairs.touches("start"));
}

#[test]
fn a_list_entry_of_the_wrong_type_keeps_the_positions_after_it() {
    let src = "metrics:\n  - just words\n  - id: b\n    kind: log\n    tags: [a, {x: y}, c]\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::WrongType, Code::WrongType]);
    let d = r.value.unwrap();
    assert_eq!(d.metrics[1].id, "b");
    assert_eq!(d.metrics[1].tags, ["a", "", "c"]);
    assert!(r.repairs.is_placeholder(&path("metrics.0")));
    assert!(r.repairs.is_placeholder(&path("metrics.1.tags.1")));
}

#[test]
fn an_entry_under_the_wrong_list_is_moved_with_a_hint() {
    let src = "metrics:\n  - id: a\n    kind: log\ntools:\n  - id: t\n    name: T\n  - id: b\n    kind: survey\n    target: 3\n";
    let r = from_str_recovering::<Doc>(src);
    assert_eq!(codes(&r), [Code::UnknownKey], "{:?}", r.errors);
    assert_eq!(at(src, &r.errors[0]), "kind");
    let hint = r.errors[0].hint.as_deref().unwrap();
    assert!(hint.contains("`metrics:`"), "{hint}");
    let d = r.value.unwrap();
    assert_eq!(d.metrics.len(), 2);
    assert_eq!(
        (d.metrics[1].id.as_str(), d.metrics[1].target),
        ("b", Some(3.0))
    );
    // Its place holds a placeholder, so the tools after it keep theirs.
    assert_eq!(d.tools.len(), 2);
    assert!(r.repairs.is_placeholder(&path("tools.1.id")));
}

#[test]
fn a_document_that_is_not_yaml_or_not_a_mapping_is_unreadable() {
    let r = from_str_recovering::<Doc>("metrics: [\n");
    assert_eq!(codes(&r), [Code::YamlSyntax]);
    assert!(r.value.is_none());
    let r = from_str_recovering::<Doc>("- a\n");
    assert_eq!(codes(&r), [Code::WrongType]);
    assert!(r.value.is_none());
    // A mistake before a syntax error: both are reported.
    let r = from_str_recovering::<Doc>("start: soon\nmetrics: [\n");
    assert_eq!(codes(&r), [Code::WrongType, Code::YamlSyntax]);
    assert!(r.value.is_none());
}

#[test]
fn repairs_are_bounded() {
    let src: String = (0..MAX_ROUNDS + 50)
        .map(|i| format!("  - id: m{i}\n    kind: log\n    bad: 1\n"))
        .collect();
    let r = from_str_recovering::<Doc>(&format!("metrics:\n{src}"));
    assert!(r.value.is_none());
    assert!(
        r.errors.len() <= MAX_ROUNDS && r.errors.len() > 10,
        "{}",
        r.errors.len()
    );
    assert!(r.errors.iter().all(|e| e.code == Code::UnknownKey));
}

/// Every single-line mistake in the example's alignment files: recovery
/// never panics, reports a mistake exactly when the strict parse fails,
/// and keeps every entry in its place when it reads the document.
#[test]
fn single_line_mistakes_in_the_example_are_recovered_without_panic() {
    fn each<T: serde::de::DeserializeOwned>(src: &str, count: impl Fn(&T) -> usize) {
        let lists = |v: &serde_yaml::Value| -> Vec<usize> {
            v.as_mapping()
                .map(|m| {
                    m.values()
                        .filter_map(|x| x.as_sequence().map(Vec::len))
                        .collect()
                })
                .unwrap_or_default()
        };
        let original: serde_yaml::Value = serde_yaml::from_str(src).unwrap();
        let clean: T = super::from_str(src).unwrap();
        let entries = count(&clean);
        let lines: Vec<&str> = src.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let key_end = line.find(':').unwrap_or(0);
            // Each line once, by turns: deleted, its key misspelt, an
            // unclosed list or a mapping for its value.
            let mutations = [
                String::new(),
                line.replacen(':', "x:", 1),
                format!("{}: [x", &line[..key_end]),
                format!("{}: {{a: b}}", &line[..key_end]),
            ];
            let m = &mutations[i % mutations.len()];
            let mut doc = lines.clone();
            doc[i] = m;
            let doc = doc.join("\n");
            let strict = super::from_str::<T>(&doc);
            let r = from_str_recovering::<T>(&doc);
            assert_eq!(strict.is_err(), !r.errors.is_empty(), "{doc}");
            // Where the mistake leaves the lists as long as they were,
            // recovery keeps every entry.
            let same_lists = serde_yaml::from_str::<serde_yaml::Value>(&doc)
                .is_ok_and(|v| lists(&v) == lists(&original));
            if let (Some(v), true) = (&r.value, same_lists) {
                assert_eq!(count(v), entries, "{doc}\n{:?}", r.repairs);
            }
        }
    }
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/leadership-accelerator/alignment/"
    );
    let read = |f: &str| std::fs::read_to_string(format!("{example}{f}")).unwrap();
    use crate::model::{ActionMapDoc, CompetenciesDoc, EvaluationDoc, MetricsDoc};
    each::<MetricsDoc>(&read("metrics.yaml"), |d| {
        d.metrics.len() + d.instruments.len()
    });
    each::<CompetenciesDoc>(&read("competencies.yaml"), |d| {
        d.values.len() + d.competencies.len()
    });
    each::<EvaluationDoc>(&read("evaluation.yaml"), |d| {
        d.signals.len() + d.enablers.len()
    });
    each::<ActionMapDoc>(&read("action-map.yaml"), |d| d.actions.len());
}
