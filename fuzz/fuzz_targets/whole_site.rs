//! A whole small site, built as `playbook build` does (checked, rendered
//! and written into a folder): the input is a list of files, each
//! introduced by a line `=== <n>` where `n` picks its path from the site
//! layout (so that mutations move content between files rather than
//! invent paths).
#![no_main]

use libfuzzer_sys::fuzz_target;
use playbook_fuzz::Sandbox;

/// The paths a site may have.
const PATHS: [&str; 16] = [
    "playbook.yaml",
    "content/p/program.yaml",
    "content/p/alignment/competencies.yaml",
    "content/p/alignment/action-map.yaml",
    "content/p/alignment/evaluation.yaml",
    "content/p/alignment/metrics.yaml",
    "content/p/sessions/01-a.md",
    "content/p/sessions/02-b.md",
    "content/p/sessions/fig/x.svg",
    "content/p/results/attendance.csv",
    "content/p/results/ratings.csv",
    "content/p/results/survey.csv",
    "content/q/program.yaml",
    "templates/session.html",
    "content/p/results/feedback.csv",
    "content/p/results/observations.csv",
];

fuzz_target!(|data: &[u8]| {
    let site = Sandbox::empty();
    let text = String::from_utf8_lossy(data);
    for part in text.split("=== ").skip(1) {
        let (head, body) = part.split_once('\n').unwrap_or((part, ""));
        let Ok(n) = head.trim().parse::<usize>() else {
            continue;
        };
        site.put(PATHS[n % PATHS.len()], body.as_bytes());
    }
    site.build();
});
