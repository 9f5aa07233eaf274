//! One YAML document of a program — program.yaml or one of the four
//! alignment files (the first byte picks which) — replaced by the input.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use playbook_fuzz::Sandbox;

static SITE: LazyLock<Sandbox> = LazyLock::new(Sandbox::new);

const FILES: [&str; 5] = [
    "content/p/program.yaml",
    "content/p/alignment/competencies.yaml",
    "content/p/alignment/action-map.yaml",
    "content/p/alignment/evaluation.yaml",
    "content/p/alignment/metrics.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    let file = FILES[usize::from(which) % FILES.len()];
    let original = std::fs::read(SITE.root.join(file)).unwrap();
    SITE.put(file, text);
    SITE.run();
    SITE.put(file, &original);
});
