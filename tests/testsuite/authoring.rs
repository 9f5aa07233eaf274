//! Authoring tools: `playbook new` (site, program, session), `schema`,
//! `completions`, and `--help` / `--version`, run as a user runs them.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::{assert_links_ok, file_set, read_tree, repo_root, run, Run};
use crate::common::{keep_site, playbook, Output, TempTree};

/// `playbook check <root> --strict --format json`.
fn check_strict(root: &Path) -> Output {
    let mut cmd = playbook();
    cmd.arg("check")
        .arg(root)
        .args(["--strict", "--format", "json"]);
    Output::from_json_run(cmd)
}

/// A temporary folder holding a site made by `playbook new site --title T`.
fn new_site() -> (TempTree, PathBuf) {
    let t = TempTree::new(None);
    run(&["new", "site", "--title", "Our programs"], t.path()).assert_code(0);
    let root = t.file("site");
    keep_site("new-site", &root);
    (t, root)
}

/// Every `# yaml-language-server: $schema=…` line under `root`: the file
/// and the schema path it names, resolved against the file's folder.
fn schema_lines(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let text = fs::read_to_string(e.path()).unwrap();
        for line in text.lines() {
            if let Some(rel) = line.strip_prefix("# yaml-language-server: $schema=") {
                found.push((e.path().to_path_buf(), e.path().parent().unwrap().join(rel)));
            }
        }
    }
    found
}

#[test]
fn a_new_site_checks_clean_with_strict_builds_and_names_its_schemas() {
    let (t, root) = new_site();
    let checked = check_strict(&root);
    checked.assert_clean();
    let s = checked.summary();
    // One program tying one of each together, as the issue asks.
    assert_eq!(
        (
            s.programs,
            s.sessions,
            s.competencies,
            s.actions,
            s.signals,
            s.metrics
        ),
        (1, 1, 1, 1, 1, 1),
        "{s:?}"
    );
    let program = root.join("content/first-program");
    for f in [
        "program.yaml",
        "alignment/competencies.yaml",
        "alignment/action-map.yaml",
        "alignment/evaluation.yaml",
        "alignment/metrics.yaml",
        "results/import.yaml",
        "sessions/01-kickoff.md",
    ] {
        assert!(program.join(f).is_file(), "{f} missing");
    }
    let competencies = fs::read_to_string(program.join("alignment/competencies.yaml")).unwrap();
    assert!(competencies.contains("behaviors:"), "{competencies}");
    let map = fs::read_to_string(program.join("alignment/action-map.yaml")).unwrap();
    assert!(
        map.contains("practices:") && map.contains("scenario:"),
        "{map}"
    );

    // Every YAML file names its schema, and the schema is there.
    let lines = schema_lines(&root);
    assert_eq!(lines.len(), 7, "{lines:?}");
    for (file, schema) in &lines {
        assert!(
            schema.is_file(),
            "{} names {}, which does not exist",
            file.display(),
            schema.display()
        );
    }

    let out = t.file("out");
    run(
        &[
            "build",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--strict",
        ],
        t.path(),
    )
    .assert_code(0);
    assert!(out
        .join("first-program/sessions/01-kickoff/index.html")
        .is_file());
    assert_links_ok(&out, "/");
}

#[test]
fn new_program_and_session_add_to_a_site_and_still_check_clean() {
    let (_t, root) = new_site();
    run(
        &[
            "new",
            "program",
            "acme-leaders",
            "--title",
            "ACME Leadership Accelerator",
        ],
        &root,
    )
    .assert_code(0);
    let r = run(
        &[
            "new",
            "session",
            "acme-leaders",
            "04-feedback",
            "--kind",
            "workshop",
            "--week",
            "4",
        ],
        &root,
    );
    r.assert_code(0);
    assert!(
        r.stderr
            .contains("created content/acme-leaders/sessions/04-feedback.md"),
        "{}",
        r.stderr
    );
    let guide =
        fs::read_to_string(root.join("content/acme-leaders/sessions/04-feedback.md")).unwrap();
    assert!(guide.contains("\nkind: workshop "), "{guide}");
    assert!(guide.contains("\nweek: 4 "), "{guide}");
    // The program's ids, as commented choices.
    assert!(guide.contains("choose from: delegation\n"), "{guide}");
    assert!(
        guide.contains("choose from: hand-over-outcomes\n"),
        "{guide}"
    );
    assert!(guide.contains("choose from: handover-drill\n"), "{guide}");
    assert!(guide.contains("choose from: attendance\n"), "{guide}");
    let program = fs::read_to_string(root.join("content/acme-leaders/program.yaml")).unwrap();
    assert!(
        program.contains("title: ACME Leadership Accelerator "),
        "{program}"
    );

    // Without --week, the week after the last session; --site from elsewhere.
    run(
        &[
            "new",
            "session",
            "acme-leaders",
            "05-coaching",
            "--kind",
            "coaching-pod",
            "--site",
            root.to_str().unwrap(),
        ],
        root.parent().unwrap(),
    )
    .assert_code(0);
    let next =
        fs::read_to_string(root.join("content/acme-leaders/sessions/05-coaching.md")).unwrap();
    assert!(
        next.contains("\nweek: 5 ") && next.contains("\ntitle: Coaching\n"),
        "{next}"
    );

    let checked = check_strict(&root);
    checked.assert_clean();
    assert_eq!(checked.summary().programs, 2);
    assert_eq!(checked.summary().sessions, 4);
}

