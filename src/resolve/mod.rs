//! Resolve: typed documents to a checked graph.
//!
//! Owns every **error** rule of FORMAT.md that is about meaning rather than
//! syntax, one file per concern:
//!
//! - `parse.rs` — the YAML documents of a program in their typed form;
//! - `sessions.rs` — session guides, weeks and dates, curriculum order,
//!   `requires` order and cycles;
//! - `ids.rs` — ids (well-formed, unique per kind and program);
//! - `links.rs` — references between alignment steps and sessions (with the
//!   closest id as a hint) and markdown links (`kind:id`, relative session
//!   and asset links, heading anchors);
//! - `entities.rs` — the alignment entities as graph nodes;
//! - `backlinks.rs` — every reverse link, so the graph reads both ways.
//!
//! Results rows are checked by [`crate::results`], called from here.

mod anchors;
mod backlinks;
mod cohorts;
mod entities;
mod ids;
mod library;
mod links;
mod parse;
mod scales;
mod sessions;

use std::collections::HashMap;

use crate::config::{ConfigDoc, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, FileId, Loc, Sources};
use crate::graph::{Competency, Entity, Ix, Metric, Program, Results, Session, Signal};
use crate::layout::{AlignmentFile, ByResults};
use crate::load::RawProgram;
use crate::results;
use crate::yaml::YamlPath;

use ids::Ids;
pub(crate) use library::{name_program, Library};
use links::Resolver;
use parse::Docs;
use sessions::Curriculum;
pub(crate) use sessions::Guides;

