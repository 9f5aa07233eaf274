//! The shape of `src/`: no import circles between modules, every module
//! starts with a doc comment saying what it owns, and no file is much
//! longer than a reader can hold.
//!
//! The import graph is read from the sources: a module depends on another
//! when its code (outside `#[cfg(test)]` and comments) names it — in `use`
//! lines (with `{…}` groups expanded; not the crate root's `pub use` lines,
//! the library's surface) or in paths — as `crate::a::b`,
//! `super::…`, `self::…`, or one of its own child modules. `cargo test
//! architecture -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::common::build::repo_root;

/// A module path (`render::html`; `""` is the crate root).
type Module = String;

struct Source {
    module: Module,
    file: PathBuf,
    /// The code without comments and without the trailing test module.
    code: String,
    /// The whole text.
    text: String,
}

fn sources() -> Vec<Source> {
    let src = repo_root().join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        let module = match parts.as_slice() {
            [one] if one == "main" => continue, // the binary
            [one] if one == "lib" => String::new(),
            [dirs @ .., last] if last == "mod" => dirs.join("::"),
            all => all.join("::"),
        };
        let text = std::fs::read_to_string(path).unwrap();
        let code = code_of(&text);
        out.push(Source {
            module,
            file: rel.to_path_buf(),
            code,
            text,
        });
    }
    out
}

/// `text` without comment lines, line comments and the test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| match l.find(" // ") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parent(m: &str) -> String {
    m.rsplit_once("::")
        .map_or(String::new(), |(p, _)| p.to_string())
}

fn join(m: &str, seg: &str) -> String {
    if m.is_empty() {
        seg.to_string()
    } else {
        format!("{m}::{seg}")
    }
}

/// Expand a `use` tree (`a::{b, c::{d, e}}`) into full paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            expand_use(p)
                .into_iter()
                .map(move |x| format!("{prefix}{x}"))
        })
        .collect()
}

/// The module a path written in module `m` names, if it is one of ours.
fn resolve(m: &str, path: &str, modules: &BTreeSet<Module>) -> Option<Module> {
    let path = path.split(" as ").next().unwrap_or(path);
    let mut segs = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut at = match *segs.peek()? {
        "crate" => {
            segs.next();
            String::new()
        }
        "self" => {
            segs.next();
            m.to_string()
        }
        "super" => {
            let mut at = m.to_string();
            while segs.peek() == Some(&"super") {
                segs.next();
                at = parent(&at);
            }
            at
        }
        first if modules.contains(&join(m, first)) => m.to_string(),
        _ => return None, // std, another crate, or an item in scope
    };
    for seg in segs {
        let next = join(&at, seg);
        if modules.contains(&next) {
            at = next;
        } else {
            break;
        }
    }
    Some(at)
}

/// Module → the modules it depends on, each with one line that shows it.
fn graph(sources: &[Source]) -> BTreeMap<Module, BTreeMap<Module, String>> {
    let modules: BTreeSet<Module> = sources.iter().map(|s| s.module.clone()).collect();
    let mut g: BTreeMap<Module, BTreeMap<Module, String>> = BTreeMap::new();
    for s in sources {
        let edges = g.entry(s.module.clone()).or_default();
        let mut add = |target: Option<Module>, line: &str| {
            if let Some(t) = target.filter(|t| *t != s.module) {
                edges.entry(t).or_insert_with(|| line.trim().to_string());
            }
        };
        // `use` trees, which may span lines.
        let mut rest = s.code.as_str();
        while let Some(i) = rest.find("use ") {
            let before = rest[..i].chars().next_back();
            let stmt_end = rest[i..].find(';').map_or(rest.len(), |e| i + e);
            // The crate root's `pub use` lines are the library's surface
            // (what `main`, tests and benches call), not a dependency of
            // the pipeline on the modules they name.
            let surface = s.module.is_empty() && rest[..i].ends_with("pub ");
            if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') && !surface {
                let tree = &rest[i + 4..stmt_end];
                for path in expand_use(tree) {
                    add(resolve(&s.module, &path, &modules), &rest[i..stmt_end]);
                }
            }
            rest = &rest[(stmt_end + 1).min(rest.len())..];
        }
        // Paths in code: `crate::x`, `super::x`, `self::x`, `child::x`.
        for line in s
            .code
            .lines()
            .filter(|l| !l.trim_start().starts_with("use "))
            .filter(|l| !(s.module.is_empty() && l.starts_with("pub use ")))
        {
            let bytes = line.as_bytes();
            for (i, _) in line.match_indices("::") {
                // The word before this `::`, if it starts a path.
                let start = line[..i]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |j| j + 1);
                if start > 0 && (bytes[start - 1] == b':' || bytes[start - 1] == b'.') {
                    continue;
                }
                let end = line[start..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .map_or(line.len(), |e| start + e);
                add(resolve(&s.module, &line[start..end], &modules), line);
            }
        }
    }
    g
}

