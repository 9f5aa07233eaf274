//! Integration tests of `playbook build`: build real sites in temporary
//! folders with the binary and check the files it produces.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common::build::*;

/// Every file the build of the fixture program `pid` produces.
fn program_files(pid: &str) -> BTreeSet<String> {
    let mut v: Vec<String> = Vec::new();
    for section in [
        "",
        "competencies/",
        "action-map/",
        "evaluation/",
        "metrics/",
        "curriculum/",
        "traceability/",
        "results/",
        "impact/",
        "guide/",
    ] {
        v.push(format!("{pid}/{section}index.html"));
    }
    for export in ["calendar.ics", "program.json", "results.csv", "search.json"] {
        v.push(format!("{pid}/{export}"));
    }
    let entities: [(&str, &[&str]); 9] = [
        ("values", &["ownership", "candor"]),
        ("competencies", &["delegation", "feedback"]),
        ("actions", &["delegate-outcomes", "same-day-feedback"]),
        ("practices", &["venue-handover", "late-closedown"]),
        ("signals", &["teams-take-ownership", "feedback-given"]),
        ("enablers", &["clear-expectations"]),
        ("metrics", &["attendance", "ownership-rate"]),
        ("instruments", &["attendance-log", "observation"]),
        ("sessions", &["01-intro", "02-feedback", "03-review"]),
    ];
    for (folder, ids) in entities {
        for id in ids {
            v.push(format!("{pid}/{folder}/{id}/index.html"));
        }
    }
    v.push(format!("{pid}/sessions/fig/x.svg"));
    v.into_iter().collect()
}

