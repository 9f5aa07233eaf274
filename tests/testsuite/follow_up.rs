//! Follow-up dates in the calendar: `follow_up:` in program.yaml (days
//! after the last dated session) puts one event per follow-up into
//! `calendar.ics`, named after the instruments used `when: [follow-up]`.

use std::fs;

use crate::common::build::Site;
use crate::common::{error, Fixture, PROGRAM_YAML};

fn events(ics: &str) -> Vec<Vec<(String, String)>> {
    let reader = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cals: Vec<_> = reader.collect::<Result<_, _>>().expect("calendar parses");
    cals[0]
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect()
        })
        .collect()
}

#[test]
fn the_calendar_has_each_follow_up_after_the_last_session() {
    let site = Site::new();
    site.edit(
        "content/demo/program.yaml",
        "start: 2026-01-05\n",
        "start: 2026-01-05\nfollow_up: [30, 90]\n",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let ics = fs::read_to_string(out.join("demo/calendar.ics")).unwrap();
    let events = events(&ics);
    assert_eq!(events.len(), 5, "three sessions and two follow-ups");
    let get = |e: &Vec<(String, String)>, k: &str| {
        e.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // The last session is in week 4: Mon 26 Jan 2026; + 90 days.
    let last = &events[4];
    assert_eq!(
        get(last, "UID"),
        "demo/follow-up-90@demo-playbooks.playbook"
    );
    assert_eq!(get(last, "DTSTART"), "20260426");
    assert_eq!(get(last, "SUMMARY"), "Follow-up: Manager observation");
    assert!(get(last, "DESCRIPTION").contains("90 days after the last session"));
    assert_eq!(get(&events[3], "DTSTART"), "20260225");
    // The curriculum says when, too.
    let curriculum = fs::read_to_string(out.join("demo/curriculum/index.html")).unwrap();
    assert!(
        curriculum.contains("Follow-up: Manager observation")
            && curriculum.contains("Sun 26 Apr 2026"),
        "{curriculum}"
    );
}

#[test]
fn a_follow_up_must_be_one_day_to_two_years_after() {
    let f = Fixture::new();
    f.edit(
        PROGRAM_YAML,
        "start: 2026-01-05\n",
        "start: 2026-01-05\nfollow_up: [90, 0]\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("out-of-range")
            .message("a follow-up 0 days after the last session is out of range")
            .hint("1 to 728"),
    );
    assert_eq!(d.line, Some(7));
    f.edit(PROGRAM_YAML, "[90, 0]", "[90, 800]");
    f.check(&[])
        .assert_only(&error("out-of-range").message_contains("800 days"));
}
