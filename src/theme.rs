//! Theme: where templates and static files come from.
//!
//! The default theme (`themes/default/`) is embedded in the binary, so a site
//! builds without copying a theme. Layers are applied file by file, later
//! ones winning: the embedded default theme, then `themes/<name>/` inside the
//! site (the one `theme:` names, which must exist; a site's own
//! `themes/default/` is a layer too), then the site's own `templates/` and
//! `static/`. A theme therefore needs only the files it changes. Nothing is
//! read from outside the site: `theme:` is a folder name, not a path, and
//! symbolic links are followed only while they stay inside (`outside-site`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{rel_path, Code, Diagnostic, Loc};
use crate::layout::{CONFIG_FILE, STATIC, TEMPLATES, THEMES};
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
    "cohorts.html",
    "impact.html",
    "guide.html",
    "workbook.html",
    "404.html",
    "library.html",
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
pub(crate) enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// Templates (name → source) and static files (output path → file).
#[derive(Debug, Default)]
pub(crate) struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, StaticFile>,
    /// Where each template came from, for error messages.
    pub origins: BTreeMap<String, String>,
}

/// Assemble the theme for the site at `root` using theme `name`.
pub(crate) fn load(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Theme {
    let mut t = Theme::default();
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
    let fence = Boundary::new(root);
    if let Some(dir) = theme_dir(&fence, root, name, diags) {
        layer(
            &fence,
            root,
            &dir.join(TEMPLATES),
            &dir.join(STATIC),
            &mut t,
            diags,
        );
    }
    layer(
        &fence,
        root,
        &root.join(TEMPLATES),
        &root.join(STATIC),
        &mut t,
        diags,
    );
    t
}

/// `themes/<name>/` when it is a folder of the site. `name` must be a plain
/// folder name (an id: no path), and neither `themes/` nor the theme's
/// folder may lead outside the site; a theme other than `default` must
/// exist.
fn theme_dir(
    fence: &Boundary,
    root: &Path,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    let at = Loc::Path(CONFIG_FILE.into());
    if !crate::model::is_valid_id(name) {
        diags.push(
            Diagnostic::error(
                Code::UnknownTheme,
                format!("theme `{name}` is not the name of a folder under themes/"),
                at,
            )
            .with_hint(THEME_HINT),
        );
        return None;
    }
    let themes = root.join(THEMES);
    let dir = themes.join(name);
    let found = match fence.find(&themes, diags) {
        Found::Dir => fence.find(&dir, diags),
        other => other,
    };
    match found {
        Found::Dir => Some(dir),
        // The default theme is built in: the site's own folder is optional.
        _ if name == "default" => None,
        Found::Outside => {
            diags.push(
                Diagnostic::error(
                    Code::OutsideSite,
                    format!("theme `{name}` (themes/{name}) is outside the site"),
                    at,
                )
                .with_hint(format!(
                    "copy the theme into themes/{name}/ inside the site folder: templates and static files are read only from there"
                )),
            );
            None
        }
        Found::File | Found::Nothing => {
            diags.push(
                Diagnostic::error(Code::UnknownTheme, format!("theme `{name}` not found"), at)
                    .with_hint(format!(
                        "create themes/{name}/templates/, or remove `theme:` to use the built-in default theme"
                    )),
            );
            None
        }
    }
}

/// What `theme:` must be, for hints.
pub(crate) const THEME_HINT: &str = "put the theme in themes/<name>/ inside the site and write `theme: <name>` (lowercase letters, digits and `-`)";

fn layer(
    fence: &Boundary,
    root: &Path,
    templates: &Path,
    statics: &Path,
    t: &mut Theme,
    diags: &mut Vec<Diagnostic>,
) {
    for (rel, path) in files_under(fence, templates, diags) {
        match crate::load::read_text(root, &path) {
            Ok(text) => {
                t.origins.insert(rel.clone(), rel_path(root, &path));
                t.templates.insert(rel, text);
            }
            Err(d) => diags.push(*d),
        }
    }
    for (rel, path) in files_under(fence, statics, diags) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_name_that_is_a_path_reads_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let outside = dir.path().join("x/templates");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::create_dir_all(site.join("themes")).unwrap();
        std::fs::write(outside.join("404.html"), "outside").unwrap();
        for name in ["../../x", "../x", dir.path().join("x").to_str().unwrap()] {
            let mut diags = Vec::new();
            let t = load(&site, name, &mut diags);
            assert_eq!(diags.len(), 1, "{name}: {diags:?}");
            assert_eq!(diags[0].code, Code::UnknownTheme);
            assert_ne!(t.templates["404.html"], "outside", "{name}");
        }
    }
}