fn site_files() -> BTreeSet<String> {
    [
        "index.html",
        "404.html",
        "sitemap.xml",
        "favicon.svg",
        "style.css",
        "search.js",
        "minisearch.js",
        // What this build wrote, for the next one (see write.rs).
        ".playbook-output",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// A page without the one script the theme puts on program pages (the
/// search), so that any other `<script` is one that should not be there.
fn without_search_script(page: &str) -> String {
    page.replacen(
        "<script src=\"/search.js\" defer data-swap></script>",
        "",
        1,
    )
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hrefs(fragment: &str) -> Vec<String> {
    anchors(fragment).into_iter().map(|(h, _)| h).collect()
}

#[test]
fn fixture_builds_exactly_the_expected_page_set() {
    let site = Site::new();
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("built 30 pages (40 files, 40 written) into"),
        "summary line: {}",
        run.stderr
    );
    assert!(run.stderr.contains(" — 0 warnings"), "{}", run.stderr);
    // The fixture is clean, so no test below builds past a warning.
    site.build(&site.scratch("strict"), &["--strict"])
        .assert_code(0);

    let mut expected = site_files();
    expected.extend(program_files("demo"));
    assert_eq!(file_set(&out), expected);
    assert_eq!(expected.iter().filter(|f| f.ends_with(".html")).count(), 30);

    // The sitemap lists every index.html page, once each, and nothing else.
    let locs = sitemap_locs(&read(&out, "sitemap.xml"));
    let want: BTreeSet<String> = expected
        .iter()
        .filter_map(|f| f.strip_suffix("index.html"))
        .map(|f| format!("https://demo.example.org/{f}"))
        .collect();
    let got: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(got, want, "sitemap locs");
    assert_eq!(locs.len(), 29);
    assert!(read(&out, "sitemap.xml").starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));

    // Static files: the theme's own bytes; the asset: the author's bytes.
    let repo = repo_root();
    assert_eq!(
        fs::read(out.join("favicon.svg")).unwrap(),
        fs::read(repo.join("themes/default/static/favicon.svg")).unwrap()
    );
    assert_eq!(
        fs::read(out.join("style.css")).unwrap(),
        fs::read(repo.join("themes/default/static/style.css")).unwrap()
    );
    assert_eq!(read(&out, "demo/sessions/fig/x.svg"), X_SVG);

    // Pages are what they claim to be.
    let intro = read(&out, "demo/sessions/01-intro/index.html");
    assert!(intro.contains("<h1>Handing over work</h1>"), "{intro}");
    assert!(
        intro.contains(
            r#"<img src="/demo/sessions/fig/x.svg" alt="Wall map of the handover steps" />"#
        ),
        "{intro}"
    );
    let e404 = read(&out, "404.html");
    assert!(
        e404.contains("<title>Page not found · Demo Playbooks</title>"),
        "{e404}"
    );
    let home = read(&out, "index.html");
    assert!(home.contains("<title>Demo Playbooks</title>"), "{home}");
    assert!(
        attr_values(&home, "href").contains(&"/demo/".to_string()),
        "{home}"
    );
}

#[test]
fn session_links_are_rewritten_to_pages_and_anchors() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    let intro = read(&out, "demo/sessions/01-intro/index.html");
    let body = between(&intro, r#"<div class="prose">"#, "</article>");
    assert_eq!(
        anchors(body),
        vec![
            ("/demo/competencies/delegation/".into(), "delegation".into()),
            ("/demo/values/ownership/".into(), "ownership".into()),
            ("#debrief-questions".into(), "debrief".into()),
        ]
    );
    assert!(
        body.contains(r#"<h2 id="debrief-questions">Debrief questions</h2>"#),
        "{body}"
    );

    let fb = read(&out, "demo/sessions/02-feedback/index.html");
    let body = between(&fb, r#"<div class="prose">"#, "</article>");
    assert_eq!(
        hrefs(body),
        vec![
            "/demo/sessions/01-intro/#debrief-questions",
            "/demo/practices/late-closedown/",
            "/demo/actions/same-day-feedback/",
            "/demo/metrics/ownership-rate/",
            "/demo/instruments/observation/",
        ]
    );

    let review = read(&out, "demo/sessions/03-review/index.html");
    let body = between(&review, r#"<div class="prose">"#, "</article>");
    assert_eq!(
        hrefs(body),
        vec![
            "/demo/sessions/01-intro/",
            "/demo/signals/teams-take-ownership/",
            "/demo/enablers/clear-expectations/",
            "/demo/metrics/attendance/",
            "/demo/instruments/attendance-log/",
            "/demo/practices/venue-handover/",
            "/demo/actions/delegate-outcomes/",
            "https://example.com/guide",
        ]
    );

    // The one-page guide holds every body with prefixed ids; a same-page
    // anchor follows the prefix.
    let guide = read(&out, "demo/guide/index.html");
    let ids = ids_of(&guide);
    for id in [
        "01-intro-agenda",
        "01-intro-debrief-questions",
        "02-feedback-purpose",
        "03-review-review",
    ] {
        assert!(ids.contains(id), "guide lacks id {id}: {ids:?}");
    }
    assert!(attr_values(&guide, "href").contains(&"#01-intro-debrief-questions".to_string()));
}

#[test]
fn links_go_both_ways() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    // Competency → the sessions that list it, in curriculum order.
    let comp = read(&out, "demo/competencies/delegation/index.html");
    assert_eq!(
        anchors(between(
            &comp,
            "<h2>Sessions that build it</h2>",
            "</section>"
        )),
        vec![
            (
                "/demo/sessions/01-intro/".into(),
                "Handing over work".into()
            ),
            (
                "/demo/sessions/02-feedback/".into(),
                "Same-day feedback".into()
            ),
        ]
    );
    let comp = read(&out, "demo/competencies/feedback/index.html");
    assert_eq!(
        hrefs(between(
            &comp,
            "<h2>Sessions that build it</h2>",
            "</section>"
        )),
        vec!["/demo/sessions/02-feedback/", "/demo/sessions/03-review/"]
    );
    // ... and each session back to it.
    for (session, comps) in [
        ("01-intro", vec!["/demo/competencies/delegation/"]),
        (
            "02-feedback",
            vec![
                "/demo/competencies/feedback/",
                "/demo/competencies/delegation/",
            ],
        ),
        ("03-review", vec!["/demo/competencies/feedback/"]),
    ] {
        let page = read(&out, &format!("demo/sessions/{session}/index.html"));
        assert_eq!(
            hrefs(between(&page, "<h2>Builds</h2>", "<h2>")),
            comps,
            "{session}"
        );
    }
    let intro = read(&out, "demo/sessions/01-intro/index.html");
    assert_eq!(
        anchors(between(&intro, "<h2>Builds</h2>", "<h2>")),
        vec![(
            "/demo/competencies/delegation/".into(),
            "Delegating effectively".into()
        )]
    );

    // Action → its practice; practice → its action and its sessions.
    let action = read(&out, "demo/actions/delegate-outcomes/index.html");
    assert_eq!(
        anchors(between(&action, "<h2>Practice scenarios</h2>", "<h2>")),
        vec![(
            "/demo/practices/venue-handover/".into(),
            "Hand the venue workstream to a new coordinator two weeks before the event.".into()
        )]
    );
    assert_eq!(
        hrefs(between(
            &action,
            "<h2>Sessions where it is practised</h2>",
            "</section>"
        )),
        vec!["/demo/sessions/01-intro/"]
    );
    let practice = read(&out, "demo/practices/venue-handover/index.html");
    assert_eq!(
        anchors(between(&practice, "<p>For the action ", "</p>")),
        vec![(
            "/demo/actions/delegate-outcomes/".into(),
            "Hand over each workstream with an agreed outcome and deadline".into()
        )]
    );
    assert_eq!(
        anchors(between(
            &practice,
            "<h2>Sessions that use it</h2>",
            "</main>"
        )),
        vec![(
            "/demo/sessions/01-intro/".into(),
            "Handing over work".into()
        )]
    );
    let practice = read(&out, "demo/practices/late-closedown/index.html");
    assert_eq!(
        hrefs(between(
            &practice,
            "<h2>Sessions that use it</h2>",
            "</main>"
        )),
        vec!["/demo/sessions/02-feedback/"]
    );

    // Metric → its signals; signal → the metrics that evidence it.
    let metric = read(&out, "demo/metrics/ownership-rate/index.html");
    assert_eq!(
        anchors(between(
            &metric,
            "<h2>Success signals it evidences</h2>",
            "</section>"
        )),
        vec![
            (
                "/demo/signals/teams-take-ownership/".into(),
                "Team members take ownership of workstreams".into()
            ),
            (
                "/demo/signals/feedback-given/".into(),
                "Team members receive feedback on the same day".into()
            ),
        ]
    );
    assert_eq!(
        hrefs(between(
            &metric,
            "<h2>Sessions that collect it</h2>",
            "</section>"
        )),
        vec!["/demo/sessions/02-feedback/", "/demo/sessions/03-review/"]
    );
    let signal = read(&out, "demo/signals/teams-take-ownership/index.html");
    assert_eq!(
        anchors(between(
            &signal,
            "<h2>Evidenced by metrics</h2>",
            "</section>"
        )),
        vec![
            (
                "/demo/metrics/attendance/".into(),
                "Session attendance".into()
            ),
            (
                "/demo/metrics/ownership-rate/".into(),
                "Share of workstreams handed over with an agreed outcome".into()
            ),
        ]
    );
    let signal = read(&out, "demo/signals/feedback-given/index.html");
    assert_eq!(
        hrefs(between(
            &signal,
            "<h2>Evidenced by metrics</h2>",
            "</section>"
        )),
        vec!["/demo/metrics/ownership-rate/"]
    );
}

/// The fixture's own links that the checker must have seen.
fn assert_fixture_links_seen(r: &LinkReport, base: &str) {
    for t in [
        format!("{base}demo/sessions/01-intro/#debrief-questions"),
        format!("{base}demo/sessions/fig/x.svg"),
        format!("{base}demo/values/ownership/"),
        format!("{base}demo/enablers/clear-expectations/"),
        "#debrief-questions".to_string(),
        "#main".to_string(),
        format!("{base}favicon.svg"),
        format!("{base}style.css"),
    ] {
        assert!(
            r.targets.contains(&t),
            "link {t} was never seen: {:?}",
            r.targets
        );
    }
}

#[test]
fn every_internal_link_of_the_fixture_resolves() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let r = assert_links_ok(&out, "/");
    assert_eq!(r.pages, 30);
    assert!(r.internal > 500, "only {} internal links", r.internal);
    assert!(r.fragments > 30, "only {} fragment links", r.fragments);
    assert_fixture_links_seen(&r, "/");
}

#[test]
fn every_internal_link_of_the_fixture_resolves_under_a_base_url() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &["--base-url", "/playbooks/"])
        .assert_code(0);
    let r = assert_links_ok(&out, "/playbooks/");
    assert_eq!(r.pages, 30);
    assert_fixture_links_seen(&r, "/playbooks/");
    for loc in sitemap_locs(&read(&out, "sitemap.xml")) {
        assert!(
            loc.starts_with("https://demo.example.org/playbooks/"),
            "sitemap loc {loc}"
        );
    }
    // The same pages as without a base: the base is in links, not in paths.
    let mut expected = site_files();
    expected.extend(program_files("demo"));
    assert_eq!(file_set(&out), expected);
}

#[test]
fn base_url_without_slashes_is_normalised() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &["--base-url", "playbooks"])
        .assert_code(0);
    let r = assert_links_ok(&out, "/playbooks/");
    assert_fixture_links_seen(&r, "/playbooks/");
}

