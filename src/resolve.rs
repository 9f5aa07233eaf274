//! Resolve: typed documents to a checked graph.
//!
//! Owns every **error** rule of FORMAT.md that is about meaning rather than
//! syntax: ids (well-formed, unique per kind and program), references between
//! alignment steps and sessions (with the closest id as a hint), curriculum
//! order and `requires` (no cycles, nothing later), markdown links (`kind:id`,
//! relative session and asset links with heading anchors), and results rows.
//! It also fills in every reverse link so the graph reads both ways.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::{ConfigDoc, SiteConfig};
use crate::diagnostics::{did_you_mean, suggest, Diagnostic, FileId, Loc, Sources};
use crate::graph::*;
use crate::load::{RawProgram, RawSite};
use crate::markdown::{self, Analysis, FrontMatterError};
use crate::model::*;
use crate::results;
use crate::yaml::{self, YamlPath};

/// Resolve a loaded site. Always returns a graph (possibly partial) so that
/// every problem of a run can be reported together.
pub fn resolve(raw: &RawSite, diags: &mut Vec<Diagnostic>) -> Site {
    let config = match raw.config {
        Some(f) => parse_file::<ConfigDoc>(&raw.sources, f, diags).map(SiteConfig::from),
        None => None,
    };
    let config = config.unwrap_or_else(|| {
        SiteConfig::from(ConfigDoc {
            title: "Playbook".into(),
            base_url: None,
            description: None,
            language: None,
            theme: None,
            output_dir: None,
        })
    });
    let resolved: Vec<(Option<Program>, Vec<Diagnostic>)> = raw
        .programs
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            let prog = resolve_program(p, &raw.sources, &mut d);
            (prog, d)
        })
        .collect();
    let mut programs = Vec::new();
    for (p, d) in resolved {
        diags.extend(d);
        programs.extend(p);
    }
    Site {
        config,
        root: raw.root.clone(),
        programs,
    }
}

/// Parse the YAML in `range` of file `file`, reporting a failure at its
/// position in the file.
fn parse_doc<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    range: std::ops::Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let text = sources.text(file);
    match yaml::from_str::<T>(&text[range.clone()]) {
        Ok(v) => Some(v),
        Err(e) => {
            let loc = match e.offset {
                Some(o) => {
                    let start = (range.start + o).min(range.end);
                    let token = text[start..range.end]
                        .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
                        .unwrap_or(range.end - start)
                        .max(1);
                    Loc::Span(file, start..(start + token).min(text.len()))
                }
                None => Loc::File(file),
            };
            diags.push(Diagnostic::error(e.code, e.message, loc).with_hint_opt(e.hint));
            None
        }
    }
}

/// Parse a whole YAML file.
fn parse_file<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    parse_doc(sources, file, 0..sources.text(file).len(), diags)
}

/// Id tables of one program, one per entity kind.
#[derive(Default)]
struct Tables {
    maps: HashMap<EntityKind, HashMap<String, usize>>,
    /// Kinds whose defining file failed to load: references to them are not
    /// reported, to avoid a flood of follow-on errors.
    unknown_kinds: HashSet<EntityKind>,
    /// Sessions whose guide failed to parse (same reason).
    failed_sessions: HashSet<String>,
}

impl Tables {
    fn get(&self, kind: EntityKind, id: &str) -> Option<usize> {
        self.maps.get(&kind).and_then(|m| m.get(id)).copied()
    }
    /// Whether an unknown reference to `id` is a follow-on of another error.
    fn suppressed(&self, kind: EntityKind, id: &str) -> bool {
        self.unknown_kinds.contains(&kind)
            || (kind == EntityKind::Session && self.failed_sessions.contains(id))
    }
    fn ids(&self, kind: EntityKind) -> impl Iterator<Item = &str> {
        let mut v: Vec<&str> = self
            .maps
            .get(&kind)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        v.sort_unstable();
        v.into_iter()
    }
    /// Register ids of one kind, in order; report malformed and duplicate ids.
    fn register<'a>(
        &mut self,
        kind: EntityKind,
        items: impl Iterator<Item = (&'a str, Loc)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let map = self.maps.entry(kind).or_default();
        for (index, (id, loc)) in items.enumerate() {
            if !is_valid_id(id) {
                let fixed = suggest_id(id);
                diags.push(
                    Diagnostic::error(
                        "invalid-id",
                        format!("`{id}` is not a valid {} id", kind.prefix()),
                        loc.clone(),
                    )
                    .with_label("ids use lowercase letters a-z, digits and `-`")
                    .with_hint_opt((!fixed.is_empty()).then(|| format!("write it as `{fixed}`"))),
                );
            }
            if map.contains_key(id) {
                diags.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("duplicate {} id `{id}`", kind.prefix()),
                        loc,
                    )
                    .with_label("already defined above")
                    .with_hint(format!(
                        "{} ids must be unique within a program; rename one of them",
                        kind.prefix()
                    )),
                );
            } else {
                map.insert(id.to_string(), index);
            }
        }
    }
}

