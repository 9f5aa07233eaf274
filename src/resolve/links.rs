//! References and links: id lists in YAML and front matter resolved to
//! typed indices, and every link of a markdown text — `kind:id`, a
//! relative `.md` session link, an asset, a `#heading` — resolved to a
//! [`Target`] and checked (the id exists, the file exists, the heading
//! exists), each problem reported where the link is written; the problems
//! of a text's fenced blocks are reported with them.

use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::graph::{Entity, EntityKind, EntityRef, Ix, Session, Target, Text};
use crate::load::RawProgram;
use crate::markdown::{self, Analysis};
use crate::suggest::{did_you_mean, hint, suggest, Budget, SUGGESTION_BUDGET};

use super::anchors::{anchor_hint, Anchors};
use crate::yaml::YamlPath;

use super::ids::Ids;

/// How a markdown text's links are located for diagnostics.
#[derive(Clone)]
pub(super) enum TextLoc {
    /// A YAML field: all links point at the field.
    Yaml(FileId, usize, YamlPath),
    /// A session body starting at byte `base` of the file.
    Body(FileId, usize),
}

/// What a link problem is: code, message, hint.
type LinkError = (Code, String, Option<String>);

/// The only URL schemes a link may have (besides `kind:`): anything else
/// (`javascript:`, `data:`, `vbscript:`, `file:`, …) is refused.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Schemes that run code or read local files: never a typo of a `kind:`.
const DANGEROUS_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file", "blob"];

/// Resolves the references and links of one program.
pub(super) struct Resolver<'a> {
    ids: Ids,
    /// Heading anchors of each session (by curriculum index).
    headings: Vec<Anchors<'a>>,
    /// Whether each session is for facilitators only, and the anchors of
    /// its headings inside `facilitator` blocks: what the participant
    /// edition leaves out.
    facilitator_only: Vec<bool>,
    facilitator_headings: Vec<HashSet<&'a str>>,
    /// Session ids by curriculum index.
    session_ids: Vec<&'a str>,
    assets: HashSet<&'a str>,
    asset_list: &'a [String],
    /// Paths under `sessions/` skipped as links to outside the site.
    outside: &'a [String],
    program: &'a str,
    /// What the "did you mean" hints of this program may still compare.
    budget: Budget,
}

impl<'a> Resolver<'a> {
    /// A resolver over `ids`, the program's sessions (id, markdown
    /// analysis, and whether it is for facilitators only, in curriculum
    /// order) and its assets.
    pub(super) fn new(
        ids: Ids,
        sessions: impl Iterator<Item = (&'a str, &'a Analysis, bool)>,
        raw: &'a RawProgram,
    ) -> Self {
        let mut session_ids = Vec::new();
        let mut headings = Vec::new();
        let mut facilitator_only = Vec::new();
        let mut facilitator_headings = Vec::new();
        for (id, a, only) in sessions {
            session_ids.push(id);
            headings.push(Anchors::new(a));
            facilitator_only.push(only);
            facilitator_headings.push(
                a.headings
                    .iter()
                    .filter(|h| h.facilitator)
                    .map(|h| h.anchor.as_str())
                    .collect(),
            );
        }
        Resolver {
            ids,
            headings,
            facilitator_only,
            facilitator_headings,
            session_ids,
            assets: raw.assets.iter().map(String::as_str).collect(),
            asset_list: &raw.assets,
            outside: &raw.outside,
            program: &raw.id,
            budget: Budget::new(SUGGESTION_BUDGET),
        }
    }

