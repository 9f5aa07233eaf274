//! FORMAT.md v1.2 behaviour evidence, built and read back: a scale with
//! α and reliable change, then → post with its caution, a follow-up,
//! others' ratings beside self — the peers' withheld below `min_raters`
//! with no number anywhere (pages, program.json, results.csv) — a blind
//! spot, and no participant or rater pseudonym in any output. The
//! statistics are those of src/evidence/behaviour.rs's tests (pingouin,
//! numpy and SciPy named there).

use std::fs;

use crate::common::build::{read_tree, Site};

const PRE: [[u8; 4]; 10] = [
    [3, 2, 3, 3],
    [2, 4, 2, 2],
    [4, 2, 4, 3],
    [3, 3, 3, 4],
    [2, 4, 2, 2],
    [3, 3, 3, 3],
    [4, 1, 4, 4],
    [2, 3, 3, 2],
    [3, 2, 3, 3],
    [3, 4, 2, 3],
];
const POST: [[u8; 4]; 10] = [
    [4, 2, 4, 4],
    [4, 2, 4, 4],
    [4, 1, 5, 4],
    [3, 3, 3, 4],
    [3, 3, 3, 3],
    [5, 1, 5, 4],
    [4, 1, 4, 5],
    [3, 2, 4, 3],
    [4, 2, 4, 4],
    [3, 3, 3, 3],
];

fn site() -> Site {
    let site = Site::new();
    let m = "content/demo/alignment/metrics.yaml";
    site.edit(
        m,
        "instruments:\n",
        "  - id: reliably-improved\n    name: Reliably improved on delegation\n    category: application\n    instrument: observation\n    tier: 5\n    source: reliable-change\n    items: [delegation-scale]\n    target: 0.5\n    signals: [teams-take-ownership]\n  - id: reports-see-change\n    name: Change seen by direct reports\n    category: application\n    instrument: observation\n    tier: 6\n    source: survey-change\n    items: [delegation-scale]\n    rater: report\n    target: 0.3\n    signals: [teams-take-ownership]\n  - id: peers-see-change\n    name: Change seen by peers\n    category: application\n    instrument: observation\n    source: survey-change\n    items: [deleg-1]\n    rater: peer\n    target: 0.3\n    signals: [teams-take-ownership]\ninstruments:\n",
    );
    let mut text = fs::read_to_string(site.root().join(m)).unwrap();
    text.push_str("survey_items:\n  - id: deleg-1\n    text: Agrees outcome and deadline\n  - id: deleg-2\n    text: Redoes delegated work\n    better: lower\n  - id: deleg-3\n    text: Checks in at agreed points\n  - id: deleg-4\n    text: Lets the owner choose the method\nscales:\n  - id: delegation-scale\n    name: Delegation\n    items: [deleg-1, deleg-2, deleg-3, deleg-4]\n    reversed: [deleg-2]\n");
    site.write(m, &text);
    let mut csv = String::from("participant,phase,item,score,rater,rater_id,date\n");
    for (i, (a, b)) in PRE.iter().zip(POST).enumerate() {
        for j in 0..4 {
            csv.push_str(&format!(
                "SECRET-P{i},pre,deleg-{},{},self,,\n",
                j + 1,
                a[j]
            ));
            csv.push_str(&format!(
                "SECRET-P{i},post,deleg-{},{},self,,\n",
                j + 1,
                b[j]
            ));
            // Three direct reports rate each participant the same way.
            for r in 0..3 {
                csv.push_str(&format!(
                    "SECRET-P{i},pre,deleg-{},{},report,SECRET-R{i}{r},\n",
                    j + 1,
                    a[j]
                ));
                csv.push_str(&format!(
                    "SECRET-P{i},post,deleg-{},{},report,SECRET-R{i}{r},\n",
                    j + 1,
                    b[j]
                ));
            }
        }
        // A retrospective "then", a 90-day follow-up, and the manager's
        // view: one point below self at the end.
        csv.push_str(&format!("SECRET-P{i},then,deleg-1,2,self,,\n"));
        csv.push_str(&format!(
            "SECRET-P{i},follow-up,deleg-1,{},self,,2026-06-01\n",
            b[0]
        ));
        csv.push_str(&format!("SECRET-P{i},post,delegation,5,self,,\nSECRET-P{i},post,delegation,2,manager,SECRET-M{i},\n"));
    }
    // Two peers only: withheld.
    csv.push_str("SECRET-P0,pre,deleg-1,1,peer,SECRET-PEER-A,\nSECRET-P0,post,deleg-1,5,peer,SECRET-PEER-A,\nSECRET-P1,pre,deleg-1,1,peer,SECRET-PEER-B,\nSECRET-P1,post,deleg-1,5,peer,SECRET-PEER-B,\n");
    site.write("content/demo/results/survey.csv", &csv);
    site
}

