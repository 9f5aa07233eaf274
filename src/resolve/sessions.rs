//! Session guides: front matter and markdown parsed (in parallel), weeks
//! and dates checked, the curriculum ordered, `requires` checked for order
//! and cycles, and each guide turned into a graph [`Session`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc, Sources};
use crate::graph::{Ix, Session, LISTED_HEADINGS};
use crate::load::RawProgram;
use crate::markdown::{self, Analysis, FrontMatterError};
use crate::model::{Audience, SessionDoc, SessionKind};
use crate::yaml::{Repairs, YamlPath};

use super::links::{Resolver, TextLoc};
use super::parse::parse_doc_recovering;

/// A session guide after front matter and markdown analysis. A guide whose
/// front matter has mistakes is here too, with what could be read of it:
/// its id is its file name whatever the front matter says.
pub(super) struct Parsed {
    pub id: String,
    pub file: FileId,
    /// Byte offset of the front matter YAML in the file.
    pub yaml_base: usize,
    /// Byte offset of the markdown body in `body_file`.
    pub body_base: usize,
    /// The file of the body: `file`, or the library guide's whose body a
    /// session takes.
    pub body_file: FileId,
    pub doc: SessionDoc,
    pub analysis: Analysis,
    /// Where `doc` is not what the author wrote (front matter read with
    /// errors).
    pub repairs: Repairs,
    /// The front matter could not be read at all: `doc` holds only the id.
    pub unreadable: bool,
    /// The library guide it starts from (`from: library:<id>`).
    pub library: Option<FromLibrary>,
}

/// How a guide that starts from the library is read (`library.rs`):
/// the library's hash (a guide's parse depends on it) and the reader.
pub(super) struct LibraryReader<'a> {
    pub hash: u128,
    #[allow(clippy::type_complexity)]
    pub read: &'a (dyn Fn(
        &Sources,
        (FileId, std::ops::Range<usize>, usize),
        String,
        &mut Vec<Diagnostic>,
    ) -> Option<Parsed>
             + Sync),
}

/// The library guide a session starts from.
pub(super) struct FromLibrary {
    pub id: String,
    pub file: FileId,
    pub yaml_base: usize,
    /// The front-matter keys the session gives itself.
    pub own_keys: Vec<&'static str>,
}

impl Parsed {
    /// Whether the session's place in the curriculum is what its author
    /// wrote: its front matter was read, its `week` and `date` without error.
    fn placed(&self) -> bool {
        !self.unreadable && !self.repairs.touches("week") && !self.repairs.touches("date")
    }

    /// Where front-matter key `key` was written: the file and the byte
    /// offset of its YAML (the library guide's, for a key it does not give).
    pub(super) fn at(&self, key: &str) -> (FileId, usize) {
        match &self.library {
            Some(l) if !l.own_keys.contains(&key) => (l.file, l.yaml_base),
            _ => (self.file, self.yaml_base),
        }
    }

    /// Front-matter key `key`, where it was written.
    fn key_loc(&self, key: &str) -> Loc {
        let (f, b) = self.at(key);
        Loc::Yaml(f, b, YamlPath::root().key(key))
    }

    /// Whether the front matter was read with errors.
    pub(super) fn read_with_errors(&self) -> bool {
        self.unreadable || !self.repairs.is_empty()
    }
}

/// Session guides as an earlier compile parsed them, by file, with a hash
/// of the text each was parsed from: a guide whose text is unchanged is
/// not parsed again (`serve` keeps them between compiles).
#[derive(Default)]
pub(crate) struct Guides(HashMap<FileId, (u128, Arc<Parse>)>);

/// What parsing one guide gives: the guide and the problems found.
type Parse = (Arc<Parsed>, Vec<Diagnostic>);