#[test]
fn titles_that_yaml_reads_specially_are_quoted() {
    let t = TempTree::new(None);
    run(&["new", "s", "--title", "Leaders: 2027 #1"], t.path()).assert_code(0);
    let root = t.file("s");
    run(&["new", "program", "p2", "--title", "Yes"], &root).assert_code(0);
    check_strict(&root).assert_clean();
    let out = t.file("out");
    run(
        &[
            "build",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        t.path(),
    )
    .assert_code(0);
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Leaders: 2027 #1"), "site title lost");
    let p2 = fs::read_to_string(out.join("p2/index.html")).unwrap();
    assert!(p2.contains(">Yes<"), "program title lost");
}

/// Run `args` in `cwd` and require exit 2 with `message` and `hint` on
/// stderr, and no file under `watched` created, changed or removed.
#[track_caller]
fn refused(args: &[&str], cwd: &Path, watched: &Path, message: &str, hint: &str) -> Run {
    let before = read_tree(watched);
    let r = run(args, cwd);
    r.assert_code(2);
    assert!(
        r.stderr.contains(&format!("error: {message}")),
        "{args:?}: want `{message}` in:\n{}",
        r.stderr
    );
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with("  = help: ") && l.contains(hint)),
        "{args:?}: want hint `{hint}` in:\n{}",
        r.stderr
    );
    assert_eq!(
        file_set(watched),
        before.keys().cloned().collect(),
        "{args:?} changed the files"
    );
    assert_eq!(read_tree(watched), before, "{args:?} changed a file");
    r
}

#[test]
fn new_refuses_bad_input_and_writes_nothing() {
    let (t, root) = new_site();
    let top = t.path();
    // Into a folder that is not empty (the site itself, or any folder).
    refused(
        &["new", "site", "--title", "Again"],
        top,
        top,
        &format!("{} is not empty", "site"),
        "playbook new makes a site in a new or empty folder",
    );
    t.write("notes/todo.txt", "keep me\n");
    refused(
        &["new", "notes", "--title", "X"],
        top,
        top,
        "notes is not empty",
        "choose another one",
    );
    refused(
        &["new", "fresh", "--title", "X", "--program", "Big_Program"],
        top,
        top,
        "`Big_Program` is not a valid program id: ids use lowercase letters a-z, digits and `-`",
        "write it as `big-program`",
    );
    refused(
        &["new", "fresh", "--title", " "],
        top,
        top,
        "the title is empty",
        "give one with --title",
    );
    assert!(!t.file("fresh").exists());

    // Programs.
    refused(
        &["new", "program", "ACME Leaders", "--title", "ACME"],
        &root,
        top,
        "`ACME Leaders` is not a valid program id",
        "write it as `acme-leaders`",
    );
    refused(
        &["new", "program", "first-program", "--title", "Again"],
        &root,
        top,
        "the program `first-program` exists already (content/first-program/)",
        "choose another id, or add a session to it: playbook new session first-program SESSION-ID --kind workshop",
    );

    // Sessions.
    refused(
        &[
            "new",
            "session",
            "first-programme",
            "02-next",
            "--kind",
            "workshop",
        ],
        &root,
        top,
        "there is no program `first-programme` (no content/first-programme/program.yaml)",
        "did you mean `first-program`?",
    );
    refused(
        &["new", "session", "zzz", "02-next", "--kind", "workshop"],
        &root,
        top,
        "there is no program `zzz`",
        "the programs are: first-program",
    );
    refused(
        &[
            "new",
            "session",
            "first-program",
            "01-kickoff",
            "--kind",
            "workshop",
        ],
        &root,
        top,
        "the session `01-kickoff` exists already in `first-program`",
        "choose another id",
    );
    refused(
        &[
            "new",
            "session",
            "first-program",
            "02 Next Steps",
            "--kind",
            "workshop",
        ],
        &root,
        top,
        "`02 Next Steps` is not a valid session id",
        "write it as `02-next-steps`",
    );
    refused(
        &[
            "new",
            "session",
            "first-program",
            "02-next",
            "--kind",
            "workshop",
            "--week",
            "105",
        ],
        &root,
        top,
        "week 105 is outside the program: weeks run from 1 to 104",
        "give the week of the program, counted from 1",
    );
    // A program whose files do not parse is named as such, not as unknown.
    fs::write(
        root.join("content/first-program/program.yaml"),
        "title: [unclosed\n",
    )
    .unwrap();
    refused(
        &[
            "new",
            "session",
            "first-program",
            "02-next",
            "--kind",
            "workshop",
        ],
        &root,
        top,
        "the program `first-program` could not be read",
        "fix what `playbook check` reports, then run this again",
    );
    // An unknown kind is clap's error, with the kinds listed.
    let r = run(
        &[
            "new",
            "session",
            "first-program",
            "02-next",
            "--kind",
            "lecture",
        ],
        &root,
    );
    r.assert_code(2);
    assert!(
        r.stderr.contains(
            "[possible values: workshop, coaching-pod, one-on-one, peer-discussion, self-study]"
        ),
        "{}",
        r.stderr
    );
    // Outside a site.
    let r = run(&["new", "program", "x", "--title", "X"], top);
    r.assert_code(2);
    assert!(r.stderr.contains("no playbook.yaml in"), "{}", r.stderr);
}