/// A session guide after front matter and markdown analysis.
struct ParsedSession {
    id: String,
    file: FileId,
    yaml_base: usize,
    body_base: usize,
    doc: SessionDoc,
    analysis: Analysis,
}

fn parse_session(sources: &Sources, file: FileId) -> (Option<ParsedSession>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = sources.text(file);
    let path = sources.path(file);
    let id = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .to_string();
    let split = match markdown::split_front_matter(text) {
        Ok(s) => s,
        Err(e) => {
            let (code, msg, hint) = match e {
                FrontMatterError::Missing if text.trim().is_empty() => (
                    "missing-front-matter",
                    "session guide is empty".to_string(),
                    "start it with front matter: a `---` line, `title:` and `kind:`, and a closing `---` line",
                ),
                FrontMatterError::Missing => (
                    "missing-front-matter",
                    "session guide has no front matter".to_string(),
                    "start the file with a `---` line, then `title:` and `kind:`, then a closing `---` line",
                ),
                FrontMatterError::Unclosed => (
                    "missing-front-matter",
                    "front matter is not closed".to_string(),
                    "add a line with `---` after the front matter keys",
                ),
            };
            let end = text.find('\n').unwrap_or(text.len());
            diags.push(Diagnostic::error(code, msg, Loc::Span(file, 0..end)).with_hint(hint));
            return (None, diags);
        }
    };
    let yaml_src = &text[split.yaml.0..split.yaml.1];
    if yaml_src.trim().is_empty() {
        diags.push(
            Diagnostic::error(
                "missing-key",
                "front matter is empty",
                Loc::Span(file, 0..3),
            )
            .with_hint("a session guide needs at least `title:` and `kind:`"),
        );
        return (None, diags);
    }
    let Some(doc) = parse_doc::<SessionDoc>(sources, file, split.yaml.0..split.yaml.1, &mut diags)
    else {
        return (None, diags);
    };
    let analysis = markdown::analyze(&text[split.body..]);
    (
        Some(ParsedSession {
            id,
            file,
            yaml_base: split.yaml.0,
            body_base: split.body,
            doc,
            analysis,
        }),
        diags,
    )
}

/// How a markdown text's links are located for diagnostics.
#[derive(Clone)]
enum TextLoc {
    /// A YAML field: all links point at the field.
    Yaml(FileId, usize, YamlPath),
    /// A session body starting at byte `base` of the file.
    Body(FileId, usize),
}

struct Ctx<'a> {
    tables: Tables,
    /// Headings of each session (by curriculum index), for anchor checks.
    headings: Vec<HashSet<String>>,
    assets: HashSet<&'a str>,
    asset_list: &'a [String],
    program: &'a str,
}

const URL_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "ftp", "ftps", "sftp", "data", "irc", "news", "sms", "geo",
    "webcal", "file",
];

