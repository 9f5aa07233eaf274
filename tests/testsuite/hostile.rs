//! Hostile and broken input, as a stranger's repository or a careless paste
//! would bring it: nothing from outside the site is read or published,
//! dangerous links are refused, output folders are never wiped by surprise,
//! and every resource is bounded.

use std::fs;
use std::path::Path;

use crate::common::build::*;

/// A folder outside the site with a secret in it.
fn outside(site: &Site) -> std::path::PathBuf {
    let dir = site.scratch("elsewhere");
    fs::create_dir_all(dir.join("deep")).unwrap();
    fs::write(dir.join("secret.txt"), "TOP SECRET\n").unwrap();
    fs::write(dir.join("deep/shadow"), "root:x:0:0\n").unwrap();
    fs::write(
        dir.join("99-extra.md"),
        "---\ntitle: Smuggled\nkind: workshop\n---\nTOP SECRET guide\n",
    )
    .unwrap();
    dir
}

/// Every file of an output folder holds no byte of the secrets.
fn assert_no_secret(out: &Path) {
    for (path, bytes) in read_tree(out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("TOP SECRET") && !text.contains("root:x:0:0"),
            "{path} holds a secret from outside the site"
        );
        assert!(
            !path.contains("secret") && !path.contains("shadow"),
            "{path}"
        );
    }
}

#[test]
fn a_sessions_folder_linked_outside_the_site_is_skipped_with_a_warning() {
    let site = Site::new();
    let elsewhere = outside(&site);
    site.remove("content/demo/sessions/fig");
    site.symlink("content/demo/sessions/fig", &elsewhere);
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    // The guide's image under fig/ is now a link to a skipped file.
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "warning[outside-site]: `content/demo/sessions/fig` links to a place outside the site"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "link to `fig/x.svg`, which is behind a symbolic link to a place outside the site"
        ),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    // Without the image, the build succeeds and publishes nothing from there.
    site.edit(
        "content/demo/sessions/01-intro.md",
        "![Wall map of the handover steps](fig/x.svg)",
        "",
    );
    site.build(&out, &[]).assert_code(0);
    assert_no_secret(&out);
    assert!(!out.join("demo/sessions/fig").exists());
}

#[test]
fn a_program_folder_linked_outside_the_site_is_not_read() {
    let site = Site::new();
    let other = site.scratch("other-program");
    for (rel, text) in program_files() {
        let p = other.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text.replace("Demo Program", "TOP SECRET program")).unwrap();
    }
    site.symlink("content/linked", &other);
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("warning[outside-site]: `content/linked` links to a place outside the site"),
        "{}",
        run.stderr
    );
    assert_no_secret(&out);
    assert!(!out.join("linked").exists());
}

