//! `playbook import`: a survey tool's export (CSV or XLSX) into the
//! results files of FORMAT.md, pseudonymised, so that no one reshapes a
//! spreadsheet by hand and no name or e-mail address enters the
//! repository.
//!
//! One import runs in stages, and writes only when every stage passed:
//!
//! 1. the options, program, cohort and session are checked, and
//!    `results/import.yaml` ([`config`]) is read and checked as `check`
//!    checks it;
//! 2. the export is decoded ([`decode`]) and read into a grid of cells
//!    ([`sheet`]); the tool that wrote it is recognised and its header rows
//!    read ([`tools`], a file per tool);
//! 3. its responses are mapped to rows (`mapping.rs`, `answers.rs`): columns by
//!    import.yaml's `match` entries, people by pseudonym ([`identity`]),
//!    answers by scale;
//! 4. the change to each results file is planned (`plan.rs`): an import
//!    replaces exactly the rows its scope wrote before (`results_csv.rs`);
//! 5. the files are written, each atomically, unless `--dry-run`.

mod answers;
pub(crate) mod config;
pub(crate) mod decode;
pub(crate) mod identity;
mod mapping;
pub(crate) mod options;
mod plan;
mod results_csv;
pub(crate) mod sheet;
pub(crate) mod tools;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostics::{rel_path, Code, Diagnostic, Loc, Sources};
use crate::layout::{COHORTS, COHORT_FILE, CONTENT, PROGRAM_FILE, RESULTS, SESSIONS};
use crate::model::{is_valid_id, CompetenciesDoc};
use crate::render::format::plural;
use crate::suggest::hint;

pub use options::{ImportArgs, Phase, What};

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done (or, with `--dry-run`, planned).
    Ok,
    /// The export or import.yaml has errors: nothing written.
    Content,
    /// Wrong options, or a file that cannot be read or written: nothing
    /// written (or, for a write that failed, what the summary says).
    Usage,
}

/// What an import did and found.
pub struct Outcome {
    pub status: Status,
    /// Errors and warnings; those in import.yaml point into `sources`.
    pub diags: Vec<Diagnostic>,
    pub sources: Sources,
    /// The summary: a few lines, never a name or an address.
    pub summary: Vec<String>,
}

/// Run `playbook import` in the site at `root`.
pub fn run(root: &Path, args: &ImportArgs) -> Outcome {
    let mut r = Run {
        root,
        args,
        sources: Sources::default(),
        diags: Vec::new(),
        summary: Vec::new(),
    };
    let status = match r.go() {
        Ok(()) => Status::Ok,
        Err(s) => s,
    };
    Outcome {
        status,
        diags: r.diags,
        sources: r.sources,
        summary: r.summary,
    }
}

struct Run<'a> {
    root: &'a Path,
    args: &'a ImportArgs,
    sources: Sources,
    diags: Vec<Diagnostic>,
    summary: Vec<String>,
}

/// The folders an import reads and writes.
struct Place {
    program: PathBuf,
    results: PathBuf,
    /// `results` relative to the site root.
    rel: String,
}