/// A program's session guides in curriculum order.
pub(super) struct Curriculum {
    pub sessions: Vec<Arc<Parsed>>,
    /// Ids of guides whose front matter could not be read at all.
    pub failed: HashSet<String>,
    /// The program's start date, from which weeks get their dates.
    pub start: Option<NaiveDate>,
    /// Whether the curriculum order is the one the author wrote: false
    /// when `program.yaml`'s `start` could not be read and sessions with a
    /// date and sessions with only a week cannot be put in one order
    /// without it. (A session whose own `week` or `date` could not be read
    /// is out of order alone: see [`Parsed::placed`].)
    ordered: bool,
}

impl Curriculum {
    /// Parse every guide of `raw` and order them: sessions with a date or
    /// week first, by day; then by file name. `start_known`: the program's
    /// `start` (or its absence) is what the author wrote.
    /// `guides` holds the parses of an earlier compile, and then this one's.
    pub(super) fn parse(
        raw: &RawProgram,
        (sources, library): (&Sources, &LibraryReader),
        (start, start_known): (Option<NaiveDate>, bool),
        guides: &mut Guides,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let earlier = &guides.0;
        let parsed: Vec<(u128, Arc<Parse>)> = raw
            .sessions
            .par_iter()
            .map(|&f| {
                // A guide may start from the library: its parse depends on it.
                let hash = xxhash_rust::xxh3::xxh3_128(sources.text(f).as_bytes()) ^ library.hash;
                match earlier.get(&f).filter(|(h, _)| *h == hash) {
                    Some((_, p)) => (hash, Arc::clone(p)),
                    None => {
                        let (s, d) = parse_session(sources, f, Some(library));
                        (hash, Arc::new((Arc::new(s), d)))
                    }
                }
            })
            .collect();
        let mut failed = HashSet::new();
        let mut sessions = Vec::with_capacity(parsed.len());
        for (_, p) in &parsed {
            diags.extend(p.1.iter().cloned());
            if p.0.unreadable {
                failed.insert(p.0.id.clone());
            }
            sessions.push(Arc::clone(&p.0));
        }
        guides.0 = raw.sessions.iter().copied().zip(parsed).collect();
        for s in &sessions {
            check_numbers(s, diags);
        }
        check_dates(&sessions, start, diags);
        let mixed = sessions.iter().any(|s| s.doc.date.is_some())
            && sessions
                .iter()
                .any(|s| s.doc.date.is_none() && s.doc.week.is_some());
        let ordered = start_known || !mixed;
        let day_key = |d: &SessionDoc| -> (bool, i64) {
            if let Some(date) = date_of(start, d) {
                (false, date.signed_duration_since(NaiveDate::MIN).num_days())
            } else if let Some(w) = d.week {
                (false, 7 * i64::from(w))
            } else {
                (true, 0)
            }
        };
        sessions.sort_by_cached_key(|s| (day_key(&s.doc), s.id.clone()));
        Curriculum {
            sessions,
            failed,
            start,
            ordered,
        }
    }

    /// Whether a guide's front matter had mistakes.
    pub(super) fn read_with_errors(&self) -> bool {
        self.sessions.iter().any(|s| s.read_with_errors())
    }

    /// The given date, or the one computed from the program start and week.
    pub(super) fn date_of(&self, d: &SessionDoc) -> Option<NaiveDate> {
        date_of(self.start, d)
    }

