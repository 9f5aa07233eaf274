mod common;
use common::*;

#[test]
fn fixture_is_clean_under_strict() {
    let f = Fixture::new();
    let out = f.check(&["--strict"]);
    out.assert_clean();
    eprintln!("{}", f.path().display());
    std::mem::forget(f);
}
