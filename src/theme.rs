//! Theme: where templates and static files come from.
//!
//! The default theme (`themes/default/`) is embedded in the binary, so a site
//! builds without copying a theme. Layers are applied file by file, later
//! ones winning: the embedded default theme, then `themes/<name>/` inside the
//! site (the one `theme:` names, which must exist; a site's own
//! `themes/default/` is a layer too), then the site's own `templates/` and
//! `static/`. A theme therefore needs only the files it changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{rel_path, Diagnostic, Loc};
use crate::load::{Boundary, Found};

macro_rules! embed {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),+]
    };
}

/// The default theme's templates, embedded at compile time.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "index.html",
    "program.html",
    "competencies.html",
    "competency.html",
    "value.html",
    "action-map.html",
    "action.html",
    "practice.html",
    "evaluation.html",
    "signal.html",
    "enabler.html",
    "metrics.html",
    "metric.html",
    "instrument.html",
    "curriculum.html",
    "session.html",
    "traceability.html",
    "results.html",
    "impact.html",
    "guide.html",
    "workbook.html",
    "404.html",
    "sitemap.xml",
);

/// The default theme's static files, embedded at compile time.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
    (
        "minisearch.js",
        include_bytes!("../themes/default/static/minisearch.js"),
    ),
];

/// A static file to publish: embedded bytes or a file on disk.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// Templates (name → source) and static files (output path → file).
#[derive(Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, StaticFile>,
    /// Where each template came from, for error messages.
    pub origins: BTreeMap<String, String>,
}

/// Assemble the theme for the site at `root` using theme `name`.
pub fn load(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Theme {
    let mut t = Theme::default();
    let theme_dir = root.join("themes").join(name);
    for (n, src) in DEFAULT_TEMPLATES {
        t.templates.insert(n.to_string(), src.to_string());
        t.origins.insert(
            n.to_string(),
            format!("themes/default/templates/{n} (built in)"),
        );
    }
    for (n, bytes) in DEFAULT_STATIC {
        t.statics.insert(n.to_string(), StaticFile::Embedded(bytes));
    }
    if name != "default" && !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                "unknown-theme",
                format!("theme `{name}` not found"),
                Loc::Path("playbook.yaml".into()),
            )
            .with_hint(format!(
                "create themes/{name}/templates/, or remove `theme:` to use the built-in default theme"
            )),
        );
    }
    layer(
        root,
        &theme_dir.join("templates"),
        &theme_dir.join("static"),
        &mut t,
        diags,
    );
    layer(
        root,
        &root.join("templates"),
        &root.join("static"),
        &mut t,
        diags,
    );
    t
}

fn layer(
    root: &Path,
    templates: &Path,
    statics: &Path,
    t: &mut Theme,
    diags: &mut Vec<Diagnostic>,
) {
    let fence = Boundary::new(root);
    for (rel, path) in files_under(&fence, templates, diags) {
        match crate::load::read_text(root, &path) {
            Ok(text) => {
                t.origins.insert(rel.clone(), rel_path(root, &path));
                t.templates.insert(rel, text);
            }
            Err(d) => diags.push(*d),
        }
    }
    for (rel, path) in files_under(&fence, statics, diags) {
        t.statics.insert(rel, StaticFile::Disk(path));
    }
}

/// Files under `dir` as (path relative to it with `/`, full path), sorted;
/// symbolic links are followed while they stay inside the site.
fn files_under(
    fence: &Boundary,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if fence.find(dir, diags) != Found::Dir {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let Ok(e) = entry else { continue };
        let skip = crate::load::is_hidden_or_backup(&e.file_name().to_string_lossy())
            || (e.path_is_symlink() && !fence.link_inside(e.path(), diags));
        if skip {
            if e.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if e.file_type().is_file() {
            out.push((rel_path(dir, e.path()), e.path().to_path_buf()));
        }
    }
    out
}
