//! What `playbook import` costs on a large export: a Google Forms CSV of
//! 10,000 responses (an address, a timestamp, ten agreement statements on
//! a word scale, a 1–5 number and a comment each) imported as a pre survey
//! into a small site — decoding, reading, detection, mapping, 110,000
//! pseudonymised rows planned and survey.csv written.
//!
//!   cargo bench --bench import -- [--responses N] [--runs N]
//!
//! Prints the median and range of the runs: a first import (survey.csv
//! removed before each run) and a re-import of the same export over the
//! rows it wrote (every row compared, nothing to write).

// A test or bench binary has no public surface: `pub` only shares items
// between its modules.
#![allow(unreachable_pub)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use playbook::{import as run, ImportArgs, ImportStatus as Status, Phase, What};

const WORDS: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];

fn main() {
    let (mut responses, mut runs) = (10_000usize, 7usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = || args.next().and_then(|n| n.parse().ok()).expect("a number");
        match a.as_str() {
            "--responses" => responses = number(),
            "--runs" => runs = number(),
            _ => {}
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let export = root.join("pre-survey.csv");
    std::fs::write(&export, google_forms(responses)).unwrap();
    let bytes = std::fs::metadata(&export).unwrap().len();
    let args = ImportArgs {
        program: "bench".into(),
        export,
        what: Some(What::Survey),
        phase: Some(Phase::Pre),
        ..ImportArgs::default()
    };
    let survey = root.join("content/bench/results/survey.csv");
    let mut first = Vec::new();
    let mut again = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_file(&survey);
        first.push(timed(root, &args));
        again.push(timed(root, &args));
    }
    let rows = std::fs::read_to_string(&survey).unwrap().lines().count() - 1;
    println!(
        "import of {responses} responses ({:.1} MB, {rows} rows into survey.csv), {runs} runs:",
        bytes as f64 / 1e6
    );
    report("first import", &mut first);
    report("re-import", &mut again);
}

fn timed(root: &Path, args: &ImportArgs) -> Duration {
    let started = Instant::now();
    let out = run(root, args);
    let took = started.elapsed();
    assert_eq!(out.status, Status::Ok, "{:?}", out.summary);
    took
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {what:<13} median {:.0} ms (min {:.0}, max {:.0})",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

/// A site with one program and its import.yaml (a fixed key).
fn site(root: &Path) {
    let files = [
        ("playbook.yaml", "title: Bench\n".to_string()),
        (
            "content/bench/program.yaml",
            "title: Bench\nstart: 2026-01-05\n".into(),
        ),
        (
            "content/bench/alignment/competencies.yaml",
            "competencies:\n  - id: delegation\n    name: Delegation\n".into(),
        ),
        ("content/bench/results/import.yaml", import_yaml()),
    ];
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn import_yaml() -> String {
    let mut s = format!(
        "key: {}\nparticipant: [Email Address]\nscales:\n  agree5: {{{}}}\nquestions:\n",
        "5a".repeat(32),
        WORDS
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{w}: {}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for q in 1..=10 {
        let _ = write!(
            s,
            "  - match: Statement {q:02}\n    item: s-{q:02}\n    scale: agree5\n"
        );
    }
    s.push_str("  - match: How confident are you\n    item: delegation\n");
    s.push_str("  - match: What will you do differently\n    comment: true\n");
    s
}

/// A Google Forms download: every field quoted, a grid of statements.
fn google_forms(n: usize) -> String {
    let mut s = String::from("\"Timestamp\",\"Email Address\"");
    for q in 1..=10 {
        let _ = write!(s, ",\"How much do you agree? [Statement {q:02}]\"");
    }
    s.push_str(",\"How confident are you (1-5)?\",\"What will you do differently?\"\n");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..n {
        let _ = write!(
            s,
            "\"2025/03/04 {}:{:02}:{:02} AM GMT+1\",\"person{i}@example.org\"",
            1 + i % 11,
            i % 60,
            (i / 60) % 60
        );
        for _ in 0..10 {
            let _ = write!(s, ",\"{}\"", WORDS[(next() % 5) as usize]);
        }
        let _ = writeln!(
            s,
            ",\"{}\",\"Delegate the weekly report, number {i}.\"",
            1 + next() % 5
        );
    }
    s
}
