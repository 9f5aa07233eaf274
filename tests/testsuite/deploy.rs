//! The deploy recipes of `deploy/` (and docs/commands.md), tried: each recipe's
//! commands run as the host would run them — the GitHub Pages workflow's
//! `run:` steps with the values `actions/configure-pages` gives, Netlify's
//! `build.command` with its `$URL` — on a copy of the example site, and
//! the folder they publish is checked (links under the sub-path, absolute
//! sitemap URLs). The nginx recipe's folder is served by a real nginx in
//! a test that a plain `cargo test` reports as ignored, not passed: CI
//! installs nginx and runs it with `cargo test -- --ignored nginx`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::build::{assert_links_ok, repo_root, sitemap_locs};
use crate::common::{copy_tree, TempTree};

/// A copy of the example site (playbook.yaml, content/, library/ and static/) in a
/// temporary folder.
fn example_copy() -> TempTree {
    let t = TempTree::new(Some("site"));
    copy_tree(&repo_root().join("content"), &t.file("content"));
    copy_tree(&repo_root().join("static"), &t.file("static"));
    copy_tree(&repo_root().join("library"), &t.file("library"));
    std::fs::copy(repo_root().join("playbook.yaml"), t.file("playbook.yaml")).unwrap();
    t
}

/// `PATH` with the folder of the binary under test first, so that a
/// recipe's `playbook` is this one (and its `command -v playbook ||
/// cargo install …` skips the install).
fn path_with_playbook() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_playbook")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Run one shell command of a recipe in `cwd` with `env`; panics with its
/// output when it fails. Returns stderr.
fn sh(script: &str, cwd: &Path, env: &BTreeMap<String, String>) -> String {
    let out = Command::new("sh")
        .args(["-ec", script])
        .current_dir(cwd)
        .env("PATH", path_with_playbook())
        .env("NO_COLOR", "1")
        .envs(env)
        .output()
        .expect("run sh");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "recipe command failed ({}):\n{script}\n--- stdout\n{}\n--- stderr\n{stderr}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn yaml(path: &Path) -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The GitHub Pages workflow for a repository published at `base_url`
/// (what `configure-pages` gives: `https://OWNER.github.io/REPO`, or no
/// path for a user site) and `base_path` (`/REPO`, or empty).
fn github_pages(base_url: &str, base_path: &str) {
    let wf = yaml(&repo_root().join("deploy/github-pages.yml"));
    let steps = wf["jobs"]["build"]["steps"].as_sequence().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/checkout@",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "no {action} in {uses:?}"
        );
    }
    assert!(wf["jobs"]["deploy"]["steps"][0]["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/deploy-pages@"));
    let env: BTreeMap<String, String> = wf["env"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().into(), v.as_str().unwrap().into()))
        .collect();
    let site = example_copy();
    let mut ran = 0;
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        let run = run
            .replace("${{ steps.pages.outputs.base_path }}", base_path)
            .replace("${{ steps.pages.outputs.base_url }}", base_url);
        assert!(!run.contains("${{"), "unknown expression in: {run}");
        let stderr = sh(&run, site.path(), &env);
        if run.contains("--format github") {
            assert!(!stderr.contains("::error"), "{stderr}");
        }
        ran += 1;
    }
    assert_eq!(ran, 3, "install, check and build steps");
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    let out = site.file(upload["with"]["path"].as_str().unwrap());
    let base = format!("{base_path}/");
    let r = assert_links_ok(&out, &base);
    assert!(r.pages > 40, "{} pages", r.pages);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(&format!("href=\"{base}style.css")),
        "pages link under {base}"
    );
    let locs = sitemap_locs(&std::fs::read_to_string(out.join("sitemap.xml")).unwrap());
    assert!(!locs.is_empty());
    for loc in &locs {
        assert!(loc.starts_with(&format!("{base_url}/")), "{loc}");
    }
    assert!(
        out.join("404.html").is_file(),
        "GitHub Pages serves 404.html"
    );
}

#[test]
fn the_github_pages_workflow_builds_under_the_repository_sub_path() {
    github_pages("https://acme.github.io/leaders", "/leaders");
}

#[test]
fn the_github_pages_workflow_builds_a_user_site_at_the_root() {
    github_pages("https://acme.github.io", "");
}

#[test]
fn the_netlify_recipe_builds_with_netlify_s_url() {
    let text = std::fs::read_to_string(repo_root().join("deploy/netlify.toml")).unwrap();
    let conf: toml::Table = text.parse().unwrap();
    let build = conf["build"].as_table().unwrap();
    let mut env: BTreeMap<String, String> = build["environment"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().into()))
        .collect();
    env.insert("URL".into(), "https://acme-leaders.netlify.app".into());
    let site = example_copy();
    sh(build["command"].as_str().unwrap(), site.path(), &env);
    let out = site.file(build["publish"].as_str().unwrap());
    assert_links_ok(&out, "/");
    let locs = sitemap_locs(&std::fs::read_to_string(out.join("sitemap.xml")).unwrap());
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://acme-leaders.netlify.app/")));
    // The header rule for calendars matches where they are written.
    let ics = conf["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|h| h["for"].as_str().filter(|f| f.ends_with(".ics")))
        .unwrap();
    let pattern = ics.trim_start_matches("/*/");
    let programs = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join(pattern).is_file())
        .count();
    assert_eq!(programs, 2, "`{ics}` matches each program's calendar");
}

