//! Shared test support.
//!
//! - [`TempTree`]: files in a temporary folder, written, edited and removed
//!   by tests; every fixture below is one.
//! - [`Fixture`]: a small, complete playbook site that checks clean with
//!   `--strict`, a way to run `playbook check` on it, and assertions on the
//!   diagnostics it reports (check, serve and example tests). Every fixture
//!   file is a constant below so that tests can compute exact lines and
//!   columns from the text they change.
//! - [`build`]: the fixture of the build tests, `playbook build` on it, and
//!   readers of the files a build produces (file trees, attribute scans, a
//!   link checker).

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use tempfile::TempDir;

pub mod build;

/// The program folder of the fixture, relative to the site root.
pub const PROGRAM: &str = "content/demo";
pub const PROGRAM_YAML: &str = "content/demo/program.yaml";
pub const COMPETENCIES: &str = "content/demo/alignment/competencies.yaml";
pub const ACTION_MAP: &str = "content/demo/alignment/action-map.yaml";
pub const EVALUATION: &str = "content/demo/alignment/evaluation.yaml";
pub const METRICS: &str = "content/demo/alignment/metrics.yaml";
pub const INTRO: &str = "content/demo/sessions/01-intro.md";
pub const PRACTICE: &str = "content/demo/sessions/02-practice.md";
pub const REVIEW: &str = "content/demo/sessions/03-review.md";
pub const MAP_SVG: &str = "content/demo/sessions/fig/map.svg";

pub const PLAYBOOK_YAML_SRC: &str = "\
title: Demo Playbooks
base_url: /
description: A tiny site for tests
";

pub const PROGRAM_YAML_SRC: &str = "\
title: Demo Program
organization: Demo Co.
summary: Builds [delegation](competency:delegation) habits.
audience: New managers
cohort_size: 6
start: 2026-01-05
facilitators: [Ana Ruiz]
";

// Line numbers (1-based) are noted on the right for tests that point at them.
pub const COMPETENCIES_SRC: &str = "\
values:
  - id: ownership
    name: Ownership
    description: We finish what we start.
  - id: candour
    name: Candour
    description: We say what we see.
competencies:
  - id: delegation
    name: Delegating effectively
    values: [ownership]
    description: Hands over outcomes, not tasks.
    behaviors:
      - Agrees the outcome and deadline when handing over work
  - id: feedback
    name: Giving feedback
    values: [candour, ownership]
    behaviors:
      - Gives specific feedback on the same day
";
//  1 values:
//  2   - id: ownership
//  3     name: Ownership
//  4     description: ...
//  5   - id: candour
//  6     name: Candour
//  7     description: ...
//  8 competencies:
//  9   - id: delegation
// 10     name: Delegating effectively
// 11     values: [ownership]
// 12     description: ...
// 13     behaviors:
// 14       - Agrees ...
// 15   - id: feedback
// 16     name: Giving feedback
// 17     values: [candour, ownership]
// 18     behaviors:
// 19       - Gives ...

pub const ACTION_MAP_SRC: &str = "\
goal:
  statement: Managers run projects without daily executive involvement
  measure: Escalations halve within six months
actions:
  - id: hand-over-outcomes
    action: Hands over each project with an agreed outcome and deadline
    competencies: [delegation]
    barriers:
      - kind: skill
        text: No shared checklist for handing over work
      - kind: environment
        text: Executives assign work directly to team members
        remedy: Executives route requests through the manager
    practices:
      - id: handover-drill
        scenario: Hand over a client event to a new coordinator.
    information:
      - The handover checklist
  - id: same-day-feedback
    action: Gives feedback on the same shift
    competencies: [feedback]
    practices:
      - id: feedback-round
        scenario: A server closed the bar early.
";
//  1 goal:
//  2   statement: ...
//  3   measure: ...
//  4 actions:
//  5   - id: hand-over-outcomes
//  6     action: ...
//  7     competencies: [delegation]
//  8     barriers:
//  9       - kind: skill
// 10         text: ...
// 11       - kind: environment
// 12         text: ...
// 13         remedy: ...
// 14     practices:
// 15       - id: handover-drill
// 16         scenario: ...
// 17     information:
// 18       - ...
// 19   - id: same-day-feedback
// 20     action: Gives feedback on the same shift
// 21     competencies: [feedback]
// 22     practices:
// 23       - id: feedback-round
// 24         scenario: ...

