//! A session guide — front matter and markdown — replaced by the input.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use playbook_fuzz::Sandbox;

static SITE: LazyLock<Sandbox> = LazyLock::new(Sandbox::new);

const FILE: &str = "content/p/sessions/02-feedback-workshop.md";

fuzz_target!(|data: &[u8]| {
    let original = std::fs::read(SITE.root.join(FILE)).unwrap();
    SITE.put(FILE, data);
    SITE.run();
    SITE.put(FILE, &original);
});
