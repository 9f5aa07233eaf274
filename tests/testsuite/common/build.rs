//! Support for the build tests (`build.rs`): a small, complete playbook site written into
//! a temporary folder, a way to run `playbook build` on it, and helpers that
//! read the produced files (file trees, attribute scans, a link checker).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::{playbook, TempTree};

pub const PLAYBOOK_YAML: &str = "\
title: Demo Playbooks
base_url: /
site_url: https://demo.example.org/
description: A tiny site for build tests
";

pub const PROGRAM_YAML: &str = "\
title: Demo Program
organization: Demo Co.
summary: Builds [delegation](competency:delegation) and [feedback](competency:feedback) habits.
audience: New managers
cohort_size: 6
start: 2026-01-05
facilitators: [Ana Ruiz]
";

pub const COMPETENCIES_YAML: &str = "\
values:
  - id: ownership
    name: Ownership
    description: We finish what we start.
  - id: candor
    name: Candor
    description: We say what we see, kindly.
competencies:
  - id: delegation
    name: Delegating effectively
    values: [ownership]
    description: Hands over outcomes, not tasks.
    behaviors:
      - Agrees the outcome and check-in points when handing over work
      - Lets the owner choose the method
  - id: feedback
    name: Giving feedback
    values: [candor, ownership]
    description: Gives specific feedback on the same day.
    behaviors:
      - Names the behaviour and its effect
";

pub const ACTION_MAP_YAML: &str = "\
goal:
  statement: Managers hand over work without daily executive involvement
  measure: Escalations per project halve within six months
actions:
  - id: delegate-outcomes
    action: Hand over each workstream with an agreed outcome and deadline
    competencies: [delegation]
    barriers:
      - kind: skill
        text: No shared method for handing over work
      - kind: environment
        text: Executives assign work directly to team members
        remedy: Executives route new work through the manager
    practices:
      - id: venue-handover
        scenario: Hand the venue workstream to a new coordinator two weeks before the event.
    information:
      - The handover checklist
  - id: same-day-feedback
    action: Give specific feedback on the same day
    competencies: [feedback]
    barriers:
      - kind: skill
        text: No structure for short feedback
    practices:
      - id: late-closedown
        scenario: A bartender closed the bar 20 minutes early at a client party.
    information:
      - Situation, behaviour, impact
";

pub const EVALUATION_YAML: &str = "\
question: Do managers hand over work and give feedback?
signals:
  - id: teams-take-ownership
    signal: Team members take ownership of workstreams
    level: behavior
    competencies: [delegation]
    actions: [delegate-outcomes]
  - id: feedback-given
    signal: Team members receive feedback on the same day
    level: behavior
    competencies: [feedback]
    actions: [same-day-feedback]
enablers:
  - id: clear-expectations
    enabler: Leaders set clear expectations
    owner: Executive team
";

pub const METRICS_YAML: &str = "\
metrics:
  - id: attendance
    name: Session attendance
    category: participation
    instrument: attendance-log
    target: 0.8
    tier: 1
    signals: [teams-take-ownership]
  - id: ownership-rate
    name: Share of workstreams handed over with an agreed outcome
    category: application
    instrument: observation
    target: 0.75
    tier: 7
    signals: [teams-take-ownership, feedback-given]
instruments:
  - id: attendance-log
    name: Attendance log
    kind: log
    when: [each-session]
  - id: observation
    name: Manager observation
    kind: observation
    when: [follow-up]
";

pub const INTRO_MD: &str = "\
---
title: Handing over work
kind: workshop
week: 1
duration: 90
module: Foundations
competencies: [delegation]
actions: [delegate-outcomes]
practices: [venue-handover]
metrics: [attendance]
---
## Agenda