#[test]
fn every_internal_link_of_the_example_site_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out, &[]).assert_code(0);
    let r = assert_links_ok(&out, "/");
    assert!(r.pages >= 100, "{} pages", r.pages);
    assert_no_block_in_phrasing(&out);
    for t in [
        "/leadership-accelerator/sessions/04-calm-under-pressure/#debrief-questions",
        "/leadership-accelerator/sessions/09-difficult-conversations/#agenda",
        "/leadership-accelerator/sessions/fig/action-map-wall.svg",
        "/leadership-accelerator/sessions/handouts/delegation-checklist.txt",
    ] {
        assert!(r.targets.contains(t), "link {t} was never seen");
    }
}

#[test]
fn every_internal_link_of_the_example_site_resolves_under_a_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out, &["--base-url", "/playbooks/"]).assert_code(0);
    let r = assert_links_ok(&out, "/playbooks/");
    assert!(r.pages >= 100, "{} pages", r.pages);
    // The home page's search fetches every program's documents (the link
    // check above found each URL), a program page's only its own.
    let docs = |page: &str| -> BTreeSet<String> {
        attr_values(&read(&out, page), "data-docs")
            .iter()
            .flat_map(|d| d.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let programs: BTreeSet<String> = fs::read_dir(repo_root().join("content"))
        .unwrap()
        .map(|e| {
            format!(
                "/playbooks/{}/search.json",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    assert_eq!(programs.len(), 2);
    assert_eq!(docs("index.html"), programs);
    assert_eq!(
        docs("new-manager-essentials/curriculum/index.html"),
        BTreeSet::from(["/playbooks/new-manager-essentials/search.json".to_string()])
    );
    assert!(docs("404.html").is_empty());
    assert!(r.targets.contains(
        "/playbooks/leadership-accelerator/sessions/04-calm-under-pressure/#debrief-questions"
    ));
    for loc in sitemap_locs(&read(&out, "sitemap.xml")) {
        assert!(
            loc.starts_with("https://playbooks.brightline.example/playbooks/"),
            "sitemap loc {loc}"
        );
    }
}

#[test]
fn html_in_yaml_and_markdown_is_escaped_everywhere() {
    const EVIL: &str = "<script>alert(1)</script>";
    let site = Site::new();
    // With `raw_html: escape`, every tag is shown as text (hostile.rs tests
    // the default, `sanitize`).
    site.write(
        "playbook.yaml",
        &format!("{PLAYBOOK_YAML}markdown:\n  raw_html: escape\n"),
    );
    let p = "content/demo";
    site.edit(
        &format!("{p}/program.yaml"),
        "title: Demo Program",
        &format!("title: \"Demo {EVIL} Program\""),
    );
    site.edit(
        &format!("{p}/alignment/competencies.yaml"),
        "name: Delegating effectively",
        &format!("name: \"Delegating {EVIL} effectively\""),
    );
    site.edit(
        &format!("{p}/alignment/competencies.yaml"),
        "- Lets the owner choose the method",
        &format!("- \"Lets the owner choose {EVIL} the method\""),
    );
    site.edit(
        &format!("{p}/sessions/01-intro.md"),
        "## Debrief questions",
        &format!("{EVIL}\n\nInline {EVIL} too.\n\n## Debrief questions"),
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    let tree = read_tree(&out);
    // Markup only: the data exports (program.json, calendar.ics,
    // results.csv) hold the text as written, as data.
    let markup = |p: &str| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".svg");
    for (path, bytes) in tree.iter().filter(|(p, _)| markup(p)) {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("<script>alert"),
            "{path} holds unescaped HTML:\n{text}"
        );
        assert!(
            !without_search_script(&text)
                .to_lowercase()
                .contains("<script"),
            "{path} holds a <script> tag"
        );
    }
    let has = |path: &str| read(&out, path).contains("&lt;script&gt;alert(1)");
    // Program title: on its overview, on every program page's header, home.
    assert!(has("demo/index.html"));
    assert!(has("demo/metrics/attendance/index.html"));
    assert!(has("index.html"));
    // Competency name and behaviour.
    let comp = read(&out, "demo/competencies/delegation/index.html");
    assert!(
        comp.contains("<h1>Delegating &lt;script&gt;alert(1)"),
        "competency name not escaped in its h1:\n{comp}"
    );
    assert!(
        comp.contains(
            "<li>Lets the owner choose &lt;script&gt;alert(1)&lt;/script&gt; the method</li>"
        ),
        "behaviour:\n{comp}"
    );
    assert!(has("demo/sessions/01-intro/index.html"));
    assert!(has("demo/competencies/index.html"));
    assert!(has("demo/traceability/index.html"));
    // Session body raw HTML, block and inline.
    let intro = read(&out, "demo/sessions/01-intro/index.html");
    let body = between(&intro, r#"<div class="prose">"#, "</article>");
    assert_eq!(
        body.matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count(),
        2,
        "{body}"
    );
    let guide = read(&out, "demo/guide/index.html");
    let bodies: String = guide
        .split(r#"<div class="prose">"#)
        .skip(1)
        .map(|b| b.split("</section>").next().unwrap_or(""))
        .collect();
    assert_eq!(
        bodies
            .matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count(),
        2,
        "{guide}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::new();
    // Default output folder: <site>/public.
    let root = site.root();
    let run1 = run(&["build"], &root);
    run1.assert_code(0);
    let out = root.join("public");
    let before = read_tree(&out);
    let mut expected = site_files();
    expected.extend(program_files("demo"));
    assert_eq!(before.keys().cloned().collect::<BTreeSet<_>>(), expected);
    let entries_before = entries(&root);

    site.edit(
        "content/demo/sessions/01-intro.md",
        "competencies: [delegation]",
        "competencies: [delegaton]",
    );
    let run2 = run(&["build"], &root);
    run2.assert_code(1);
    assert!(run2.stderr.contains("delegaton"), "{}", run2.stderr);
    assert!(run2.stderr.contains("nothing written"), "{}", run2.stderr);

    assert_same_tree(&before, &read_tree(&out));
    assert_eq!(entries(&root), entries_before);
    let stray: Vec<String> = entries(&root)
        .into_iter()
        .filter(|e| e.starts_with(".public."))
        .collect();
    assert!(
        stray.is_empty(),
        "stray folders beside the output: {stray:?}"
    );
}

#[test]
fn a_failed_build_leaves_an_explicit_output_folder_untouched() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let before = read_tree(&out);
    assert!(before.len() > 30);

    site.edit(
        "content/demo/alignment/metrics.yaml",
        "signals: [teams-take-ownership, feedback-given]",
        "signals: [teams-take-ownership, feedback-givn]",
    );
    site.build(&out, &[]).assert_code(1);
    assert_same_tree(&before, &read_tree(&out));
    let parent = out.parent().unwrap();
    assert_eq!(entries(parent), ["out", "site"].map(String::from).into());
}

#[test]
fn a_failed_first_build_creates_no_output_folder() {
    let site = Site::new();
    site.edit(
        "content/demo/sessions/02-feedback.md",
        "[early close-down](practice:late-closedown)",
        "[early close-down](practice:late-close-down)",
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("late-close-down"), "{}", run.stderr);
    assert!(!out.exists(), "a failed build created {}", out.display());
    let parent = out.parent().unwrap();
    assert_eq!(entries(parent), ["site"].map(String::from).into());
    // Nor the default output folder.
    run_default_and_expect_nothing(&site.root());
}

fn run_default_and_expect_nothing(root: &Path) {
    let before = entries(root);
    run(&["build"], root).assert_code(1);
    assert_eq!(entries(root), before);
    assert!(!root.join("public").exists());
}

#[test]
fn a_successful_rebuild_replaces_the_output_and_leaves_no_temp_folders() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    // A page of an earlier build that the site no longer has goes away.
    let text = site.read("content/demo/sessions/03-review.md");
    site.remove("content/demo/sessions/03-review.md");
    site.write("content/demo/sessions/03-coach-review.md", &text);
    assert!(out.join("demo/sessions/03-review/index.html").exists());
    site.edit(
        "content/demo/sessions/03-coach-review.md",
        "title: Review with your coach",
        "title: Coach review",
    );
    site.build(&out, &[]).assert_code(0);
    assert!(!out.join("demo/sessions/03-review").exists());
    let review = "demo/sessions/03-coach-review/index.html";
    assert!(read(&out, review).contains("<h1>Coach review</h1>"));
    // The output before is kept beside it, for the next build to update,
    // and hidden from git.
    assert_eq!(
        entries(out.parent().unwrap()),
        [".out.previous", "out", "site"].map(String::from).into()
    );
    let previous = out.parent().unwrap().join(".out.previous");
    assert!(previous.join("demo/sessions/03-review/index.html").exists());
    assert_eq!(read(&previous, ".gitignore").lines().last(), Some("*"));
    // The next build updates it in place and swaps it in.
    site.build(&out, &[]).assert_code(0);
    assert!(!out.join("demo/sessions/03-review").exists());
    assert!(read(&out, review).contains("<h1>Coach review</h1>"));
    assert!(!out.join(".gitignore").exists());
    assert!(!out.join("CACHEDIR.TAG").exists());
}

#[test]
fn builds_are_deterministic() {
    let site = Site::new();
    let (a, b) = (site.scratch("a"), site.scratch("b"));
    site.build(&a, &[]).assert_code(0);
    site.build(&b, &[]).assert_code(0);
    let ta = read_tree(&a);
    assert_eq!(ta.len(), 41);
    assert_same_tree(&ta, &read_tree(&b));

    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_example(&a, &[]).assert_code(0);
    build_example(&b, &[]).assert_code(0);
    let ta = read_tree(&a);
    assert!(ta.len() > 100);
    assert_same_tree(&ta, &read_tree(&b));
}

#[test]
fn draft_programs_are_built_only_with_drafts() {
    let site = Site::new();
    site.add_program("secret", "draft: true\n");
    site.edit(
        "content/secret/program.yaml",
        "title: Demo Program",
        "title: Secret Program",
    );

    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let mut expected = site_files();
    expected.extend(program_files("demo"));
    assert_eq!(file_set(&out), expected);
    let home = read(&out, "index.html");
    assert!(!home.contains("Secret Program"), "{home}");
    assert!(
        !links_of(&home).iter().any(|l| l.contains("secret")),
        "{home}"
    );
    assert!(!read(&out, "sitemap.xml").contains("secret"));
    assert!(!read(&out, "demo/index.html").contains("secret"));

    let out = site.scratch("drafts");
    site.build(&out, &["--drafts"]).assert_code(0);
    let mut expected = site_files();
    expected.extend(program_files("demo"));
    expected.extend(program_files("secret"));
    assert_eq!(file_set(&out), expected);
    let home = read(&out, "index.html");
    assert!(home.contains("Secret Program"), "{home}");
    assert!(links_of(&home).contains(&"/secret/".to_string()), "{home}");
    assert!(sitemap_locs(&read(&out, "sitemap.xml"))
        .contains(&"https://demo.example.org/secret/sessions/01-intro/".to_string()));
    assert!(read(&out, "secret/index.html").contains(r#"<span class="badge">Draft</span>"#));
    assert!(!read(&out, "demo/index.html").contains(r#"<span class="badge">Draft</span>"#));
    assert_links_ok(&out, "/");
}

const CUSTOM_SESSION: &str = r#"{% extends "base.html" %}
{% block content %}
<article class="custom-session"><h1>Custom: {{ session.title }}</h1>{{ content | safe }}</article>
{% endblock content %}
"#;

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = Site::new();
    let plain = site.scratch("plain");
    site.build(&plain, &[]).assert_code(0);

    site.write("templates/session.html", CUSTOM_SESSION);
    let css = "/* site css */\nbody { color: rebeccapurple; }\n";
    site.write("static/style.css", css);
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    let intro = read(&out, "demo/sessions/01-intro/index.html");
    assert!(
        intro.contains(r#"<article class="custom-session"><h1>Custom: Handing over work</h1><h2 id="agenda">Agenda</h2>"#),
        "{intro}"
    );
    assert!(!intro.contains("session-layout"), "{intro}");
    let review = read(&out, "demo/sessions/03-review/index.html");
    assert!(
        review.contains("<h1>Custom: Review with your coach</h1>"),
        "{review}"
    );
    assert_eq!(read(&out, "style.css"), css);
    assert_eq!(
        fs::read(out.join("favicon.svg")).unwrap(),
        fs::read(repo_root().join("themes/default/static/favicon.svg")).unwrap()
    );
    // Everything that is not a session page or the CSS is unchanged.
    let (a, b) = (read_tree(&plain), read_tree(&out));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    let changed: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert_eq!(
        changed,
        vec![
            // The manifest holds the hash of every file.
            ".playbook-output",
            "demo/sessions/01-intro/index.html",
            "demo/sessions/02-feedback/index.html",
            "demo/sessions/03-review/index.html",
            "style.css",
        ]
    );
    assert_links_ok(&out, "/");
}

#[test]
fn site_static_files_are_added_to_the_output() {
    let site = Site::new();
    site.write("static/img/logo.svg", X_SVG);
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    assert_eq!(read(&out, "img/logo.svg"), X_SVG);
}

#[test]
fn a_template_with_an_unknown_variable_fails_naming_file_line_and_variable() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let before = read_tree(&out);

    site.write(
        "templates/session.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ session.title }}</h1>\n<p>{{ session.no_such_field }}</p>\n{% endblock content %}\n",
    );
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("templates/session.html:4"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("session.no_such_field"),
        "{}",
        run.stderr
    );
    assert_same_tree(&before, &read_tree(&out));

    let fresh = site.scratch("fresh");
    site.build(&fresh, &[]).assert_code(1);
    assert!(!fresh.exists());
}

#[test]
fn an_unknown_theme_fails_the_build_and_says_how_to_fix_it() {
    let site = Site::new();
    site.write("playbook.yaml", &format!("{PLAYBOOK_YAML}theme: fancy\n"));
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error[unknown-theme]: theme `fancy` not found"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("create themes/fancy/templates/, or remove `theme:`"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    // With the folder, the theme's files override the built-in ones.
    site.write("themes/fancy/static/style.css", "body { color: red }\n");
    site.build(&out, &[]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).unwrap(),
        "body { color: red }\n"
    );
}

#[test]
fn an_unknown_variable_in_a_top_level_template_names_its_line() {
    let site = Site::new();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\n<p>{{ nowhere }}</p>\n{% endblock content %}\n",
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("templates/404.html:4"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nowhere"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn output_dot_in_the_site_root_is_refused_and_deletes_nothing() {
    let site = Site::new();
    let root = site.root();
    run(&["build"], &root).assert_code(0);
    let before = read_tree(&root);
    assert!(before.contains_key("public/index.html"));
    assert!(before.contains_key("content/demo/program.yaml"));

    let r = run(&["build", "--output", "."], &root);
    r.assert_code(2);
    assert!(
        r.stderr.contains("contains the site itself"),
        "{}",
        r.stderr
    );
    assert_same_tree(&before, &read_tree(&root));

    let abs = root.display().to_string();
    run(&["build", abs.as_str(), "--output", abs.as_str()], &root).assert_code(2);
    assert_same_tree(&before, &read_tree(&root));

    run(&["build", "--output", ".."], &root).assert_code(2);
    run(&["build", "--output", "content"], &root).assert_code(2);
    assert_same_tree(&before, &read_tree(&root));
    assert_eq!(
        entries(root.parent().unwrap()),
        ["site"].map(String::from).into()
    );
}

#[test]
fn without_an_absolute_url_the_sitemap_is_left_out_with_a_note() {
    let site = Site::new();
    site.edit("playbook.yaml", "site_url: https://demo.example.org/\n", "");
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(!out.join("sitemap.xml").exists());
    assert!(
        run.stderr.contains("note: sitemap.xml left out: sitemaps need absolute URLs; set `site_url` in playbook.yaml"),
        "{}",
        run.stderr
    );
    // --site-url gives it on the command line (a deploy workflow knows
    // the address), with links still under the relative base.
    let run = site.build(
        &out,
        &[
            "--base-url",
            "/repo/",
            "--site-url",
            "https://owner.github.io/repo",
        ],
    );
    run.assert_code(0);
    let locs = sitemap_locs(&read(&out, "sitemap.xml"));
    assert!(
        locs.contains(&"https://owner.github.io/repo/demo/sessions/01-intro/".to_string()),
        "{locs:?}"
    );
    assert_links_ok(&out, "/repo/");
    // Only an absolute one.
    let run = site.build(&out, &["--site-url", "/repo/"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("`/repo/` is not an absolute URL"),
        "{}",
        run.stderr
    );
    // A relative site_url is an error, not a silent fallback.
    site.edit(
        "playbook.yaml",
        "base_url: /\n",
        "base_url: /\nsite_url: /docs/\n",
    );
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("`site_url` must be an absolute URL, found `/docs/`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_can_override_the_sitemap_template() {
    let site = Site::new();
    site.write(
        "templates/sitemap.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{% for e in entries %}<url><loc>{{ e.loc }}</loc><changefreq>weekly</changefreq></url>{% endfor %}</urlset>\n",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let xml = read(&out, "sitemap.xml");
    assert_eq!(
        xml.matches("<changefreq>weekly</changefreq>").count(),
        29,
        "{xml}"
    );
    assert!(
        xml.contains("<loc>https://demo.example.org/demo/</loc>"),
        "{xml}"
    );
}

#[test]
fn every_internal_link_resolves_under_an_absolute_base_url() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &["--base-url", "https://example.com/docs/"])
        .assert_code(0);
    let r = assert_links_ok(&out, "https://example.com/docs/");
    assert_eq!(r.pages, 30);
    assert_fixture_links_seen(&r, "https://example.com/docs/");
    let locs = sitemap_locs(&read(&out, "sitemap.xml"));
    assert_eq!(locs.len(), 29);
    assert!(locs.contains(&"https://example.com/docs/demo/sessions/01-intro/".to_string()));
}

#[test]
fn assets_and_anchors_with_spaces_and_accents_resolve() {
    let site = Site::new();
    site.write("content/demo/sessions/fig/wall map.svg", X_SVG);
    site.write("content/demo/sessions/fig/café.svg", X_SVG);
    site.edit(
        "content/demo/sessions/03-review.md",
        "## Review\n",
        "## Review\n\n![Wall](fig/wall%20map.svg) ![Wall again](<fig/wall map.svg>) ![Café](fig/café.svg)\n\n\
         See [the café notes](#café--crème) and [the intro ones](01-intro.md#debrief-questions).\n\n\
         ## Café & crème\n\nNotes.\n",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    assert_eq!(read(&out, "demo/sessions/fig/wall map.svg"), X_SVG);
    assert_eq!(read(&out, "demo/sessions/fig/café.svg"), X_SVG);
    let r = assert_links_ok(&out, "/");
    for t in [
        "/demo/sessions/fig/wall%20map.svg",
        "/demo/sessions/fig/caf%C3%A9.svg",
        "#caf%C3%A9--cr%C3%A8me",
    ] {
        assert!(
            r.targets.contains(t),
            "link {t} was never seen: {:?}",
            r.targets
        );
    }
    let review = read(&out, "demo/sessions/03-review/index.html");
    assert!(
        review.contains("<h2 id=\"café--crème\">Café &amp; crème</h2>"),
        "{review}"
    );
}

/// A build either rejects the input (exit 1, naming `needle`) or produces
/// a site whose every link resolves.
#[track_caller]
fn assert_rejected_or_links_ok(site: &Site, needle: &str) {
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    if run.code == 1 {
        assert!(run.stderr.contains(needle), "{}", run.stderr);
        assert!(!out.exists());
    } else {
        run.assert_code(0);
        assert_links_ok(&out, "/");
    }
}

#[test]
fn an_anchor_on_a_link_to_a_non_session_entity_is_checked() {
    let site = Site::new();
    site.edit(
        "content/demo/sessions/03-review.md",
        "[attendance](metric:attendance)",
        "[attendance](metric:attendance#no-such-heading)",
    );
    assert_rejected_or_links_ok(&site, "#no-such-heading");

    let site = Site::new();
    site.edit(
        "content/demo/alignment/competencies.yaml",
        "description: Hands over outcomes, not tasks.",
        "description: Hands over outcomes, not [tasks](competency:feedback#no-such-heading).",
    );
    assert_rejected_or_links_ok(&site, "#no-such-heading");
}

#[test]
fn a_same_page_anchor_in_a_yaml_text_is_checked() {
    let site = Site::new();
    site.edit(
        "content/demo/alignment/competencies.yaml",
        "description: Hands over outcomes, not tasks.",
        "description: Hands over outcomes, not [tasks](#no-such-heading).",
    );
    assert_rejected_or_links_ok(&site, "#no-such-heading");
}

#[test]
fn a_session_asset_never_replaces_a_generated_page() {
    let site = Site::new();
    site.write(
        "content/demo/sessions/01-intro/index.html",
        "<p>an asset</p>\n",
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    if run.code == 1 {
        assert!(run.stderr.contains("01-intro/index.html"), "{}", run.stderr);
    } else {
        run.assert_code(0);
        let page = read(&out, "demo/sessions/01-intro/index.html");
        assert!(
            page.contains("<h1>Handing over work</h1>"),
            "the session page was replaced by:\n{page}"
        );
    }
}

#[test]
fn angle_brackets_in_an_action_are_the_same_text_everywhere() {
    let site = Site::new();
    site.edit(
        "content/demo/alignment/action-map.yaml",
        "action: Give specific feedback on the same day",
        "action: Give the <owner> specific feedback on the same day",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let text = "Give the <owner> specific feedback on the same day";
    let action = read(&out, "demo/actions/same-day-feedback/index.html");
    assert!(
        action.contains("<h1>Give the &lt;owner&gt; specific feedback on the same day</h1>"),
        "{action}"
    );
    let comp = read(&out, "demo/competencies/feedback/index.html");
    assert_eq!(
        anchors(between(
            &comp,
            "<h2>Actions that need it</h2>",
            "</section>"
        )),
        vec![("/demo/actions/same-day-feedback/".into(), text.into())]
    );
    assert!(
        action.contains(
            "<title>Give the &lt;owner&gt; specific feedback on the same day — Demo Program"
        ),
        "{action}"
    );
}

#[test]
fn output_dir_in_playbook_yaml_is_guarded_too() {
    for (dir, why) in [
        (".", "contains the site itself"),
        ("content", "inside the site's content/ folder"),
    ] {
        let site = Site::new();
        let root = site.root();
        site.write(
            "playbook.yaml",
            &format!("{PLAYBOOK_YAML}output_dir: {dir}\n"),
        );
        let before = read_tree(&root);
        let r = run(&["build"], &root);
        r.assert_code(2);
        assert!(r.stderr.contains(why), "{}", r.stderr);
        assert_same_tree(&before, &read_tree(&root));
        assert_eq!(
            entries(root.parent().unwrap()),
            ["site"].map(String::from).into()
        );
    }
}

#[test]
fn an_output_path_that_is_a_file_leaves_no_stray_entries() {
    let site = Site::new();
    let out = site.scratch("out");
    fs::write(&out, "precious\n").unwrap();
    let run = site.build(&out, &[]);
    if run.code == 2 {
        assert_eq!(fs::read_to_string(&out).unwrap(), "precious\n");
    } else {
        run.assert_code(0);
        assert!(out.join("index.html").is_file());
    }
    assert_eq!(
        entries(out.parent().unwrap()),
        ["out", "site"].map(String::from).into()
    );
}

#[test]
fn an_unknown_variable_is_reported_at_the_line_that_uses_it() {
    let site = Site::new();
    site.write(
        "templates/session.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if session.facilitator is defined %}<p>{{ session.facilitator }}</p>{% endif %}\n<h1>{{ session.title }}</h1>\n\n<p>By {{ session.facilitator }}</p>\n{% endblock content %}\n",
    );
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("session.facilitator"), "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/session.html:6"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn an_unknown_variable_in_an_overridden_base_template_names_that_file() {
    let site = Site::new();
    let theme_base =
        fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    let marker = "<main id=\"main\" class=\"wrap\">";
    assert_eq!(theme_base.matches(marker).count(), 1);
    let base = theme_base.replace(marker, &format!("{marker}{{{{ page.no_such_field }}}}"));
    let line = base
        .lines()
        .position(|l| l.contains("page.no_such_field"))
        .unwrap()
        + 1;
    site.write("templates/base.html", &base);
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("page.no_such_field"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("templates/base.html:{line}")),
        "expected templates/base.html:{line} in\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("(built in)"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn an_unknown_variable_in_an_overridden_macro_names_the_macro_file() {
    let site = Site::new();
    let theme =
        fs::read_to_string(repo_root().join("themes/default/templates/macros.html")).unwrap();
    let from = "<p class=\"empty\">{{ empty }}</p>";
    assert!(theme.contains(from));
    // Only the `links` macro's empty branch, used for 03-review's actions.
    let macros = theme.replacen(
        from,
        "<p class=\"empty\">{{ empty }}{{ no_such_var }}</p>",
        1,
    );
    let line = macros
        .lines()
        .position(|l| l.contains("no_such_var"))
        .unwrap()
        + 1;
    site.write("templates/macros.html", &macros);
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains(&format!("templates/macros.html:{line}")),
        "expected templates/macros.html:{line} in\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`no_such_var` is not in the context"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("`m::links` is not in the context"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn html_in_every_other_text_field_is_escaped_too() {
    const EVIL: &str = "<script>alert(1)</script>";
    let site = Site::new();
    // With `raw_html: escape`, every tag is shown as text (hostile.rs tests
    // the default, `sanitize`).
    site.write(
        "playbook.yaml",
        &format!("{PLAYBOOK_YAML}markdown:\n  raw_html: escape\n"),
    );
    let d = "content/demo/";
    let q = |prefix: &str| format!("\"{prefix} {EVIL}\"");
    site.edit(
        "playbook.yaml",
        "title: Demo Playbooks",
        &format!("title: {}", q("Site")),
    );
    site.edit(
        "playbook.yaml",
        "description: A tiny site for build tests",
        &format!("description: {}", q("About")),
    );
    let p = &format!("{d}program.yaml");
    site.edit(
        p,
        "organization: Demo Co.",
        &format!("organization: {}", q("Org")),
    );
    site.edit(
        p,
        "audience: New managers",
        &format!("audience: {}", q("Aud")),
    );
    site.edit(
        p,
        "facilitators: [Ana Ruiz]",
        &format!("facilitators: [{}]", q("Fac")),
    );
    site.edit(p, "summary: Builds", &format!("summary: {EVIL} Builds"));
    let p = &format!("{d}alignment/competencies.yaml");
    site.edit(p, "name: Ownership", &format!("name: {}", q("Own")));
    site.edit(
        p,
        "description: We finish what we start.",
        &format!("description: {}", q("Fin")),
    );
    let p = &format!("{d}alignment/action-map.yaml");
    site.edit(
        p,
        "statement: Managers",
        &format!("statement: {} #", q("Goal")),
    );
    site.edit(
        p,
        "scenario: A bartender",
        &format!("scenario: {} #", q("Bar")),
    );
    site.edit(
        p,
        "remedy: Executives route",
        &format!("remedy: {} #", q("Rem")),
    );
    site.edit(p, "- The handover checklist", &format!("- {}", q("Info")));
    let p = &format!("{d}alignment/evaluation.yaml");
    site.edit(
        p,
        "owner: Executive team",
        &format!("owner: {}", q("Owner")),
    );
    site.edit(
        p,
        "signal: Team members receive",
        &format!("signal: {} #", q("Sig")),
    );
    site.edit(
        p,
        "question: Do managers",
        &format!("question: {} #", q("Q")),
    );
    let p = &format!("{d}alignment/metrics.yaml");
    site.edit(
        p,
        "name: Session attendance",
        &format!("name: {}", q("Att")),
    );
    site.edit(
        p,
        "name: Manager observation",
        &format!("name: {}", q("Obs")),
    );
    let p = &format!("{d}sessions/02-feedback.md");
    site.edit(
        p,
        "title: Same-day feedback",
        &format!("title: {}", q("Same")),
    );
    site.edit(p, "module: Foundations", &format!("module: {}", q("Mod")));
    site.edit(p, "## Notes", &format!("## Notes {EVIL}"));
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    let tree = read_tree(&out);
    let markup = |p: &str| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".svg");
    for (path, bytes) in tree.iter().filter(|(p, _)| markup(p)) {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !without_search_script(&text)
                .to_lowercase()
                .contains("<script"),
            "{path} holds a <script> tag:\n{text}"
        );
        if path.ends_with(".html") {
            assert!(
                text.contains("&lt;script&gt;alert(1)"),
                "{path}: the site title is not shown"
            );
        }
    }
    let has = |path: &str, s: &str| {
        let page = read(&out, path);
        assert!(page.contains(s), "{path} lacks {s}:\n{page}");
    };
    has("index.html", "Org &lt;script&gt;alert(1)");
    has("demo/index.html", "Aud &lt;script&gt;alert(1)");
    has("demo/index.html", "Fac &lt;script&gt;alert(1)");
    has(
        "demo/values/ownership/index.html",
        "<h1>Own &lt;script&gt;alert(1)",
    );
    has(
        "demo/values/ownership/index.html",
        "Fin &lt;script&gt;alert(1)",
    );
    has("demo/action-map/index.html", "Goal &lt;script&gt;alert(1)");
    has(
        "demo/practices/late-closedown/index.html",
        "Bar &lt;script&gt;alert(1)",
    );
    has(
        "demo/actions/delegate-outcomes/index.html",
        "Rem &lt;script&gt;alert(1)",
    );
    has(
        "demo/actions/delegate-outcomes/index.html",
        "Info &lt;script&gt;alert(1)",
    );
    has(
        "demo/enablers/clear-expectations/index.html",
        "Owner &lt;script&gt;alert(1)",
    );
    has(
        "demo/signals/feedback-given/index.html",
        "Sig &lt;script&gt;alert(1)",
    );
    has("demo/evaluation/index.html", "Q &lt;script&gt;alert(1)");
    has(
        "demo/metrics/attendance/index.html",
        "<h1>Att &lt;script&gt;alert(1)",
    );
    has(
        "demo/instruments/observation/index.html",
        "<h1>Obs &lt;script&gt;alert(1)",
    );
    has(
        "demo/sessions/02-feedback/index.html",
        "<h1>Same &lt;script&gt;alert(1)",
    );
    has(
        "demo/sessions/02-feedback/index.html",
        "Mod &lt;script&gt;alert(1)",
    );
    has("demo/curriculum/index.html", "Same &lt;script&gt;alert(1)");
    has(
        "demo/sessions/02-feedback/index.html",
        "Notes &lt;script&gt;alert(1)&lt;/script&gt;</h2>",
    );
}

/// Render the fixture with `cache` as `playbook serve` does, and without
/// one as `playbook build` does; the two outputs must be the same bytes.
/// Returns the pages the cached render rendered.
fn render_both(f: &Site, cache: &mut playbook::PageCache) -> Vec<String> {
    use playbook::OutFile;
    let opts = playbook::BuildOptions::default();
    let bytes = |out: &playbook::Output| -> BTreeMap<String, Vec<u8>> {
        out.files()
            .into_iter()
            .filter_map(|(k, v)| match v {
                OutFile::Bytes(b) => Some((k.to_string(), b.to_vec())),
                _ => None,
            })
            .collect()
    };
    let root = f.root();
    let cached = playbook::render_compiled(&root, playbook::compile(&root), &opts, Some(cache));
    let full = playbook::render_site(&root, &opts);
    let (cached, full) = (
        cached.output.expect("renders"),
        full.output.expect("renders"),
    );
    assert_eq!(
        bytes(&cached),
        bytes(&full),
        "a cached render differs from a full one"
    );
    cache.rendered().to_vec()
}

#[test]
fn a_page_cache_re_renders_only_pages_whose_context_changed() {
    let f = Site::new();
    f.add_program("other", "");
    let mut cache = playbook::PageCache::default();
    let all = render_both(&f, &mut cache);
    assert!(all.len() > 50, "a first render renders every page: {all:?}");

    assert_eq!(
        render_both(&f, &mut cache),
        Vec::<String>::new(),
        "nothing changed"
    );

    // A sentence in one session's body: that session page and the demo
    // pages that show session bodies (the facilitator guide); the other
    // program is untouched.
    f.edit(
        "content/demo/sessions/02-feedback.md",
        "## Notes\n",
        "## Notes\n\nA new sentence.\n",
    );
    let rendered = render_both(&f, &mut cache);
    assert!(
        rendered.contains(&"demo/sessions/02-feedback/index.html".to_string()),
        "{rendered:?}"
    );
    assert!(
        rendered.contains(&"demo/guide/index.html".to_string()),
        "{rendered:?}"
    );
    for p in &rendered {
        assert!(
            p.starts_with("demo/"),
            "{p} does not show the edited session"
        );
    }
    for p in [
        "demo/sessions/01-intro/index.html",
        "index.html",
        "404.html",
    ] {
        assert!(
            !rendered.contains(&p.to_string()),
            "{p} re-rendered: {rendered:?}"
        );
    }

    // A session's title is listed by its neighbours (previous / next).
    f.edit(
        "content/demo/sessions/02-feedback.md",
        "title: Same-day feedback",
        "title: Feedback on the same day",
    );
    let rendered = render_both(&f, &mut cache);
    for p in [
        "demo/sessions/01-intro/index.html",
        "demo/sessions/02-feedback/index.html",
        "demo/sessions/03-review/index.html",
        "demo/curriculum/index.html",
    ] {
        assert!(
            rendered.contains(&p.to_string()),
            "{p} not re-rendered: {rendered:?}"
        );
    }

    // A changed template re-renders every page (404 among them), whatever their
    // context.
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    );
    assert_eq!(render_both(&f, &mut cache), all);

    // A failed render keeps the cache as it was.
    f.write("templates/404.html", "{{ no_such_variable }}");
    let root = f.root();
    let opts = playbook::BuildOptions::default();
    let failed =
        playbook::render_compiled(&root, playbook::compile(&root), &opts, Some(&mut cache));
    assert!(failed.output.is_none());
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    );
    assert_eq!(render_both(&f, &mut cache), Vec::<String>::new());

    // Templates that do not parse, then mended differently: the parsed
    // templates kept by the cache are not the ones used.
    f.write("templates/404.html", "{% if %}");
    let failed =
        playbook::render_compiled(&root, playbook::compile(&root), &opts, Some(&mut cache));
    assert!(failed.output.is_none());
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock content %}",
    );
    assert!(render_both(&f, &mut cache).contains(&"404.html".to_string()));
    let cached =
        playbook::render_compiled(&root, playbook::compile(&root), &opts, Some(&mut cache));
    match cached.output.as_ref().and_then(|o| o.get("404.html")) {
        Some(playbook::OutFile::Bytes(b)) => {
            let page = String::from_utf8_lossy(b);
            assert!(page.contains("<h1>Gone</h1>"), "{page}");
        }
        _ => panic!("no 404.html rendered"),
    }
}

#[test]
fn the_program_nav_marks_the_page_or_the_section_it_belongs_to() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let nav = |rel: &str| -> String {
        let html = read(&out, rel);
        let start = html
            .find("<nav class=\"program-nav")
            .expect("a program nav");
        let end = start + html[start..].find("</nav>").expect("nav end");
        decode_entities(&html[start..end])
    };

    // A section page is the current page of its own entry, and no other
    // entry is marked.
    let curriculum = nav("demo/curriculum/index.html");
    assert!(
        curriculum.contains("<a href=\"/demo/curriculum/\" aria-current=\"page\">"),
        "{curriculum}"
    );
    assert_eq!(
        curriculum.matches("aria-current").count(),
        1,
        "{curriculum}"
    );

    // An entity page marks the section it belongs to (not as the page).
    for (page, section) in [
        ("demo/sessions/01-intro/index.html", "/demo/curriculum/"),
        (
            "demo/competencies/delegation/index.html",
            "/demo/competencies/",
        ),
        (
            "demo/actions/delegate-outcomes/index.html",
            "/demo/action-map/",
        ),
        ("demo/metrics/attendance/index.html", "/demo/metrics/"),
    ] {
        let n = nav(page);
        assert!(
            n.contains(&format!("<a href=\"{section}\" aria-current=\"true\">")),
            "{page}: {n}"
        );
        assert_eq!(n.matches("aria-current").count(), 1, "{page}: {n}");
    }
}

/// Compile `f` as `serve` does after a save (`changed` under its root,
/// with `compiler` kept between calls) and as a whole; render both. The
/// diagnostics and every byte of the output must be the same.
fn incremental_and_whole(
    f: &Site,
    compiler: &mut playbook::Incremental,
    changed: &[&str],
) -> Vec<String> {
    use playbook::Changed;
    use playbook::OutFile;
    let root = f.root();
    let paths: Vec<std::path::PathBuf> = changed.iter().map(|c| root.join(c)).collect();
    let part = compiler.compile(&root, Changed::Paths(&paths));
    let whole = playbook::compile(&root);
    let listing = |c: &playbook::Compiled| -> Vec<String> {
        c.diagnostics.iter().map(|d| d.short()).collect()
    };
    assert_eq!(listing(&part), listing(&whole), "after {changed:?}");
    let opts = playbook::BuildOptions::default();
    let bytes = |b: playbook::Built| -> BTreeMap<String, Vec<u8>> {
        b.output
            .map(|o| {
                o.files()
                    .into_iter()
                    .map(|(k, v)| match v {
                        OutFile::Bytes(b) => (k.to_string(), b.to_vec()),
                        OutFile::Static(b) => (k.to_string(), b.to_vec()),
                        OutFile::Copy(p) => (k.to_string(), fs::read(p).unwrap()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let diags = listing(&whole);
    let (a, b) = (
        bytes(playbook::render_compiled(&root, part, &opts, None)),
        bytes(playbook::render_compiled(&root, whole, &opts, None)),
    );
    assert!(a == b, "after {changed:?}: the outputs differ");
    diags
}

#[test]
fn an_incremental_compile_gives_what_a_whole_compile_gives() {
    use playbook::Changed;
    let f = Site::new();
    f.add_program("other", "");
    let mut compiler = playbook::Incremental::default();
    let root = f.root();
    compiler.compile(&root, Changed::Anything);
    let session = "content/demo/sessions/02-feedback.md";
    f.edit(session, "## Notes\n", "## Notes\n\nA new sentence.\n");
    incremental_and_whole(&f, &mut compiler, &[session]);
    f.edit(session, "title: Same-day feedback", "title: Feedback today");
    incremental_and_whole(&f, &mut compiler, &[session]);
    // An error, then mended.
    f.edit(
        session,
        "competencies: [feedback, delegation]",
        "competencies: [feedbak, delegation]",
    );
    let diags = incremental_and_whole(&f, &mut compiler, &[session]);
    assert!(
        diags.iter().any(|d| d.contains("unknown-reference")),
        "{diags:?}"
    );
    f.edit(
        session,
        "competencies: [feedbak, delegation]",
        "competencies: [feedback, delegation]",
    );
    assert!(incremental_and_whole(&f, &mut compiler, &[session])
        .iter()
        .all(|d| !d.contains("error")));
    // A session added and one removed; an alignment file of the other program.
    let text = f.read("content/demo/sessions/03-review.md");
    f.write("content/demo/sessions/04-again.md", &text);
    f.remove("content/demo/sessions/03-review.md");
    incremental_and_whole(
        &f,
        &mut compiler,
        &[
            "content/demo/sessions/04-again.md",
            "content/demo/sessions/03-review.md",
        ],
    );
    let competencies = "content/other/alignment/competencies.yaml";
    f.edit(
        competencies,
        "name: Giving feedback",
        "name: Feedback, given",
    );
    incremental_and_whole(&f, &mut compiler, &[competencies]);
    // The site's configuration, a new program, a program removed.
    f.edit("playbook.yaml", "title: Demo Playbooks", "title: Playbooks");
    incremental_and_whole(&f, &mut compiler, &["playbook.yaml"]);
    f.add_program("third", "");
    incremental_and_whole(&f, &mut compiler, &["content/third"]);
    fs::remove_dir_all(root.join("content/other")).unwrap();
    incremental_and_whole(&f, &mut compiler, &["content/other"]);
    // A template: the graph is unchanged, the render is not.
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    );
    incremental_and_whole(&f, &mut compiler, &["templates/404.html"]);
}
