//! The traceability page's "Coverage gaps": the coverage gaps of its
//! program — nothing else the program was warned about.

use crate::common::build::{between, repo_root, run};
use crate::common::{copy_tree, TempTree};

/// A copy of the example site in a temporary folder.
fn example_copy() -> TempTree {
    let t = TempTree::new(Some("site"));
    for d in ["content", "static", "library"] {
        copy_tree(&repo_root().join(d), &t.file(d));
    }
    std::fs::copy(repo_root().join("playbook.yaml"), t.file("playbook.yaml")).unwrap();
    t
}

#[test]
fn only_coverage_gaps_are_listed_as_coverage_gaps() {
    let t = example_copy();
    let program = "content/leadership-accelerator";
    // An image without alt text in a session: a warning, but no gap.
    let session = format!("{program}/sessions/01-kickoff.md");
    let text = t.read(&session);
    t.write(&session, &format!("{text}\n![](x.png)\n"));
    t.write_bytes(&format!("{program}/sessions/x.png"), b"\x89PNG\r\n\x1a\n");
    // A competency no session covers: a gap.
    let alignment = format!("{program}/alignment/competencies.yaml");
    let text = t.read(&alignment);
    t.write(
        &alignment,
        &format!(
            "{text}  - id: forecasting\n    name: Forecasting\n    description: Sees the crunch coming.\n    behaviors:\n      - Posts a two-week forecast every Monday\n"
        ),
    );
    let out = t.scratch("out");
    let args = [
        "build",
        t.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    let r = run(&args, t.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("missing-alt"), "{}", r.stderr);
    assert!(r.stderr.contains("uncovered-competency"), "{}", r.stderr);

    let page = std::fs::read_to_string(out.join("leadership-accelerator/traceability/index.html"))
        .unwrap();
    let gaps = between(&page, "<h2>Coverage gaps</h2>", "</ul>");
    assert!(
        gaps.contains("uncovered-competency") && gaps.contains("`forecasting`"),
        "{gaps}"
    );
    assert!(
        gaps.contains("content/leadership-accelerator/alignment/competencies.yaml:"),
        "{gaps}"
    );
    assert!(!page.contains("missing-alt"), "{gaps}");
    assert!(!page.contains("01-kickoff.md"), "{gaps}");
    assert_eq!(gaps.matches("<li>").count(), 1, "{gaps}");
    // The other program has no gap.
    let other = std::fs::read_to_string(out.join("new-manager-essentials/traceability/index.html"))
        .unwrap();
    assert!(other.contains("No coverage gaps"));
}