impl Ctx<'_> {
    fn refs(
        &self,
        kind: EntityKind,
        list: &[String],
        loc: (FileId, usize, &YamlPath),
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let mut out = Vec::with_capacity(list.len());
        for (i, id) in list.iter().enumerate() {
            match self.tables.get(kind, id) {
                Some(ix) => {
                    if !out.contains(&ix) {
                        out.push(ix)
                    }
                }
                None if self.tables.suppressed(kind, id) => {}
                None => diags.push(self.unknown(kind, id, Loc::Yaml(loc.0, loc.1, loc.2.index(i)))),
            }
        }
        out
    }

    fn one_ref(
        &self,
        kind: EntityKind,
        id: &str,
        loc: Loc,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let r = self.tables.get(kind, id);
        if r.is_none() && !self.tables.suppressed(kind, id) {
            diags.push(self.unknown(kind, id, loc));
        }
        r
    }

    fn unknown(&self, kind: EntityKind, id: &str, loc: Loc) -> Diagnostic {
        let hint = self.unknown_hint(kind, id);
        Diagnostic::error(
            "unknown-reference",
            format!("unknown {} `{id}`", kind.prefix()),
            loc,
        )
        .with_label(format!("no {} with this id in this program", kind.prefix()))
        .with_hint(hint)
    }

    /// "did you mean", or where such ids are defined.
    fn unknown_hint(&self, kind: EntityKind, id: &str) -> String {
        did_you_mean(suggest(id, self.tables.ids(kind))).unwrap_or_else(|| {
            format!(
                "define it in content/{}/{}",
                self.program,
                kind.defined_in()
            )
        })
    }

    /// Resolve the links of a markdown text.
    fn text(&self, src: &str, tl: TextLoc, diags: &mut Vec<Diagnostic>) -> Text {
        let analysis = markdown::analyze(src);
        self.text_with(src, &analysis, tl, None, diags)
    }

    fn text_with(
        &self,
        src: &str,
        analysis: &Analysis,
        tl: TextLoc,
        own_headings: Option<&HashSet<String>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Text {
        let mut links = Vec::with_capacity(analysis.links.len());
        for l in &analysis.links {
            let loc = match &tl {
                TextLoc::Yaml(f, b, p) => Loc::Yaml(*f, *b, p.clone()),
                TextLoc::Body(f, b) => Loc::Span(*f, b + l.range.start..b + l.range.end),
            };
            if l.is_image && !l.has_alt {
                diags.push(
                    Diagnostic::warning("missing-alt", "image has no alt text", loc.clone())
                        .with_hint(
                        "describe the image for readers who cannot see it: ![what it shows](path)",
                    ),
                );
            }
            let target = match self.link(&l.dest, own_headings) {
                Ok(t) => t,
                Err((code, msg, hint)) => {
                    diags.push(Diagnostic::error(code, msg, loc).with_hint_opt(hint));
                    Target::Broken(l.dest.clone())
                }
            };
            links.push(target);
        }
        Text {
            src: src.to_string(),
            links,
        }
    }

    #[allow(clippy::type_complexity)]
    fn link(
        &self,
        dest: &str,
        own_headings: Option<&HashSet<String>>,
    ) -> Result<Target, (&'static str, String, Option<String>)> {
        if dest.is_empty() {
            return Ok(Target::External(String::new()));
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return match own_headings {
                Some(h) if !h.contains(anchor) => Err((
                    "broken-anchor",
                    format!("no heading with anchor `#{anchor}` in this session"),
                    Some(anchor_hint(anchor, h)),
                )),
                Some(_) => Ok(Target::Anchor(anchor.to_string())),
                None => Err((
                    "broken-anchor",
                    format!("`#{anchor}` points into no page: this text is shown on several pages"),
                    Some("link to a session heading with `session:id#heading`".into()),
                )),
            };
        }
        if let Some((scheme, rest)) = dest.split_once(':') {
            let is_scheme = !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if is_scheme {
                if let Some(kind) = EntityKind::from_prefix(scheme) {
                    let (id, anchor) = match rest.split_once('#') {
                        Some((i, a)) => (i, Some(a.to_string())),
                        None => (rest, None),
                    };
                    let index = match self.tables.get(kind, id) {
                        Some(i) => i,
                        // Its defining file failed: that error is enough.
                        None if self.tables.suppressed(kind, id) => {
                            return Ok(Target::Broken(dest.to_string()))
                        }
                        None => {
                            return Err((
                                "unknown-link",
                                format!("link to unknown {} `{id}`", kind.prefix()),
                                Some(self.unknown_hint(kind, id)),
                            ));
                        }
                    };
                    if let Some(a) = &anchor {
                        self.check_anchor(kind, index, a)?;
                    }
                    return Ok(Target::Entity {
                        kind,
                        index,
                        anchor,
                    });
                }
                let lower = scheme.to_ascii_lowercase();
                if !URL_SCHEMES.contains(&lower.as_str()) {
                    let prefixes = EntityKind::ALL.map(EntityKind::prefix);
                    if let Some(s) = suggest(&lower, prefixes) {
                        return Err((
                            "unknown-link",
                            format!("unknown link kind `{scheme}:`"),
                            Some(format!("did you mean `{s}:{rest}`?")),
                        ));
                    }
                }
                return Ok(Target::External(dest.to_string()));
            }
        }
        if dest.starts_with('/') || dest.starts_with('?') {
            return Ok(Target::External(dest.to_string()));
        }
        // A relative path, from the sessions folder.
        let (path, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |x| x.0);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let norm = match normalize_rel(&decoded) {
            Some(n) => n,
            None => {
                return Err((
                    "missing-file",
                    format!("link `{dest}` points outside the sessions folder"),
                    Some("only files under this program's sessions/ folder are published".into()),
                ))
            }
        };
        if !norm.contains('/') {
            if let Some(stem) = norm.strip_suffix(".md") {
                if self.tables.failed_sessions.contains(stem) {
                    return Ok(Target::Broken(dest.to_string()));
                }
                if let Some(index) = self.tables.get(EntityKind::Session, stem) {
                    let anchor = frag.map(str::to_string);
                    if let Some(a) = &anchor {
                        self.check_anchor(EntityKind::Session, index, a)?;
                    }
                    return Ok(Target::Entity {
                        kind: EntityKind::Session,
                        index,
                        anchor,
                    });
                }
            }
        }
        if self.assets.contains(norm.as_str()) {
            let mut p = norm;
            if let Some(f) = frag {
                p.push('#');
                p.push_str(f);
            }
            return Ok(Target::Asset(p));
        }
        let mut candidates: Vec<String> = self.asset_list.to_vec();
        candidates.extend(
            self.tables
                .ids(EntityKind::Session)
                .map(|s| format!("{s}.md")),
        );
        let hint =
            did_you_mean(suggest(&norm, candidates.iter().map(String::as_str))).or_else(|| {
                Some(format!(
                    "put the file under content/{}/sessions/",
                    self.program
                ))
            });
        Err((
            "missing-file",
            format!("link to `{norm}`, which does not exist"),
            hint,
        ))
    }

    fn check_anchor(
        &self,
        kind: EntityKind,
        index: usize,
        anchor: &str,
    ) -> Result<(), (&'static str, String, Option<String>)> {
        if kind != EntityKind::Session {
            return Err((
                "broken-anchor",
                format!("a {} page has no heading `#{anchor}`", kind.prefix()),
                Some("only session links may name a heading: remove `#…`".into()),
            ));
        }
        let h = &self.headings[index];
        if h.contains(anchor) {
            return Ok(());
        }
        let id = self
            .tables
            .maps
            .get(&EntityKind::Session)
            .and_then(|m| m.iter().find(|(_, v)| **v == index).map(|(k, _)| k.clone()))
            .unwrap_or_default();
        Err((
            "broken-anchor",
            format!("session `{id}` has no heading with anchor `#{anchor}`"),
            Some(anchor_hint(anchor, h)),
        ))
    }
}

