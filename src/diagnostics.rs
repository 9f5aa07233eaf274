//! Diagnostics: what went wrong, where, and what to do about it.
//!
//! Owns the [`Diagnostic`] type every stage reports into, the [`Sources`]
//! table of loaded files that diagnostics point at, position finalisation
//! (byte spans and YAML paths become line and column), sorting, and the two
//! output formats: human (rendered by `codespan-reporting`, with a source
//! snippet and the offending span underlined) and JSON for CI and editors.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{ColorChoice, WriteColor};
use serde::Serialize;

use crate::yaml::YamlPath;

pub(crate) mod code;
pub use code::{Category, Code};

/// Index of a file in [`Sources`].
pub(crate) type FileId = usize;

/// One file read from the site, kept for diagnostics and rendering.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// The text, with any UTF-8 byte-order mark removed.
    pub text: String,
}

/// Every text file the pipeline read, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// Shared, so that a copy (each compile of `serve` hands one out) is
    /// cheap.
    files: Vec<std::sync::Arc<SourceFile>>,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files
            .push(std::sync::Arc::new(SourceFile { path, text }));
        self.files.len() - 1
    }

    /// Give file `id` a new text (read again).
    pub fn replace(&mut self, id: FileId, path: String, text: String) {
        self.files[id] = std::sync::Arc::new(SourceFile { path, text });
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }
    pub fn path(&self, id: FileId) -> &str {
        &self.files[id].path
    }
    pub fn text(&self, id: FileId) -> &str {
        &self.files[id].text
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a diagnostic points.
#[derive(Debug, Clone)]
pub enum Loc {
    /// Not tied to a file (e.g. a missing site root).
    None,
    /// A path that is not a loaded text file (a folder, a missing file, binary data).
    Path(String),
    /// A whole loaded file.
    File(FileId),
    /// A byte range in a loaded file.
    Span(FileId, Range<usize>),
    /// A node of a YAML document that starts at byte `base` of the file; turned
    /// into a span lazily, only when the diagnostic is reported.
    Yaml(FileId, usize, YamlPath),
}

/// One problem found in a playbook.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is, e.g. `unknown-reference`.
    pub code: Code,
    pub message: String,
    pub loc: Loc,
    /// Text shown under the underlined span.
    pub label: Option<String>,
    /// What to do about it, e.g. "did you mean `delegation`?".
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, loc: Loc) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            loc,
            label: None,
            hint: None,
        }
    }
    pub fn warning(code: Code, message: impl Into<String>, loc: Loc) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, loc)
        }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

/// A diagnostic with its position resolved to file, line and column.
#[derive(Debug, Clone, Serialize)]
pub struct Reported {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub label: Option<String>,
    pub hint: Option<String>,
    #[serde(skip)]
    file_id: Option<FileId>,
    #[serde(skip)]
    span: Option<Range<usize>>,
}

impl Reported {
    /// `file:line:col: severity[code]: message` — one line, for logs and tests.
    pub fn short(&self) -> String {
        let mut s = String::new();
        if let Some(f) = &self.file {
            s.push_str(f);
            if let (Some(l), Some(c)) = (self.line, self.column) {
                s.push_str(&format!(":{l}:{c}"));
            }
            s.push_str(": ");
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        s.push_str(&format!("{sev}[{}]: {}", self.code.as_str(), self.message));
        if let Some(h) = &self.hint {
            s.push_str(&format!(" ({h})"));
        }
        s
    }
}

/// An `io-error` diagnostic with no location (a folder that cannot be
/// written, a file that cannot be read), ready to report.
pub(crate) fn io_error(message: String) -> Reported {
    finalize(
        vec![Diagnostic::error(Code::IoError, message, Loc::None)],
        &Sources::default(),
    )
    .remove(0)
}

/// Resolve positions and sort: by file, line, column, then code.
pub(crate) fn finalize(diags: Vec<Diagnostic>, sources: &Sources) -> Vec<Reported> {
    let mut out = locate(diags, sources);
    sort(&mut out);
    out
}

/// Resolve positions, keeping the order.
pub(crate) fn locate(diags: Vec<Diagnostic>, sources: &Sources) -> Vec<Reported> {
    Locator::new(sources).locate(diags)
}

/// Resolves positions in `sources`, keeping what it learns of each file
/// (the node spans of a YAML document, the line starts of a text) for
/// every later call: diagnostics located in several batches read each file
/// once.
pub(crate) struct Locator<'s> {
    sources: &'s Sources,
    yaml: HashMap<(FileId, usize), crate::yaml::SpanIndex>,
    lines: HashMap<FileId, (Vec<usize>, Option<Cursor>)>,
}