pub const EVALUATION_SRC: &str = "\
question: Is the program worth it?
signals:
  - id: owners-deliver
    signal: Team members deliver handed-over projects on time
    level: behavior
    competencies: [delegation]
    actions: [hand-over-outcomes]
  - id: feedback-given
    signal: Team members receive feedback every week
    level: behavior
    competencies: [feedback]
    actions: [same-day-feedback]
enablers:
  - id: clear-expectations
    enabler: Leaders set clear expectations
    owner: Executive team
";
//  1 question: ...
//  2 signals:
//  3   - id: owners-deliver
//  4     signal: ...
//  5     level: behavior
//  6     competencies: [delegation]
//  7     actions: [hand-over-outcomes]
//  8   - id: feedback-given
//  9     signal: ...
// 10     level: behavior
// 11     competencies: [feedback]
// 12     actions: [same-day-feedback]
// 13 enablers:
// 14   - id: clear-expectations

pub const METRICS_SRC: &str = "\
metrics:
  - id: on-time-rate
    name: On-time delivery rate
    category: outcome
    instrument: project-log
    target: 0.9
    tier: 8
    signals: [owners-deliver]
  - id: feedback-rate
    name: Weekly feedback rate
    category: application
    instrument: pulse-survey
    target: 0.8
    signals: [feedback-given]
instruments:
  - id: project-log
    name: Project log
    kind: log
    when: [each-session]
  - id: pulse-survey
    name: Pulse survey
    kind: survey
    when: [pre, post]
";
//  1 metrics:
//  2   - id: on-time-rate
//  3     name: ...
//  4     category: outcome
//  5     instrument: project-log
//  6     target: 0.9
//  7     tier: 8
//  8     signals: [owners-deliver]
//  9   - id: feedback-rate
// 10     name: ...
// 11     category: application
// 12     instrument: pulse-survey
// 13     target: 0.8
// 14     signals: [feedback-given]
// 15 instruments:
// 16   - id: project-log

pub const INTRO_SRC: &str = "\
---
title: Introduction
kind: workshop
week: 1
duration: 60
module: Getting started
competencies: [delegation]
actions: [hand-over-outcomes]
metrics: [on-time-rate]
---
## Purpose