/// "did you mean", or the anchors that exist.
fn anchor_hint(anchor: &str, headings: &HashSet<String>) -> String {
    did_you_mean(suggest(anchor, headings.iter().map(String::as_str))).unwrap_or_else(|| {
        let mut all: Vec<&str> = headings.iter().map(String::as_str).collect();
        all.sort_unstable();
        if all.is_empty() {
            "that session has no headings".into()
        } else {
            format!("its heading anchors are: {}", all.join(", "))
        }
    })
}

/// The date of week `w` (1-based) of a program starting on `start`.
fn week_date(start: NaiveDate, w: u32) -> Option<NaiveDate> {
    start.checked_add_days(Days::new(7 * u64::from(w.max(1) - 1)))
}

/// A session's id: its file name without `.md`.
fn session_id(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .to_string()
}

/// `./a/../b.png` → `b.png`; None when it climbs out of the folder.
fn normalize_rel(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn resolve_program(
    raw: &RawProgram,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Program> {
    if !raw.program_exists {
        return None;
    }
    let program_file = raw.program;
    let pdoc = program_file.and_then(|f| parse_file::<ProgramDoc>(sources, f, diags));
    let [cf, af, ef, mf] = raw.alignment;
    let comp_doc =
        cf.and_then(|f| parse_file::<CompetenciesDoc>(sources, f, diags).map(|x| (f, x)));
    let act_doc = af.and_then(|f| parse_file::<ActionMapDoc>(sources, f, diags).map(|x| (f, x)));
    let eval_doc = ef.and_then(|f| parse_file::<EvaluationDoc>(sources, f, diags).map(|x| (f, x)));
    let met_doc = mf.and_then(|f| parse_file::<MetricsDoc>(sources, f, diags).map(|x| (f, x)));

    // Sessions: parse in parallel, then order the curriculum.
    let parsed: Vec<(Option<ParsedSession>, Vec<Diagnostic>)> = raw
        .sessions
        .par_iter()
        .map(|&f| parse_session(sources, f))
        .collect();
    let mut failed_sessions = HashSet::new();
    let mut sessions: Vec<ParsedSession> = Vec::with_capacity(parsed.len());
    for ((s, d), &f) in parsed.into_iter().zip(&raw.sessions) {
        diags.extend(d);
        match s {
            Some(s) => sessions.push(s),
            None => {
                failed_sessions.insert(session_id(sources.path(f)));
            }
        }
    }
    let incomplete = pdoc.is_none()
        || comp_doc.is_none()
        || act_doc.is_none()
        || eval_doc.is_none()
        || met_doc.is_none()
        || !failed_sessions.is_empty();
    let start = pdoc.as_ref().and_then(|p| p.start);
    for s in &mut sessions {
        if let (Some(start), Some(w)) = (start, s.doc.week) {
            if w > 0 && week_date(start, w).is_none() {
                diags.push(
                    Diagnostic::error(
                        "out-of-range",
                        format!("week {w} is far beyond any calendar"),
                        Loc::Yaml(s.file, s.yaml_base, YamlPath::root().key("week")),
                    )
                    .with_hint("give the week of the program, counted from 1 at the program start"),
                );
                s.doc.week = None;
            }
        }
        if s.doc.week == Some(0) {
            diags.push(
                Diagnostic::error(
                    "invalid-value",
                    "week numbers start at 1",
                    Loc::Yaml(s.file, s.yaml_base, YamlPath::root().key("week")),
                )
                .with_hint("the first week of the program is `week: 1`"),
            );
        }
    }
    let date_of = |d: &SessionDoc| -> Option<NaiveDate> {
        d.date.or_else(|| {
            let w = d.week?;
            start.and_then(|s| week_date(s, w))
        })
    };
    // Order key: sessions with a date or week first, by day; then file name.
    let day_key = |d: &SessionDoc| -> (bool, i64) {
        if let Some(date) = date_of(d) {
            (false, date.signed_duration_since(NaiveDate::MIN).num_days())
        } else if let Some(w) = d.week {
            (false, 7 * i64::from(w))
        } else {
            (true, 0)
        }
    };
    sessions.sort_by(|a, b| (day_key(&a.doc), &a.id).cmp(&(day_key(&b.doc), &b.id)));

    // Ids.
    let mut tables = Tables::default();
    let root = YamlPath::root();
    let id_loc = |f: FileId, p: YamlPath| Loc::Yaml(f, 0, p.key("id"));
    match &comp_doc {
        Some((f, d)) => {
            let vals = root.key("values");
            tables.register(
                EntityKind::Value,
                d.values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.id.as_str(), id_loc(*f, vals.index(i)))),
                diags,
            );
            let comps = root.key("competencies");
            tables.register(
                EntityKind::Competency,
                d.competencies
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.id.as_str(), id_loc(*f, comps.index(i)))),
                diags,
            );
        }
        None => {
            tables.unknown_kinds.insert(EntityKind::Value);
            tables.unknown_kinds.insert(EntityKind::Competency);
        }
    }
    match &act_doc {
        Some((f, d)) => {
            let acts = root.key("actions");
            tables.register(
                EntityKind::Action,
                d.actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id.as_str(), id_loc(*f, acts.index(i)))),
                diags,
            );
            let practices = d.actions.iter().enumerate().flat_map(|(i, a)| {
                let acts = &acts;
                a.practices.iter().enumerate().map(move |(j, p)| {
                    (
                        p.id.as_str(),
                        id_loc(*f, acts.index(i).key("practices").index(j)),
                    )
                })
            });
            tables.register(EntityKind::Practice, practices, diags);
        }
        None => {
            tables.unknown_kinds.insert(EntityKind::Action);
            tables.unknown_kinds.insert(EntityKind::Practice);
        }
    }
    match &eval_doc {
        Some((f, d)) => {
            let sigs = root.key("signals");
            tables.register(
                EntityKind::Signal,
                d.signals
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.id.as_str(), id_loc(*f, sigs.index(i)))),
                diags,
            );
            let ens = root.key("enablers");
            tables.register(
                EntityKind::Enabler,
                d.enablers
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.id.as_str(), id_loc(*f, ens.index(i)))),
                diags,
            );
        }
        None => {
            tables.unknown_kinds.insert(EntityKind::Signal);
            tables.unknown_kinds.insert(EntityKind::Enabler);
        }
    }
    match &met_doc {
        Some((f, d)) => {
            let ms = root.key("metrics");
            tables.register(
                EntityKind::Metric,
                d.metrics
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.id.as_str(), id_loc(*f, ms.index(i)))),
                diags,
            );
            let ins = root.key("instruments");
            tables.register(
                EntityKind::Instrument,
                d.instruments
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.id.as_str(), id_loc(*f, ins.index(i)))),
                diags,
            );
        }
        None => {
            tables.unknown_kinds.insert(EntityKind::Metric);
            tables.unknown_kinds.insert(EntityKind::Instrument);
        }
    }
    tables.register(
        EntityKind::Session,
        sessions.iter().map(|s| (s.id.as_str(), Loc::File(s.file))),
        diags,
    );
    tables.failed_sessions = failed_sessions;
    for a in &raw.assets {
        if let Some((first, _)) = a.split_once('/') {
            if tables.get(EntityKind::Session, first).is_some() {
                diags.push(
                    Diagnostic::error(
                        "asset-conflict",
                        format!("the folder `sessions/{first}/` has the name of session `{first}`"),
                        Loc::Path(format!("content/{}/sessions/{a}", raw.id)),
                    )
                    .with_hint(
                        "its files would be published over the session's page: rename the folder",
                    ),
                );
            }
        }
    }
    // A duplicate session id cannot happen (file names), but a file that
    // failed to parse leaves its id registered by nobody; ensure indices match.
    let headings: Vec<HashSet<String>> = sessions
        .iter()
        .map(|s| {
            s.analysis
                .headings
                .iter()
                .map(|h| h.anchor.clone())
                .collect()
        })
        .collect();
    let ctx = Ctx {
        tables,
        headings,
        assets: raw.assets.iter().map(String::as_str).collect(),
        asset_list: &raw.assets,
        program: &raw.id,
    };

    let mut program = Program {
        id: raw.id.clone(),
        dir: raw.dir.clone(),
        assets: raw.assets.clone(),
        files: ProgramFiles {
            program: program_file,
            incomplete,
            alignment: raw.alignment,
        },
        ..Program::default()
    };
    let ytext = |f: FileId, p: YamlPath, s: &str, d: &mut Vec<Diagnostic>| {
        ctx.text(s, TextLoc::Yaml(f, 0, p), d)
    };
    let opt_text = |f: FileId, p: YamlPath, s: &Option<String>, d: &mut Vec<Diagnostic>| {
        s.as_ref().map(|s| ytext(f, p, s, d))
    };

    if let Some(p) = &pdoc {
        program.title = p.title.clone();
        program.organization = p.organization.clone();
        program.summary =
            program_file.and_then(|f| opt_text(f, root.key("summary"), &p.summary, diags));
        program.audience = p.audience.clone();
        program.cohort_size = p.cohort_size;
        program.start = p.start;
        program.facilitators = p.facilitators.clone();
        program.draft = p.draft;
    } else {
        program.title = raw.id.clone();
    }

    if let Some((f, d)) = &comp_doc {
        let f = *f;
        for (i, v) in d.values.iter().enumerate() {
            let p = root.key("values").index(i);
            program.values.push(Value {
                id: v.id.clone(),
                name: v.name.clone(),
                description: opt_text(f, p.key("description"), &v.description, diags),
                competencies: Vec::new(),
            });
        }
        for (i, c) in d.competencies.iter().enumerate() {
            let p = root.key("competencies").index(i);
            program.competencies.push(Competency {
                id: c.id.clone(),
                name: c.name.clone(),
                description: opt_text(f, p.key("description"), &c.description, diags),
                values: ctx.refs(
                    EntityKind::Value,
                    &c.values,
                    (f, 0, &p.key("values")),
                    diags,
                ),
                behaviors: c
                    .behaviors
                    .iter()
                    .enumerate()
                    .map(|(j, b)| ytext(f, p.key("behaviors").index(j), b, diags))
                    .collect(),
                ..Competency::default()
            });
        }
    }
    if let Some((f, d)) = &act_doc {
        let f = *f;
        program.goal = Goal {
            statement: Some(ytext(
                f,
                root.key("goal").key("statement"),
                &d.goal.statement,
                diags,
            )),
            measure: opt_text(f, root.key("goal").key("measure"), &d.goal.measure, diags),
        };
        for (i, a) in d.actions.iter().enumerate() {
            let p = root.key("actions").index(i);
            let mut practices = Vec::new();
            for (j, pr) in a.practices.iter().enumerate() {
                practices.push(program.practices.len());
                program.practices.push(Practice {
                    id: pr.id.clone(),
                    scenario: ytext(
                        f,
                        p.key("practices").index(j).key("scenario"),
                        &pr.scenario,
                        diags,
                    ),
                    action: i,
                    sessions: Vec::new(),
                });
            }
            let barriers = a
                .barriers
                .iter()
                .enumerate()
                .map(|(j, b)| {
                    let bp = p.key("barriers").index(j);
                    Barrier {
                        kind: b.kind,
                        text: ytext(f, bp.key("text"), &b.text, diags),
                        remedy: opt_text(f, bp.key("remedy"), &b.remedy, diags),
                    }
                })
                .collect();
            program.actions.push(Action {
                id: a.id.clone(),
                action: ytext(f, p.key("action"), &a.action, diags),
                competencies: ctx.refs(
                    EntityKind::Competency,
                    &a.competencies,
                    (f, 0, &p.key("competencies")),
                    diags,
                ),
                barriers,
                practices,
                information: a
                    .information
                    .iter()
                    .enumerate()
                    .map(|(j, t)| ytext(f, p.key("information").index(j), t, diags))
                    .collect(),
                sessions: Vec::new(),
                signals: Vec::new(),
            });
        }
    }
    if let Some((f, d)) = &eval_doc {
        let f = *f;
        program.question = opt_text(f, root.key("question"), &d.question, diags);
        for (i, s) in d.signals.iter().enumerate() {
            let p = root.key("signals").index(i);
            program.signals.push(Signal {
                id: s.id.clone(),
                signal: ytext(f, p.key("signal"), &s.signal, diags),
                level: s.level,
                competencies: ctx.refs(
                    EntityKind::Competency,
                    &s.competencies,
                    (f, 0, &p.key("competencies")),
                    diags,
                ),
                actions: ctx.refs(
                    EntityKind::Action,
                    &s.actions,
                    (f, 0, &p.key("actions")),
                    diags,
                ),
                metrics: Vec::new(),
            });
        }
        for (i, e) in d.enablers.iter().enumerate() {
            let p = root.key("enablers").index(i);
            program.enablers.push(Enabler {
                id: e.id.clone(),
                enabler: ytext(f, p.key("enabler"), &e.enabler, diags),
                owner: e.owner.clone(),
            });
        }
    }
    if let Some((f, d)) = &met_doc {
        let f = *f;
        for (i, m) in d.metrics.iter().enumerate() {
            let p = root.key("metrics").index(i);
            if let Some(t) = m.tier {
                if !(1..=8).contains(&t) {
                    diags.push(
                        Diagnostic::error(
                            "out-of-range",
                            format!("tier {t} is out of range"),
                            Loc::Yaml(f, 0, p.key("tier")),
                        )
                        .with_hint("LTEM tiers run from 1 (attendance) to 8 (effects of transfer)"),
                    );
                }
            }
            program.metrics.push(Metric {
                id: m.id.clone(),
                name: m.name.clone(),
                category: m.category,
                instrument: m.instrument.as_ref().and_then(|ins| {
                    ctx.one_ref(
                        EntityKind::Instrument,
                        ins,
                        Loc::Yaml(f, 0, p.key("instrument")),
                        diags,
                    )
                }),
                target: m.target,
                tier: m.tier,
                signals: ctx.refs(
                    EntityKind::Signal,
                    &m.signals,
                    (f, 0, &p.key("signals")),
                    diags,
                ),
                sessions: Vec::new(),
            });
        }
        for i in &d.instruments {
            program.instruments.push(Instrument {
                id: i.id.clone(),
                name: i.name.clone(),
                kind: i.kind,
                when: i.when.clone(),
                metrics: Vec::new(),
                sessions: Vec::new(),
            });
        }
    }

    // Sessions, in curriculum order.
    for (index, s) in sessions.iter().enumerate() {
        let (f, b) = (s.file, s.yaml_base);
        let refs = |kind, list: &[String], key: &str, d: &mut Vec<Diagnostic>| {
            ctx.refs(kind, list, (f, b, &root.key(key)), d)
        };
        let requires = refs(EntityKind::Session, &s.doc.requires, "requires", diags);
        for (k, &r) in requires.iter().enumerate() {
            if r >= index {
                let other = &sessions[r].id;
                let pos = s.doc.requires.iter().position(|x| x == other).unwrap_or(k);
                let msg = if r == index {
                    format!("session `{}` requires itself", s.id)
                } else {
                    format!(
                        "session `{}` requires `{other}`, which comes later in the curriculum",
                        s.id
                    )
                };
                diags.push(
                    Diagnostic::error("requires-order", msg, Loc::Yaml(f, b, root.key("requires").index(pos)))
                        .with_hint("a required session must come first: give it an earlier week or date, or remove it from `requires`"),
                );
            }
        }
        let own: &HashSet<String> = &ctx.headings[index];
        let body_src = &sources.text(f)[s.body_base..];
        let body = ctx.text_with(
            body_src,
            &s.analysis,
            TextLoc::Body(f, s.body_base),
            Some(own),
            diags,
        );
        program.sessions.push(Session {
            id: s.id.clone(),
            file: f,
            front_matter: b,
            title: s.doc.title.clone(),
            kind: s.doc.kind,
            week: s.doc.week,
            date: date_of(&s.doc),
            duration: s.doc.duration,
            module: s.doc.module.clone(),
            competencies: refs(
                EntityKind::Competency,
                &s.doc.competencies,
                "competencies",
                diags,
            ),
            actions: refs(EntityKind::Action, &s.doc.actions, "actions", diags),
            practices: refs(EntityKind::Practice, &s.doc.practices, "practices", diags),
            metrics: refs(EntityKind::Metric, &s.doc.metrics, "metrics", diags),
            requires,
            required_by: Vec::new(),
            body,
            headings: s.analysis.headings.clone(),
        });
    }
    report_cycles(&program.sessions, &sessions, diags);
    link_back(&mut program);

    // Results.
    let session_ids: HashMap<&str, usize> = program
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let comp_ids: HashMap<&str, usize> = program
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let ids = results::Ids {
        sessions: &session_ids,
        competencies: &comp_ids,
    };
    let mut res = results::Results::default();
    for (kind, file) in results::Kind::ALL.into_iter().zip(raw.results) {
        if let Some(file) = file {
            results::read(kind, file, sources, &ids, &mut res, diags);
        }
    }
    program.results = res;
    Some(program)
}