Start with the [delegation](competency:delegation) competency and the
[ownership](value:ownership) value. Jump to the [debrief](#debrief-questions).

![Wall map of the handover steps](fig/x.svg)

## Debrief questions

1. What outcome did you agree?
";

pub const FEEDBACK_MD: &str = "\
---
title: Same-day feedback
kind: workshop
week: 2
duration: 120
module: Foundations
competencies: [feedback, delegation]
actions: [same-day-feedback]
practices: [late-closedown]
metrics: [attendance, ownership-rate]
requires: [01-intro]
---
## Purpose

Build on [the intro debrief](01-intro.md#debrief-questions) and practise the
[early close-down](practice:late-closedown) scenario for the
[same-day feedback](action:same-day-feedback) action.

## Notes

Evidence goes to [the ownership rate](metric:ownership-rate), collected by
[observation](instrument:observation).
";

pub const REVIEW_MD: &str = "\
---
title: Review with your coach
kind: one-on-one
week: 4
duration: 30
competencies: [feedback]
metrics: [ownership-rate]
requires: [02-feedback]
---
## Review

Look back at [the first session](session:01-intro) and check the
[ownership signal](signal:teams-take-ownership), the
[expectations enabler](enabler:clear-expectations) and the
[attendance](metric:attendance) metric. See also [the log](instrument:attendance-log)
and [the handover practice](practice:venue-handover) for
[handing over](action:delegate-outcomes). More at <https://example.com/guide>.
";

pub const X_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n";

/// The files of one program, relative to its folder.
pub fn program_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("program.yaml", PROGRAM_YAML),
        ("alignment/competencies.yaml", COMPETENCIES_YAML),
        ("alignment/action-map.yaml", ACTION_MAP_YAML),
        ("alignment/evaluation.yaml", EVALUATION_YAML),
        ("alignment/metrics.yaml", METRICS_YAML),
        ("sessions/01-intro.md", INTRO_MD),
        ("sessions/02-feedback.md", FEEDBACK_MD),
        ("sessions/03-review.md", REVIEW_MD),
        ("sessions/fig/x.svg", X_SVG),
    ]
}

/// A site in a temporary folder: `<tmp>/site` is the site root; the rest of
/// `<tmp>` is free for output folders ([`TempTree::scratch`]). File
/// operations are those of its [`TempTree`].
pub struct Site(TempTree);

impl std::ops::Deref for Site {
    type Target = TempTree;
    fn deref(&self) -> &TempTree {
        &self.0
    }
}

impl Default for Site {
    fn default() -> Self {
        Self::new()
    }
}

impl Site {
    /// The fixture site with the single program `demo`.
    pub fn new() -> Self {
        let s = Site(TempTree::new(Some("site")));
        s.write("playbook.yaml", PLAYBOOK_YAML);
        s.add_program("demo", "");
        super::keep_site("build-fixture", s.path());
        s
    }

    /// Copy the fixture program into `content/<id>/`, with `extra` appended
    /// to its program.yaml.
    pub fn add_program(&self, id: &str, extra: &str) {
        for (rel, text) in program_files() {
            let text = if rel == "program.yaml" {
                format!("{text}{extra}")
            } else {
                text.to_string()
            };
            self.write(&format!("content/{id}/{rel}"), &text);
        }
    }

    /// The site root.
    pub fn root(&self) -> PathBuf {
        self.path().to_path_buf()
    }

    /// `playbook build <site> --output <out> <extra...>`.
    pub fn build(&self, out: &Path, extra: &[&str]) -> Run {
        let mut args: Vec<String> = vec![
            "build".into(),
            self.root().display().to_string(),
            "--output".into(),
            out.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        run(&args, &self.root())
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Run the binary with `args` in `cwd`.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S], cwd: &Path) -> Run {
    let out = playbook()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run playbook");
    let run = Run {
        code: out
            .status
            .code()
            .expect("exit code (not killed by a signal)"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    snapshot(args, &run);
    run
}

/// With `PLAYBOOK_TEST_SNAPSHOTS=DIR`, every successful `build` of a test
/// copies its output into `DIR/<test name>-<n>`, so that the output of
/// every fixture site can be compared (`diff -r`) across a change that
/// must not alter it.
fn snapshot<S: AsRef<std::ffi::OsStr>>(args: &[S], run: &Run) {
    let Some(dir) = std::env::var_os("PLAYBOOK_TEST_SNAPSHOTS") else {
        return;
    };
    let args: Vec<&std::ffi::OsStr> = args.iter().map(AsRef::as_ref).collect();
    if run.code != 0 || args.first().is_none_or(|a| *a != "build") {
        return;
    }
    let Some(out) = args
        .iter()
        .position(|a| *a == "--output")
        .and_then(|i| args.get(i + 1))
    else {
        return;
    };
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test").replace("::", "-");
    // Numbered per test in the order of its builds.
    let mut i = 0;
    let dest = loop {
        let d = Path::new(&dir).join(format!("{test}-{i}"));
        if !d.exists() {
            break d;
        }
        i += 1;
    };
    for (rel, bytes) in read_tree(Path::new(out)) {
        let to = dest.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(to, bytes).unwrap();
    }
}

/// The repository root (holding the example site).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the repository's example site into `out`.
pub fn build_example(out: &Path, extra: &[&str]) -> Run {
    let root = repo_root();
    let mut args: Vec<String> = vec![
        "build".into(),
        root.display().to_string(),
        "--output".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args, &root)
}

/// Every file under `dir`: path relative to it (with `/`) → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            out.insert(rel(dir, e.path()), fs::read(e.path()).expect("read"));
        }
    }
    out
}

