//! The repository's own example site (the repository root) must stay a
//! clean, complete demonstration of the format.

use std::path::Path;

use crate::common::*;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn check_site(site: &Path, args: &[&str]) -> Output {
    let mut cmd = playbook();
    cmd.arg("check")
        .arg(site)
        .args(["--format", "json"])
        .args(args);
    Output::from_json_run(cmd)
}

/// Program folders of the example, sorted.
fn example_programs() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("content"))
        .expect("read content/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn example_checks_clean_under_strict() {
    let out = check_site(Path::new(ROOT), &["--strict"]);
    out.assert_clean();
    let s = out.summary();
    assert_eq!(s.programs, 2);
    assert_eq!((s.errors, s.warnings), (0, 0));
    assert!(s.sessions >= 17, "{s:?}");
    assert!(
        s.competencies > 0 && s.actions > 0 && s.signals > 0 && s.metrics > 0,
        "{s:?}"
    );
}

#[test]
fn example_has_a_program_with_at_least_twelve_sessions() {
    let programs = example_programs();
    assert_eq!(programs.len(), 2, "{programs:?}");
    let total = check_site(Path::new(ROOT), &[]).summary().sessions;
    // Check each program on its own, in a copy of the site that holds only it.
    let mut per_program = Vec::new();
    for p in &programs {
        let f = Fixture::empty();
        std::fs::copy(
            Path::new(ROOT).join("playbook.yaml"),
            f.file("playbook.yaml"),
        )
        .unwrap();
        copy_tree(
            &Path::new(ROOT).join("content").join(p),
            &f.file(&format!("content/{p}")),
        );
        // The clients' logos.
        copy_tree(&Path::new(ROOT).join("static"), &f.file("static"));
        // The session library both programs draw on.
        copy_tree(&Path::new(ROOT).join("library"), &f.file("library"));
        let out = check_site(f.path(), &["--strict"]);
        out.assert_clean();
        let s = out.summary();
        assert_eq!(s.programs, 1, "{p}");
        per_program.push((p.clone(), s.sessions));
    }
    assert_eq!(
        per_program.iter().map(|(_, n)| n).sum::<usize>(),
        total,
        "{per_program:?}"
    );
    assert!(
        per_program.iter().any(|(_, n)| *n >= 12),
        "no program with 12 sessions: {per_program:?}"
    );
}

#[test]
fn example_is_clean_in_human_output_too() {
    let out = playbook()
        .args(["--color", "never", "check", ROOT])
        .output()
        .expect("run playbook");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("2 programs"), "{stderr}");
    assert!(stderr.contains("— 0 errors, 0 warnings in"), "{stderr}");
}

#[test]
fn example_draws_on_the_session_library_from_two_programs() {
    let guides: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("library/sessions"))
        .expect("read library/sessions/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    assert!(guides.len() >= 2, "{guides:?}");
    for g in &guides {
        let text =
            std::fs::read_to_string(Path::new(ROOT).join("library/sessions").join(g)).unwrap();
        assert!(
            text.contains("::: facilitator"),
            "{g} has no facilitator block"
        );
    }
    // Which programs start a session from a library guide, and whether
    // one takes the guide's body (nothing after the front matter).
    let mut users = Vec::new();
    let mut takes_body = false;
    for p in example_programs() {
        let dir = Path::new(ROOT).join("content").join(&p).join("sessions");
        for e in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            if text.contains("\nfrom: library:") {
                users.push(p.clone());
                let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
                takes_body |= body.trim().is_empty();
            }
        }
    }
    users.dedup();
    assert_eq!(users.len(), 2, "{users:?}");
    assert!(takes_body, "no session takes a library guide's body");
}
