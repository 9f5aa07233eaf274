//! `serve`'s incremental rebuild (the compiler and the page cache kept
//! between saves) gives, byte for byte, what a full build gives after an
//! edit to a session-library guide, a cohort's `cohort.yaml` and a
//! cohort's results CSV (FORMAT.md v1.2), on a copy of the example site.

use std::collections::BTreeMap;
use std::fs;

use playbook::OutFile;
use playbook::PageCache;
use playbook::{Changed, Incremental};

use crate::common::build::repo_root;
use crate::common::{copy_tree, TempTree};

fn example_copy() -> TempTree {
    let t = TempTree::new(Some("site"));
    for d in ["content", "library", "static"] {
        copy_tree(&repo_root().join(d), &t.file(d));
    }
    fs::copy(repo_root().join("playbook.yaml"), t.file("playbook.yaml")).unwrap();
    t
}

fn bytes(b: playbook::Built) -> BTreeMap<String, Vec<u8>> {
    let diags: Vec<String> = b.compiled.diagnostics.iter().map(|d| d.short()).collect();
    b.output
        .unwrap_or_else(|| panic!("no output: {diags:?}"))
        .files()
        .into_iter()
        .map(|(k, v)| match v {
            OutFile::Bytes(b) => (k.to_string(), b.to_vec()),
            OutFile::Static(b) => (k.to_string(), b.to_vec()),
            OutFile::Copy(p) => (k.to_string(), fs::read(p).unwrap()),
        })
        .collect()
}

/// After editing `rel` (replacing `from` with `to`), the incremental
/// rebuild equals a full build, and the page `page` changed and now holds
/// `want`.
#[allow(clippy::too_many_arguments)]
fn edit_and_compare(
    t: &TempTree,
    compiler: &mut Incremental,
    cache: &mut PageCache,
    last: &mut BTreeMap<String, Vec<u8>>,
    (rel, from, to): (&str, &str, &str),
    (page, want): (&str, &str),
) {
    let root = t.path().to_path_buf();
    let text = fs::read_to_string(root.join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
    let opts = playbook::BuildOptions::default();
    let part = compiler.compile(&root, Changed::Paths(&[root.join(rel)]));
    let served = bytes(playbook::render_compiled(&root, part, &opts, Some(cache)));
    let full = bytes(playbook::render_compiled(
        &root,
        playbook::compile(&root),
        &opts,
        None,
    ));
    let differ: Vec<&String> = full
        .keys()
        .chain(served.keys())
        .filter(|k| full.get(*k) != served.get(*k))
        .collect();
    assert!(differ.is_empty(), "after editing {rel}: {differ:?} differ");
    let now = String::from_utf8_lossy(&served[page]).into_owned();
    assert!(
        now.contains(want),
        "{page} lacks `{want}` after editing {rel}"
    );
    assert_ne!(last.get(page), served.get(page), "{page} did not change");
    *last = served;
}

#[test]
fn incremental_serve_equals_a_full_build_after_library_and_cohort_edits() {
    let t = example_copy();
    let root = t.path().to_path_buf();
    let mut compiler = Incremental::default();
    let mut cache = PageCache::default();
    let opts = playbook::BuildOptions::default();
    let first = compiler.compile(&root, Changed::Anything);
    let mut last = bytes(playbook::render_compiled(
        &root,
        first,
        &opts,
        Some(&mut cache),
    ));
    let mut step =
        |edit, check| edit_and_compare(&t, &mut compiler, &mut cache, &mut last, edit, check);
    // A library guide's body: the session that takes it, and /library/.
    step(
        (
            "library/sessions/delegation-practice-lab.md",
            "## Debrief questions\n",
            "## Debrief questions\n\nAsk the LIBRARY-EDIT question first.\n",
        ),
        (
            "leadership-accelerator/sessions/07-delegation-workshop/index.html",
            "LIBRARY-EDIT",
        ),
    );
    // A library guide's key that a program's session does not override.
    step(
        (
            "library/sessions/feedback-conversations.md",
            "duration: 120",
            "duration: 105",
        ),
        (
            "new-manager-essentials/sessions/02-feedback-workshop/index.html",
            "1 h 45",
        ),
    );
    // A cohort's cohort.yaml: its title, and its start.
    let yaml = "content/new-manager-essentials/cohorts/autumn-2026/cohort.yaml";
    let csv = "content/new-manager-essentials/cohorts/autumn-2026/results/attendance.csv";
    step(
        (yaml, "title: Autumn 2026", "title: Autumn intake 2026"),
        (
            "new-manager-essentials/results/index.html",
            "Autumn intake 2026",
        ),
    );
    step(
        (yaml, "start: 2026-09-14", "start: 2026-09-21"),
        (
            "new-manager-essentials/cohorts/autumn-2026/calendar.ics",
            "DTSTART;VALUE=DATE:20260921",
        ),
    );
    // A cohort's results: one participant absent from the orientation.
    step(
        (csv, "01-orientation,q01,1", "01-orientation,q01,0"),
        (
            "new-manager-essentials/cohorts/autumn-2026/results.csv",
            "\"attendance\"",
        ),
    );
}
