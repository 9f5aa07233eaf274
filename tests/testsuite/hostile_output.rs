//! The output folder, its kept previous output (`.NAME.previous`) and the
//! manifest in each are untrusted input: a repository can carry them, with
//! lines that name files outside, links on the way, or files someone edited.
//! Nothing outside the output folder, its staging folder and its kept
//! previous output is ever deleted or written, and a refused build deletes
//! nothing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::*;

const MANIFEST: &str = ".playbook-output";

/// A file outside the site that must survive every build.
fn victim(site: &Site) -> PathBuf {
    let v = site.scratch("victim.txt");
    fs::write(&v, "keep me\n").unwrap();
    v
}

/// A folder outside the site with a file that must survive every build.
fn victim_dir(site: &Site) -> PathBuf {
    let d = site.scratch("victim-dir");
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join("file"), "keep me too\n").unwrap();
    d
}

/// Append `line` to the manifest of `dir`; the number of the line added.
fn plant(dir: &Path, line: &str) -> usize {
    let path = dir.join(MANIFEST);
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(line);
    text.push('\n');
    fs::write(&path, &text).unwrap();
    text.lines().count()
}

/// A hashed manifest line for `path` (the hash is anything).
fn hashed(path: &str) -> String {
    format!("{:032x} {path}", 0x1234u128)
}

/// Every file and link under `dir` (links as `-> target`), for comparing
/// a whole tree before and after a refused build.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
        let what = if e.path_is_symlink() {
            format!("-> {}", fs::read_link(e.path()).unwrap().display())
        } else if e.file_type().is_file() {
            String::from_utf8_lossy(&fs::read(e.path()).unwrap()).into_owned()
        } else {
            "dir".to_string()
        };
        out.push((rel, what));
    }
    out
}