Start with [delegation](competency:delegation) and [ownership](value:ownership).
Next week: [the practice plan](02-practice.md#practice-plan).
";
//  1 ---
//  2 title: Introduction
//  3 kind: workshop
//  4 week: 1
//  5 duration: 60
//  6 module: Getting started
//  7 competencies: [delegation]
//  8 actions: [hand-over-outcomes]
//  9 metrics: [on-time-rate]
// 10 ---
// 11 ## Purpose
// 12
// 13 Start with [delegation](competency:delegation) and [ownership](value:ownership).
// 14 Next week: [the practice plan](02-practice.md#practice-plan).

pub const PRACTICE_SRC: &str = "\
---
title: Practice
kind: workshop
week: 2
duration: 90
competencies: [delegation, feedback]
actions: [hand-over-outcomes, same-day-feedback]
practices: [handover-drill, feedback-round]
requires: [01-intro]
---
## Practice plan

Run the [handover drill](practice:handover-drill) and the
[feedback round](practice:feedback-round).

![Team map with every owner](fig/map.svg)
";
//  1 ---
//  2 title: Practice
//  3 kind: workshop
//  4 week: 2
//  5 duration: 90
//  6 competencies: [delegation, feedback]
//  7 actions: [hand-over-outcomes, same-day-feedback]
//  8 practices: [handover-drill, feedback-round]
//  9 requires: [01-intro]
// 10 ---
// 11 ## Practice plan
// 12
// 13 Run the [handover drill](practice:handover-drill) and the
// 14 [feedback round](practice:feedback-round).
// 15
// 16 ![Team map with every owner](fig/map.svg)

pub const REVIEW_SRC: &str = "\
---
title: Review
kind: coaching-pod
week: 3
duration: 45
competencies: [feedback]
actions: [same-day-feedback]
metrics: [feedback-rate]
requires: [01-intro, 02-practice]
---
## Review

Look back at [the practice](session:02-practice) and the
[delivery signal](signal:owners-deliver), measured by the
[on-time rate](metric:on-time-rate).
";
//  1 ---
//  2 title: Review
//  3 kind: coaching-pod
//  4 week: 3
//  5 duration: 45
//  6 competencies: [feedback]
//  7 actions: [same-day-feedback]
//  8 metrics: [feedback-rate]
//  9 requires: [01-intro, 02-practice]
// 10 ---
// 11 ## Review
// 12
// 13 Look back at [the practice](session:02-practice) and the
// 14 [delivery signal](signal:owners-deliver), measured by the
// 15 [on-time rate](metric:on-time-rate).

pub const MAP_SVG_SRC: &str =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>\n";

/// Every file of the clean fixture, relative to the site root.
pub const FILES: &[(&str, &str)] = &[
    ("playbook.yaml", PLAYBOOK_YAML_SRC),
    (PROGRAM_YAML, PROGRAM_YAML_SRC),
    (COMPETENCIES, COMPETENCIES_SRC),
    (ACTION_MAP, ACTION_MAP_SRC),
    (EVALUATION, EVALUATION_SRC),
    (METRICS, METRICS_SRC),
    (INTRO, INTRO_SRC),
    (PRACTICE, PRACTICE_SRC),
    (REVIEW, REVIEW_SRC),
    (MAP_SVG, MAP_SVG_SRC),
];

/// Files in a temporary folder, deleted when dropped: the folder itself or
/// a subfolder of it is the root that paths are relative to.
pub struct TempTree {
    dir: TempDir,
    root: PathBuf,
}

impl TempTree {
    /// A new temporary folder; the root is `sub` in it, or the folder itself.
    pub fn new(sub: Option<&str>) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("playbook-test-")
            .tempdir()
            .expect("create temp dir");
        let root = match sub {
            Some(s) => dir.path().join(s),
            None => dir.path().to_path_buf(),
        };
        TempTree { dir, root }
    }

    /// The root.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Absolute path of a file under the root.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A path in the temporary folder beside the root (when it is a subfolder).
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write (create or replace) a text file, creating its folders.
    pub fn write(&self, rel: &str, contents: &str) -> &Self {
        self.write_bytes(rel, contents.as_bytes())
    }

    /// Write (create or replace) a file with raw bytes, creating its folders.
    pub fn write_bytes(&self, rel: &str, contents: &[u8]) -> &Self {
        let p = self.file(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&p, contents).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        self
    }

    /// Read a file as text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.file(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Replace the one occurrence of `from` in a file by `to`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "fixture edit: `{from}` must occur exactly once in {rel}"
        );
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// Make `rel` a symbolic link to `target`, creating its folders.
    pub fn symlink(&self, rel: &str, target: &Path) -> &Self {
        let p = self.file(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        std::os::unix::fs::symlink(target, &p).unwrap_or_else(|e| panic!("symlink {rel}: {e}"));
        self
    }

    /// Remove a file or a whole folder.
    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.file(rel);
        if p.is_dir() {
            fs::remove_dir_all(&p).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        } else {
            fs::remove_file(&p).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        }
        self
    }
}

/// The check fixture: a playbook site in a temporary folder, deleted when
/// dropped; file operations are those of its [`TempTree`].
pub struct Fixture(TempTree);