/// The `# build:` command of the nginx recipe.
fn nginx_build_command(conf: &str) -> String {
    conf.lines()
        .find_map(|l| l.strip_prefix("# build: "))
        .expect("a `# build:` line")
        .to_string()
}

fn find_nginx() -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/usr/local/sbin"])
        .map(|d| Path::new(d).join("nginx"))
        .find(|p| p.is_file());
    found
}

/// One HTTP/1.0 GET: status, headers (lowercase names) and body.
fn get(port: u16, path: &str) -> (u16, BTreeMap<String, String>, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: playbooks.example.org\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    (status, headers, body.to_string())
}

/// The plain-folder recipe's `# build:` line on a copy of the example:
/// the published folder and its sitemap. Returns the copy, the folder's
/// sitemap URLs and the recipe.
fn plain_folder_built() -> (TempTree, Vec<String>, String) {
    let conf = std::fs::read_to_string(repo_root().join("deploy/nginx.conf")).unwrap();
    let site = example_copy();
    sh(&nginx_build_command(&conf), site.path(), &BTreeMap::new());
    let out = site.file("public");
    assert_links_ok(&out, "/");
    let locs = sitemap_locs(&std::fs::read_to_string(out.join("sitemap.xml")).unwrap());
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://playbooks.example.org/")));
    (site, locs, conf)
}

#[test]
fn the_plain_folder_recipe_builds() {
    plain_folder_built();
}

/// Served by a real nginx: ignored by a plain `cargo test`, which then
/// reports it as `ignored` (never as passed); `.ci/run` installs nginx and
/// runs it with `cargo test -- --ignored nginx`, where a missing nginx
/// fails it.
#[test]
#[ignore = "needs nginx: run with `cargo test -- --ignored nginx` (CI does)"]
fn nginx_serves_the_plain_folder_recipe() {
    let (site, locs, conf) = plain_folder_built();
    let out = site.file("public");
    let nginx = find_nginx()
        .expect("no nginx installed: install it (apt-get install nginx-light) to run this test");
    // The recipe's server block, on a free local port, with the folder
    // just built as its root; run as its own master process.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let block = &conf[conf.find("server {").expect("a server block")..];
    let block = block
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "root /srv/playbooks/public;",
            &format!("root {};", out.display()),
        );
    let run = site.scratch("nginx");
    std::fs::create_dir_all(&run).unwrap();
    let mime = ["/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("nginx's mime.types");
    let r = run.display();
    std::fs::write(
        run.join("nginx.conf"),
        format!(
            "daemon off;\nworker_processes 1;\npid {r}/nginx.pid;\nerror_log {r}/error.log;\n\
             events {{}}\nhttp {{\n  include {mime};\n  access_log off;\n\
             client_body_temp_path {r}/body;\n  proxy_temp_path {r}/proxy;\n\
             fastcgi_temp_path {r}/fastcgi;\n  uwsgi_temp_path {r}/uwsgi;\n  scgi_temp_path {r}/scgi;\n\
             {block}\n}}\n"
        ),
    )
    .unwrap();
    // Workers may run as another user (nobody, under root): let them read.
    Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(site.scratch(""))
        .status()
        .unwrap();
    let mut server = Command::new(&nginx)
        .arg("-e")
        .arg(run.join("error.log"))
        .arg("-p")
        .arg(&run)
        .arg("-c")
        .arg(run.join("nginx.conf"))
        // Not the test's pipes: a worker outliving the test would hold them.
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start nginx");
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed().as_secs() < 10,
            "nginx did not start: {}",
            std::fs::read_to_string(run.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let checks = std::panic::catch_unwind(|| {
        let (status, h, body) = get(port, "/");
        assert_eq!(status, 200);
        assert!(h["content-type"].starts_with("text/html"), "{h:?}");
        assert!(body.contains("Leadership Playbooks"));
        // Every page of the sitemap, at its published path.
        for loc in &locs {
            let path = loc.trim_start_matches("https://playbooks.example.org");
            let (status, _, _) = get(port, path);
            assert_eq!(status, 200, "{path}");
        }
        // A folder without its slash redirects to it.
        let program = "/leadership-accelerator/";
        let (status, h, _) = get(port, program.trim_end_matches('/'));
        assert_eq!(status, 301, "{program} without its slash");
        assert!(h["location"].ends_with(program), "{h:?}");
        let (status, h, _) = get(port, "/style.css");
        assert_eq!((status, h["content-type"].as_str()), (200, "text/css"));
        let (status, h, _) = get(port, "/leadership-accelerator/calendar.ics");
        assert_eq!(status, 200);
        assert!(h["content-type"].starts_with("text/calendar"), "{h:?}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let (status, _, body) = get(port, "/no-such-page/");
        assert_eq!(status, 404);
        assert_eq!(
            body,
            std::fs::read_to_string(out.join("404.html")).unwrap(),
            "the site's own 404 page"
        );
    });
    // SIGTERM: the master stops its workers before it exits (SIGKILL
    // would leave them running).
    // A child we spawned and have not reaped.
    let _ = rustix::process::kill_process(
        rustix::process::Pid::from_child(&server),
        rustix::process::Signal::TERM,
    );
    let _ = server.wait();
    if let Err(e) = checks {
        std::panic::resume_unwind(e);
    }
}