#[test]
fn a_planted_previous_manifest_naming_paths_outside_is_refused_and_nothing_is_deleted() {
    let lines = |site: &Site| {
        let victim = site.scratch("victim.txt").display().to_string();
        vec![
            hashed("../victim.txt"),
            hashed(&victim),
            hashed("demo/../../victim.txt"),
            hashed("./index.html"),
            hashed("demo//index.html"),
            hashed("demo/"),
            hashed("..\\victim.txt"),
            hashed("nul\0byte"),
            hashed(""),
            String::new(),
            "not-a-hash ../victim.txt".to_string(),
        ]
    };
    for i in 0..lines(&Site::new()).len() {
        let site = Site::new();
        let out = site.scratch("out");
        let victim = victim(&site);
        site.build(&out, &[]).assert_code(0);
        site.build(&out, &[]).assert_code(0);
        let previous = site.scratch(".out.previous");
        let line = &lines(&site)[i];
        let n = plant(&previous, line);
        // A killed build's leftover: not removed by a refused build either.
        fs::create_dir(site.scratch(".out.new-abc")).unwrap();
        let tmp = site.scratch("");
        let before = snapshot(&tmp);
        let run = site.build(&out, &[]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("error[output-refused]")
                && run
                    .stderr
                    .contains(&format!(".out.previous/{MANIFEST} line {n}")),
            "{line:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("delete"), "{}", run.stderr);
        assert_eq!(before, snapshot(&tmp), "{line:?}: something changed");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
    }
}

#[test]
fn a_committed_output_whose_manifest_names_a_file_outside_is_refused() {
    let site = Site::new();
    let root = site.root();
    site.edit(
        "playbook.yaml",
        "base_url: /",
        "output_dir: docs\nbase_url: /",
    );
    let victim = victim(&site);
    run(&["build"], &root).assert_code(0);
    // As a repository would carry it: docs/ committed with a manifest that
    // names a file two folders up from the kept previous output.
    let n = plant(&root.join("docs"), &hashed("../../victim.txt"));
    let before = snapshot(&root);
    for _ in 0..2 {
        let r = run(&["build"], &root);
        r.assert_code(2);
        assert!(
            r.stderr.contains(&format!("docs/{MANIFEST} line {n}"))
                && r.stderr.contains("`../../victim.txt`"),
            "{}",
            r.stderr
        );
        assert_eq!(before, snapshot(&root));
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
    // --force replaces the folder as a whole, without reading its manifest.
    run(&["build", "--force"], &root).assert_code(0);
    run(&["build"], &root).assert_code(0);
    run(&["build"], &root).assert_code(0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
}

#[test]
fn a_link_on_the_way_to_a_file_the_output_manifest_names_is_refused() {
    let site = Site::new();
    let out = site.scratch("out");
    let dir = victim_dir(&site);
    site.build(&out, &[]).assert_code(0);
    std::os::unix::fs::symlink(&dir, out.join("sub")).unwrap();
    let n = plant(&out, &hashed("sub/file"));
    let before = snapshot(&site.scratch(""));
    let r = site.build(&out, &[]);
    r.assert_code(2);
    assert!(
        r.stderr.contains(&format!("{MANIFEST} line {n}"))
            && r.stderr.contains("`sub/file`")
            && r.stderr.contains("symbolic link `sub`"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(&site.scratch("")));
}

#[test]
fn a_link_on_the_way_in_the_kept_previous_output_is_never_followed() {
    for link in ["sub", "demo/sub"] {
        let site = Site::new();
        let out = site.scratch("out");
        let dir = victim_dir(&site);
        site.build(&out, &[]).assert_code(0);
        site.build(&out, &[]).assert_code(0);
        let previous = site.scratch(".out.previous");
        std::os::unix::fs::symlink(&dir, previous.join(link)).unwrap();
        // A stale file (the next build does not write it) behind the link.
        plant(&previous, &hashed(&format!("{link}/file")));
        site.build(&out, &[]).assert_code(0);
        assert_eq!(
            fs::read_to_string(dir.join("file")).unwrap(),
            "keep me too\n",
            "{link}"
        );
        assert!(fs::symlink_metadata(out.join(link)).is_err(), "{link}");
        site.build(&out, &[]).assert_code(0);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }
}

#[test]
fn leftover_and_previous_folders_that_are_links_are_removed_not_followed() {
    let site = Site::new();
    let out = site.scratch("out");
    let dir = victim_dir(&site);
    site.build(&out, &[]).assert_code(0);
    for name in [".out.new-abc", ".out.old-def", ".out.previous"] {
        std::os::unix::fs::symlink(&dir, site.scratch(name)).unwrap();
    }
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    assert_eq!(
        snapshot(&dir),
        [("file".to_string(), "keep me too\n".to_string())]
    );
    assert_eq!(
        entries(site.scratch("").as_path()),
        [".out.previous", "out", "site", "victim-dir"]
            .map(String::from)
            .into()
    );
}

#[test]
fn a_file_name_that_would_forge_a_manifest_line_is_not_published() {
    let site = Site::new();
    let out = site.scratch("out");
    let victim = victim(&site);
    // static/"x\n<hash> ..\"/victim.txt would be listed as the two lines
    // `<hash> x` and `<hash> ../victim.txt`.
    let forged = format!("x\n{}", hashed(".."));
    site.write(&format!("static/{forged}/victim.txt"), "forged\n");
    let r = site.build(&out, &[]);
    r.assert_code(2);
    assert!(
        r.stderr.contains("error[io-error]") && r.stderr.contains("line break"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    for _ in 0..2 {
        site.build(&out, &[]).assert_code(2);
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me\n");
}

#[test]
fn a_manifest_that_is_a_fifo_or_a_link_to_an_endless_file_is_not_read() {
    use crate::common::{playbook, run_measured};
    for (place, kind) in [
        ("out", "fifo"),
        ("out", "link"),
        (".out.previous", "fifo"),
        (".out.previous", "link"),
    ] {
        let site = Site::new();
        let out = site.scratch("out");
        site.build(&out, &[]).assert_code(0);
        site.build(&out, &[]).assert_code(0);
        let manifest = site.scratch(place).join(MANIFEST);
        fs::remove_file(&manifest).unwrap();
        if kind == "fifo" {
            let made = std::process::Command::new("mkfifo")
                .arg(&manifest)
                .status()
                .unwrap();
            assert!(made.success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &manifest).unwrap();
        }
        let mut cmd = playbook();
        cmd.arg("build").arg(site.root()).arg("--output").arg(&out);
        let cost = run_measured(cmd, std::time::Duration::from_secs(20), 512 << 20);
        // The output without a manifest is not playbook's; the kept
        // previous output without one is discarded.
        let code = if place == "out" { 2 } else { 0 };
        assert_eq!(cost.code, code, "{place} {kind}: {}", cost.stderr);
        if place == "out" {
            assert!(
                cost.stderr.contains(&format!("`{MANIFEST}`")),
                "{}",
                cost.stderr
            );
        }
    }
}

#[test]
fn what_was_planted_in_the_kept_previous_output_is_not_published() {
    let site = Site::new();
    let out = site.scratch("out");
    let dir = victim_dir(&site);
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    let previous = site.scratch(".out.previous");
    std::os::unix::fs::symlink(&dir, previous.join("demo/evil")).unwrap();
    fs::write(previous.join("demo/notes.html"), "planted\n").unwrap();
    fs::create_dir(previous.join("extra")).unwrap();
    fs::write(previous.join("extra/index.html"), "planted\n").unwrap();
    site.build(&out, &[]).assert_code(0);
    for planted in ["demo/evil", "demo/notes.html", "extra"] {
        assert!(
            fs::symlink_metadata(out.join(planted)).is_err(),
            "{planted}"
        );
    }
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn a_file_someone_edited_in_the_output_is_refused_until_forced() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    site.build(&out, &[]).assert_code(0);
    for rel in ["index.html", "demo/sessions/01-intro/index.html"] {
        let path = out.join(rel);
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("<!-- my notes -->\n");
        fs::write(&path, &text).unwrap();
    }
    let before = snapshot(&site.scratch(""));
    let r = site.build(&out, &[]);
    r.assert_code(2);
    assert!(
        r.stderr.contains("error[output-refused]")
            && r.stderr.contains("edited since playbook wrote them")
            && r.stderr
                .contains("`demo/sessions/01-intro/index.html`, `index.html`")
            && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(before, snapshot(&site.scratch("")));
    site.build(&out, &["--force"]).assert_code(0);
    assert!(!fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("my notes"));
    // The same bytes written again are no edit.
    let index = out.join("index.html");
    let same = fs::read(&index).unwrap();
    fs::write(&index, &same).unwrap();
    site.build(&out, &[]).assert_code(0);
}

#[test]
fn an_output_dir_outside_the_site_is_refused_unless_given_on_the_command_line() {
    let site = Site::new();
    let root = site.root();
    let linked = site.scratch("linked");
    fs::create_dir(&linked).unwrap();
    site.symlink("link", &linked);
    let absolute = site.scratch("absolute");
    for dir in [
        "../elsewhere".to_string(),
        "public/../../elsewhere".to_string(),
        absolute.display().to_string(),
        "link/public".to_string(),
    ] {
        site.write(
            "playbook.yaml",
            &format!("{PLAYBOOK_YAML}output_dir: {dir}\n"),
        );
        let r = run(&["build"], &root);
        r.assert_code(2);
        assert!(
            r.stderr.contains("error[output-refused]")
                && r.stderr.contains("outside the site")
                && r.stderr.contains("pass --output DIR to build there"),
            "{dir}: {}",
            r.stderr
        );
        assert!(!site.scratch("elsewhere").exists(), "{dir}");
        assert!(!absolute.exists(), "{dir}");
        assert_eq!(fs::read_dir(&linked).unwrap().count(), 0, "{dir}");
    }
    // Inside the site, however it is spelled, it builds.
    site.write(
        "playbook.yaml",
        &format!("{PLAYBOOK_YAML}output_dir: public/../docs\n"),
    );
    run(&["build"], &root).assert_code(0);
    assert!(root.join("docs/index.html").is_file());
    // On the command line, anywhere.
    run(&["build", "--output", "../elsewhere"], &root).assert_code(0);
    assert!(site.scratch("elsewhere/index.html").is_file());
}