#[test]
fn behaviour_evidence_reaches_the_results_page_and_the_impact_report_first() {
    let site = site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let results = fs::read_to_string(out.join("demo/results/index.html")).unwrap();
    assert!(results.contains("Scale: Delegation"), "{results}");
    assert!(
        results.contains("Cronbach's α 0.91"),
        "α of pingouin's 0.912"
    );
    assert!(
        results.contains("7 reliably improved</strong>, 3 no reliable change, 0 reliably declined")
    );
    assert!(results.contains("Then → after") && results.contains("tends to inflate change"));
    assert!(results.contains("After → follow-up") && results.contains("Sustained"));
    assert!(results.contains("withheld: fewer than 3 raters"));
    assert!(
        results.contains("blind spot"),
        "self 3 points above the manager on 1–5"
    );
    let impact = fs::read_to_string(out.join("demo/impact/index.html")).unwrap();
    let evidence = impact
        .find("Behaviour evidence")
        .expect("on the impact report");
    assert!(
        evidence < impact.find("Success signals, by level").unwrap(),
        "first"
    );
    // The metrics: 7 of 10 reliably improved; the peers' change withheld.
    let csv = fs::read_to_string(out.join("demo/results.csv")).unwrap();
    let peers = csv
        .lines()
        .find(|l| l.contains("peers-see-change"))
        .unwrap();
    assert!(
        peers.contains("withheld") && !peers.contains(",4,") && !peers.contains("4.0"),
        "{peers}"
    );
    let reliable = csv
        .lines()
        .find(|l| l.contains("reliably-improved"))
        .unwrap();
    assert!(
        reliable.contains("0.7") && reliable.contains("met"),
        "{reliable}"
    );
    let json = fs::read_to_string(out.join("demo/program.json")).unwrap();
    assert!(
        json.contains("\"withheld\""),
        "the status is in program.json"
    );
    // program.json has the figures the pages show, as numbers.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let b = &v["results"]["behaviour"];
    assert_eq!(b["min_raters"], 3);
    let sc = &b["scales"][0];
    assert_eq!(sc["id"], "delegation-scale");
    let alpha = sc["alpha"].as_f64().unwrap();
    assert!((alpha - 0.912).abs() < 0.0005, "pingouin's 0.912: {alpha}");
    assert_eq!(sc["reliable"]["improved"], 7);
    assert_eq!(sc["reliable"]["unchanged"], 3);
    assert_eq!(sc["reliable"]["declined"], 0);
    let deleg1 = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "deleg-1")
        .unwrap();
    let compares: Vec<&str> = deleg1["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["compare"].as_str().unwrap())
        .collect();
    assert_eq!(compares, ["then-post", "pre-follow-up", "post-follow-up"]);
    let peers: Vec<&serde_json::Value> = deleg1["raters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rater"] == "peer")
        .collect();
    assert!(!peers.is_empty());
    for f in peers {
        assert_eq!(f["withheld"], true);
        assert!(
            f.get("mean").is_none(),
            "a withheld figure has no mean: {f}"
        );
    }
    let reports_pre = deleg1["raters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rater"] == "report" && f["phase"] == "pre")
        .unwrap();
    // The reports rate as self does: deleg-1 before is 2.9 (29 / 10).
    assert_eq!(reports_pre["mean"].as_f64(), Some(2.9));
    // No pseudonym of a participant or rater anywhere.
    for (path, bytes) in read_tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET"),
            "{path} names a participant or rater"
        );
    }
}

/// A program with cohorts reads its behaviour evidence per cohort: the
/// cohort whose survey.csv has raters and phases shows it on its results
/// page and impact report (first there, after the opening answer); the
/// other cohort, with self ratings only, shows none; nothing panics.
#[test]
fn a_cohorts_survey_with_raters_and_phases_shows_on_its_own_pages() {
    let site = site();
    let csv = site.read("content/demo/results/survey.csv");
    fs::remove_dir_all(site.root().join("content/demo/results")).unwrap();
    site.write(
        "content/demo/cohorts/spring/cohort.yaml",
        "title: Spring 2026\nstart: 2026-01-05\n",
    );
    site.write(
        "content/demo/cohorts/autumn/cohort.yaml",
        "title: Autumn 2026\nstart: 2026-09-07\n",
    );
    site.write("content/demo/cohorts/spring/results/survey.csv", &csv);
    site.write(
        "content/demo/cohorts/autumn/results/survey.csv",
        "participant,phase,item,score\na1,pre,delegation,2\na1,post,delegation,4\n",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let page = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let spring = page("demo/cohorts/spring/results/index.html");
    assert!(
        spring.contains("Scale: Delegation"),
        "{}",
        &spring[spring.find("<main").unwrap_or(0)..]
    );
    assert!(spring.contains("7 reliably improved</strong>"));
    let impact = page("demo/cohorts/spring/impact/index.html");
    let evidence = impact.find("Behaviour evidence").expect("on the report");
    assert!(evidence > impact.find("class=\"verdict\"").unwrap());
    assert!(evidence < impact.find("Success signals, by level").unwrap());
    let autumn = page("demo/cohorts/autumn/results/index.html");
    assert!(!autumn.contains("Behaviour evidence"), "{autumn}");
    // The program's own pages show the latest cohort's (autumn's) figures.
    assert!(!page("demo/impact/index.html").contains("Behaviour evidence"));
    for (path, bytes) in read_tree(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET"),
            "{path}"
        );
    }
}