#[test]
fn files_and_static_folders_linked_outside_are_not_published() {
    let site = Site::new();
    let elsewhere = outside(&site);
    site.symlink(
        "content/demo/sessions/handouts/secret.txt",
        &elsewhere.join("secret.txt"),
    );
    site.symlink("static/etc", &elsewhere.join("deep"));
    site.symlink(
        "content/demo/sessions/99-extra.md",
        &elsewhere.join("99-extra.md"),
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    for p in [
        "content/demo/sessions/handouts/secret.txt",
        "static/etc",
        "content/demo/sessions/99-extra.md",
    ] {
        assert!(
            run.stderr
                .contains(&format!("`{p}` links to a place outside the site")),
            "{p}:\n{}",
            run.stderr
        );
    }
    assert_no_secret(&out);
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = Site::new();
    site.write("shared/figures/y.svg", X_SVG);
    site.symlink(
        "content/demo/sessions/shared",
        &site.root().join("shared/figures"),
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(!run.stderr.contains("outside-site"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(out.join("demo/sessions/shared/y.svg")).unwrap(),
        X_SVG
    );
}

#[test]
fn a_link_loop_and_a_dangling_link_under_sessions_do_not_stop_a_build() {
    let site = Site::new();
    let sessions = site.root().join("content/demo/sessions");
    site.symlink("content/demo/sessions/fig/again", &sessions);
    site.symlink(
        "content/demo/sessions/gone.png",
        &site.scratch("nothing-here"),
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("`content/demo/sessions/fig/again` links back to a folder that contains it"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("gone.png"), "{}", run.stderr);
    assert!(out.join("demo/sessions/fig/x.svg").exists());
}

// ------------------------------------------------------------ link schemes

/// Markdown whose one link or image must be refused, as written in a guide.
const UNSAFE_LINKS: &[(&str, &str)] = &[
    ("[x](javascript:alert(1))", "javascript:"),
    ("[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:"),
    ("[x](javascript&#58;alert(1))", "javascript:"),
    ("[x](&#106;avascript:alert(1))", "javascript:"),
    ("[x](java&#x09;script:alert(1))", "javascript:"),
    ("[x](<java\tscript:alert(1)>)", "javascript:"),
    ("[x](< javascript:alert(1)>)", "javascript:"),
    ("![x](javascript:alert(1))", "javascript:"),
    ("<javascript:alert(1)>", "javascript:"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "javascript:"),
    ("[x](vbscript:msgbox(1))", "vbscript:"),
    (
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "data:",
    ),
    ("![x](data:image/svg+xml,<svg/onload=alert(1)>)", "data:"),
    ("[x](file:///etc/passwd)", "file:"),
    ("[x](ftp://example.org/a)", "ftp:"),
];

#[test]
fn links_with_a_scheme_outside_the_allow_list_are_errors_where_written() {
    use crate::common::{error, Fixture, INTRO, INTRO_SRC};
    for (md, scheme) in UNSAFE_LINKS {
        println!("case: {md}");
        let f = Fixture::new();
        f.write(INTRO, &format!("{INTRO_SRC}\n{md}\n"));
        let line = INTRO_SRC.lines().count() + 2;
        let scheme = scheme.to_ascii_lowercase();
        let scheme = scheme.trim_end_matches(':');
        let out = f.check(&[]);
        let d = out.assert_only(
            &error("unsafe-link")
                .message(&format!("a `{scheme}:` link is not allowed"))
                .hint("links may be relative, `kind:id`, or http, https, mailto or tel URLs"),
        );
        assert_eq!(d.file.as_deref(), Some(INTRO));
        assert_eq!(d.line, Some(line), "{md}");
    }
}

#[test]
fn unsafe_links_in_yaml_text_fields_are_errors_too() {
    use crate::common::{error, Fixture, COMPETENCIES};
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "description: We finish what we start.",
        "description: \"We [finish](JAVASCRIPT:alert(document.cookie)) what we start.\"",
    );
    f.check(&[]).assert_only(
        &error("unsafe-link")
            .at(COMPETENCIES, 4, 18)
            .message("a `javascript:` link is not allowed"),
    );
}

#[test]
fn allowed_schemes_and_email_autolinks_pass() {
    use crate::common::{Fixture, INTRO, INTRO_SRC};
    let f = Fixture::new();
    f.write(
        INTRO,
        &format!(
            "{INTRO_SRC}\n[a](https://example.org/) [b](http://example.org/) [c](mailto:a@example.org) [d](tel:+4412345) <https://example.org/x> <help@example.org> [e](/absolute/) [f](?q=1) [g](//example.org/)\n"
        ),
    );
    f.check(&["--strict"]).assert_clean();
}

// ------------------------------------------------------------ output folders

#[test]
fn a_folder_playbook_did_not_write_is_refused_and_kept() {
    let site = Site::new();
    let out = site.scratch("docs");
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/config"), "[core]\n").unwrap();
    fs::write(out.join("CNAME"), "playbooks.example.org\n").unwrap();
    fs::write(out.join("notes.txt"), "mine\n").unwrap();
    let before = read_tree(&out);
    let run = site.build(&out, &[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "holds files that playbook did not write: `.git/config`, `CNAME`, `notes.txt`"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert!(run.stderr.contains("static/"), "{}", run.stderr);
    assert_same_tree(&before, &read_tree(&out));
    // --force replaces it.
    site.build(&out, &["--force"]).assert_code(0);
    assert!(out.join("index.html").exists() && !out.join("CNAME").exists());
}

#[test]
fn an_output_playbook_wrote_is_replaced_until_someone_adds_a_file() {
    let site = Site::new();
    let out = site.scratch("out");
    fs::create_dir(&out).unwrap(); // empty: fine
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    assert!(out.join(".playbook-output").is_file());
    fs::write(out.join("CNAME"), "x.example.org\n").unwrap();
    let run = site.build(&out, &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("`CNAME`"), "{}", run.stderr);
    assert!(out.join("CNAME").exists());
    // Published from static/, it is playbook's own.
    fs::remove_file(out.join("CNAME")).unwrap();
    site.write("static/CNAME", "x.example.org\n");
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "x.example.org\n"
    );
}

#[test]
fn a_symlinked_output_folder_is_refused_and_its_target_kept() {
    let site = Site::new();
    let target = site.scratch("precious");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("thesis.tex"), "\\begin{document}\n").unwrap();
    let out = site.scratch("out");
    std::os::unix::fs::symlink(&target, &out).unwrap();
    let run = site.build(&out, &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
    site.build(&out, &["--force"]).assert_code(0);
    // The link became a folder; its target is untouched.
    assert!(!fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    assert!(out.join("index.html").exists());
    assert_eq!(
        fs::read_to_string(target.join("thesis.tex")).unwrap(),
        "\\begin{document}\n"
    );
    assert_eq!(fs::read_dir(&target).unwrap().count(), 1);
}

#[test]
fn an_output_reaching_into_content_through_a_link_is_refused() {
    let site = Site::new();
    let root = site.root();
    site.symlink("shortcut", &root.join("content/demo"));
    let before = read_tree(&root.join("content"));
    for out in ["shortcut/public", "shortcut"] {
        let r = run(&["build", "--output", out], &root);
        r.assert_code(2);
        assert!(r.stderr.contains("content/"), "{out}: {}", r.stderr);
        assert_same_tree(&before, &read_tree(&root.join("content")));
    }
    // A program folder linked from elsewhere inside the site is a source too.
    let other = root.join("programs/lead");
    fs::create_dir_all(&other).unwrap();
    for (rel, text) in program_files() {
        site.write(&format!("programs/lead/{rel}"), text);
    }
    site.symlink("content/lead", &other);
    let r = run(&["build", "--output", "programs"], &root);
    r.assert_code(2);
    assert!(
        r.stderr.contains("which the site is read from"),
        "{}",
        r.stderr
    );
    assert!(other.join("program.yaml").exists());
    run(&["build", "--output", "public"], &root).assert_code(0);
}

#[test]
fn folders_left_by_killed_builds_are_cleaned_up() {
    let site = Site::new();
    let out = site.scratch("out");
    for leftover in [".out.new-Ab12Cd", ".out.old-Ef34Gh"] {
        fs::create_dir_all(site.scratch(leftover).join("demo")).unwrap();
        fs::write(site.scratch(leftover).join("demo/index.html"), "half").unwrap();
    }
    site.build(&out, &[]).assert_code(0);
    assert_eq!(
        entries(out.parent().unwrap()),
        ["out", "site"].map(String::from).into()
    );
}

// ------------------------------------------------------------ resource bounds

/// The memory any input file of up to 1 MB may cost `check`, in MiB: the
/// process cannot allocate more.
const PEAK_MIB: u64 = 200;

/// `playbook check SITE` (human output, as a person runs it) on the check
/// fixture with `file` replaced by `text`, measured.
fn check_measured(file: &str, text: &str, args: &[&str]) -> crate::common::Cost {
    use crate::common::{playbook, run_measured, Fixture};
    let f = Fixture::new();
    f.write(file, text);
    assert!(text.len() <= 1 << 20, "{} bytes: over 1 MB", text.len());
    let mut cmd = playbook();
    cmd.args(["--color", "never", "check"])
        .arg(f.path())
        .args(args);
    let cost = run_measured(cmd, std::time::Duration::from_secs(120), PEAK_MIB << 20);
    println!(
        "{file}: exit {}, {:.0} MiB, {:.2} s",
        cost.code, cost.peak_mib, cost.seconds
    );
    cost
}

/// The 1-based line of byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

#[test]
fn an_alias_bomb_of_one_long_string_is_refused_at_the_alias() {
    use crate::common::COMPETENCIES;
    let long = "A".repeat(64 * 1024);
    let aliases = vec!["*s"; 230_000].join(", ");
    let text = format!(
        "values:\n  - id: ownership\n    name: Ownership\n    description: &s \"{long}\"\ncompetencies:\n  - id: delegation\n    name: Delegating\n    values: [ownership]\n    behaviors: [{aliases}]\n"
    );
    let cost = check_measured(COMPETENCIES, &text, &["--format", "json"]);
    assert_eq!(cost.code, 1);
    let line = line_of(&text, text.find("[*s").unwrap());
    assert!(
        cost.stdout.contains("\"code\": \"alias-limit\""),
        "{}",
        &cost.stdout[..cost.stdout.len().min(2000)]
    );
    assert!(
        cost.stdout.contains(&format!("\"line\": {line}")),
        "{}",
        cost.stdout
    );
}

#[test]
fn a_billion_laughs_alias_bomb_is_refused_at_the_alias() {
    use crate::common::COMPETENCIES;
    let mut text =
        String::from("values:\n  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let prev = format!("*l{}", i - 1);
        text.push_str(&format!("  - &l{i} [{}]\n", [prev.as_str(); 10].join(", ")));
    }
    let cost = check_measured(COMPETENCIES, &text, &[]);
    assert_eq!(cost.code, 1);
    assert!(
        cost.stderr.contains("error[alias-limit]"),
        "{}",
        cost.stderr
    );
    assert!(
        cost.stderr.contains("help: write the values out"),
        "{}",
        cost.stderr
    );
}

#[test]
fn thousands_of_unknown_ids_on_one_line_are_reported_in_linear_time() {
    use crate::common::EVALUATION;
    use crate::common::EVALUATION_SRC;
    let ids: Vec<String> = (0..10_000).map(|i| format!("nope-{i}")).collect();
    let text = EVALUATION_SRC.replacen(
        "competencies: [delegation]",
        &format!("competencies: [{}]", ids.join(", ")),
        1,
    );
    let cost = check_measured(EVALUATION, &text, &[]);
    assert_eq!(cost.code, 1);
    // The human report shows a hundred and counts the rest…
    assert_eq!(cost.stderr.matches("error[unknown-reference]").count(), 100);
    assert!(
        cost.stderr.contains(&format!(
            "… and 9900 more in {EVALUATION} (`playbook check --format json` lists them all)"
        )),
        "{}",
        &cost.stderr[cost.stderr.len().saturating_sub(600)..]
    );
    assert!(
        cost.stderr.contains("10000 errors"),
        "the summary counts them all"
    );
    // … and JSON has them all.
    let json = check_measured(EVALUATION, &text, &["--format", "json"]);
    assert_eq!(json.stdout.matches("\"unknown-reference\"").count(), 10_000);
    // Each snippet shows the part of the line around its id, not the line.
    let longest = cost.stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 400, "a {longest}-character line in the report");
}

/// The fixture with `files` written, checked (human output) and measured.
fn check_files(files: &[(&str, String)]) -> crate::common::Cost {
    use crate::common::{playbook, run_measured, Fixture};
    let f = Fixture::new();
    for (path, text) in files {
        f.write(path, text);
    }
    let mut cmd = playbook();
    cmd.args(["--color", "never", "check"]).arg(f.path());
    run_measured(cmd, std::time::Duration::from_secs(120), PEAK_MIB << 20)
}

/// Thousands of ids and thousands of unknown references: each hint used to
/// compare the unknown id with every id (a million comparisons per thousand
/// of each). The first hints still say "did you mean"; the work is bounded.
#[test]
fn many_ids_and_many_unknown_references_cost_bounded_hints() {
    use crate::common::{COMPETENCIES, COMPETENCIES_SRC, EVALUATION, EVALUATION_SRC};
    let many: String = (0..4000)
        .map(|i| format!("  - id: skill-{i}\n    name: Skill {i}\n"))
        .collect();
    let competencies = format!("{COMPETENCIES_SRC}{many}");
    let unknown: Vec<String> = std::iter::once("delegaton".to_string())
        .chain((0..8000).map(|i| format!("nope-{i}")))
        .collect();
    let evaluation = EVALUATION_SRC.replacen(
        "competencies: [delegation]",
        &format!("competencies: [{}]", unknown.join(", ")),
        1,
    );
    let cost = check_files(&[(COMPETENCIES, competencies), (EVALUATION, evaluation)]);
    assert_bounded_hints(&cost, "delegation");
}

/// 8,001 errors, the first with "did you mean `meant`?", in a report of
/// short lines, within a bound of processor time.
fn assert_bounded_hints(cost: &crate::common::Cost, meant: &str) {
    println!("{:.2} s of processor time", cost.cpu_seconds);
    assert_eq!(cost.code, 1);
    assert!(
        cost.stderr.contains("8001 errors"),
        "{}",
        &cost.stderr[cost.stderr.len().saturating_sub(300)..]
    );
    assert!(
        cost.stderr
            .contains(&format!("help: did you mean `{meant}`?")),
        "{}",
        &cost.stderr[..3000]
    );
    let longest = cost.stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 600, "a {longest}-character line in the report");
    assert!(cost.cpu_seconds < 8.0, "{:.1} s", cost.cpu_seconds);
}

/// Thousands of headings and thousands of links to none of them: bounded
/// hints too, and a hint lists a few anchors, not thousands.
#[test]
fn many_headings_and_many_broken_anchors_cost_bounded_hints() {
    use crate::common::REVIEW;
    let headings: String = (0..4000).map(|i| format!("## Step {i}\n\n")).collect();
    let links: String = (0..8000).map(|i| format!("[x](#gone-{i}) ")).collect();
    let guide = format!(
        "---\ntitle: Review\nkind: workshop\nweek: 3\n---\n{headings}[y](#step-12a) {links}\n"
    );
    let cost = check_files(&[(REVIEW, guide)]);
    assert_bounded_hints(&cost, "step-12");
}

// ------------------------------------------------------------ numbers

#[test]
fn numbers_are_bounded_to_a_plausible_program() {
    use crate::common::{error, Fixture, METRICS, PRACTICE};
    let cases: &[(&str, &str, &str, usize, &str)] = &[
        (
            PRACTICE,
            "week: 2\n",
            "week: 13000000\n",
            4,
            "week 13000000 is beyond the 104 weeks a program may span",
        ),
        (
            PRACTICE,
            "week: 2\n",
            "week: 105\n",
            4,
            "week 105 is beyond the 104 weeks a program may span",
        ),
        (
            PRACTICE,
            "week: 2\n",
            "date: 2030-01-07\n",
            4,
            "2030-01-07 is more than 104 weeks after the program starts (2026-01-05)",
        ),
        (
            PRACTICE,
            "duration: 90\n",
            "duration: 4000000000\n",
            5,
            "a duration of 4000000000 minutes is longer than a day",
        ),
        (
            METRICS,
            "    target: 0.9\n",
            "    target: .nan\n",
            6,
            "`target` must be a finite number",
        ),
        (
            METRICS,
            "    target: 0.9\n",
            "    target: -.inf\n",
            6,
            "`target` must be a finite number",
        ),
    ];
    for (file, from, to, line, message) in cases {
        println!("case: {to}");
        let f = Fixture::new();
        f.edit(file, from, to);
        let out = f.check(&[]);
        let d = out.assert_has(
            &error(if message.contains("finite") {
                "invalid-value"
            } else {
                "out-of-range"
            })
            .message(message),
        );
        assert_eq!((d.file.as_deref(), d.line), (Some(*file), Some(*line)));
        out.assert_exit(1);
    }
}

#[test]
fn dates_without_a_program_start_are_bounded_too() {
    use crate::common::{error, Fixture, INTRO, PRACTICE, PROGRAM_YAML, REVIEW};
    let f = Fixture::new();
    f.edit(PROGRAM_YAML, "start: 2026-01-05\n", "");
    f.edit(INTRO, "week: 1\n", "date: 2026-01-05\n");
    f.edit(REVIEW, "week: 3\n", "date: 2026-01-19\n");
    f.edit(PRACTICE, "week: 2\n", "date: 9999-12-31\n");
    // (03-review, which requires it, now comes first: also reported.)
    f.check(&[]).assert_has(
        &error("out-of-range")
            .at(PRACTICE, 4, 7)
            .message("9999-12-31 is more than 104 weeks after the first session (2026-01-05)"),
    );
}

#[test]
fn the_longest_program_builds_a_bounded_timeline() {
    let site = Site::new();
    site.edit("content/demo/sessions/03-review.md", "week: 4", "week: 104");
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let page = fs::read_to_string(out.join("demo/curriculum/index.html")).unwrap();
    assert!(page.contains(">W104<"));
    assert!(page.len() < 200_000, "{} bytes", page.len());
}

// ------------------------------------------------------------ results CSV

const ATTENDANCE: &str = "content/demo/results/attendance.csv";
const SURVEY: &str = "content/demo/results/survey.csv";

#[test]
fn broken_csv_files_get_errors_that_say_what_is_wrong() {
    use crate::common::{error, Fixture};
    let cases: &[(&str, &str, &str, usize, &str, &str)] = &[
        (
            ATTENDANCE,
            "session,participant,present,session\n01-intro,p1,1,01-intro\n",
            "duplicate-column",
            1,
            "the column `session` is named twice",
            "rename or remove one of them",
        ),
        (
            ATTENDANCE,
            "session,participant,present\n01-intro,p1,1\n01-intro,p2\n",
            "csv-syntax",
            3,
            "this row has 2 fields, but the header has 3",
            "a missing comma or value",
        ),
        (
            ATTENDANCE,
            "session,participant,present\n01-intro,p1,1,1\n",
            "csv-syntax",
            2,
            "this row has 4 fields, but the header has 3",
            "a stray comma",
        ),
        (
            ATTENDANCE,
            "session,participant,present\n01-intro,p1,1\n01-intro,\"p2,1\n02-practice,p3,1\n",
            "csv-syntax",
            3,
            "the quote opened here is never closed",
            "close the quoted field",
        ),
        (
            ATTENDANCE,
            "",
            "empty-file",
            0,
            "the results file is empty",
            "session,participant,present",
        ),
        (
            SURVEY,
            "participant,phase,item,score\np1,pre,delegation,1e308\n",
            "out-of-range",
            2,
            "score 1e308 is out of range",
            "-1000000 to 1000000",
        ),
    ];
    for (file, text, code, line, message, hint) in cases {
        println!("case: {text:?}");
        let f = Fixture::new();
        f.write(file, text);
        let out = f.check(&[]);
        let d = out.assert_only(&error(code).message(message).hint(hint));
        assert_eq!(d.file.as_deref(), Some(*file));
        assert_eq!(d.line, (*line > 0).then_some(*line), "{text}");
    }
}

#[test]
fn quoted_fields_and_header_only_files_are_fine() {
    use crate::common::Fixture;
    let f = Fixture::new();
    f.write(
        ATTENDANCE,
        "session,participant,present,note\n01-intro,\"p1\",1,\"late, then stayed\nall evening\"\n02-practice,p1,yes,\n",
    );
    f.write(SURVEY, "participant,phase,item,score\n");
    f.check(&["--strict"]).assert_clean();
}

// ------------------------------------------------------------ messages

#[test]
fn type_errors_speak_of_the_format_not_of_our_types() {
    use crate::common::{Fixture, METRICS, PRACTICE, PROGRAM_YAML};
    let long = "Paste of a whole document. ".repeat(200);
    let cases: &[(&str, String, &str)] = &[
        (
            PRACTICE,
            "---\n- title: x\n---\nBody\n".into(),
            "expected the keys of a session guide's front matter",
        ),
        (
            METRICS,
            "just some words\n".into(),
            "expected the keys of metrics.yaml",
        ),
        (
            PROGRAM_YAML,
            "cohort_size: many\ntitle: T\n".into(),
            "expected a whole number (0 or more)",
        ),
        (
            METRICS,
            format!("{long}\n{long}\n"),
            "expected the keys of metrics.yaml",
        ),
    ];
    for (file, text, wanted) in cases {
        let f = Fixture::new();
        f.write(file, text);
        let out = f.check(&[]);
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.code == "wrong-type")
            .unwrap_or_else(|| panic!("no wrong-type for {file}:\n{}", out.listing()));
        assert!(d.message.contains(wanted), "{}", d.message);
        assert!(!d.message.contains("Doc"), "{}", d.message);
        assert!(
            d.message.len() < 200,
            "{} bytes: {}",
            d.message.len(),
            d.message
        );
        // The snippet is one line, not the file.
        assert_eq!(d.line, d.end_line, "{d:?}");
    }
}

#[test]
fn a_site_without_programs_is_an_error() {
    use crate::common::{error, Fixture, PLAYBOOK_YAML_SRC};
    let f = Fixture::empty();
    f.write("playbook.yaml", PLAYBOOK_YAML_SRC);
    f.check(&[]).assert_only(
        &error("missing-file")
            .in_file_no_position("content")
            .message("the site has no programs: content/ holds no program folder")
            .hint("create content/<program>/program.yaml"),
    );
    f.write("content/_drafts/notes.md", "x");
    f.check(&[]).assert_exit(1);
}

// ------------------------------------------------------------ raw HTML

/// Vectors from the OWASP XSS Filter Evasion Cheat Sheet, one per paragraph.
const XSS: &[&str] = &[
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "<svg/onload=alert('XSS')>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><td>x</td></tr></TABLE>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4=\"></EMBED>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<a href=\"vbscript:msgbox(1)\">v</a>",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "<span style=\"position:fixed;top:0\" onclick=\"alert(1)\">spanned</span>",
];

/// What a document may hold, which sanitizing keeps.
const DOCUMENT: &str = "<details><summary>Facilitator hint</summary>\n\nAsk the room first.\n\n</details>\n\n<span class=\"highlight\">Key idea</span> and <kbd>Ctrl</kbd>.\n\n<span onclick=\"steal()\" style=\"color:red\" class=\"aside\">Aside</span>\n\n<!-- placeholder for video -->\n\nPlaceholders stay: <owner> decides.";

/// The rendered guide of session 01 on its page.
fn session_body(out: &Path) -> String {
    let page = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    let start = page.find("<div class=\"prose\">").unwrap();
    let end = page[start..].find("</article>").unwrap() + start;
    page[start..end].to_string()
}

fn site_with_raw_html(mode: Option<&str>) -> (Site, std::path::PathBuf) {
    let site = Site::new();
    if let Some(mode) = mode {
        site.write(
            "playbook.yaml",
            &format!("{PLAYBOOK_YAML}markdown:\n  raw_html: {mode}\n"),
        );
    }
    // At the end of the guide: an unclosed HTML block would take the
    // headings after it along.
    let guide = site.read("content/demo/sessions/01-intro.md");
    site.write(
        "content/demo/sessions/01-intro.md",
        &format!("{guide}\n{DOCUMENT}\n\n{}\n", XSS.join("\n\n")),
    );
    site.edit(
        "content/demo/alignment/competencies.yaml",
        "description: Hands over outcomes, not tasks.",
        "description: \"Hands over <em>outcomes</em>, not tasks.<img src=x onerror=alert(1)>\"",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    (site, out)
}

/// Every tag of `html` (text, escaped or not, is harmless), each with its
/// attributes as (lowercase name, value).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            out.push(("!--".to_string(), vec![]));
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let inner = &rest[..end];
        rest = &rest[end..];
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if name.is_empty() {
            continue;
        }
        let mut attrs = Vec::new();
        let mut a = &inner[name.len().min(inner.len())..];
        while let Some(eq) = a.find('=') {
            let key = a[..eq]
                .trim()
                .rsplit(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let v = a[eq + 1..].trim_start();
            let (value, next) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = v[1..].find(q).map_or(v.len(), |k| k + 1);
                    (&v[1..close], &v[(close + 1).min(v.len())..])
                }
                _ => {
                    let close = v.find(char::is_whitespace).unwrap_or(v.len());
                    (&v[..close], &v[close..])
                }
            };
            attrs.push((key, value.to_string()));
            a = next;
        }
        out.push((name, attrs));
    }
    out
}