#[test]
fn schema_writes_exactly_the_schemas_kept_in_the_repository() {
    let t = TempTree::new(None);
    let r = run(&["schema", "--output", "out/schemas"], t.path());
    r.assert_code(0);
    let written = read_tree(&t.file("out/schemas"));
    let kept = read_tree(&repo_root().join("schemas"));
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        kept.keys().collect::<Vec<_>>()
    );
    assert!(written == kept, "`playbook schema` differs from schemas/");
    assert_eq!(written.len(), 11);
    // Replacing the files again is fine (no temporary files left behind).
    run(&["schema", "--output", "out/schemas"], t.path()).assert_code(0);
    assert_eq!(read_tree(&t.file("out/schemas")), written);
    // A folder that cannot be made is exit 2 with the reason.
    t.write("file", "");
    let r = run(&["schema", "--output", "file/schemas"], t.path());
    r.assert_code(2);
    assert!(
        r.stderr
            .contains("error: cannot write the schemas into file/schemas"),
        "{}",
        r.stderr
    );
}

#[test]
fn completions_cover_every_command_in_each_shell() {
    let t = TempTree::new(None);
    for (shell, marker) in [
        ("bash", "complete -F _playbook"),
        ("zsh", "#compdef playbook"),
        ("fish", "complete -c playbook"),
    ] {
        let r = run(&["completions", shell], t.path());
        r.assert_code(0);
        assert!(r.stdout.contains(marker), "{shell}: no `{marker}`");
        for word in [
            "check",
            "build",
            "serve",
            "new",
            "schema",
            "completions",
            "coaching-pod",
        ] {
            assert!(r.stdout.contains(word), "{shell} completions lack `{word}`");
        }
    }
    run(&["completions", "tcsh"], t.path()).assert_code(2);
}

#[test]
fn every_command_has_help_with_an_example_and_there_is_a_version() {
    let t = TempTree::new(None);
    for cmd in [
        vec![],
        vec!["check"],
        vec!["build"],
        vec!["serve"],
        vec!["new"],
        vec!["new", "program"],
        vec!["new", "session"],
        vec!["schema"],
        vec!["completions"],
    ] {
        let mut args = cmd.clone();
        args.push("--help");
        let r = run(&args, t.path());
        r.assert_code(0);
        assert!(
            r.stdout.contains("Usage: playbook"),
            "{cmd:?}: {}",
            r.stdout
        );
        let examples = r
            .stdout
            .split_once("Example")
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("{cmd:?} --help has no example:\n{}", r.stdout));
        assert!(examples.contains("  playbook "), "{cmd:?}: {examples}");
    }
    let r = run(&["--version"], t.path());
    r.assert_code(0);
    assert_eq!(
        r.stdout.trim(),
        format!("playbook {}", env!("CARGO_PKG_VERSION"))
    );
}

#[cfg(unix)]
#[test]
fn schema_does_not_write_through_a_linked_folder() {
    // A repository's `schemas` linked to a folder elsewhere: `playbook
    // schema` (whose default is `schemas`) would write into that folder.
    let t = TempTree::new(None);
    let elsewhere = t.file("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    t.write("elsewhere/session.schema.json", "keep");
    t.symlink("schemas", &elsewhere);
    let r = run(&["schema"], t.path());
    r.assert_code(2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(
        read_tree(&elsewhere).len(),
        1,
        "nothing written into the linked folder"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("session.schema.json")).unwrap(),
        "keep"
    );
}

#[cfg(unix)]
#[test]
fn new_writes_nothing_through_a_folder_linked_outside_the_site() {
    // A site whose content/ (or schemas/) is linked to a folder elsewhere:
    // `playbook new program` would create its files there.
    for linked in ["content", "schemas"] {
        let (_t, root) = new_site();
        let elsewhere = tempfile::tempdir().unwrap();
        let before = read_tree(&root.join(linked));
        std::fs::remove_dir_all(root.join(linked)).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.join(linked)).unwrap();
        let r = run(&["new", "program", "acme", "--title", "ACME"], &root);
        r.assert_code(2);
        assert!(r.stderr.contains("outside the site"), "{}", r.stderr);
        assert!(
            read_tree(elsewhere.path()).is_empty(),
            "{linked}: written outside the site ({} files before)",
            before.len()
        );
    }
}