    /// Resolve a list of ids of kind `T` written at `at` (file, base of the
    /// YAML document, path of the list); unknown ones are reported and
    /// left out, repeated ones kept once.
    pub(super) fn refs<T: Entity>(
        &self,
        list: &[String],
        at: &(FileId, usize, YamlPath),
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Ix<T>> {
        let mut out = Vec::with_capacity(list.len());
        for (i, id) in list.iter().enumerate() {
            match self.ids.get_ix::<T>(id) {
                Some(ix) => {
                    if !out.contains(&ix) {
                        out.push(ix)
                    }
                }
                None if self.ids.suppressed(T::KIND, id) => {}
                None if self.ids.is_placeholder(at.0, &at.2.index(i)) => {}
                None => diags.push(self.unknown(T::KIND, id, Loc::Yaml(at.0, at.1, at.2.index(i)))),
            }
        }
        out
    }

    /// Resolve one id of kind `T` written at `loc`.
    pub(super) fn one_ref<T: Entity>(
        &self,
        id: &str,
        loc: Loc,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Ix<T>> {
        let r = self.ids.get_ix::<T>(id);
        if r.is_none() && !self.ids.suppressed(T::KIND, id) {
            diags.push(self.unknown(T::KIND, id, loc));
        }
        r
    }

    fn unknown(&self, kind: EntityKind, id: &str, loc: Loc) -> Diagnostic {
        Diagnostic::error(
            Code::UnknownReference,
            format!("unknown {} `{id}`", kind.prefix()),
            loc,
        )
        .with_label(format!("no {} with this id in this program", kind.prefix()))
        .with_hint(self.unknown_hint(kind, id))
    }

    /// "did you mean", or where such ids are defined.
    fn unknown_hint(&self, kind: EntityKind, id: &str) -> String {
        did_you_mean(self.ids.closest(kind, id, &self.budget)).unwrap_or_else(|| {
            format!(
                "define it in content/{}/{}",
                self.program,
                kind.defined_in()
            )
        })
    }

    /// A markdown field of a YAML document (at `path` of file `f`).
    pub(super) fn yaml_text(
        &self,
        f: FileId,
        path: YamlPath,
        src: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Text {
        let analysis = markdown::analyze(src);
        self.text(src, &analysis, TextLoc::Yaml(f, 0, path), None, true, diags)
    }

    /// A markdown field shown as a title, in headings and links (an
    /// action, a success signal, an enabler): one paragraph. More is a
    /// warning — the site flattens it.
    pub(super) fn title_text(
        &self,
        (f, path, field): (FileId, &YamlPath, &str),
        src: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Text {
        let path = path.key(field);
        let analysis = markdown::analyze(src);
        if !analysis.one_paragraph {
            diags.push(
                Diagnostic::warning(
                    Code::NotOneParagraph,
                    format!("`{field}` is a title, shown in headings and links: it should be one paragraph"),
                    Loc::Yaml(f, 0, path.clone()),
                )
                .with_hint(format!(
                    "the site runs its paragraphs, list items and blocks together, a line each; keep `{field}` to a sentence and put the detail in a session guide or a description",
                )),
            );
        }
        self.text(src, &analysis, TextLoc::Yaml(f, 0, path), None, true, diags)
    }

    /// A markdown field of the front matter of session `own` (a YAML
    /// document at byte `base` of file `f`, the field at `path`).
    pub(super) fn front_matter_text(
        &self,
        (f, base, path): (FileId, usize, YamlPath),
        src: &str,
        own: Ix<Session>,
        diags: &mut Vec<Diagnostic>,
    ) -> Text {
        let analysis = markdown::analyze(src);
        let participants = !self.facilitator_only(own);
        self.text(
            src,
            &analysis,
            TextLoc::Yaml(f, base, path),
            None,
            participants,
            diags,
        )
    }

    /// An optional markdown field of a YAML document.
    pub(super) fn opt_yaml_text(
        &self,
        f: FileId,
        path: YamlPath,
        src: &Option<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Text> {
        src.as_ref().map(|s| self.yaml_text(f, path, s, diags))
    }

    /// The body of session `own` (whose headings `#anchor` links may name).
    pub(super) fn body(
        &self,
        src: &str,
        analysis: &Analysis,
        at: TextLoc,
        own: Ix<Session>,
        diags: &mut Vec<Diagnostic>,
    ) -> Text {
        let participants = !self.facilitator_only(own);
        self.text(src, analysis, at, Some(own), participants, diags)
    }

    /// A markdown text; `own` is the session whose body it is (whose
    /// headings `#anchor` links name), `for_participants` whether the
    /// participant edition shows it: then, outside `facilitator` blocks, it
    /// may not link to what that edition leaves out.
    fn text(
        &self,
        src: &str,
        analysis: &Analysis,
        tl: TextLoc,
        own: Option<Ix<Session>>,
        for_participants: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Text {
        let own_headings = own.map(|o| &self.headings[o.index()]);
        let loc_of = |range: &std::ops::Range<usize>| match &tl {
            TextLoc::Yaml(f, b, p) => Loc::Yaml(*f, *b, p.clone()),
            TextLoc::Body(f, b) => Loc::Span(*f, b + range.start..b + range.end),
        };
        // Fenced blocks that do not open or close as written.
        for i in &analysis.issues {
            let d = if i.error {
                Diagnostic::error(i.code, i.message.clone(), loc_of(&i.range))
            } else {
                Diagnostic::warning(i.code, i.message.clone(), loc_of(&i.range))
            };
            diags.push(d.with_hint(i.hint.clone()));
        }
        let mut links = Vec::with_capacity(analysis.links.len());
        for l in &analysis.links {
            let loc = loc_of(&l.range);
            if l.is_image && !l.has_alt {
                diags.push(
                    Diagnostic::warning(Code::MissingAlt, "image has no alt text", loc.clone())
                        .with_hint(
                        "describe the image for readers who cannot see it: ![what it shows](path)",
                    ),
                );
            }
            let resolved = if l.is_email {
                Ok(Target::External(l.dest.clone()))
            } else {
                self.link(&l.dest, own_headings)
            };
            let target = match resolved {
                Ok(t) => t,
                Err((code, msg, hint)) => {
                    diags.push(Diagnostic::error(code, msg, loc.clone()).with_hint_opt(hint));
                    Target::Broken(l.dest.clone())
                }
            };
            if for_participants && !l.facilitator {
                if let Some(msg) = self.left_out(&target, own) {
                    diags.push(
                        Diagnostic::error(Code::FacilitatorOnlyLink, msg, loc)
                            .with_hint("link to it from a `::: facilitator` block, or make what it points to part of the participant edition"),
                    );
                }
            }
            links.push(target);
        }
        let raw_assets = analysis
            .raw_urls
            .iter()
            .filter_map(|(url, facilitator)| Some((self.raw_asset(url)?, *facilitator)))
            .collect();
        Text {
            src: src.to_string(),
            links,
            facilitator: analysis.links.iter().map(|l| l.facilitator).collect(),
            raw_assets,
        }
    }

    /// The file under `sessions/` that a URL of raw HTML refers to, if
    /// any. Raw HTML is not checked or rewritten, so its URL may be
    /// written from the sessions folder (`fig/a.png`), from a page
    /// (`../fig/a.png`) or from the site's root
    /// (`/program/sessions/fig/a.png`): the longest end of its path that
    /// names a file is taken. Only for the participant edition's files,
    /// which copies those participants' raw HTML refers to.
    fn raw_asset(&self, url: &str) -> Option<String> {
        /// The most folders a file under `sessions/` is looked for in (a
        /// hostile URL of many slashes costs no more).
        const DEPTH: usize = 32;
        let path = url.split(['#', '?']).next().unwrap_or(url);
        if path.contains(':') {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let mut found = None;
        let mut end = decoded.len();
        for _ in 0..DEPTH {
            let start = decoded[..end].rfind('/').map_or(0, |i| i + 1);
            let candidate = &decoded[start..];
            if self.assets.contains(candidate) {
                found = Some(candidate.to_string());
            }
            if start == 0 {
                break;
            }
            end = start - 1;
        }
        found
    }

    /// Why the participant edition leaves out what `target` points to
    /// (from a text of session `own`, if any): a facilitator-only session,
    /// or a heading inside a `facilitator` block.
    fn left_out(&self, target: &Target, own: Option<Ix<Session>>) -> Option<String> {
        let (session, anchor) = match target {
            Target::Entity(EntityRef::Session(ix), anchor) => (*ix, anchor.as_deref()),
            Target::Anchor(a) => (own?, Some(a.as_str())),
            _ => return None,
        };
        let id = self.session_ids[session.index()];
        if self.facilitator_only[session.index()] {
            return Some(format!(
                "participants' text links to session `{id}`, which is for facilitators only: the participant edition leaves it out"
            ));
        }
        anchor
            .filter(|a| self.facilitator_headings[session.index()].contains(*a))
            .map(|a| {
                format!(
                    "participants' text links to `#{a}` of session `{id}`, a heading inside a `facilitator` block: the participant edition leaves it out"
                )
            })
    }

    /// Whether session `s` is for facilitators only.
    pub(super) fn facilitator_only(&self, s: Ix<Session>) -> bool {
        self.facilitator_only[s.index()]
    }

    /// Where a link destination points.
    fn link(&self, dest: &str, own_headings: Option<&Anchors>) -> Result<Target, LinkError> {
        if dest.is_empty() {
            return Ok(Target::External(String::new()));
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return match own_headings {
                Some(h) if !h.contains(anchor) => Err((
                    Code::BrokenAnchor,
                    format!("no heading with anchor `#{anchor}` in this session"),
                    Some(anchor_hint(anchor, h, &self.budget)),
                )),
                Some(_) => Ok(Target::Anchor(anchor.to_string())),
                None => Err((
                    Code::BrokenAnchor,
                    format!("`#{anchor}` points into no page: this text is shown on several pages"),
                    Some("link to a session heading with `session:id#heading`".into()),
                )),
            };
        }
        // As a browser reads it: without tabs and line breaks anywhere, and
        // without leading control characters or spaces (WHATWG URL).
        let read = browser_form(dest);
        if let Some((scheme, rest)) = read.split_once(':') {
            if is_scheme(scheme) {
                return self.scheme_link(dest, scheme, rest);
            }
        }
        if dest.starts_with('/') || dest.starts_with('?') {
            return Ok(Target::External(dest.to_string()));
        }
        self.relative_link(dest)
    }

    /// A `kind:id` link, or a URL with a scheme.
    fn scheme_link(&self, dest: &str, scheme: &str, rest: &str) -> Result<Target, LinkError> {
        if let Some(kind) = EntityKind::from_prefix(scheme) {
            let (id, anchor) = match rest.split_once('#') {
                Some((i, a)) => (i, Some(a.to_string())),
                None => (rest, None),
            };
            let index = match self.ids.get(kind, id) {
                Some(i) => i,
                // Its defining file failed: that error is enough.
                None if self.ids.suppressed(kind, id) => {
                    return Ok(Target::Broken(dest.to_string()))
                }
                None => {
                    return Err((
                        Code::UnknownLink,
                        format!("link to unknown {} `{id}`", kind.prefix()),
                        Some(self.unknown_hint(kind, id)),
                    ));
                }
            };
            let entity = EntityRef::new(kind, index);
            if let Some(a) = &anchor {
                self.check_anchor(entity, a)?;
            }
            return Ok(Target::Entity(entity, anchor));
        }
        let lower = scheme.to_ascii_lowercase();
        if URL_SCHEMES.contains(&lower.as_str()) {
            return Ok(Target::External(dest.to_string()));
        }
        let prefixes = EntityKind::ALL.map(EntityKind::prefix);
        match suggest(&lower, prefixes) {
            Some(s) if !DANGEROUS_SCHEMES.contains(&lower.as_str()) => Err((
                Code::UnknownLink,
                format!("unknown link kind `{scheme}:`"),
                Some(format!("did you mean `{s}:{rest}`?")),
            )),
            _ => Err((
                Code::UnsafeLink,
                format!("a `{lower}:` link is not allowed"),
                Some("links may be relative, `kind:id`, or http, https, mailto or tel URLs".into()),
            )),
        }
    }

    /// A path relative to the sessions folder: another session guide, or
    /// an asset.
    fn relative_link(&self, dest: &str) -> Result<Target, LinkError> {
        let (path, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |x| x.0);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let Some(norm) = normalize_rel(&decoded) else {
            return Err((
                Code::MissingFile,
                format!("link `{dest}` points outside the sessions folder"),
                Some("only files under this program's sessions/ folder are published".into()),
            ));
        };
        if !norm.contains('/') {
            if let Some(stem) = norm.strip_suffix(".md") {
                if self.ids.failed_sessions.contains(stem) {
                    return Ok(Target::Broken(dest.to_string()));
                }
                if let Some(index) = self.ids.get(EntityKind::Session, stem) {
                    let entity = EntityRef::new(EntityKind::Session, index);
                    let anchor = frag.map(str::to_string);
                    if let Some(a) = &anchor {
                        self.check_anchor(entity, a)?;
                    }
                    return Ok(Target::Entity(entity, anchor));
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
        let behind = |o: &String| {
            o.is_empty()
                || norm == *o
                || norm
                    .strip_prefix(o.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        };
        if self.outside.iter().any(behind) {
            return Err((
                Code::MissingFile,
                format!("link to `{norm}`, which is behind a symbolic link to a place outside the site"),
                Some(format!(
                    "nothing outside the site folder is published: copy the file into content/{}/sessions/",
                    self.program
                )),
            ));
        }
        let mut candidates: Vec<String> = self.asset_list.to_vec();
        candidates.extend(self.ids.ids(EntityKind::Session).map(|s| format!("{s}.md")));
        let hint = hint(&norm, candidates.iter().map(String::as_str))
            .unwrap_or_else(|| format!("put the file under content/{}/sessions/", self.program));
        Err((
            Code::MissingFile,
            format!("link to `{norm}`, which does not exist"),
            Some(hint),
        ))
    }

    /// Only session pages have headings to link to, and the heading must exist.
    fn check_anchor(&self, entity: EntityRef, anchor: &str) -> Result<(), LinkError> {
        let EntityRef::Session(ix) = entity else {
            return Err((
                Code::BrokenAnchor,
                format!(
                    "a {} page has no heading `#{anchor}`",
                    entity.kind().prefix()
                ),
                Some("only session links may name a heading: remove `#…`".into()),
            ));
        };
        let h = &self.headings[ix.index()];
        if h.contains(anchor) {
            return Ok(());
        }
        Err((
            Code::BrokenAnchor,
            format!(
                "session `{}` has no heading with anchor `#{anchor}`",
                self.session_ids[ix.index()]
            ),
            Some(anchor_hint(anchor, h, &self.budget)),
        ))
    }
}

/// A link destination as a browser's URL parser reads it: ASCII tabs and
/// line breaks removed everywhere, leading C0 controls and spaces trimmed.
fn browser_form(dest: &str) -> String {
    dest.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_string()
}

/// Whether `s` is a URL scheme (RFC 3986: a letter, then letters, digits,
/// `+`, `-` or `.`).
fn is_scheme(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_normalized_inside_the_folder() {
        assert_eq!(normalize_rel("./a/../b.png").as_deref(), Some("b.png"));
        assert_eq!(normalize_rel("fig//x.svg").as_deref(), Some("fig/x.svg"));
        assert_eq!(normalize_rel("a/b/../../c").as_deref(), Some("c"));
        assert_eq!(normalize_rel("../secret"), None);
        assert_eq!(normalize_rel("a/../../b"), None);
    }

    #[test]
    fn schemes_follow_rfc_3986() {
        assert!(is_scheme("https"));
        assert!(is_scheme("coap+tcp"));
        assert!(is_scheme("competency"));
        assert!(!is_scheme(""));
        assert!(!is_scheme("1http"));
        assert!(!is_scheme("c:\\path"));
        assert!(!is_scheme("two words"));
    }

    #[test]
    fn destinations_are_read_as_a_browser_reads_them() {
        assert_eq!(browser_form("java\tscript:x"), "javascript:x");
        assert_eq!(browser_form(" \u{1}java\nscript:x"), "javascript:x");
        assert_eq!(browser_form("a b"), "a b");
    }
}