impl<'s> Locator<'s> {
    pub(crate) fn new(sources: &'s Sources) -> Self {
        Locator {
            sources,
            yaml: HashMap::new(),
            lines: HashMap::new(),
        }
    }

    /// Resolve positions, keeping the order.
    pub(crate) fn locate(&mut self, diags: Vec<Diagnostic>) -> Vec<Reported> {
        diags.into_iter().map(|d| self.one(d)).collect()
    }

    fn one(&mut self, d: Diagnostic) -> Reported {
        let sources = self.sources;
        let (file_id, file, span) = match d.loc {
            Loc::None => (None, None, None),
            Loc::Path(p) => (None, Some(p), None),
            Loc::File(id) => (Some(id), Some(sources.path(id).to_string()), None),
            Loc::Span(id, r) => (Some(id), Some(sources.path(id).to_string()), Some(r)),
            Loc::Yaml(id, base, path) => {
                let index = self
                    .yaml
                    .entry((id, base))
                    .or_insert_with(|| crate::yaml::SpanIndex::build(&sources.text(id)[base..]));
                let span = index.locate(&path).map(|r| r.start + base..r.end + base);
                (Some(id), Some(sources.path(id).to_string()), span)
            }
        };
        let (mut line, mut column, mut end_line, mut end_column) = (None, None, None, None);
        if let (Some(id), Some(r)) = (file_id, &span) {
            let text = sources.text(id);
            let (starts, cursor) = self
                .lines
                .entry(id)
                .or_insert_with(|| (line_starts(text).collect(), None));
            let (l, c) = line_col(text, starts, r.start, cursor);
            let (el, ec) = line_col(text, starts, r.end, cursor);
            line = Some(l);
            column = Some(c);
            end_line = Some(el);
            end_column = Some(ec);
        }
        Reported {
            severity: d.severity,
            code: d.code,
            message: d.message,
            file,
            line,
            column,
            end_line,
            end_column,
            label: d.label,
            hint: d.hint,
            file_id,
            span,
        }
    }
}

/// Sort reported diagnostics by file, line, column, then code, and drop
/// repeats.
pub(crate) fn sort(out: &mut Vec<Reported>) {
    out.sort_by(order);
    out.dedup_by(|a, b| same(a, b));
}

/// The order of [`sort`]: by file, line, column, code, then message.
pub(crate) fn order(a: &Reported, b: &Reported) -> std::cmp::Ordering {
    (&a.file, a.line, a.column, a.code.as_str(), &a.message).cmp(&(
        &b.file,
        b.line,
        b.column,
        b.code.as_str(),
        &b.message,
    ))
}

/// Whether two diagnostics are repeats of each other (which [`sort`] drops).
pub(crate) fn same(a: &Reported, b: &Reported) -> bool {
    a.file == b.file
        && a.line == b.line
        && a.column == b.column
        && a.code == b.code
        && a.message == b.message
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

/// Where the last column was counted in a file: line, byte, 1-based
/// column. Diagnostics on one line come in order, so counting on from the
/// previous one keeps many diagnostics on a long line linear.
type Cursor = (usize, usize, usize);

/// 1-based line and character column of byte `offset`.
fn line_col(
    text: &str,
    starts: &[usize],
    offset: usize,
    cursor: &mut Option<Cursor>,
) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = match starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i - 1,
    };
    let (from, col) = match *cursor {
        Some((l, b, c)) if l == line && b <= offset => (b, c),
        _ => (starts[line], 1),
    };
    let col = col + text.get(from..offset).map_or(0, |s| s.chars().count());
    *cursor = Some((line, offset, col));
    (line + 1, col)
}