/// The site's configuration, from `playbook.yaml` (file `file`).
pub(crate) fn config(
    sources: &Sources,
    file: Option<FileId>,
    diags: &mut Vec<Diagnostic>,
) -> SiteConfig {
    let doc = file.and_then(|f| parse::parse_file::<ConfigDoc>(sources, f, diags));
    if let (Some(f), Some(u)) = (file, doc.as_ref().and_then(|d| d.site_url.as_deref())) {
        if crate::config::BaseUrl::absolute(u).is_none() {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`site_url` must be an absolute URL, found `{u}`"),
                    Loc::Yaml(f, 0, YamlPath::root().key("site_url")),
                )
                .with_hint("write the address the site is published at, e.g. https://example.org/playbooks/"),
            );
        }
    }
    if let (Some(f), Some(t)) = (file, doc.as_ref().and_then(|d| d.theme.as_deref())) {
        if !crate::model::is_valid_id(t) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`theme` must be the name of a folder under themes/, found `{t}`"),
                    Loc::Yaml(f, 0, YamlPath::root().key("theme")),
                )
                .with_hint(crate::theme::THEME_HINT),
            );
        }
    }
    if let (Some(f), Some(d)) = (file, doc.as_ref()) {
        for (key, value) in [("base_url", &d.base_url), ("site_url", &d.site_url)] {
            let n = value.as_deref().map_or(0, |v| v.chars().count());
            if n > MAX_URL {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{key}` is {n} characters long: at most {MAX_URL}"),
                        Loc::Yaml(f, 0, YamlPath::root().key(key)),
                    )
                    .with_hint(
                        "every link of every page starts with it: write the site's address or path",
                    ),
                );
            }
        }
    }
    let mut brand = (None, None);
    if let (Some(f), Some(d)) = (file, doc.as_ref()) {
        brand = crate::brand::check(f, &d.logo, &d.accent, diags);
        if let Some(v) = d.min_raters.as_ref() {
            check_min_raters(f, v, diags);
        }
    }
    let mut config = SiteConfig::from(doc.unwrap_or_else(ConfigDoc::untitled));
    (config.logo, config.accent) = brand;
    config
}

/// `min_raters` of playbook.yaml (file `f`) is a whole number of at least
/// 1: an `out-of-range` error for 0 or a negative number, `invalid-value`
/// for anything else, at its line (the default, 3, is used).
fn check_min_raters(f: FileId, v: &serde_yaml::Value, diags: &mut Vec<Diagnostic>) {
    if crate::config::min_raters(v).is_some() {
        return;
    }
    let found = match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let below_one = v.as_i64().is_some_and(|n| n < 1);
    let (code, what) = if below_one {
        (Code::OutOfRange, "at least 1")
    } else {
        (Code::InvalidValue, "a whole number")
    };
    diags.push(
        Diagnostic::error(
            code,
            format!("`min_raters` must be {what}, found `{found}`"),
            Loc::Yaml(f, 0, crate::yaml::YamlPath::root().key("min_raters")),
        )
        .with_hint("write a whole number of at least 1, e.g. `min_raters: 3` (the default)"),
    );
}

/// The longest `base_url` or `site_url`: every link of every page starts
/// with one of them.
pub(crate) const MAX_URL: usize = 200;

/// One program's graph, from its files (none when it has no
/// `program.yaml`). Programs are independent: every reference stays inside
/// its program.
/// `guides` holds the session guides an earlier compile parsed (those whose
/// text is unchanged are taken from it), and then this compile's.
pub(crate) fn program(
    raw: &RawProgram,
    (sources, library): (&Sources, &Library),
    guides: &mut Guides,
    diags: &mut Vec<Diagnostic>,
) -> Option<Program> {
    if !raw.program_exists {
        return None;
    }
    let docs = Docs::parse(raw, sources, diags);
    let start = docs.program.as_ref().and_then(|(_, p)| p.start);
    let read =
        |s: &Sources, at, id, d: &mut Vec<Diagnostic>| library::from_library(s, library, at, id, d);
    let reader = sessions::LibraryReader {
        hash: library.hash(),
        read: &read,
    };
    let curriculum = Curriculum::parse(
        raw,
        (sources, &reader),
        (start, docs.start_known()),
        guides,
        diags,
    );
    let mut repairs = docs.repairs.clone();
    for s in curriculum.sessions.iter().filter(|s| !s.repairs.is_empty()) {
        repairs.insert(s.file, s.repairs.clone());
    }
    let ids = Ids::register_all(
        &docs,
        curriculum.sessions.iter().map(|s| (s.id.as_str(), s.file)),
        curriculum.failed.clone(),
        repairs,
        diags,
    );
    ids.check_asset_folders(raw, diags);
    let resolver = Resolver::new(
        ids,
        curriculum.sessions.iter().map(|s| {
            (
                s.id.as_str(),
                &s.analysis,
                s.doc.audience == Some(crate::model::Audience::Facilitator),
            )
        }),
        raw,
    );
    let mut program = entities::program(raw, &docs, &resolver, diags);
    scales::declare(&mut program, &docs, diags);
    program.files.incomplete = !docs.complete() || curriculum.read_with_errors();
    program.sessions = curriculum.build(&resolver, sources, diags);
    curriculum.report_cycles(&program.sessions, diags);
    backlinks::fill(&mut program);
    // References to the entities of a file that could not be read are not
    // checked: that file's error is enough.
    let unread: Vec<&str> = [
        (docs.competencies.is_none(), "competency"),
        (docs.evaluation.is_none(), "signal"),
        (docs.metrics.is_none(), "metric"),
    ]
    .into_iter()
    .filter_map(|(unread, kind)| unread.then_some(kind))
    .collect();
    program.results = read_results(raw.results, &program, &unread, sources, diags);
    let root = raw.dir.parent().and_then(std::path::Path::parent);
    program.cohorts = cohorts::cohorts(
        raw,
        root.unwrap_or(&raw.dir),
        &program,
        sources,
        &mut |files, d| read_results(*files, &program, &unread, sources, d),
        diags,
    );
    if docs.competencies.is_some() {
        check_items(&program, diags);
    }
    scales::check(&program, diags);
    check_import(raw.import, &program, &program.results, sources, diags);
    for (c, r) in raw.cohorts.iter().filter_map(|c| {
        let r = program.cohorts.iter().find(|x| x.id == c.id)?;
        Some((c.import, &r.results))
    }) {
        check_import(c, &program, r, sources, diags);
    }
    Some(program)
}

/// The program's results files, checked against its sessions, metrics,
/// competencies and signals (except the kinds `unread`).
fn read_results(
    files: ByResults<Option<FileId>>,
    program: &Program,
    unread: &[&str],
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Results {
    fn by_id<T: Entity>(p: &Program) -> HashMap<&str, Ix<T>> {
        p.each::<T>().map(|(i, x)| (x.id(), i)).collect()
    }
    let metrics = program
        .each::<Metric>()
        .map(|(i, m)| (m.id.as_str(), (i, m.source)))
        .collect();
    let declared = scales::declared_ranges(program);
    let ids = results::Ids {
        program: &program.id,
        declared: &declared,
        sessions: &by_id::<Session>(program),
        competencies: &by_id::<Competency>(program),
        signals: &by_id::<Signal>(program),
        metrics: &metrics,
        unread,
    };
    let mut reader = results::Reader::new(&ids);
    for (kind, file) in files.iter() {
        if let Some(file) = *file {
            reader.read(kind, file, sources, diags);
        }
    }
    reader.results
}

/// `results/import.yaml` (of the program, or of a cohort whose results
/// are `results`), checked as `playbook import` checks it.
fn check_import(
    import: Option<FileId>,
    program: &Program,
    results: &Results,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(file) = import else {
        return;
    };
    let Some(doc) = parse::parse_file::<crate::import::config::ImportDoc>(sources, file, diags)
    else {
        return;
    };
    let known = crate::import::config::Known {
        program: &program.id,
        competencies: program.competencies.iter().map(|c| c.id.as_str()).collect(),
        survey_items: results.survey.iter().map(|s| s.item.as_str()).collect(),
    };
    crate::import::config::check(&doc, file, &known, diags);
}

/// Each metric's `items` must name survey items or competencies.
fn check_items(program: &Program, diags: &mut Vec<Diagnostic>) {
    let Some(file) = program.files.alignment[AlignmentFile::Metrics] else {
        return;
    };
    let survey: Vec<&str> = std::iter::once(&program.results)
        .chain(program.cohorts.iter().map(|c| &c.results))
        .flat_map(|r| r.survey.iter().map(|s| s.item.as_str()))
        .collect();
    let declared = program
        .survey_items
        .iter()
        .map(|d| d.id.as_str())
        .chain(program.scales.iter().map(|s| s.id.as_str()));
    let survey: Vec<&str> = survey.into_iter().chain(declared).collect();
    // A reliable-change metric names scales: `scales::check` says so.
    let reads_items = |m: &&Metric| m.source != Some(crate::model::Source::ReliableChange);
    for (i, m) in program
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| reads_items(m))
    {
        for (j, item) in m.items.iter().flatten().enumerate() {
            let known = survey.contains(&item.as_str())
                || program.competencies.iter().any(|c| c.id == *item);
            if known {
                continue;
            }
            let candidates = survey
                .iter()
                .copied()
                .chain(program.competencies.iter().map(|c| c.id.as_str()));
            let hint = crate::suggest::hint(item, candidates).unwrap_or_else(|| {
                "name an item of results/survey.csv or a competency id".to_string()
            });
            diags.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("`{item}` is neither a survey item nor a competency"),
                    Loc::Yaml(
                        file,
                        0,
                        YamlPath::root()
                            .key("metrics")
                            .index(i)
                            .key("items")
                            .index(j),
                    ),
                )
                .with_hint(hint),
            );
        }
    }
}