/// The `<main>` element of a page.
fn main_of(page: &str) -> &str {
    let start = page.find("<main").unwrap();
    &page[start..page.find("</main>").unwrap()]
}

fn assert_nothing_live(html: &str) {
    const TAGS: &[&str] = &[
        "!--", "script", "iframe", "object", "embed", "svg", "style", "link", "meta", "form",
        "input", "body", "base", "frame",
    ];
    for (tag, attrs) in tags(html) {
        assert!(
            !TAGS.contains(&tag.as_str()),
            "a <{tag}> reached the page:\n{html}"
        );
        for (name, value) in attrs {
            assert!(!name.starts_with("on"), "<{tag} {name}=…> reached the page");
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !url.starts_with(scheme),
                    "<{tag} {name}=\"{value}\"> reached the page"
                );
            }
            if name == "style" {
                assert!(
                    value.starts_with("text-align:") && !value.contains(';'),
                    "<{tag} style=\"{value}\">"
                );
            }
            assert!(name != "background", "<{tag} background=…>");
        }
    }
}

#[test]
fn raw_html_is_sanitized_by_default() {
    let (_site, out) = site_with_raw_html(None);
    let body = session_body(&out);
    assert_nothing_live(&body);
    assert!(
        body.contains("<details><summary>Facilitator hint</summary>"),
        "{body}"
    );
    assert!(
        body.contains("<span class=\"highlight\">Key idea</span>"),
        "{body}"
    );
    assert!(body.contains("<kbd>Ctrl</kbd>"), "{body}");
    assert!(
        body.contains("Placeholders stay: &lt;owner&gt; decides."),
        "{body}"
    );
    assert!(
        body.contains("<span class=\"aside\">Aside</span>"),
        "{body}"
    );
    let guide = fs::read_to_string(out.join("demo/guide/index.html")).unwrap();
    assert_nothing_live(main_of(&guide));
    let comp = fs::read_to_string(out.join("demo/competencies/delegation/index.html")).unwrap();
    assert!(
        comp.contains("Hands over <em>outcomes</em>, not tasks."),
        "{comp}"
    );
    assert_nothing_live(main_of(&comp));
}