/// Counts of a run's diagnostics.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub(crate) struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub(crate) fn count(reported: &[Reported]) -> Counts {
    let errors = reported
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Counts {
        errors,
        warnings: reported.len() - errors,
    }
}

/// Turn every warning into an error (`--strict`).
pub(crate) fn make_strict(reported: &mut [Reported]) {
    for d in reported {
        d.severity = Severity::Error;
    }
}

/// Render diagnostics for a terminal (colour when stderr is a terminal).
pub(crate) fn emit_human(reported: &[Reported], sources: &Sources, color: bool) {
    let choice = if color {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    // Buffered: codespan writes a snippet in many small pieces.
    let mut stream = term::termcolor::BufferedStandardStream::stderr(choice);
    write_human(&mut stream, reported, sources);
    let _ = stream.flush();
}

/// Render diagnostics as plain text into a string (tests, serve overlay logs).
pub fn render_plain(reported: &[Reported], sources: &Sources) -> String {
    let mut buf = term::termcolor::NoColor::new(Vec::new());
    write_human(&mut buf, reported, sources);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// At most this many diagnostics of one file are shown in human output (the
/// rest are counted; JSON output has them all): ten thousand snippets help
/// no one, and would cost seconds to print.
pub(crate) const HUMAN_PER_FILE: usize = 100;

/// A source line longer than this is shown only around the diagnostic's span.
const SNIPPET_MAX: usize = 160;
/// How much of a long line is shown on each side of the span.
const SNIPPET_CONTEXT: usize = 60;

/// The loaded files as codespan reads them, with one twist: the line of
/// the diagnostic being shown, when it is long, is cut to a window around
/// the span — so a thousand diagnostics on one long line cost a thousand
/// short snippets, not a thousand copies of the line. Line and column
/// numbers are still those of the whole line.
struct Snippets<'s> {
    sources: &'s Sources,
    starts: HashMap<FileId, Vec<usize>>,
    /// File, line index and byte range shown for that line.
    window: Option<(FileId, usize, Range<usize>)>,
    /// The columns of the shown diagnostic's span, already counted:
    /// (byte, column) of its start and end.
    known: [(usize, usize); 2],
}

impl<'s> Snippets<'s> {
    fn starts(&self, id: FileId) -> &[usize] {
        self.starts.get(&id).map_or(&[0], Vec::as_slice)
    }

    fn real_line(&self, id: FileId, line: usize) -> Range<usize> {
        let starts = self.starts(id);
        let len = self.sources.text(id).len();
        let start = starts.get(line).copied().unwrap_or(len);
        let end = starts.get(line + 1).copied().unwrap_or(len);
        start..end
    }

    /// Show the line of `span` whole, or the part of it around `span`.
    fn focus(&mut self, id: FileId, span: &Range<usize>) {
        let text = self.sources.text(id);
        self.starts
            .entry(id)
            .or_insert_with(|| line_starts(text).collect());
        let line = match self.starts(id).binary_search(&span.start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let real = self.real_line(id, line);
        let single_line = span.end <= real.end;
        self.window = (real.len() > SNIPPET_MAX && single_line).then(|| {
            let mut start = span.start.saturating_sub(SNIPPET_CONTEXT).max(real.start);
            let mut end = (span.end.max(span.start) + SNIPPET_CONTEXT).min(real.end);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            (id, line, start..end)
        });
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Snippets<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.sources.path(id))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.sources.text(id))
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(match self.starts(id).binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        })
    }

    fn column_number(
        &'a self,
        id: FileId,
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        if let Some((_, c)) = self.known.iter().find(|(b, _)| *b == byte) {
            return Ok(*c);
        }
        let real = self.real_line(id, line);
        let text = self.sources.text(id);
        let byte = byte.clamp(real.start, real.end);
        Ok(text.get(real.start..byte).map_or(0, |s| s.chars().count()) + 1)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        match &self.window {
            Some((f, l, r)) if *f == id && *l == line => Ok(r.clone()),
            _ => Ok(self.real_line(id, line)),
        }
    }
}

