//! The stages of one `playbook import` (the list in the parent module),
//! each a method of its run: the session, import.yaml and its checks, the
//! key, the export read, its rows mapped, the change to each file planned,
//! the summary, and the writes.

use std::path::{Path, PathBuf};

use super::results_csv::ResultsCsv;
use super::{
    change_text, competency_ids, config, decode, identity, mapping, plan, scope, session_ids,
    sheet, tools, Place, Run, Status, What,
};
use crate::diagnostics::{rel_path, Code, Diagnostic, FileId, Loc};
use crate::render::format::plural;
use crate::suggest::hint;

/// `results/import.yaml`: where it is and what it holds.
struct Yaml {
    path: PathBuf,
    /// `path` relative to the site root.
    rel: String,
    doc: config::ImportDoc,
    /// In `sources`, when the file exists.
    file: Option<FileId>,
    text: Option<String>,
}

/// The export, read, and the layout of its header.
struct Export {
    name: String,
    grid: sheet::Grid,
    layout: tools::Layout,
}

impl Run<'_> {
    pub(super) fn go(&mut self) -> Result<(), Status> {
        let args = self.args;
        let what = args.what.unwrap_or(What::Survey);
        let date = self.check_options(what)?;
        let place = self.place()?;
        self.check_session(&place)?;
        let yaml = self.read_yaml(what, &place)?;
        let survey_file = self.check_yaml(&yaml, &place)?;
        let (key, new_key) = self.key(&yaml, &place)?;
        let pseudonyms = identity::Pseudonyms::new(&key, &args.program, args.cohort.as_deref());
        let export = self.read_export()?;

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
            name: &export.name,
            grid: &export.grid,
            layout: &export.layout,
            doc: &yaml.doc,
            doc_file: yaml.file,
            pseudonyms: &pseudonyms,
        };
        let mut mapped = self.map_rows(&source, &request)?;
        let survey_file = survey_file.filter(|_| what == What::Survey);
        let planned = self.plan_files(&place, &scope, &request, &mut mapped, survey_file)?;
        self.summarise(&export, &scope, &mapped, &planned);
        let writes = self.writes(&yaml, &key, new_key, &planned)?;
        self.write(&place, writes)
    }

    /// `--session` names a session of the program.
    fn check_session(&mut self, place: &Place) -> Result<(), Status> {
        let args = self.args;
        let sessions = session_ids(&place.program);
        if let Some(s) = &args.session {
            if !sessions.contains(s) {
                let h = hint(s, sessions.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("the program's sessions: {}", sessions.join(", ")));
                return Err(self.usage(format!("`{s}` is no session of `{}`", args.program), h));
            }
        }
        Ok(())
    }

    /// import.yaml, read and parsed (an empty one when there is none and
    /// `what` can do without).
    fn read_yaml(&mut self, what: What, place: &Place) -> Result<Yaml, Status> {
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
        Ok(Yaml {
            path: yaml_path,
            rel: yaml_rel,
            doc,
            file: doc_file,
            text: yaml_text,
        })
    }

    /// import.yaml checked as `check` checks it; survey.csv, when it could
    /// be read (its items are what `match` entries may name).
    fn check_yaml(&mut self, yaml: &Yaml, place: &Place) -> Result<Option<ResultsCsv>, Status> {
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
        if let Some(file) = yaml.file {
            let known = config::Known {
                program: &self.args.program,
                competencies: competencies.iter().map(String::as_str).collect(),
                survey_items: survey_items.iter().map(String::as_str).collect(),
            };
            let before = self.diags.len();
            config::check(&yaml.doc, file, &known, &mut self.diags);
            if self.diags.len() > before {
                return Err(Status::Content);
            }
        }
        Ok(survey_file)
    }

    /// The pseudonym key, and whether it is new: from the environment,
    /// import.yaml's `key:`, or made now when nothing was imported before.
    fn key(&mut self, yaml: &Yaml, place: &Place) -> Result<(Vec<u8>, bool), Status> {
        let yaml_rel = &yaml.rel;
        Ok(match std::env::var(identity::KEY_ENV) {
            Ok(k) => match identity::from_hex(&k) {
                Some(k) => (k, false),
                None => {
                    return Err(self.usage(
                        format!("{} is not a key: it must be hex digits (at least 32)", identity::KEY_ENV),
                        "make one with `openssl rand -hex 32`, and keep it where every facilitator who imports has it",
                    ))
                }
            },
            Err(_) => match yaml.doc.key.as_deref().and_then(identity::from_hex) {
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
        })
    }

    /// The export read into a grid, its tool recognised and its header
    /// read; an export without responses is an error.
    fn read_export(&mut self) -> Result<Export, Status> {
        let args = self.args;
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
        Ok(Export { name, grid, layout })
    }

    /// The export's responses mapped to rows; its warnings kept, its
    /// errors (and how many more there were) reported.
    fn map_rows(
        &mut self,
        source: &mapping::Source,
        request: &mapping::Request,
    ) -> Result<mapping::Mapped, Status> {
        let mapped = mapping::map(source, request);
        self.diags.extend(mapped.warnings.iter().cloned());
        if !mapped.errors.is_empty() {
            self.diags.extend(mapped.errors.iter().cloned());
            if mapped.more_errors > 0 {
                self.diags.push(Diagnostic::error(
                    Code::TooManyErrors,
                    format!("and {} more errors like these", mapped.more_errors),
                    Loc::Path(source.name.to_string()),
                ));
            }
            return Err(Status::Content);
        }
        Ok(mapped)
    }

    /// The change the mapped rows make to each results file.
    fn plan_files(
        &mut self,
        place: &Place,
        scope: &str,
        request: &mapping::Request,
        mapped: &mut mapping::Mapped,
        survey_file: Option<ResultsCsv>,
    ) -> Result<plan::Plan, Status> {
        let planned = match plan::plan(
            &place.results,
            &place.rel,
            request.what,
            scope,
            request.phase,
            request.rater,
            mapped,
            survey_file,
        ) {
            Ok(p) => p,
            Err(d) => {
                self.diags.extend(d);
                return Err(Status::Content);
            }
        };
        self.diags.extend(planned.warnings.iter().cloned());
        Ok(planned)
    }

    /// The summary: what was imported as what, then a line per file, the
    /// plan's notes and the columns not used.
    fn summarise(
        &mut self,
        export: &Export,
        scope: &str,
        mapped: &mapping::Mapped,
        planned: &plan::Plan,
    ) {
        let args = self.args;
        let head = summary_head(&args.export, export, scope, mapped, args.dry_run);
        self.summary.push(head);
        if let sheet::Format::Csv {
            encoding: decode::Encoding::Windows1252,
            ..
        } = export.grid.format
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
        if let Some(s) = unused_columns(mapped) {
            self.summary.push(format!("  columns not used: {s}"));
        }
    }

    /// What to write: the key first (when it is new and not from the
    /// environment), so that no row exists with a key that was not kept,
    /// then each changed results file.
    fn writes(
        &mut self,
        yaml: &Yaml,
        key: &[u8],
        new_key: bool,
        planned: &plan::Plan,
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, Status> {
        let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        if new_key && std::env::var_os(identity::KEY_ENV).is_none() {
            let text = config::with_key(yaml.text.as_deref(), &identity::to_hex(key));
            writes.push((yaml.path.clone(), text.into_bytes()));
            self.summary.push(format!(
                "  {} a new pseudonym key in {}: commit it with the results (pseudonyms are made with it)",
                if self.args.dry_run { "would write" } else { "wrote" },
                yaml.rel
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
        Ok(writes)
    }

    /// The files written, each atomically, in order (nothing with
    /// `--dry-run`).
    fn write(&mut self, place: &Place, writes: Vec<(PathBuf, Vec<u8>)>) -> Result<(), Status> {
        if self.args.dry_run {
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
}

/// `imported Google Forms export x.csv (30 responses) as survey pre self`,
/// with the duplicates dropped — or what a dry run would import.
fn summary_head(
    path: &Path,
    export: &Export,
    scope: &str,
    mapped: &mapping::Mapped,
    dry: bool,
) -> String {
    let file_name = path
        .file_name()
        .map_or(export.name.clone(), |n| n.to_string_lossy().into_owned());
    let mut head = format!(
        "imported {} export {file_name} ({}",
        export.layout.tool.name(),
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
    if dry {
        head = format!("dry run: {}", head.replacen("imported", "would import", 1));
    }
    head
}

/// The question columns no entry matched (the first five) and how many
/// more, and the metadata columns not used; `None` when all were used.
fn unused_columns(mapped: &mapping::Mapped) -> Option<String> {
    if mapped.unused.is_empty() && mapped.unused_meta == 0 {
        return None;
    }
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
    Some(s)
}