    /// The graph's sessions, with references, `requires` order and the
    /// links of each body resolved.
    pub(super) fn build(
        &self,
        r: &Resolver,
        sources: &Sources,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Session> {
        let root = YamlPath::root();
        let mut out = Vec::with_capacity(self.sessions.len());
        for (index, s) in self.sessions.iter().enumerate() {
            let at = |key: &str| {
                let (f, b) = s.at(key);
                (f, b, root.key(key))
            };
            let requires = r.refs::<Session>(&s.doc.requires, &at("requires"), diags);
            self.check_requires_order(index, s, &requires, diags);
            let audience = s.doc.audience.unwrap_or(Audience::Everyone);
            if audience == Audience::Everyone {
                for (k, req) in requires.iter().enumerate() {
                    if !r.facilitator_only(*req) {
                        continue;
                    }
                    let other = &self.sessions[req.index()].id;
                    let pos = s.doc.requires.iter().position(|x| x == other).unwrap_or(k);
                    diags.push(
                        Diagnostic::error(
                            Code::FacilitatorOnlyLink,
                            format!("session `{}` requires `{other}`, which is for facilitators only: the participant edition leaves it out", s.id),
                            Loc::Yaml(at("requires").0, at("requires").1, root.key("requires").index(pos)),
                        )
                        .with_hint(format!("remove `{other}` from `requires`, or give `{}` `audience: facilitator` too", s.id)),
                    );
                }
            }
            let purpose = s
                .doc
                .purpose
                .as_ref()
                .map(|p| r.front_matter_text(at("purpose"), p, Ix::new(index), diags));
            let body_src = &sources.text(s.body_file)[s.body_base..];
            let body = r.body(
                body_src,
                &s.analysis,
                TextLoc::Body(s.body_file, s.body_base),
                Ix::new(index),
                diags,
            );
            out.push(Session {
                id: s.id.clone(),
                number: index + 1,
                file: s.at("title").0,
                front_matter: s.at("title").1,
                library: s.library.as_ref().map(|l| l.id.clone()),
                title: s.doc.title.clone(),
                kind: s.doc.kind,
                week: s.doc.week,
                date: self.date_of(&s.doc),
                duration: s.doc.duration,
                module: s.doc.module.clone(),
                competencies: r.refs(&s.doc.competencies, &at("competencies"), diags),
                actions: r.refs(&s.doc.actions, &at("actions"), diags),
                practices: r.refs(&s.doc.practices, &at("practices"), diags),
                metrics: r.refs(&s.doc.metrics, &at("metrics"), diags),
                requires,
                required_by: Vec::new(),
                audience,
                purpose,
                body,
                headings: markdown::first_headings(&s.analysis.headings, LISTED_HEADINGS),
            });
        }
        out
    }

    /// A required session must come before the one requiring it (unless
    /// the place of either is not known: see [`Curriculum::ordered`] and
    /// [`Parsed::placed`]).
    fn check_requires_order(
        &self,
        index: usize,
        s: &Parsed,
        requires: &[Ix<Session>],
        diags: &mut Vec<Diagnostic>,
    ) {
        for (k, r) in requires.iter().enumerate() {
            let r = r.index();
            let known = r == index || (self.ordered && s.placed() && self.sessions[r].placed());
            if r < index || !known {
                continue;
            }
            let other = &self.sessions[r].id;
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
                Diagnostic::error(
                    Code::RequiresOrder,
                    msg,
                    Loc::Yaml(s.at("requires").0, s.at("requires").1, YamlPath::root().key("requires").index(pos)),
                )
                .with_hint("a required session must come first: give it an earlier week or date, or remove it from `requires`"),
            );
        }
    }

    /// Report each `requires` cycle once, at its first session in
    /// curriculum order.
    pub(super) fn report_cycles(&self, sessions: &[Session], diags: &mut Vec<Diagnostic>) {
        for cycle in cycles(sessions) {
            let names: Vec<&str> = cycle
                .iter()
                .chain(std::iter::once(&cycle[0]))
                .map(|&i| sessions[i].id.as_str())
                .collect();
            let second = &sessions[cycle[1]].id;
            let s = &self.sessions[cycle[0]];
            let at = s.doc.requires.iter().position(|x| x == second).unwrap_or(0);
            diags.push(
                Diagnostic::error(
                    Code::RequiresCycle,
                    format!(
                        "sessions require each other in a cycle: {}",
                        names.join(" → ")
                    ),
                    Loc::Yaml(
                        s.at("requires").0,
                        s.at("requires").1,
                        YamlPath::root().key("requires").index(at),
                    ),
                )
                .with_hint("remove one `requires` entry to break the cycle"),
            );
        }
    }
}