#[test]
fn raw_html_can_be_escaped_or_allowed() {
    let (_site, out) = site_with_raw_html(Some("escape"));
    let body = session_body(&out);
    assert_nothing_live(&body);
    assert!(
        body.contains("&lt;details&gt;&lt;summary&gt;Facilitator hint"),
        "{body}"
    );
    assert!(
        body.contains("&lt;!-- placeholder for video --&gt;"),
        "{body}"
    );

    let (_site, out) = site_with_raw_html(Some("allow"));
    let body = session_body(&out);
    assert!(body.contains("<!-- placeholder for video -->"), "{body}");
    assert!(body.contains("onclick=\"alert(1)\""), "{body}");
}

#[test]
fn an_unknown_raw_html_mode_is_an_error_with_the_choices() {
    use crate::common::{error, Fixture, PLAYBOOK_YAML_SRC};
    let f = Fixture::new();
    f.write(
        "playbook.yaml",
        &format!("{PLAYBOOK_YAML_SRC}markdown:\n  raw_html: sanitise\n"),
    );
    f.check(&[]).assert_only(
        &error("invalid-value")
            .message_contains("unknown variant `sanitise`")
            .hint("did you mean `sanitize`?"),
    );
}

fn read_out(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file below `dir`, hard-linked into `snap` (as `cp -al` or
/// `rsync --link-dest` snapshots do).
fn hard_link_tree(dir: &Path, snap: &Path) {
    for (rel, _) in read_tree(dir) {
        let to = snap.join(&rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::hard_link(dir.join(&rel), to).unwrap();
    }
}

#[test]
fn a_hard_linked_snapshot_of_the_output_is_never_written_through() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    // Both the output and the previous one kept beside it.
    let snap = site.scratch("snapshot");
    hard_link_tree(&out, &snap.join("out"));
    hard_link_tree(&out.with_file_name(".out.previous"), &snap.join("previous"));
    let before = read_tree(&snap);
    site.edit(
        "content/demo/sessions/01-intro.md",
        "## Debrief questions",
        "Changed before the debrief.\n\n## Debrief questions",
    );
    for _ in 0..3 {
        site.build(&out, &[]).assert_code(0);
    }
    assert!(
        read_out(&out, "demo/sessions/01-intro/index.html").contains("Changed before the debrief.")
    );
    assert_same_tree(&before, &read_tree(&snap));
}

#[cfg(unix)]
#[test]
fn a_link_planted_in_the_kept_output_is_replaced_not_followed() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    let victim = site.scratch("victim.txt");
    fs::write(&victim, "keep me\n").unwrap();
    let victim_dir = site.scratch("victim-dir");
    fs::create_dir(&victim_dir).unwrap();
    let previous = out.with_file_name(".out.previous");
    for rel in ["index.html", "style.css"] {
        fs::remove_file(previous.join(rel)).unwrap();
        std::os::unix::fs::symlink(&victim, previous.join(rel)).unwrap();
    }
    // A folder replaced by a link to a folder elsewhere.
    fs::remove_dir_all(previous.join("demo/sessions")).unwrap();
    std::os::unix::fs::symlink(&victim_dir, previous.join("demo/sessions")).unwrap();
    site.build(&out, &[]).assert_code(0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert_eq!(fs::read_dir(&victim_dir).unwrap().count(), 0);
    for rel in ["index.html", "style.css", "demo/sessions"] {
        let m = fs::symlink_metadata(out.join(rel)).unwrap();
        assert!(!m.file_type().is_symlink(), "{rel} is still a link");
    }
    assert!(read_out(&out, "demo/sessions/01-intro/index.html").contains("<h1>"));
}

#[cfg(unix)]
#[test]
fn a_link_planted_at_the_top_of_the_output_is_never_written_through() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let victim = site.scratch("victim.txt");
    fs::write(&victim, "keep me\n").unwrap();
    fs::remove_file(out.join("index.html")).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("index.html")).unwrap();
    // Not playbook's: refused, then replaced with --force; never written
    // through.
    let first = site.build(&out, &[]);
    first.assert_code(2);
    assert!(first.stderr.contains("`index.html`"), "{}", first.stderr);
    site.build(&out, &["--force"]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(!fs::symlink_metadata(out.join("index.html"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_file_that_becomes_a_folder_and_back_builds_every_time() {
    let site = Site::new();
    let out = site.scratch("out");
    site.write("static/downloads", "a file first\n");
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    site.remove("static/downloads");
    site.write("static/downloads/handout.txt", "now a folder\n");
    for _ in 0..2 {
        site.build(&out, &[]).assert_code(0);
        assert_eq!(read_out(&out, "downloads/handout.txt"), "now a folder\n");
    }
    fs::remove_dir_all(site.root().join("static/downloads")).unwrap();
    site.write("static/downloads", "a file again\n");
    for _ in 0..2 {
        site.build(&out, &[]).assert_code(0);
        assert_eq!(read_out(&out, "downloads"), "a file again\n");
    }
}

/// 8,000 distinct free survey items: each was compared with every item
/// before it for a slip of case (quadratic: 20,000 of them took 14 s to
/// check); the last, `I-0`, is still reported as a slip of `i-0`.
#[test]
fn many_distinct_survey_items_are_compared_in_linear_time() {
    let mut csv = String::from("participant,phase,item,score\n");
    for j in 0..8000 {
        csv.push_str(&format!("p1,pre,i-{j},3\n"));
    }
    csv.push_str("p1,pre,I_0,3\n");
    let cost = check_files(&[("content/demo/results/survey.csv", csv)]);
    println!("{:.2} s of processor time", cost.cpu_seconds);
    assert_eq!(cost.code, 0, "{}", cost.stderr);
    assert!(
        cost.stderr.contains(
            "the survey item `I_0` differs from `i-0` (line 2) only in case or separators"
        ),
        "{}",
        cost.stderr
    );
    assert!(cost.cpu_seconds < 3.0, "{:.1} s", cost.cpu_seconds);
}

/// A scale of 6,000 items with 6,000 `reversed` entries that are none of
/// them: each entry was looked for in the whole list and each error's hint
/// listed every item (6,000 × 6,000; 15,000 of each took 3 s and 3 GB).
/// The hint lists the first twelve.
#[test]
fn a_long_scale_with_many_wrong_reversed_items_costs_linear_work() {
    use crate::common::{METRICS, METRICS_SRC};
    let items: Vec<String> = (0..6000).map(|j| format!("i{j}")).collect();
    let reversed: Vec<String> = (0..6000).map(|j| format!("x{j}")).collect();
    let declared: String = items.iter().map(|i| format!("  - id: {i}\n")).collect();
    let metrics = format!(
        "{METRICS_SRC}survey_items:\n{declared}scales:\n  - id: big\n    name: Big\n    items: [{}]\n    reversed: [{}]\n",
        items.join(", "),
        reversed.join(", ")
    );
    let cost = check_files(&[(METRICS, metrics)]);
    println!(
        "{:.2} s of processor time, {:.0} MiB",
        cost.cpu_seconds, cost.peak_mib
    );
    assert_eq!(cost.code, 1);
    assert!(
        cost.stderr.contains(
            "its items are i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11 and 5988 more"
        ),
        "{}",
        &cost.stderr[..3000.min(cost.stderr.len())]
    );
    assert!(cost.cpu_seconds < 5.0, "{:.1} s", cost.cpu_seconds);
    assert!(cost.peak_mib < 150.0, "{:.0} MiB", cost.peak_mib);
}