/// Report each `requires` cycle once, at its first session in curriculum order.
fn report_cycles(sessions: &[Session], parsed: &[ParsedSession], diags: &mut Vec<Diagnostic>) {
    let n = sessions.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for startv in 0..n {
        if state[startv] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(startv, 0)];
        state[startv] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = sessions[v].requires.get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        let pos = stack.iter().position(|(x, _)| *x == w).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[pos..].iter().map(|(x, _)| *x).collect();
                        if cycle.len() < 2 {
                            continue; // self-requirement: reported as requires-order
                        }
                        let min_at = cycle
                            .iter()
                            .enumerate()
                            .min_by_key(|(_, x)| **x)
                            .map_or(0, |(i, _)| i);
                        cycle.rotate_left(min_at);
                        if seen.insert(cycle.clone()) {
                            let first = cycle[0];
                            let names: Vec<&str> = cycle
                                .iter()
                                .chain(std::iter::once(&cycle[0]))
                                .map(|&i| sessions[i].id.as_str())
                                .collect();
                            let second = &sessions[cycle[1]].id;
                            let s = &parsed[first];
                            let at = s.doc.requires.iter().position(|x| x == second).unwrap_or(0);
                            diags.push(
                                Diagnostic::error(
                                    "requires-cycle",
                                    format!(
                                        "sessions require each other in a cycle: {}",
                                        names.join(" → ")
                                    ),
                                    Loc::Yaml(
                                        s.file,
                                        s.yaml_base,
                                        YamlPath::root().key("requires").index(at),
                                    ),
                                )
                                .with_hint("remove one `requires` entry to break the cycle"),
                            );
                        }
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
}