/// Every cycle of two or more sessions in the `requires` graph, each once,
/// rotated to start at its first session in curriculum order (an iterative
/// depth-first search: deep chains do not overflow the stack).
fn cycles(sessions: &[Session]) -> Vec<Vec<usize>> {
    let n = sessions.len();
    let mut out = Vec::new();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for startv in 0..n {
        if state[startv] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(startv, 0)];
        state[startv] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            let Some(&w) = sessions[v].requires.get(*next) else {
                state[v] = 2;
                stack.pop();
                continue;
            };
            *next += 1;
            let w = w.index();
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
                        out.push(cycle);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The longest program, in weeks: weeks and dates beyond it are errors
/// (the timeline draws every week, so no number may make output grow).
pub(super) const MAX_WEEKS: u32 = 104;
/// The longest session, in minutes.
pub(super) const MAX_DURATION: u32 = 24 * 60;

/// A week beyond the program span, a week 0, or a duration of more than
/// a day. (Kept as written, so that the curriculum order stays as the
/// author meant it: a site with errors is never rendered.)
fn check_numbers(s: &Parsed, diags: &mut Vec<Diagnostic>) {
    let at = |key| s.key_loc(key);
    match s.doc.week {
        Some(0) => diags.push(
            Diagnostic::error(Code::InvalidValue, "week numbers start at 1", at("week"))
                .with_hint("the first week of the program is `week: 1`"),
        ),
        Some(w) if w > MAX_WEEKS => {
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("week {w} is beyond the {MAX_WEEKS} weeks a program may span"),
                    at("week"),
                )
                .with_hint("give the week of the program, counted from 1 at the program start"),
            );
        }
        _ => {}
    }
    if let Some(d) = s.doc.duration.filter(|d| *d > MAX_DURATION) {
        diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("a duration of {d} minutes is longer than a day"),
                at("duration"),
            )
            .with_hint(format!(
                "give the session's length in minutes (at most {MAX_DURATION}), or split it into sessions"
            )),
        );
    }
}

/// Dates more than [`MAX_WEEKS`] after the program start (or, without a
/// start, after the first dated session).
fn check_dates(sessions: &[Arc<Parsed>], start: Option<NaiveDate>, diags: &mut Vec<Diagnostic>) {
    let (from, what) = match start {
        Some(s) => (s, "the program starts"),
        None => match sessions.iter().filter_map(|s| s.doc.date).min() {
            Some(first) => (first, "the first session"),
            None => return,
        },
    };
    let Some(last) = from.checked_add_days(Days::new(7 * u64::from(MAX_WEEKS))) else {
        return;
    };
    for s in sessions {
        let Some(d) = s.doc.date.filter(|d| *d >= last) else {
            continue;
        };
        diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("{d} is more than {MAX_WEEKS} weeks after {what} ({from})"),
                s.key_loc("date"),
            )
            .with_hint("check the year; a program spans at most two years"),
        );
    }
}

