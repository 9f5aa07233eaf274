//! FORMAT.md v1.2, required drivers: enablers with `due`, `status` and
//! `evidence`; "2 of 3 drivers in place" on the evaluation plan and the
//! impact report; the `overdue-driver` warning against today's date
//! (`PLAYBOOK_TODAY` in these tests), which no page shows.

use std::fs;
use std::path::Path;

use crate::common::build::{read_tree, Site};
use crate::common::{error, playbook, warning, Fixture, Output, EVALUATION};

const DRIVERS: &str = "\
enablers:
  - id: clear-expectations
    enabler: Leaders set clear expectations
    owner: Executive team
    due: 2026-03-01
    status: done
    evidence: Expectations memo sent on **24 Feb**.
  - id: trust
    enabler: Executives stop assigning work directly
    due: 2026-04-01
    status: in-progress
  - id: room-for-risk
    enabler: Reasonable calls are reviewed without blame
    due: 2026-05-01
    status: done
";
// 13 enablers:
// 14   - id: clear-expectations  ... 18 status: done
// 20   - id: trust               21 enabler  22 due: 2026-04-01

/// `playbook check --format json` on `f` with today's date set.
fn check_on(f: &Fixture, today: &str) -> Output {
    let mut cmd = playbook();
    cmd.env("PLAYBOOK_TODAY", today)
        .arg("check")
        .arg(f.path())
        .args(["--format", "json"]);
    Output::from_json_run(cmd)
}

fn with_drivers() -> Fixture {
    let f = Fixture::new();
    f.edit(
        EVALUATION,
        "enablers:\n  - id: clear-expectations\n    enabler: Leaders set clear expectations\n    owner: Executive team\n",
        DRIVERS,
    );
    f
}

#[test]
fn a_driver_past_due_that_is_not_done_is_warned_of_at_its_due_date() {
    let f = with_drivers();
    check_on(&f, "2026-04-01").assert_clean();
    let out = check_on(&f, "2026-04-02");
    let d = out.assert_only(
        &warning("overdue-driver")
            .message("the driver `trust` was due on 2026-04-01 and is in progress")
            .hint("`status: done`"),
    );
    assert_eq!((d.file.as_deref(), d.line), (Some(EVALUATION), Some(22)));
    // A dropped driver is not done either.
    f.edit(EVALUATION, "status: in-progress", "status: dropped");
    check_on(&f, "2027-01-01").assert_only(
        &warning("overdue-driver")
            .message("the driver `trust` was due on 2026-04-01 and is dropped"),
    );
    // With no status at all it is not known to be done.
    f.edit(EVALUATION, "    status: dropped\n", "");
    check_on(&f, "2027-01-01").assert_only(
        &warning("overdue-driver")
            .message("the driver `trust` was due on 2026-04-01 and has no status"),
    );
}

#[test]
fn driver_keys_are_checked() {
    let f = with_drivers();
    f.edit(EVALUATION, "status: in-progress", "status: underway");
    let out = check_on(&f, "2026-01-01");
    let d = out.assert_only(
        &error("invalid-value")
            .message_contains("unknown variant `underway`")
            .hint("planned, in-progress, done, dropped"),
    );
    assert_eq!(d.line, Some(23));
    let f = with_drivers();
    f.edit(EVALUATION, "due: 2026-04-01", "due: 1 April");
    let out = check_on(&f, "2026-01-01");
    let d = out.assert_only(&error("invalid-value").hint("YYYY-MM-DD"));
    assert_eq!(d.line, Some(22));
}

#[test]
fn a_bad_playbook_today_is_an_error() {
    let f = with_drivers();
    check_on(&f, "tomorrow").assert_only(
        &error("invalid-value")
            .message("PLAYBOOK_TODAY is `tomorrow`, not a date")
            .hint("YYYY-MM-DD"),
    );
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The build fixture with the three drivers and a result, so that the
/// impact report is built.
fn site() -> Site {
    let site = Site::new();
    site.edit(
        "content/demo/alignment/evaluation.yaml",
        "enablers:\n  - id: clear-expectations\n    enabler: Leaders set clear expectations\n    owner: Executive team\n",
        DRIVERS,
    );
    site.write(
        "content/demo/results/ratings.csv",
        "session,participant,rating\n01-intro,p1,4\n",
    );
    site
}

#[test]
fn the_plan_and_the_impact_report_say_how_many_drivers_are_in_place() {
    let site = site();
    let out = site.scratch("out");
    let run = playbook()
        .env("PLAYBOOK_TODAY", "2027-01-01")
        .arg("build")
        .arg(site.root())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let plan = page(&out, "demo/evaluation/index.html");
    assert!(plan.contains("2 of 3 drivers in place"), "{plan}");
    assert!(plan.contains("Expectations memo sent on <strong>24 Feb</strong>."));
    assert!(plan.contains("in progress") && plan.contains("Wed 1 Apr 2026"));
    let impact = page(&out, "demo/impact/index.html");
    assert!(impact.contains("2 of 3 drivers in place"), "{impact}");
    // The opening answer says it, in its one sentence.
    let verdict = impact
        .split("<p class=\"verdict\">")
        .nth(1)
        .and_then(|v| v.split("</p>").next())
        .expect("the opening's verdict");
    assert!(verdict.contains("2 of 3 drivers in place."), "{verdict}");
    let enabler = page(&out, "demo/enablers/clear-expectations/index.html");
    assert!(enabler.contains("in place") && enabler.contains("24 Feb"));
    // Today's date reaches no page: another day, the same site.
    let again = site.scratch("again");
    let run = playbook()
        .env("PLAYBOOK_TODAY", "2026-01-01")
        .arg("build")
        .arg(site.root())
        .arg("--output")
        .arg(&again)
        .output()
        .unwrap();
    assert!(run.status.success());
    let (mut a, mut b) = (read_tree(&out), read_tree(&again));
    // The record of what was written names each file's hash: the files
    // themselves are compared.
    a.remove(".playbook-output");
    b.remove(".playbook-output");
    crate::common::build::assert_same_tree(&a, &b);
    for (path, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("2027-01-01") && !text.contains("1 Jan 2027"),
            "{path}"
        );
    }
}