/// Every file under `dir`, relative, with `/`.
pub fn file_set(dir: &Path) -> BTreeSet<String> {
    read_tree(dir).into_keys().collect()
}

fn rel(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir)
        .expect("under dir")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Names of the entries of a folder.
pub fn entries(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// Assert that two trees hold the same files with the same bytes, naming
/// the first difference.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let ka: BTreeSet<&String> = a.keys().collect();
    let kb: BTreeSet<&String> = b.keys().collect();
    assert_eq!(ka, kb, "the two trees hold different files");
    for (k, v) in a {
        if v != &b[k] {
            let (sa, sb) = (String::from_utf8_lossy(v), String::from_utf8_lossy(&b[k]));
            let line = sa
                .lines()
                .zip(sb.lines())
                .position(|(x, y)| x != y)
                .map_or(0, |i| i + 1);
            panic!("{k} differs (first at line {line})\n--- a\n{sa}\n--- b\n{sb}");
        }
    }
}

/// Decode the character references that may appear in an attribute value.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    if let Some(h) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
                    } else if let Some(d) = name.strip_prefix('#') {
                        d.parse().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Values of attribute `name` (written ` name="…"` or ` name='…'`, also
/// `xlink:name=`), entity-decoded, in document order.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let pat = format!("{name}=");
    let mut from = 0;
    while let Some(i) = html[from..].find(&pat) {
        let at = from + i;
        from = at + pat.len();
        let before = html[..at].chars().next_back();
        if !matches!(before, Some(c) if c.is_whitespace() || c == ':') {
            continue;
        }
        let rest = &html[from..];
        let q = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => continue,
        };
        if let Some(end) = rest[1..].find(q) {
            out.push(decode_entities(&rest[1..1 + end]));
        }
    }
    out
}

/// Every `href` and `src` of a page, and the files its search form fetches
/// (`data-lib`, and each URL of `data-docs`).
pub fn links_of(html: &str) -> Vec<String> {
    let mut v = attr_values(html, "href");
    v.extend(attr_values(html, "src"));
    v.extend(attr_values(html, "data-lib"));
    for docs in attr_values(html, "data-docs") {
        v.extend(docs.split_whitespace().map(str::to_string));
    }
    v
}

/// Every `id` of a page.
pub fn ids_of(html: &str) -> BTreeSet<String> {
    attr_values(html, "id").into_iter().collect()
}

/// The text between the first `start` and the next `end` after it.
#[track_caller]
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found in\n{html}"));
    let rest = &html[i + start.len()..];
    let j = rest
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}` in\n{html}"));
    &rest[..j]
}

/// `(href, link text)` of every `<a href>` in a fragment, link text with tags
/// removed and entities decoded.
pub fn anchors(fragment: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = fragment;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let close = rest.find("</a>").expect("unclosed <a>");
        let a = &rest[..close];
        let gt = a.find('>').expect("tag end");
        let href = attr_values(&a[..gt], "href")
            .into_iter()
            .next()
            .unwrap_or_default();
        let mut text = String::new();
        let mut in_tag = false;
        for c in a[gt + 1..].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push((href, decode_entities(&text)));
        rest = &rest[close + 4..];
    }
    out
}

/// The `<loc>` values of a sitemap, decoded.
pub fn sitemap_locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| decode_entities(&s[..s.find("</loc>").expect("</loc>")]))
        .collect()
}

/// What a link check found.
#[derive(Debug, Default)]
pub struct LinkReport {
    pub pages: usize,
    /// Internal links checked (`href`/`src` under the base, or `#x`).
    pub internal: usize,
    /// Of these, links with a `#fragment`.
    pub fragments: usize,
    /// Every internal link target, as written after decoding.
    pub targets: BTreeSet<String>,
    pub errors: Vec<String>,
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .expect("percent-encoded UTF-8")
        .into_owned()
}

/// Whether a fragment names an id, as browsers match it: as written, or
/// percent-decoded.
fn has_id(ids: &BTreeSet<String>, frag: &str) -> bool {
    ids.contains(frag) || ids.contains(&percent_decode(frag))
}

fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Check every `href` and `src` of every `.html` file under `out`: an
/// internal link (one that starts with `base`, or any link that is neither
/// external nor `#x`) must start with `base` and name an existing file (a
/// folder URL its `index.html`), and its `#fragment` (same-page `#x` too)
/// must be an `id` of the target page.
pub fn check_links(out: &Path, base: &str) -> LinkReport {
    let tree = read_tree(out);
    let mut ids_cache: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut ids = |path: &str| -> Option<BTreeSet<String>> {
        if let Some(s) = ids_cache.get(path) {
            return Some(s.clone());
        }
        let bytes = tree.get(path)?;
        let s = ids_of(&String::from_utf8_lossy(bytes));
        ids_cache.insert(path.to_string(), s.clone());
        Some(s)
    };
    let mut r = LinkReport::default();
    for (path, bytes) in &tree {
        if !path.ends_with(".html") {
            continue;
        }
        r.pages += 1;
        let html = String::from_utf8_lossy(bytes);
        for link in links_of(&html) {
            if link.is_empty() {
                r.errors.push(format!("{path}: empty link"));
                continue;
            }
            if let Some(frag) = link.strip_prefix('#') {
                r.internal += 1;
                r.fragments += 1;
                r.targets.insert(link.clone());
                if !ids(path).is_some_and(|s| has_id(&s, frag)) {
                    r.errors
                        .push(format!("{path}: `{link}`: no id=\"{frag}\" on this page"));
                }
                continue;
            }
            let Some(rest) = link.strip_prefix(base) else {
                if !is_external(&link) {
                    r.errors.push(format!(
                        "{path}: `{link}` does not start with the base `{base}`"
                    ));
                }
                continue;
            };
            r.internal += 1;
            r.targets.insert(link.clone());
            let (rest, frag) = match rest.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (rest, None),
            };
            let rest = rest.split_once('?').map_or(rest, |x| x.0);
            let rest = percent_decode(rest);
            let target = if rest.is_empty() || rest.ends_with('/') {
                format!("{rest}index.html")
            } else {
                rest.clone()
            };
            if !tree.contains_key(&target) {
                let why = if out.join(&rest).is_dir() {
                    "is a folder linked without a trailing slash"
                } else {
                    "does not exist"
                };
                r.errors.push(format!("{path}: `{link}`: {target} {why}"));
                continue;
            }
            if let Some(frag) = frag {
                r.fragments += 1;
                if !ids(&target).is_some_and(|s| has_id(&s, frag)) {
                    r.errors
                        .push(format!("{path}: `{link}`: no id=\"{frag}\" in {target}"));
                }
            }
        }
    }
    r
}

/// Run [`check_links`] and fail with every broken link.
#[track_caller]
pub fn assert_links_ok(out: &Path, base: &str) -> LinkReport {
    let r = check_links(out, base);
    assert!(
        r.errors.is_empty(),
        "{} broken links (of {} internal links in {} pages):\n{}",
        r.errors.len(),
        r.internal,
        r.pages,
        r.errors.join("\n")
    );
    r
}

/// Every place in `html` where a block element (a paragraph, list, quote,
/// `div`, …) opens inside a paragraph, a heading or a `span`, which only
/// phrasing content may fill, or a link or other interactive element
/// inside a link (the Nu Html Checker's "no p element in scope" and
/// "element not allowed as child"): `(element, inside)`.
pub fn blocks_in_phrasing(html: &str) -> Vec<(String, String)> {
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "ul",
        "ol",
        "li",
        "blockquote",
        "details",
        "section",
        "table",
        "pre",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "hr",
        "dl",
    ];
    const PHRASING_ONLY: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "span"];
    let mut open: Vec<String> = Vec::new();
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest[usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if closing {
            if let Some(at) = open.iter().rposition(|n| *n == name) {
                open.truncate(at);
            }
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            if let Some(inside) = open
                .iter()
                .rev()
                .find(|n| PHRASING_ONLY.contains(&n.as_str()))
            {
                found.push((name.clone(), inside.clone()));
            }
        }
        // Nor may a link or a disclosure open inside a link.
        if matches!(name.as_str(), "a" | "details" | "button" | "input")
            && open.iter().any(|n| n == "a")
        {
            found.push((name.clone(), "a".into()));
        }
        if PHRASING_ONLY.contains(&name.as_str()) || name == "a" {
            open.push(name);
        }
    }
    found
}

/// [`blocks_in_phrasing`] of every page under `out` is empty.
#[track_caller]
pub fn assert_no_block_in_phrasing(out: &Path) {
    let mut bad = Vec::new();
    for (path, bytes) in read_tree(out) {
        if path.ends_with(".html") {
            for (el, inside) in blocks_in_phrasing(&String::from_utf8_lossy(&bytes)) {
                bad.push(format!("{path}: <{el}> inside <{inside}>"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