impl Run<'_> {
    fn usage(&mut self, message: String, hint: impl Into<String>) -> Status {
        self.diags
            .push(Diagnostic::error(Code::Usage, message, Loc::None).with_hint(hint));
        Status::Usage
    }

    fn content(&mut self, d: Diagnostic) -> Status {
        self.diags.push(d);
        Status::Content
    }

    fn go(&mut self) -> Result<(), Status> {
        let args = self.args;
        let what = args.what.unwrap_or(What::Survey);
        let date = self.check_options(what)?;
        let place = self.place()?;
        let sessions = session_ids(&place.program);
        if let Some(s) = &args.session {
            if !sessions.contains(s) {
                let h = hint(s, sessions.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("the program's sessions: {}", sessions.join(", ")));
                return Err(self.usage(format!("`{s}` is no session of `{}`", args.program), h));
            }
        }

        // import.yaml.
        let yaml_path = place.results.join(config::FILE);
        let yaml_rel = format!("{}/{}", place.rel, config::FILE);
        let (doc, doc_file, yaml_text) = match std::fs::read(&yaml_path) {
            Ok(bytes) => {
                let text =
                    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
                        .into_owned();
                let file = self.sources.add(yaml_rel.clone(), text.clone());
                match crate::yaml::from_str::<config::ImportDoc>(&text) {
                    Ok(doc) => (doc, Some(file), Some(text)),
                    Err(e) => {
                        let loc = match e.offset {
                            Some(o) => Loc::Span(file, o..(o + 1).min(text.len())),
                            None => Loc::File(file),
                        };
                        return Err(self.content(
                            Diagnostic::error(e.code, e.message, loc).with_hint_opt(e.hint),
                        ));
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (config::ImportDoc::default(), None, None)
            }
            Err(e) => {
                return Err(self.usage(
                    format!("cannot read {yaml_rel}: {e}"),
                    "check its permissions",
                ))
            }
        };
        if doc_file.is_none() && matches!(what, What::Survey | What::Ratings | What::Feedback) {
            return Err(self.content(
                Diagnostic::error(
                    Code::MissingFile,
                    format!("{yaml_rel} does not exist: a {} import needs its `questions`", what.as_str()),
                    Loc::Path(yaml_rel.clone()),
                )
                .with_hint("create it: `playbook new program` writes a commented one to copy, and docs/import.md shows one for Google Forms"),
            ));
        }
        let competencies = competency_ids(&place.program);
        let survey_file = plan::read(&place.results, &place.rel, What::Survey).ok();
        let survey_items: Vec<String> = survey_file
            .as_ref()
            .map(|f| {
                let c = f.col("item");
                let items: std::collections::BTreeSet<&str> =
                    (0..f.rows.len()).map(|r| f.cell(r, c)).collect();
                items.into_iter().map(str::to_string).collect()
            })
            .unwrap_or_default();
        if let Some(file) = doc_file {
            let known = config::Known {
                program: &args.program,
                competencies: competencies.iter().map(String::as_str).collect(),
                survey_items: survey_items.iter().map(String::as_str).collect(),
            };
            let before = self.diags.len();
            config::check(&doc, file, &known, &mut self.diags);
            if self.diags.len() > before {
                return Err(Status::Content);
            }
        }

        // The key.
        let (key, new_key) = match std::env::var(identity::KEY_ENV) {
            Ok(k) => match identity::from_hex(&k) {
                Some(k) => (k, false),
                None => {
                    return Err(self.usage(
                        format!("{} is not a key: it must be hex digits (at least 32)", identity::KEY_ENV),
                        "make one with `openssl rand -hex 32`, and keep it where every facilitator who imports has it",
                    ))
                }
            },
            Err(_) => match doc.key.as_deref().and_then(identity::from_hex) {
                Some(k) => (k, false),
                None if plan::imported_before(&place.results, &place.rel).is_some() => {
                    let file = plan::imported_before(&place.results, &place.rel).unwrap_or_default();
                    return Err(self.usage(
                        format!("{file} holds imported rows, but there is no key: neither `key:` in {yaml_rel} nor {}", identity::KEY_ENV),
                        format!("set {} to the key those rows were made with, or restore the `key:` line; a new key would give everyone new pseudonyms that pair with nothing imported before", identity::KEY_ENV),
                    ));
                }
                None => match identity::new_key() {
                    Ok(k) => (k, true),
                    Err(e) => return Err(self.usage(format!("cannot make a key: {e}"), "set PLAYBOOK_IMPORT_KEY")),
                },
            },
        };
        let pseudonyms = identity::Pseudonyms::new(&key, &args.program, args.cohort.as_deref());

        // The export.
        let name = args.export.display().to_string();
        let export = || Loc::Path(name.clone());
        let bytes = match std::fs::read(&args.export) {
            Ok(b) => b,
            Err(e) => {
                return Err(self.usage(
                    format!("cannot read the export {name}: {e}"),
                    "check the path",
                ))
            }
        };
        let grid = match sheet::read(&bytes, args.sheet.as_deref()) {
            Ok(g) => g,
            Err(u) if u.usage => return Err(self.usage(u.message, u.hint)),
            Err(u) => {
                return Err(self.content(
                    Diagnostic::error(Code::UnreadableExport, u.message, export())
                        .with_hint(u.hint),
                ))
            }
        };
        if grid.rows.is_empty() {
            return Err(self.content(
                Diagnostic::error(Code::EmptyExport, "the export is empty: it has no rows", export())
                    .with_hint("download the responses again; a form without responses exports nothing to import"),
            ));
        }
        let tool = args.tool.unwrap_or_else(|| tools::detect(&grid));
        let layout = match tools::layout(&grid, tool) {
            Ok(l) => l,
            Err(b) => {
                let row = &grid.rows[b.row];
                let at = grid.at(row, b.col, None);
                return Err(self.content(
                    Diagnostic::error(
                        Code::MissingHeader,
                        format!("{at}: {}", b.message),
                        export(),
                    )
                    .with_hint(b.hint),
                ));
            }
        };
        if grid.rows.len() <= layout.data_from {
            return Err(self.content(
                Diagnostic::error(
                    Code::EmptyExport,
                    "the export has its header but no responses",
                    export(),
                )
                .with_hint("download the responses again once people have answered"),
            ));
        }

        // Rows, then the change to each file.
        let scope = scope(what, args, date);
        let request = mapping::Request {
            what,
            phase: args.phase,
            rater: args.rater.unwrap_or_default(),
            date,
            items: &args.items,
            session: args.session.as_deref(),
        };
        let source = mapping::Source {
            name: &name,
            grid: &grid,
            layout: &layout,
            doc: &doc,
            doc_file,
            pseudonyms: &pseudonyms,
        };
        let mut mapped = mapping::map(&source, &request);
        self.diags.extend(mapped.warnings.iter().cloned());
        if !mapped.errors.is_empty() {
            self.diags.extend(mapped.errors.iter().cloned());
            if mapped.more_errors > 0 {
                self.diags.push(Diagnostic::error(
                    Code::TooManyErrors,
                    format!("and {} more errors like these", mapped.more_errors),
                    export(),
                ));
            }
            return Err(Status::Content);
        }
        let planned = match plan::plan(
            &place.results,
            &place.rel,
            what,
            &scope,
            args.phase,
            request.rater,
            &mut mapped,
            survey_file.filter(|_| what == What::Survey),
        ) {
            Ok(p) => p,
            Err(d) => {
                self.diags.extend(d);
                return Err(Status::Content);
            }
        };
        self.diags.extend(planned.warnings.iter().cloned());

        // The summary.
        let file_name = args
            .export
            .file_name()
            .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
        let mut head = format!(
            "imported {} export {file_name} ({}",
            layout.tool.name(),
            plural(mapped.responses, "response", "responses"),
        );
        if !mapped.duplicates.is_empty() {
            let d: Vec<String> = mapped
                .duplicates
                .iter()
                .map(|(dropped, kept)| format!("row {kept} kept over row {dropped}"))
                .collect();
            let n = mapped.duplicates.len();
            head.push_str(&format!(
                "; {}: {}",
                plural(n, "duplicate", "duplicates"),
                d.join(", ")
            ));
        }
        head.push_str(&format!(") as {scope}"));
        if args.dry_run {
            head = format!("dry run: {}", head.replacen("imported", "would import", 1));
        }
        self.summary.push(head);
        if let sheet::Format::Csv {
            encoding: decode::Encoding::Windows1252,
            ..
        } = grid.format
        {
            self.summary.push("  read as Windows-1252 (the file is not UTF-8): check that accented letters came through; in Excel, save as \"CSV UTF-8\"".into());
        }
        for p in &planned.files {
            self.summary.push(format!(
                "  {}: {}",
                p.file.rel,
                change_text(p.change, args.dry_run)
            ));
        }
        for n in &planned.notes {
            self.summary.push(format!("  {n}"));
        }
        if !mapped.unused.is_empty() || mapped.unused_meta > 0 {
            let shown = mapped.unused.len().min(5);
            let mut s = mapped.unused[..shown].join(", ");
            let mut more = Vec::new();
            if mapped.unused.len() > shown {
                more.push(plural(
                    mapped.unused.len() - shown,
                    "more question column",
                    "more question columns",
                ));
            }
            if mapped.unused_meta > 0 {
                more.push(plural(
                    mapped.unused_meta,
                    "metadata column",
                    "metadata columns",
                ));
            }
            if !more.is_empty() {
                let more = more.join(", ");
                s = if s.is_empty() {
                    more
                } else {
                    format!("{s} (and {more})")
                };
            }
            self.summary.push(format!("  columns not used: {s}"));
        }

        // Write: the key first, so that no row exists with a key that was
        // not kept.
        let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        if new_key && std::env::var_os(identity::KEY_ENV).is_none() {
            let text = config::with_key(yaml_text.as_deref(), &identity::to_hex(&key));
            writes.push((yaml_path, text.into_bytes()));
            self.summary.push(format!(
                "  {} a new pseudonym key in {yaml_rel}: commit it with the results (pseudonyms are made with it)",
                if args.dry_run { "would write" } else { "wrote" }
            ));
        }
        for p in &planned.files {
            match p.file.changed_bytes() {
                Ok(Some(bytes)) => writes.push((p.file.path.clone(), bytes)),
                Ok(None) => {}
                Err(e) => {
                    let rel = rel_path(self.root, &p.file.path);
                    return Err(
                        self.usage(format!("cannot make {rel}: {e}"), "nothing was written")
                    );
                }
            }
        }
        if args.dry_run {
            self.summary.push("  nothing written (--dry-run)".into());
            return Ok(());
        }
        if let Err(e) = std::fs::create_dir_all(&place.results) {
            return Err(self.usage(
                format!("cannot create {}: {e}", place.rel),
                "check that the folder is writable",
            ));
        }
        for (path, bytes) in writes {
            if let Err(e) = crate::write::replace_file(&path, &bytes) {
                let rel = rel_path(self.root, &path);
                return Err(self.usage(format!("cannot write {rel}: {e}"), "check that the folder is writable; files listed above as changed before it were written"));
            }
        }
        Ok(())
    }

    /// The options `what` needs and allows; the `--date`.
    fn check_options(&mut self, what: What) -> Result<Option<NaiveDate>, Status> {
        let a = self.args;
        let survey = what == What::Survey;
        if survey && a.phase.is_none() {
            return Err(self.usage(
                "--as survey needs --phase".into(),
                "say which answers these are: --phase pre, post, then or follow-up",
            ));
        }
        for (given, name) in [
            (a.phase.is_some(), "--phase"),
            (a.rater.is_some(), "--rater"),
            (a.date.is_some(), "--date"),
            (!a.items.is_empty(), "--items"),
        ] {
            if given && !survey {
                return Err(self.usage(
                    format!("{name} is for --as survey only"),
                    format!("leave out {name}"),
                ));
            }
        }
        let needs_session = matches!(what, What::Ratings | What::Attendance);
        if needs_session && a.session.is_none() {
            return Err(self.usage(
                format!("--as {} needs --session", what.as_str()),
                "name the session (its id, the guide's file name without .md), e.g. --session 03-prioritizing-workshop",
            ));
        }
        if a.session.is_some() && matches!(what, What::Survey | What::Roster) {
            return Err(self.usage(
                format!("--session is not for --as {}", what.as_str()),
                "leave out --session",
            ));
        }
        let date = match &a.date {
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    return Err(self.usage(
                        format!("--date {d} is not a date"),
                        "write it as YYYY-MM-DD, e.g. 2026-03-31",
                    ))
                }
            },
            None => None,
        };
        Ok(date)
    }

    /// The program's folder and the results folder the import writes.
    fn place(&mut self) -> Result<Place, Status> {
        let a = self.args;
        let content = self.root.join(CONTENT);
        let program = content.join(&a.program);
        if !is_valid_id(&a.program) || !program.join(PROGRAM_FILE).is_file() {
            let ids = program_ids(&content);
            let h = hint(&a.program, ids.iter().map(String::as_str))
                .unwrap_or_else(|| format!("the site's programs: {}", ids.join(", ")));
            return Err(self.usage(
                format!(
                    "`{}` is no program of this site (no content/{}/program.yaml)",
                    a.program, a.program
                ),
                h,
            ));
        }
        let (results, rel) = match &a.cohort {
            None => (
                program.join(RESULTS),
                format!("content/{}/results", a.program),
            ),
            Some(c) => {
                let dir = program.join(COHORTS).join(c);
                if !is_valid_id(c) || !dir.join(COHORT_FILE).is_file() {
                    return Err(self.usage(
                        format!("`{c}` is no cohort of `{}` (no content/{}/cohorts/{c}/cohort.yaml)", a.program, a.program),
                        "create the cohort first: its folder under cohorts/ with a cohort.yaml (title and start), as FORMAT.md says",
                    ));
                }
                (
                    dir.join(RESULTS),
                    format!("content/{}/cohorts/{c}/results", a.program),
                )
            }
        };
        // A folder on the way linked out of the site (the program, its
        // cohort or results/): nothing is read from or written there.
        if crate::write::paths::leads_outside(self.root, &results) {
            return Err(self.usage(
                format!("{rel} leads outside the site (through a symbolic link): nothing is read or written there"),
                "make it a folder of the site, not a link to one elsewhere",
            ));
        }
        Ok(Place {
            program,
            results,
            rel,
        })
    }
}