/// Fill every reverse list from the forward references.
fn link_back(p: &mut Program) {
    fn add(v: &mut Vec<usize>, x: usize) {
        if !v.contains(&x) {
            v.push(x);
        }
    }
    for (ci, c) in p.competencies.iter().enumerate() {
        for &v in &c.values {
            add(&mut p.values[v].competencies, ci);
        }
    }
    for (ai, a) in p.actions.iter().enumerate() {
        for &c in &a.competencies {
            add(&mut p.competencies[c].actions, ai);
        }
    }
    for (si, s) in p.signals.iter().enumerate() {
        for &c in &s.competencies {
            add(&mut p.competencies[c].signals, si);
        }
        for &a in &s.actions {
            add(&mut p.actions[a].signals, si);
        }
    }
    for (mi, m) in p.metrics.iter().enumerate() {
        for &s in &m.signals {
            add(&mut p.signals[s].metrics, mi);
        }
        if let Some(i) = m.instrument {
            add(&mut p.instruments[i].metrics, mi);
        }
    }
    for (si, s) in p.sessions.iter().enumerate() {
        for &c in &s.competencies {
            add(&mut p.competencies[c].sessions, si);
        }
        for &a in &s.actions {
            add(&mut p.actions[a].sessions, si);
        }
        for &pr in &s.practices {
            add(&mut p.practices[pr].sessions, si);
            let a = p.practices[pr].action;
            add(&mut p.actions[a].sessions, si);
        }
        for &m in &s.metrics {
            add(&mut p.metrics[m].sessions, si);
            if let Some(i) = p.metrics[m].instrument {
                add(&mut p.instruments[i].sessions, si);
            }
        }
    }
    let pairs: Vec<(usize, usize)> = p
        .sessions
        .iter()
        .enumerate()
        .flat_map(|(si, s)| s.requires.iter().map(move |&r| (r, si)))
        .collect();
    for (r, si) in pairs {
        add(&mut p.sessions[r].required_by, si);
    }
    // Actions' sessions in curriculum order (practices may add them late).
    for a in &mut p.actions {
        a.sessions.sort_unstable();
    }
    // A competency's metrics: those evidencing its signals.
    for c in &mut p.competencies {
        let mut ms: Vec<usize> = c
            .signals
            .iter()
            .flat_map(|&s| p.signals[s].metrics.iter().copied())
            .collect();
        ms.sort_unstable();
        ms.dedup();
        c.metrics = ms;
    }
    for i in &mut p.instruments {
        i.sessions.sort_unstable();
    }
}
