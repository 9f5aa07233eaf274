//! A results CSV file — attendance, ratings or survey (the first byte picks
//! which) — written from the input.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use playbook_fuzz::Sandbox;

static SITE: LazyLock<Sandbox> = LazyLock::new(Sandbox::new);

const FILES: [&str; 3] = [
    "content/p/results/attendance.csv",
    "content/p/results/ratings.csv",
    "content/p/results/survey.csv",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    let file = FILES[usize::from(which) % FILES.len()];
    let original = std::fs::read(SITE.root.join(file)).ok();
    SITE.put(file, text);
    SITE.run();
    match original {
        Some(o) => SITE.put(file, &o),
        None => std::fs::remove_file(SITE.root.join(file)).unwrap(),
    }
});