/// The `import` value of the rows an import writes.
fn scope(what: What, args: &ImportArgs, date: Option<NaiveDate>) -> String {
    let mut s = what.as_str().to_string();
    match what {
        What::Survey => {
            s.push_str(&format!(
                " {} {}",
                args.phase.map_or("", Phase::as_str),
                args.rater.unwrap_or_default().as_str()
            ));
            if let Some(d) = date {
                s.push_str(&format!(" {d}"));
            }
            if !args.items.is_empty() {
                s.push_str(&format!(" {}", args.items.join(",")));
            }
        }
        What::Ratings | What::Attendance | What::Feedback => {
            if let Some(session) = &args.session {
                s.push_str(&format!(" {session}"));
            }
        }
        What::Roster => {}
    }
    s
}

/// `30 rows added, 2 changed` — or what a dry run would do.
fn change_text(c: results_csv::Change, dry: bool) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (c.added, "added"),
        (c.changed, "changed"),
        (c.removed, "removed"),
    ] {
        if n > 0 {
            parts.push(format!("{} {what}", plural(n, "row", "rows")));
        }
    }
    if parts.is_empty() {
        return format!("unchanged ({})", plural(c.unchanged, "row", "rows"));
    }
    let s = parts.join(", ");
    if dry {
        format!("would have {s}")
    } else {
        s
    }
}

/// The ids of the program folders under `content`.
fn program_ids(content: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join(PROGRAM_FILE).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// The ids of a program's sessions: the guides' file names.
fn session_ids(program: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(program.join(SESSIONS))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_suffix(".md")?.to_string();
            e.path().is_file().then_some(id)
        })
        .collect();
    ids.sort();
    ids
}

/// The program's competency ids (none when competencies.yaml does not
/// parse: `check` reports that).
fn competency_ids(program: &Path) -> Vec<String> {
    std::fs::read_to_string(program.join(crate::layout::AlignmentFile::Competencies.path()))
        .ok()
        .and_then(|t| {
            crate::yaml::from_str::<CompetenciesDoc>(t.trim_start_matches('\u{feff}')).ok()
        })
        .map(|d| d.competencies.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default()
}
