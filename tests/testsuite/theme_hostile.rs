//! Themes and templates from a stranger's repository: a template cannot
//! publish the environment (or anything else from outside the site's
//! files), and `theme:` cannot reach outside the site.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::build::*;
use crate::common::{error, playbook, Output};

const SECRET: &str = "s3cr3t-ci-token-5f1e";

/// `playbook build SITE --output OUT` with a secret in the environment.
fn build_with_secret(site: &Site, out: &Path) -> Run {
    let o = playbook()
        .args(["--color", "never", "build"])
        .arg(site.root())
        .arg("--output")
        .arg(out)
        .env("PLAYBOOK_TEST_CI_SECRET", SECRET)
        .output()
        .expect("run playbook");
    Run {
        code: o.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `playbook check SITE --format json`.
fn check(site: &Site) -> Output {
    let mut cmd: Command = playbook();
    cmd.arg("check").arg(site.root()).args(["--format", "json"]);
    Output::from_json_run(cmd)
}

/// No file under `out` (if it exists) holds `needle`.
fn assert_not_published(out: &Path, needle: &str) {
    if !out.exists() {
        return;
    }
    for (path, bytes) in read_tree(out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(needle),
            "{path} holds `{needle}`"
        );
    }
}

#[test]
fn a_site_template_cannot_publish_the_environment() {
    let site = Site::new();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ get_env(name=\"PLAYBOOK_TEST_CI_SECRET\") }}</p>\n{% endblock content %}\n",
    );
    let out = site.scratch("out");
    let run = build_with_secret(&site, &out);
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "error[template-function]: template templates/404.html:3: function `get_env` reads the environment"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn theme_templates_cannot_read_the_environment_or_the_clock_even_unrendered() {
    let site = Site::new();
    site.write("playbook.yaml", &format!("{PLAYBOOK_YAML}theme: plain\n"));
    // A template no page uses, and a guarded call: both refused.
    site.write(
        "themes/plain/templates/unused.html",
        "{% if false %}\n{{ get_env(name='PLAYBOOK_TEST_CI_SECRET', default='') }}\n{% endif %}\n",
    );
    site.write(
        "themes/plain/templates/sitemap.xml",
        "<?xml version=\"1.0\"?>\n<urlset>{{ now() }}</urlset>\n",
    );
    let out = site.scratch("out");
    let run = build_with_secret(&site, &out);
    run.assert_code(1);
    for expected in [
        "template themes/plain/templates/unused.html:2: function `get_env` reads the environment",
        "template themes/plain/templates/sitemap.xml:2: function `now` reads the clock",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    assert!(!out.exists());
    // Without them, the theme (on top of the default one) builds.
    site.remove("themes/plain/templates");
    let run = build_with_secret(&site, &out);
    run.assert_code(0);
    assert_not_published(&out, SECRET);
}

#[test]
fn an_include_of_a_path_outside_the_theme_reads_nothing() {
    let site = Site::new();
    let secret = site.scratch("secret.html");
    fs::write(&secret, "TOP SECRET include\n").unwrap();
    site.write(
        "templates/404.html",
        &format!("{{% include \"{}\" %}}\n", secret.display()),
    );
    let out = site.scratch("out");
    let run = build_with_secret(&site, &out);
    run.assert_code(1);
    assert!(run.stderr.contains("template-error"), "{}", run.stderr);
    assert!(!run.stderr.contains("TOP SECRET"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn theme_must_be_the_name_of_a_folder_under_themes() {
    let site = Site::new();
    let elsewhere = site.scratch("elsewhere");
    fs::create_dir_all(elsewhere.join("templates")).unwrap();
    fs::write(elsewhere.join("templates/404.html"), "TOP SECRET theme\n").unwrap();
    let up = format!("../{}", elsewhere.file_name().unwrap().to_str().unwrap());
    for theme in [
        elsewhere.display().to_string(),
        up,
        "Fancy".into(),
        "a/b".into(),
    ] {
        site.write(
            "playbook.yaml",
            &format!("{PLAYBOOK_YAML}theme: '{theme}'\n"),
        );
        let report = check(&site);
        report.assert_exit(1);
        report.assert_has(
            &error("invalid-value")
                .at("playbook.yaml", 5, 8)
                .message_contains("`theme` must be the name of a folder under themes/")
                .hint("themes/<name>/"),
        );
        let out = site.scratch("out");
        let run = build_with_secret(&site, &out);
        run.assert_code(1);
        assert!(!out.exists(), "theme: {theme}");
    }
}

/// A theme folder outside the site, with a secret template and file.
fn outside_theme(site: &Site) -> std::path::PathBuf {
    let dir = site.scratch("outside-theme");
    fs::create_dir_all(dir.join("fancy/templates")).unwrap();
    fs::create_dir_all(dir.join("fancy/static")).unwrap();
    fs::write(dir.join("fancy/templates/404.html"), "TOP SECRET theme\n").unwrap();
    fs::write(dir.join("fancy/static/secret.txt"), "TOP SECRET file\n").unwrap();
    dir
}

#[test]
fn a_theme_folder_linked_outside_the_site_is_refused() {
    // themes/fancy linked out, and the whole themes/ folder linked out.
    for linked in ["themes/fancy", "themes"] {
        let site = Site::new();
        let elsewhere = outside_theme(&site);
        site.write("playbook.yaml", &format!("{PLAYBOOK_YAML}theme: fancy\n"));
        let target = match linked {
            "themes" => elsewhere.clone(),
            _ => elsewhere.join("fancy"),
        };
        site.symlink(linked, &target);
        let out = site.scratch("out");
        let run = build_with_secret(&site, &out);
        run.assert_code(1);
        assert!(
            run.stderr.contains(&format!(
                "warning[outside-site]: `{linked}` links to a place outside the site"
            )),
            "{linked}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("error[outside-site]: theme `fancy` (themes/fancy) is outside the site"),
            "{linked}:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("TOP SECRET"), "{}", run.stderr);
        assert!(!out.exists(), "{linked}");
    }
}

#[test]
fn templates_static_and_theme_files_linked_outside_are_skipped() {
    let site = Site::new();
    let elsewhere = outside_theme(&site);
    site.write("playbook.yaml", &format!("{PLAYBOOK_YAML}theme: fancy\n"));
    site.write("themes/fancy/static/ok.txt", "fine\n");
    site.symlink(
        "themes/fancy/static/secret.txt",
        &elsewhere.join("fancy/static/secret.txt"),
    );
    site.symlink(
        "themes/fancy/templates/404.html",
        &elsewhere.join("fancy/templates/404.html"),
    );
    site.symlink("templates", &elsewhere.join("fancy/templates"));
    site.symlink("static", &elsewhere.join("fancy/static"));
    let report = check(&site);
    report.assert_exit(0);
    let out = site.scratch("out");
    let run = build_with_secret(&site, &out);
    run.assert_code(0);
    for linked in [
        "themes/fancy/static/secret.txt",
        "themes/fancy/templates/404.html",
        "templates",
        "static",
    ] {
        assert!(
            run.stderr.contains(&format!(
                "warning[outside-site]: `{linked}` links to a place outside the site"
            )),
            "{linked}:\n{}",
            run.stderr
        );
    }
    assert_eq!(fs::read_to_string(out.join("ok.txt")).unwrap(), "fine\n");
    assert!(!out.join("secret.txt").exists());
    assert_not_published(&out, "TOP SECRET");
}