impl std::ops::Deref for Fixture {
    type Target = TempTree;
    fn deref(&self) -> &TempTree {
        &self.0
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    /// The complete, clean demo site.
    pub fn new() -> Self {
        let f = Fixture::empty();
        for (path, text) in FILES {
            f.write(path, text);
        }
        keep_site("check-fixture", f.path());
        f
    }

    /// An empty temporary folder (no playbook.yaml).
    pub fn empty() -> Self {
        Fixture(TempTree::new(None))
    }

    /// `playbook check <site> --format json <args>`, parsed.
    pub fn check(&self, args: &[&str]) -> Output {
        let mut cmd = playbook();
        cmd.arg("check")
            .arg(self.path())
            .args(["--format", "json"])
            .args(args);
        Output::from_json_run(cmd)
    }

    /// `playbook check <site> --color never <args>` (human output): the stderr text.
    pub fn check_human(&self, args: &[&str]) -> String {
        self.check_human_full(args).1
    }

    /// Exit code and stderr of a human-format run.
    pub fn check_human_full(&self, args: &[&str]) -> (i32, String) {
        let out = playbook()
            .arg("--color")
            .arg("never")
            .arg("check")
            .arg(self.path())
            .args(args)
            .output()
            .expect("run playbook");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_no_panic(&stderr);
        (out.status.code().expect("exit code"), stderr)
    }
}

/// With `PLAYBOOK_TEST_SITES=DIR`, the first fixture site of each `name`
/// made in a test run is copied to `DIR/name` as it is made (before any
/// test changes it), for checks outside the tests — CI validates them
/// against the JSON Schemas.
pub fn keep_site(name: &str, root: &Path) {
    let Some(dir) = std::env::var_os("PLAYBOOK_TEST_SITES") else {
        return;
    };
    let dest = Path::new(&dir).join(name);
    if dest.exists() {
        return;
    }
    copy_tree(root, &dest);
}

/// Copy `src` into `dst` recursively.
pub fn copy_tree(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &to);
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// A `playbook` command with a clean environment for colours.
pub fn playbook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_playbook"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// What one run of the binary cost.
#[derive(Debug)]
pub struct Cost {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory of the process, in MiB (VmHWM as last seen).
    pub peak_mib: f64,
    pub seconds: f64,
    /// Processor time (user and system): what a bound on work can hold
    /// to on a busy machine.
    pub cpu_seconds: f64,
}

/// Run `cmd` to completion with at most `memory` bytes of data (heap and
/// other private writable memory: RLIMIT_DATA, so going over is an
/// allocation failure that aborts the process and fails the test), killed
/// after `limit` so that a hang fails the test instead of stalling the
/// suite. `peak_mib` is the child's VmHWM as last seen (every 10 ms), for
/// the record only.
pub fn run_measured(mut cmd: Command, limit: std::time::Duration, memory: u64) -> Cost {
    use rustix::process::{kill_process, prlimit, waitid, Pid, Resource, Rlimit, Signal};
    use rustix::process::{WaitId, WaitIdOptions};
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let started = std::time::Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run playbook");
    let pid = Pid::from_child(&child);
    // The data limit, set on the child as soon as it runs (it is still
    // starting up: reading files comes later).
    let lim = Rlimit {
        current: Some(memory),
        maximum: Some(memory),
    };
    prlimit(Some(pid), Resource::Data, lim).expect("prlimit on the child");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let done = Arc::new(AtomicBool::new(false));
    let peak_kib = Arc::new(AtomicU64::new(0));
    let watcher = {
        let (done, peak_kib) = (Arc::clone(&done), Arc::clone(&peak_kib));
        std::thread::spawn(move || {
            let until = std::time::Instant::now() + limit;
            while std::time::Instant::now() < until {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                if let Some(hwm) = high_water_kib(pid) {
                    peak_kib.fetch_max(hwm, Ordering::SeqCst);
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            // A pid we spawned and have not reaped: harmless if it is gone.
            let _ = kill_process(pid, Signal::KILL);
        })
    };
    // Wait for the exit without reaping, so that the processor time the
    // kernel kept for the child can still be read.
    waitid(
        WaitId::Pid(pid),
        WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
    )
    .expect("waitid");
    done.store(true, Ordering::SeqCst);
    let cpu_seconds = cpu_seconds(pid);
    let status = child.wait().expect("wait for playbook");
    let _ = watcher.join();
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        status.code().is_some(),
        "playbook was killed (signal {:?}) after {seconds:.1} s: over {} MiB of memory, or over the time limit",
        status.signal(),
        memory >> 20
    );
    let stderr = reader.join().unwrap();
    assert_no_panic(&stderr);
    Cost {
        code: status.code().unwrap_or(-1),
        stdout: out_reader.join().unwrap(),
        stderr,
        peak_mib: peak_kib.load(Ordering::SeqCst) as f64 / 1024.0,
        seconds,
        cpu_seconds,
    }
}

/// A running process's peak resident memory so far (VmHWM), in KiB.
fn high_water_kib(pid: rustix::process::Pid) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid.as_raw_nonzero())).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The processor time (user and system) of an exited, not yet reaped
/// process, from /proc/PID/stat.
fn cpu_seconds(pid: rustix::process::Pid) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.as_raw_nonzero()))
        .expect("the exited child's /proc/PID/stat");
    // Fields after the command name (which may hold spaces) in its parentheses.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime: fields 14 and 15 of stat(5), 12 and 13 after `)`.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / rustix::param::clock_ticks_per_second() as f64
}