pub(super) fn parse_session(
    sources: &Sources,
    file: FileId,
    library: Option<&LibraryReader>,
) -> (Parsed, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = sources.text(file);
    let id = session_id(sources.path(file));
    // A guide whose front matter cannot be read is a session all the same,
    // known by its id, with its body (from `body`) read.
    let unreadable = |id: String, body: usize| Parsed {
        doc: SessionDoc {
            title: id.clone(),
            kind: SessionKind::Workshop,
            week: None,
            date: None,
            duration: None,
            module: None,
            competencies: Vec::new(),
            actions: Vec::new(),
            practices: Vec::new(),
            metrics: Vec::new(),
            requires: Vec::new(),
            audience: None,
            purpose: None,
        },
        id,
        file,
        yaml_base: 0,
        body_base: body,
        body_file: file,
        analysis: markdown::analyze(&text[body..]),
        repairs: Repairs::default(),
        unreadable: true,
        library: None,
    };
    let split = match markdown::split_front_matter(text) {
        Ok(s) => s,
        Err(e) => {
            let (msg, hint) = match e {
                FrontMatterError::Missing if text.trim().is_empty() => (
                    "session guide is empty",
                    "start it with front matter: a `---` line, `title:` and `kind:`, and a closing `---` line",
                ),
                FrontMatterError::Missing => (
                    "session guide has no front matter",
                    "start the file with a `---` line, then `title:` and `kind:`, then a closing `---` line",
                ),
                FrontMatterError::Unclosed => (
                    "front matter is not closed",
                    "add a line with `---` after the front matter keys",
                ),
            };
            let end = text.find('\n').unwrap_or(text.len());
            diags.push(
                Diagnostic::error(Code::MissingFrontMatter, msg, Loc::Span(file, 0..end))
                    .with_hint(hint),
            );
            return (unreadable(id, 0), diags);
        }
    };
    let yaml_src = &text[split.yaml.0..split.yaml.1];
    if yaml_src.trim().is_empty() {
        diags.push(
            Diagnostic::error(
                Code::MissingKey,
                "front matter is empty",
                Loc::Span(file, 0..3),
            )
            .with_hint("a session guide needs at least `title:` and `kind:`"),
        );
        return (unreadable(id, split.body), diags);
    }
    let range = split.yaml.0..split.yaml.1;
    // A library guide (`library: None`) starts from none.
    if let Some(library) = library.filter(|_| starts_from_library(yaml_src)) {
        let at = (file, range, split.body);
        return match (library.read)(sources, at, id.clone(), &mut diags) {
            Some(p) => (p, diags),
            None => (unreadable(id, split.body), diags),
        };
    }
    let Some((doc, repairs)) = parse_doc_recovering::<SessionDoc>(sources, file, range, &mut diags)
    else {
        return (unreadable(id, split.body), diags);
    };
    let analysis = markdown::analyze(&text[split.body..]);
    (
        Parsed {
            id,
            file,
            yaml_base: split.yaml.0,
            body_base: split.body,
            body_file: file,
            doc,
            analysis,
            repairs,
            unreadable: false,
            library: None,
        },
        diags,
    )
}

/// Whether front matter `yaml` has a `from` key (a session that starts
/// from a library guide).
fn starts_from_library(yaml: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        from: Option<serde::de::IgnoredAny>,
    }
    crate::yaml::from_str::<Probe>(yaml).is_ok_and(|p| p.from.is_some())
}

/// A session's given date, or the one of its week in a program starting
/// on `start`.
fn date_of(start: Option<NaiveDate>, d: &SessionDoc) -> Option<NaiveDate> {
    d.date.or_else(|| week_date(start?, d.week?))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_one_is_the_start_date() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(week_date(start, 1), Some(start));
        assert_eq!(week_date(start, 3), NaiveDate::from_ymd_opt(2026, 1, 19));
        assert_eq!(week_date(start, u32::MAX), None);
        // The last week there may be is still a date.
        assert!(week_date(NaiveDate::MAX - Days::new(7 * 200), MAX_WEEKS).is_some());
    }

    #[test]
    fn session_ids_are_file_names_without_md() {
        assert_eq!(session_id("content/p/sessions/01-kickoff.md"), "01-kickoff");
        assert_eq!(session_id("01.md"), "01");
    }

    #[test]
    fn cycles_are_found_once_from_their_first_session() {
        let s = |requires: &[usize]| Session {
            id: String::new(),
            number: 0,
            file: 0,
            front_matter: 0,
            library: None,
            title: String::new(),
            kind: crate::model::SessionKind::Workshop,
            week: None,
            date: None,
            duration: None,
            module: None,
            competencies: vec![],
            actions: vec![],
            practices: vec![],
            metrics: vec![],
            requires: requires.iter().map(|&i| Ix::new(i)).collect(),
            required_by: vec![],
            audience: Audience::Everyone,
            purpose: None,
            body: Default::default(),
            headings: vec![],
        };
        // 0 → 2 → 1 → 0, and 3 requires itself (not a cycle here).
        let sessions = [s(&[2]), s(&[0]), s(&[1]), s(&[3])];
        assert_eq!(cycles(&sessions), vec![vec![0, 2, 1]]);
    }
}