/// The strongly connected components with more than one module (Tarjan).
fn circles(g: &BTreeMap<Module, BTreeMap<Module, String>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        g: &'a BTreeMap<Module, BTreeMap<Module, String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flat_map(|e| e.keys()) {
            if !t.index.contains_key(w.as_str()) {
                visit(t, w);
                let lw = t.low[w.as_str()];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w.as_str()) {
                let iw = t.index[w.as_str()];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn name(m: &str) -> &str {
    if m.is_empty() {
        "crate"
    } else {
        m
    }
}

#[test]
fn src_has_no_import_circles() {
    let g = graph(&sources());
    for (m, deps) in &g {
        let list: Vec<&str> = deps.keys().map(|d| name(d)).collect();
        println!("{} → {}", name(m), list.join(", "));
    }
    let found = circles(&g);
    let mut report = String::new();
    for c in &found {
        report.push_str(&format!("circle: {}\n", c.join(" ↔ ")));
        for a in c {
            for (b, line) in &g[a] {
                if c.contains(b) {
                    report.push_str(&format!("  {} → {}: {line}\n", name(a), name(b)));
                }
            }
        }
    }
    assert!(found.is_empty(), "{report}");
    // The graph is read at all: the pipeline's stages are connected.
    assert!(g["render"].contains_key("graph"), "{:?}", g["render"]);
    assert!(g["resolve"].contains_key("load"), "{:?}", g["resolve"]);
}

#[test]
fn the_circle_finder_finds_circles() {
    let mut g: BTreeMap<Module, BTreeMap<Module, String>> = BTreeMap::new();
    let edge = |g: &mut BTreeMap<Module, BTreeMap<Module, String>>, a: &str, b: &str| {
        g.entry(a.into())
            .or_default()
            .insert(b.into(), String::new());
        g.entry(b.into()).or_default();
    };
    edge(&mut g, "a", "b");
    edge(&mut g, "b", "c");
    edge(&mut g, "c", "a");
    edge(&mut g, "c", "d");
    assert_eq!(circles(&g), vec![vec!["a", "b", "c"]]);
    let modules: BTreeSet<Module> = ["render", "render::html", "render::view", "graph"]
        .map(String::from)
        .into();
    assert_eq!(
        resolve("render::html", "super::view::Foo", &modules).as_deref(),
        Some("render::view")
    );
    assert_eq!(
        resolve("render::html", "super::super::graph::X", &modules).as_deref(),
        Some("graph")
    );
    assert_eq!(
        resolve("render", "html::HtmlPages", &modules).as_deref(),
        Some("render::html")
    );
    assert_eq!(resolve("render", "std::fmt", &modules), None);
    assert_eq!(
        expand_use("crate::a::{b, c::{d, e}}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e"]
    );
}

#[test]
fn every_module_says_what_it_owns_and_no_file_is_too_long() {
    let mut problems = Vec::new();
    for s in sources() {
        if !s.text.trim_start().starts_with("//!") {
            problems.push(format!("{}: no `//!` doc comment first", s.file.display()));
        }
        let lines = s.text.lines().count();
        if lines > 650 {
            problems.push(format!(
                "{}: {lines} lines (at most ~600)",
                s.file.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The rows of the module table in docs/architecture.md: the first cell's
/// name (`lib.rs`, `render/`) and the rest of the row.
fn module_table() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(repo_root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("| file or folder | owns |")
        .expect("docs/architecture.md has the module table");
    doc[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').splitn(2, '|').collect();
            let name = cells[0].trim().trim_matches('`').to_string();
            (name, cells.get(1).unwrap_or(&"").to_string())
        })
        .collect()
}

/// The names a row mentions in backticks that are source files (`x.rs`)
/// or folders (`x/`).
fn mentioned_files(row: &str) -> Vec<&str> {
    row.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            !s.contains(' ')
                && !s.contains("::")
                && (s.ends_with(".rs") || (s.ends_with('/') && !s.starts_with('/')))
        })
        .collect()
}

#[test]
fn the_module_table_matches_the_tree() {
    let src = repo_root().join("src");
    // The top-level modules: `x.rs` and its folder `x/` are one module.
    let mut modules = BTreeSet::new();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            modules.insert(name);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            // `main.rs` is the binary; `x.rs` beside `x/` is its folder's row.
            if stem == "lib" || (stem != "main" && !src.join(stem).is_dir()) {
                modules.insert(name);
            }
        }
    }
    let table = module_table();
    let mut problems = Vec::new();
    let mut named = BTreeSet::new();
    for (name, row) in &table {
        let key = match name.strip_suffix(".rs") {
            Some(stem) if src.join(stem).is_dir() => stem.to_string(),
            _ => name.trim_end_matches('/').to_string(),
        };
        let key = if src.join(&key).is_dir() {
            key
        } else {
            name.clone()
        };
        if !modules.contains(&key) {
            problems.push(format!(
                "the table names `{name}`, which src/ does not have"
            ));
        }
        if !named.insert(key.clone()) {
            problems.push(format!("`{name}` has two rows"));
        }
        // A folder's row names files of that folder; each must exist.
        if src.join(&key).is_dir() {
            for f in mentioned_files(row) {
                let found = walkdir::WalkDir::new(src.join(&key))
                    .into_iter()
                    .filter_map(Result::ok)
                    .any(|e| {
                        let rel = e.path().strip_prefix(src.join(&key)).unwrap();
                        let rel = rel.to_string_lossy();
                        let rel = if e.file_type().is_dir() {
                            format!("{rel}/")
                        } else {
                            rel.into_owned()
                        };
                        rel == f || rel.ends_with(&format!("/{f}"))
                    });
                if !found {
                    problems.push(format!(
                        "the row of `{name}` names `{f}`, which src/{key}/ does not have"
                    ));
                }
            }
        }
    }
    for m in modules.difference(&named) {
        problems.push(format!("src/{m} has no row in the module table"));
    }
    assert!(
        problems.is_empty(),
        "docs/architecture.md:\n{}",
        problems.join("\n")
    );
}