/// Fail when the binary panicked.
pub fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "playbook panicked:\n{stderr}");
}

/// One diagnostic of the JSON output.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub label: Option<String>,
    pub hint: Option<String>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file.as_deref().unwrap_or("-"),
            self.line.map_or("-".into(), |l| l.to_string()),
            self.column.map_or("-".into(), |c| c.to_string()),
            self.severity,
            self.code,
            self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

/// The `summary` object of the JSON output.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Summary {
    pub programs: usize,
    pub sessions: usize,
    pub competencies: usize,
    pub actions: usize,
    pub signals: usize,
    pub metrics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub millis: u64,
}

#[derive(Debug, Deserialize)]
struct Report {
    diagnostics: Vec<Diag>,
    summary: Summary,
}

/// The result of one `playbook check --format json` run.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub diagnostics: Vec<Diag>,
    /// None when stdout held no JSON report (usage errors).
    pub summary: Option<Summary>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Run a command that prints a JSON report (or nothing, on usage errors).
    pub fn from_json_run(mut cmd: Command) -> Output {
        let out = cmd.output().expect("run playbook");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_no_panic(&stderr);
        let code = out.status.code().expect("playbook was killed by a signal");
        let (diagnostics, summary) = if stdout.trim().is_empty() {
            (Vec::new(), None)
        } else {
            let r: Report = serde_json::from_str(&stdout)
                .unwrap_or_else(|e| panic!("stdout is not a JSON report ({e}):\n{stdout}"));
            (r.diagnostics, Some(r.summary))
        };
        Output {
            code,
            diagnostics,
            summary,
            stdout,
            stderr,
        }
    }

    /// All diagnostics, one per line, for failure messages.
    pub fn listing(&self) -> String {
        if self.diagnostics.is_empty() {
            return "  (no diagnostics)".into();
        }
        self.diagnostics
            .iter()
            .map(|d| format!("  {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn summary(&self) -> &Summary {
        self.summary
            .as_ref()
            .unwrap_or_else(|| panic!("no JSON summary; stderr:\n{}", self.stderr))
    }

    /// Exit 0 and no diagnostics at all.
    pub fn assert_clean(&self) {
        assert!(
            self.code == 0 && self.diagnostics.is_empty(),
            "expected a clean check, got exit {}:\n{}\nstderr:\n{}",
            self.code,
            self.listing(),
            self.stderr
        );
    }

    pub fn assert_exit(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "exit code; diagnostics:\n{}\nstderr:\n{}",
            self.listing(),
            self.stderr
        );
        self
    }

    /// Diagnostics with this code.
    pub fn with_code(&self, code: &str) -> Vec<&Diag> {
        self.diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// Codes of all diagnostics, in output order.
    pub fn codes(&self) -> Vec<&str> {
        self.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    /// Assert that some diagnostic matches `e`; returns it.
    pub fn assert_has(&self, e: &Expect) -> &Diag {
        match self.diagnostics.iter().find(|d| e.matches(d)) {
            Some(d) => d,
            None => panic!(
                "expected a diagnostic {e}\ngot (exit {}):\n{}",
                self.code,
                self.listing()
            ),
        }
    }

    /// Assert that the run reported exactly one diagnostic, matching `e`, and
    /// the exit code that goes with its severity (1 for an error, 0 for a warning).
    pub fn assert_only(&self, e: &Expect) -> &Diag {
        assert_eq!(
            self.diagnostics.len(),
            1,
            "expected exactly one diagnostic {e}\ngot (exit {}):\n{}",
            self.code,
            self.listing()
        );
        let d = self.assert_has(e);
        let want_exit = if e.severity == "error" { 1 } else { 0 };
        self.assert_exit(want_exit);
        d
    }
}

/// What a diagnostic must look like. Position, message and hint checks are
/// only made for the parts that were set.
#[derive(Debug, Clone)]
pub struct Expect {
    pub severity: &'static str,
    pub code: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub no_position: bool,
    pub message: Option<String>,
    pub message_exact: bool,
    pub hints: Vec<String>,
    pub no_hint: bool,
}

/// Expect an error with this code.
pub fn error(code: &str) -> Expect {
    Expect::new("error", code)
}

/// Expect a warning with this code.
pub fn warning(code: &str) -> Expect {
    Expect::new("warning", code)
}

impl Expect {
    fn new(severity: &'static str, code: &str) -> Self {
        Expect {
            severity,
            code: code.to_string(),
            file: None,
            line: None,
            column: None,
            no_position: false,
            message: None,
            message_exact: false,
            hints: Vec::new(),
            no_hint: false,
        }
    }

    /// In this file, at this 1-based line and column.
    pub fn at(mut self, file: &str, line: usize, column: usize) -> Self {
        self.file = Some(file.to_string());
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// In this file, with no line or column (a missing or binary file).
    pub fn in_file_no_position(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self.no_position = true;
        self
    }

    /// The message is exactly this.
    pub fn message(mut self, m: &str) -> Self {
        self.message = Some(m.to_string());
        self.message_exact = true;
        self
    }

    /// The message contains this.
    pub fn message_contains(mut self, m: &str) -> Self {
        self.message = Some(m.to_string());
        self.message_exact = false;
        self
    }

    /// The hint contains this (may be given several times).
    pub fn hint(mut self, h: &str) -> Self {
        self.hints.push(h.to_string());
        self
    }

    /// There is no hint.
    pub fn no_hint(mut self) -> Self {
        self.no_hint = true;
        self
    }

    pub fn matches(&self, d: &Diag) -> bool {
        if d.severity != self.severity || d.code != self.code {
            return false;
        }
        if let Some(f) = &self.file {
            if d.file.as_deref() != Some(f.as_str()) {
                return false;
            }
        }
        if self.no_position && (d.line.is_some() || d.column.is_some()) {
            return false;
        }
        if self.line.is_some() && d.line != self.line {
            return false;
        }
        if self.column.is_some() && d.column != self.column {
            return false;
        }
        if let Some(m) = &self.message {
            let ok = if self.message_exact {
                d.message == *m
            } else {
                d.message.contains(m.as_str())
            };
            if !ok {
                return false;
            }
        }
        if self.no_hint && d.hint.is_some() {
            return false;
        }
        for h in &self.hints {
            if !d.hint.as_deref().is_some_and(|x| x.contains(h.as_str())) {
                return false;
            }
        }
        true
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]",
            self.file.as_deref().unwrap_or("*"),
            self.line.map_or("*".into(), |l| l.to_string()),
            self.column.map_or("*".into(), |c| c.to_string()),
            self.severity,
            self.code
        )?;
        if let Some(m) = &self.message {
            let how = if self.message_exact { "=" } else { "~" };
            write!(f, " message{how}{m:?}")?;
        }
        for h in &self.hints {
            write!(f, " hint~{h:?}")?;
        }
        if self.no_hint {
            write!(f, " (no hint)")?;
        }
        Ok(())
    }
}
