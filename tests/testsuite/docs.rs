//! The README and `docs/`: every relative link and image resolves (to a
//! file, and to a heading of it when it names one), the README's picture is
//! small, and the README says how to install and the two commands CI runs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::build::repo_root;

/// GitHub's anchor of a heading's text: lower case, punctuation but `-`
/// and `_` dropped, spaces as `-`.
fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a markdown file's headings (outside code fences).
fn anchors(md: &str) -> BTreeSet<String> {
    let mut fence = false;
    let mut out = BTreeSet::new();
    for line in md.lines() {
        if line.starts_with("```") {
            fence = !fence;
        } else if !fence && line.starts_with('#') {
            out.insert(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// The targets of a markdown file's inline links and images, outside code
/// fences and code spans.
fn links(md: &str) -> Vec<String> {
    let mut fence = false;
    let mut out = Vec::new();
    for line in md.lines() {
        if line.starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let text: String = line.split('`').step_by(2).collect::<Vec<_>>().join("");
        let mut rest = text.as_str();
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

fn markdown_files() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p);
        }
    }
    files.sort();
    files
}

#[test]
fn every_relative_link_of_the_readme_and_docs_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let md = std::fs::read_to_string(&file).unwrap();
        let dir = file.parent().unwrap();
        for link in links(&md) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                dir.join(path)
            };
            let name = file
                .strip_prefix(repo_root())
                .unwrap()
                .display()
                .to_string();
            if !target.exists() {
                broken.push(format!("{name}: ({link}): no such file"));
                continue;
            }
            if let Some(a) = anchor {
                let text = std::fs::read_to_string(&target).unwrap();
                if !anchors(&text).contains(a) {
                    broken.push(format!("{name}: ({link}): no heading with that anchor"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_is_for_facilitators_and_its_picture_is_small() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for needed in [
        "cargo install --path .",
        "cargo run --release    # check and build the example playbook",
        "cargo test             # run the test suite",
        "playbook new ",
        "playbook check",
        "playbook serve",
        "playbook import ",
        "playbook build",
        "deploy/",
    ] {
        assert!(readme.contains(needed), "the README lacks {needed:?}");
    }
    assert!(
        readme.lines().count() < 200,
        "the README is for facilitators: internals go to docs/"
    );
    let img = links(&readme)
        .into_iter()
        .find(|l| l.ends_with(".png"))
        .expect("a picture of the site in the README");
    let size = std::fs::metadata(Path::new(&repo_root()).join(&img))
        .unwrap()
        .len();
    assert!(size < 200 * 1024, "{img} is {size} bytes (at most 200 KB)");
}

/// The codes table of docs/diagnostics.md, made from [`Code::ALL`].
fn codes_table() -> String {
    use playbook::Code;
    let mut t = String::from("| code | severity | meaning |\n| --- | --- | --- |\n");
    for c in Code::ALL {
        t.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.as_str(),
            c.severity(),
            c.meaning()
        ));
    }
    t
}

/// docs/diagnostics.md's codes table is the one the codes make
/// (`PLAYBOOK_BLESS=1` writes it there).
#[test]
fn the_codes_table_of_the_docs_is_made_from_the_codes() {
    let path = repo_root().join("docs/diagnostics.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let section = doc
        .find("\n## Diagnostic codes\n")
        .expect("docs/diagnostics.md has a section \"Diagnostic codes\"");
    let start = section + doc[section..].find("\n| code |").expect("a table") + 1;
    // The table runs to the first line that is no table row.
    let mut end = start;
    for line in doc[start..].split_inclusive('\n') {
        if !line.starts_with('|') {
            break;
        }
        end += line.len();
    }
    let made = codes_table();
    if doc[start..end] == made {
        return;
    }
    if std::env::var_os("PLAYBOOK_BLESS").is_some_and(|v| v == "1") {
        let fixed = format!("{}{made}{}", &doc[..start], &doc[end..]);
        std::fs::write(&path, fixed).unwrap();
        return;
    }
    let old: Vec<&str> = doc[start..end].lines().collect();
    let new: Vec<&str> = made.lines().collect();
    let first = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    panic!(
        "docs/diagnostics.md's codes table differs from the codes (src/diagnostics/code.rs), \
         first at row {first}:\n  doc:   {}\n  codes: {}\n\
         run `PLAYBOOK_BLESS=1 cargo test --test testsuite codes_table` to write it",
        old.get(first).unwrap_or(&"(none)"),
        new.get(first).unwrap_or(&"(none)")
    );
}
