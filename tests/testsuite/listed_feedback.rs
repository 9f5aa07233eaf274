//! A program's lists of sessions (`program.sessions[]`, the guide's
//! `guide[]`) carry at most 1,000 comments in all, so that many sessions
//! with many comments do not hold every comment once for each list; each
//! session's own page keeps its own.

use std::fs;
use std::path::Path;

use crate::common::build::*;

/// How many comments a list of sessions carries, as a template counts them.
const COUNT: &str = "{% set_global n = 0 %}{% for s in LIST %}\
{% set k = s.feedback | length %}{% set_global n = n + k %}{% endfor %}comments listed: {{ n }}\n";

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn lists_of_sessions_carry_at_most_1000_comments_and_each_session_page_its_own() {
    let site = Site::new();
    // 60 sessions of 20 comments each: 1,200 in all.
    let mut csv = String::from("participant,comment,session,competency,signal\n");
    for i in 0..60 {
        site.write(
            &format!("content/demo/sessions/s{i:02}.md"),
            &format!("---\ntitle: S{i}\nkind: workshop\n---\nBody\n"),
        );
        for j in 0..20 {
            csv.push_str(&format!("p{j},Said {i}-{j},s{i:02},,\n"));
        }
    }
    site.write("content/demo/results/feedback.csv", &csv);
    site.write(
        "templates/curriculum.html",
        &COUNT.replace("LIST", "program.sessions"),
    );
    site.write("templates/guide.html", &COUNT.replace("LIST", "guide"));
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    for page in ["demo/curriculum/index.html", "demo/guide/index.html"] {
        assert_eq!(read(&out, page), "comments listed: 1000\n", "{page}");
    }
    // The last session, past the lists' 1,000, still shows its 20.
    let last = read(&out, "demo/sessions/s59/index.html");
    assert_eq!(last.matches("Said 59-").count(), 20, "{last}");
}