fn write_human(out: &mut dyn WriteColor, reported: &[Reported], sources: &Sources) {
    let mut files = Snippets {
        sources,
        starts: HashMap::new(),
        window: None,
        known: [(usize::MAX, 0); 2],
    };
    let config = term::Config::default();
    // Per file, how many were shown and how many left out.
    let mut shown: HashMap<Option<&str>, (usize, usize)> = HashMap::new();
    for (i, d) in reported.iter().enumerate() {
        let seen = shown.entry(d.file.as_deref()).or_default();
        if seen.0 >= HUMAN_PER_FILE {
            seen.1 += 1;
            // After the last of this file, say how many were left out.
            let next = reported.get(i + 1).map(|n| n.file.as_deref());
            if next != Some(d.file.as_deref()) {
                let _ = writeln!(
                    out,
                    "… and {} more in {} (`playbook check --format json` lists them all)\n",
                    seen.1,
                    d.file.as_deref().unwrap_or("the site")
                );
            }
            continue;
        }
        seen.0 += 1;
        let mut diag = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(d.code.as_str())
        .with_message(&d.message);
        match (d.file_id, &d.span) {
            (Some(id), Some(span)) => {
                files.focus(id, span);
                files.known = [
                    (span.start, d.column.unwrap_or(1)),
                    (span.end, d.end_column.unwrap_or(1)),
                ];
                diag = diag.with_labels(vec![cs::Label::primary(id, span.clone())
                    .with_message(d.label.clone().unwrap_or_default())]);
            }
            _ => {
                if let Some(f) = &d.file {
                    diag = diag.with_notes(vec![format!("in {f}")]);
                }
                if let Some(l) = &d.label {
                    diag.notes.push(l.clone());
                }
            }
        }
        if let Some(h) = &d.hint {
            diag.notes.push(format!("help: {h}"));
        }
        let _ = term::emit(out, &config, &files, &diag);
    }
}

/// A diagnostic as a GitHub Actions workflow command:
/// `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message`
/// (the hint on a second line), escaped as the runner expects.
pub(crate) fn github_annotation(d: &Reported) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(f) = &d.file {
        props.push(format!("file={}", property(f)));
    }
    let pairs = [
        ("line", d.line),
        ("col", d.column),
        ("endLine", d.end_line),
        ("endColumn", d.end_column),
    ];
    for (k, v) in pairs {
        if let Some(v) = v {
            props.push(format!("{k}={v}"));
        }
    }
    props.push(format!("title={}", property(d.code.as_str())));
    let mut message = d.message.clone();
    if let Some(h) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    format!("::{level} {}::{}", props.join(","), data(&message))
}

/// The JSON document printed by `--format json`.
#[derive(Serialize)]
pub(crate) struct JsonReport<'a, S: Serialize> {
    pub diagnostics: &'a [Reported],
    pub summary: S,
}

/// Display a filesystem path relative to the site root with `/` separators.
pub(crate) fn rel_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod github_tests {
    use super::*;

    #[test]
    fn annotations_escape_data_and_properties() {
        let d = Reported {
            severity: Severity::Warning,
            code: Code::MissingAlt,
            message: "100% of\r\nit".into(),
            file: Some("a,b:c.md".into()),
            line: Some(3),
            column: None,
            end_line: None,
            end_column: None,
            label: None,
            hint: None,
            file_id: None,
            span: None,
        };
        assert_eq!(
            github_annotation(&d),
            "::warning file=a%2Cb%3Ac.md,line=3,title=missing-alt::100%25 of%0D%0Ait"
        );
    }
}
