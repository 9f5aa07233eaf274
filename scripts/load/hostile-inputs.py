#!/usr/bin/env python3
"""Resource bounds of `playbook check` and `playbook build` on hostile
inputs of up to 1 MB.

    scripts/load/hostile-inputs.py [--playbook BIN] [--mode both|check|build]
                                   [--only TEXT] [--check-seconds 1] [--check-mib 200]
                                   [--build-seconds 2] [--build-mib 300] [--cpu]
                                   [--timeout 60] [--write DIR]

Each case replaces or adds files in a copy of the example's smaller program
with generated hostile input (alias bombs, long lines, deep nesting, huge
numbers, a mistake in every entry, pathological markdown, raw HTML and
CSV, sites with many entities,
sessions or survey answers: at most 1 MB in all), runs `playbook check`
and `playbook build` (human output; the build into a fresh folder) on it,
and measures that process alone (GNU time; Debian: time). Most `build`
cases are valid sites, so that the build renders and writes every page; a
case whose site is valid fails when its build does not succeed. Prints a
table (elapsed and processor seconds, peak MiB) and exits non-zero when a
case takes longer or uses more memory than allowed, crashes, or (for
`build`) writes nothing when it should have. On a busy machine `--cpu`
holds processor time to the bound instead of elapsed time; `--write DIR`
writes one case's site for a profiler. Run it with TMPDIR on a tmpfs
(/dev/shm) to measure playbook rather than the file system.
"""
import argparse, os, random, shutil, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--playbook", default="target/release/playbook")
ap.add_argument("--mode", choices=["both", "check", "build"], default="both")
ap.add_argument("--only", default="", help="run only the cases whose name contains this")
ap.add_argument("--check-seconds", type=float, default=1.0)
ap.add_argument("--check-mib", type=float, default=200.0)
ap.add_argument("--build-seconds", type=float, default=2.0)
ap.add_argument("--build-mib", type=float, default=300.0)
ap.add_argument("--cpu", action="store_true",
                help="hold the processor time (user + system) to the bound, not the elapsed time (on a busy machine)")
ap.add_argument("--timeout", type=float, default=60.0, help="stop a case after this many seconds")
ap.add_argument("--write", metavar="DIR", help="write the site of the first case --only selects into DIR (for a profiler), run nothing")
args = ap.parse_args()
root = os.path.join(os.path.dirname(__file__), "..", "..")
P = "content/p"
S1 = f"{P}/sessions/01-orientation.md"
MB = 1 << 20
FRONT = "---\ntitle: T\nkind: workshop\nweek: 1\n---\n"


def fit(s):
    b = s.encode()
    return b[:MB]


def session(body):
    """A session guide (its first, replaced) with `body` as its markdown."""
    return FRONT + body


long = "A" * (64 * 1024)
laughs = "values:\n  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  - &l{i} [{', '.join(['*l%d' % (i - 1)] * 10)}]\n" for i in range(1, 20))

# The example's competencies file, to which many competencies are added
# (its own stay, so that the rest of the program still resolves).
competencies = open(os.path.join(root, "content/new-manager-essentials/alignment/competencies.yaml")).read()


def many_competencies(n):
    return competencies.rstrip("\n") + "\n" + "".join(
        f"  - id: c{i}\n    name: C{i}\n" for i in range(n))


def tiny_sessions(n, body=lambda i: "", front=lambda i: ""):
    return {f"{P}/sessions/s{i:05}.md": f"---\ntitle: S{i}\nkind: workshop\n{front(i)}---\n{body(i)}"
            for i in range(n)}


def survey(items, pairs, seed=1):
    """`pairs` participants answering each of `items` before and after."""
    rnd = random.Random(seed)
    rows = ["participant,phase,item,score"]
    for item in items:
        for i in range(pairs):
            pre = rnd.randint(1, 4)
            rows.append(f"p{i},pre,{item},{pre}")
            rows.append(f"p{i},post,{item},{min(5, pre + rnd.randint(-1, 2))}")
    return "\n".join(rows) + "\n"


def cohorts(n, results=lambda i: {}, extra=lambda i: ""):
    """The program run `n` times: a cohorts/ folder (its results/ dropped)."""
    files = {f"{P}/results": None}
    for i in range(n):
        files[f"{P}/cohorts/c{i:05}/cohort.yaml"] = f"title: C{i}\nstart: 2026-03-02\n{extra(i)}"
        for name, text in results(i).items():
            files[f"{P}/cohorts/c{i:05}/results/{name}"] = text
    return files


def library(n, body=lambda i: ""):
    return {f"library/sessions/g{i:05}.md": f"---\ntitle: G{i}\nkind: workshop\n---\n{body(i)}" for i in range(n)}


metrics_yaml = open(os.path.join(root, "content/new-manager-essentials/alignment/metrics.yaml")).read()
evaluation_yaml = open(os.path.join(root, "content/new-manager-essentials/alignment/evaluation.yaml")).read()


def with_metrics(extra, metrics=""):
    """The example's metrics.yaml with `metrics` added to its metrics and
    `extra` (survey_items:, scales:) after them."""
    return metrics_yaml.replace("instruments:\n", metrics + "instruments:\n").rstrip("\n") + "\n" + extra


def raters(participants, items, phases, kinds, per_kind, seed=2):
    """A survey.csv with rater and rater_id columns: every participant rated on
    every item in every phase by `per_kind` raters of each kind."""
    rnd = random.Random(seed)
    rows = ["participant,phase,item,score,rater,rater_id,date"]
    for p in range(participants):
        for item in items:
            for phase in phases:
                date = "2026-09-01" if phase == "follow-up" else ""
                for kind in kinds:
                    for r in range(1 if kind in ("self", "manager") else per_kind):
                        rid = "" if kind in ("self", "manager") else f"r{p}-{r}"
                        rows.append(f"p{p},{phase},{item},{rnd.randint(1, 5)},{kind},{rid},{date}")
    return "\n".join(rows) + "\n"


# (name, {path: text or None to remove it}, whether the build must render the site)
cases = [
    # Check: each one an error, so the build stops where the check does.
    ("alias bomb: one long string", {f"{P}/alignment/competencies.yaml":
     f"values:\n  - id: v\n    name: V\n    description: &s \"{long}\"\ncompetencies:\n  - id: c\n    name: C\n    behaviors: [{', '.join(['*s'] * 230000)}]\n"}, False),
    ("alias bomb: billion laughs", {f"{P}/alignment/competencies.yaml": laughs}, False),
    ("90,000 unknown ids on one line", {f"{P}/alignment/evaluation.yaml":
     "signals:\n  - id: s\n    signal: Delivers\n    level: behavior\n    competencies: [" +
     ", ".join(f"n{i}" for i in range(90000)) + "]\n"}, False),
    ("deep flow nesting", {f"{P}/alignment/metrics.yaml": "metrics: " + "[" * (MB - 20)}, False),
    ("deep block nesting", {f"{P}/alignment/metrics.yaml":
     "".join("  " * i + "- \n" for i in range(700))}, False),
    ("one 1 MB YAML line", {f"{P}/program.yaml": "title: \"" + "x" * (MB - 20) + "\"\n"}, False),
    # A mistake in every entry: repaired one by one, within the bounds of
    # yaml/recover.rs (the largest document it repairs, then 1 MB).
    ("a mistake in every entry (128 KiB)", {f"{P}/alignment/metrics.yaml":
     "metrics:\n" + "".join(f"  - id: m{i}\n    name: M\n    category: outcome\n    bogus: 1\n"
                             for i in range(2100))}, False),
    ("a mistake in every entry (1 MB)", {f"{P}/alignment/metrics.yaml":
     "metrics:\n" + "".join(f"  - id: m{i}\n    name: M\n    category: outcome\n    bogus: 1\n"
                             for i in range(20000))}, False),
    ("huge numbers", {S1: "---\ntitle: T\nkind: workshop\nweek: 4294967295\nduration: 4294967295\n---\nBody\n"}, False),
    ("markdown: 40,000 headings, 40,000 links to no heading", {S1: session(
        "".join(f"# heading {i}\n" for i in range(40000)) + " ".join(f"[x](#nope-{i})" for i in range(40000)))}, False),
    ("10,000 competencies, 30,000 unknown ids", {
        f"{P}/alignment/competencies.yaml": many_competencies(10000),
        f"{P}/alignment/evaluation.yaml": "signals:\n  - id: s\n    signal: Delivers\n    level: behavior\n    competencies: [" +
        ", ".join(f"n{i}" for i in range(30000)) + "]\n"}, False),
    ("markdown: 30,000 links to unknown ids", {S1: session(" ".join(f"[x](competency:n{i})" for i in range(30000)))}, False),
    ("CSV: one 1 MB row", {f"{P}/results/attendance.csv":
     "session,participant,present\n" + "01-orientation,p," + "1" * (MB - 60) + "\n"}, False),
    ("CSV: 60,000 bad rows", {f"{P}/results/attendance.csv": "session,participant,present\n" + "nope,p,maybe\n" * 60000}, False),
    ("CSV: unterminated quote", {f"{P}/results/ratings.csv":
     "session,participant,rating\n01-orientation,\"p" + ",x\n" * 300000}, False),

    # Markdown that renders: each a valid session guide.
    ("markdown: nested brackets", {S1: session("[" * 300000 + "](https://e.org/)" + "]" * 300000)}, True),
    ("markdown: emphasis runs", {S1: session("*a **a " * 120000)}, True),
    ("markdown: deep block quotes", {S1: session(">" * 100000 + " x\n")}, True),
    ("markdown: 200,000 attributes on one line", {S1: session("<div " + "a=b " * 200000 + ">\n")}, True),
    ("markdown: a raw URL of 900,000 slashes", {S1: session("<img alt=x src=\"" + "/" * 900000 + "\">\n")}, True),
    ("markdown: 20,000 footnotes chained", {S1: session(
        "::: facilitator\nA[^n0]\n:::\n\n" + "".join(f"[^n{i}]: B[^n{i + 1}]\n\n" for i in range(20000, -1, -1)))}, True),
    ("markdown: 30,000 links defined in a block", {S1: session(
        "[k] " * 30000 + "\n\n::: facilitator\n[k]: https://e.org/k\n:::\n")}, False),
    ("markdown: deep block quotes, one a line", {S1: session("".join(">" * i + " x\n" for i in range(1400)))}, True),
    ("markdown: deep nested lists", {S1: session("".join("  " * i + "- x\n" for i in range(1000)))}, True),
    ("markdown: list markers on one line", {S1: session("- " * 400000 + "x\n")}, True),
    ("markdown: 500,000 empty headings", {S1: session("#\n" * 500000)}, True),
    ("markdown: 50,000 headings of one text", {S1: session("# Same heading text\n" * 50000)}, True),
    ("markdown: 60,000 headings x, x-1, x-2", {S1: session("".join(f"# x-{i % 3}\n# x\n" for i in range(60000)))}, True),
    ("markdown: 1 MB heading", {S1: session("# " + "word " * 200000 + "\n")}, True),
    ("markdown: 1 MB line of text", {S1: session("word " * 200000)}, True),
    ("markdown: 50,000 links", {S1: session(" ".join("[x](https://e.org/)" for _ in range(50000)))}, True),
    ("markdown: 30,000 links to one competency", {S1: session(" ".join(
        "[x](competency:giving-feedback)" for _ in range(30000)))}, True),
    ("markdown: 30,000 footnotes", {S1: session("".join(f"a[^{i}]" for i in range(30000)) + "\n\n" +
                                                "".join(f"[^{i}]: n\n" for i in range(30000)))}, True),
    ("markdown: 100,000 references to one footnote", {S1: session("a[^n] " * 100000 + "\n\n[^n]: note\n")}, True),
    ("markdown: 1 MB link definitions", {S1: session("".join(f"[l{i}]: https://e.org/{i}\n" for i in range(35000)) +
                                                     " ".join(f"[l{i}]" for i in range(0, 35000, 7)))}, True),
    ("markdown: table 100,000 rows", {S1: session("| a | b |\n|---|---|\n" + "| x | y |\n" * 100000)}, True),
    ("markdown: table 100,000 columns", {S1: session("|a" * 100000 + "|\n" + "|-" * 100000 + "|\n|x|\n")}, True),
    ("markdown: wide header, short rows", {S1: session("|a" * 20000 + "|\n" + "|-" * 20000 + "|\n" + "|\n" * 400000)}, True),
    ("markdown: 100,000 code spans", {S1: session("`a` " * 200000)}, True),
    ("markdown: 30,000 fenced blocks", {S1: session("::: note\nx\n:::\n" * 30000)}, True),
    ("markdown: nested fenced blocks", {S1: session("::: note\n" * 5000 + "x\n" + ":::\n" * 5000)}, True),
    ("markdown: 200,000 task items", {S1: session("- [ ] x\n" * 130000)}, True),
    ("raw HTML: <a href=x><b> nested 40,000 times", {S1: session("<a href=\"x\"><b>" * 40000)}, True),
    ("raw HTML: <a href=x><b> nested, closed", {S1: session("<a href=x><b>" * 20000 + "x" + "</b></a>" * 20000)}, True),
    ("raw HTML: <b><i> misnested", {S1: session("<b><i>x</b></i>" * 60000)}, True),
    ("raw HTML: <a> 100,000 times", {S1: session("<a href=x>" * 100000)}, True),
    ("raw HTML: <b> 100,000 times", {S1: session("<b>" * 200000)}, True),
    ("raw HTML: <div> nested 100,000 times", {S1: session("<div>" * 150000)}, True),
    ("raw HTML: <span> nested 100,000 times", {S1: session("<span>" * 150000)}, True),
    ("raw HTML: <table><tr><td> nested", {S1: session("<table><tr><td>" * 50000)}, True),
    ("raw HTML: <ul><li> nested", {S1: session("<ul><li>" * 100000)}, True),
    ("raw HTML: <details><summary> nested", {S1: session("<details><summary>x</summary>" * 30000)}, True),
    ("raw HTML: <p><b><i><s><u> nested", {S1: session("<p><b><i><s><u>x" * 40000)}, True),
    ("raw HTML: 100,000 <owner> tags", {S1: session("<owner>" * 120000)}, True),
    ("raw HTML: 1 MB comment", {S1: session("<!-- " + "x" * (MB - 100))}, True),
    ("raw HTML: one tag, 1 MB of attributes", {S1: session("<span " + "a=b " * 250000 + ">")}, True),

    # Sites with many entities, sessions or answers.
    ("3,000 competencies x 3,000 sessions", {f"{P}/alignment/competencies.yaml": many_competencies(3000),
                                             **tiny_sessions(3000)}, True),
    ("1,000 competencies x 1,000 sessions, all covered", {
        f"{P}/alignment/competencies.yaml": many_competencies(1000),
        **tiny_sessions(1000, front=lambda i: "competencies: [c%d]\n" % i)}, True),
    ("20,000 competencies", {f"{P}/alignment/competencies.yaml": many_competencies(20000)}, True),
    ("40,000 competencies (1 MB)", {f"{P}/alignment/competencies.yaml": many_competencies(40000)}, True),
    ("10,000 sessions", tiny_sessions(10000), True),
    ("1,000 sessions x 100 headings", tiny_sessions(1000, body=lambda i: "## h\n" * 100), True),
    ("200 sessions x 5 KB", tiny_sessions(200, body=lambda i: "Some words to read. " * 250), True),
    ("3,000 paired survey answers, one item", {f"{P}/results/survey.csv": survey(["giving-feedback"], 3000)}, True),
    ("12,000 paired survey answers, one item", {f"{P}/results/survey.csv": survey(["giving-feedback"], 12000)}, True),
    ("400 items x 60 pairs", {f"{P}/results/survey.csv": survey([f"item{i}" for i in range(400)], 60)}, True),
    ("2,500 programs", {f"content/q{i}/{f}": t for i in range(2500) for f, t in [
        ("program.yaml", f"title: Program {i}\n"),
        ("alignment/competencies.yaml", "competencies: []\n"),
        ("alignment/action-map.yaml", "goal: {statement: G, measure: M}\nactions: []\n"),
        ("alignment/evaluation.yaml", "signals: []\n"),
        ("alignment/metrics.yaml", "metrics: []\n")]}, True),
    ("1 MB base_url", {"playbook.yaml": "title: T\nbase_url: /" + "a" * (MB - 40) + "/\n"}, False),
    ("1 MB site_url", {"playbook.yaml": "title: T\nsite_url: https://e.org/" + "a" * (MB - 60) + "/\n"}, False),
    ("1 MB session title", {S1: "---\ntitle: \"" + "word " * 200000 + "\"\nkind: workshop\nweek: 1\n---\nBody\n"}, True),
    ("1 MB module name", {S1: "---\ntitle: T\nkind: workshop\nweek: 1\nmodule: \"" + "word " * 200000 + "\"\n---\nBody\n"}, True),
    ("1 MB site title", {"playbook.yaml": "title: \"" + "word " * 200000 + "\"\n"}, True),
    ("600 KB competency name, 2,000 sessions link it", {
        f"{P}/alignment/competencies.yaml": competencies.replace(
            "name: Giving feedback", "name: \"" + "word " * 120000 + "\""),
        **tiny_sessions(2000, front=lambda i: "competencies: [giving-feedback]\n")}, True),
    ("10,000 sessions, 15,000 comments", {
        **tiny_sessions(10000),
        f"{P}/results/feedback.csv": "participant,comment,session,competency,signal\n" +
        "".join(f"p{i},c,s{i % 10000:05},giving-feedback,\n" for i in range(15000))}, True),
    ("60,000 attendance rows", {f"{P}/results/attendance.csv": "session,participant,present\n" +
                                "".join(f"01-orientation,p{i},1\n" for i in range(40000))}, True),
    # v1.2: cohorts, the session library, requires, raters and phases,
    # survey items and scales, drivers, results rows naming unknown ids.
    ("cohorts: 3,000 cohorts", cohorts(3000), True),
    ("cohorts: 300 cohorts with survey answers", cohorts(300, results=lambda i: {
        "survey.csv": survey(["giving-feedback", "setting-expectations"], 20, seed=i)}), True),
    ("cohorts: one cohort dates 10,000 sessions", {**tiny_sessions(10000), **cohorts(1, extra=lambda i: "dates: {" +
        ", ".join(f"s{j:05}: 2026-03-{j % 28 + 1:02}" for j in range(10000)) + "}\n")}, True),
    ("cohorts: 40,000 dates of unknown sessions", cohorts(1, extra=lambda i: "dates: {" +
        ", ".join(f"n{j}: 2026-03-01" for j in range(40000)) + "}\n"), False),
    ("library: 5,000 guides, unused", library(5000, body=lambda i: "## Agenda\nText\n"), True),
    ("library: 5,000 sessions from 5,000 guides", {**library(5000), **tiny_sessions(
        5000, front=lambda i: f"from: library:g{i:05}\n")}, True),
    ("library: 5,000 sessions from one guide with 2,000 links", {
        "library/sessions/g.md": "---\ntitle: G\nkind: workshop\n---\n" + " ".join(
            "[x](competency:giving-feedback)" for _ in range(2000)) + "\n",
        **tiny_sessions(5000, front=lambda i: "from: library:g\n")}, True),
    ("library: 20,000 unknown references in a guide used by 5 programs", {
        "library/sessions/g.md": "---\ntitle: G\nkind: workshop\n---\n" + " ".join(
            f"[x](competency:n{j})" for j in range(20000)) + "\n",
        **{f"content/q{k}/sessions/s.md": "---\nfrom: library:g\n---\n" for k in range(5)},
        **{f"content/q{k}/program.yaml": "title: Q\nstart: 2026-01-05\n" for k in range(5)},
        **{f"content/q{k}/alignment/{a}": open(os.path.join(root, "content/new-manager-essentials/alignment", a)).read()
           for k in range(5) for a in ("competencies.yaml", "action-map.yaml", "evaluation.yaml", "metrics.yaml")}}, False),
    ("requires: a chain of 10,000 sessions", tiny_sessions(10000, front=lambda i: f"week: 1\nrequires: [s{i - 1:05}]\n" if i else "week: 1\n"), True),
    ("requires: a cycle of 10,000 sessions", tiny_sessions(10000, front=lambda i: f"requires: [s{(i - 1) % 10000:05}]\n"), False),
    ("requires: 10,000 sessions each requiring a later one", tiny_sessions(10000, front=lambda i: f"week: {10000 - i}\nrequires: [s{(i + 1) % 10000:05}]\n"), False),
    ("requires: 1,000 sessions each requiring 100 before it", tiny_sessions(1000, front=lambda i: "requires: [" + ", ".join(
        f"s{j:05}" for j in range(max(0, i - 100), i)) + "]\n"), True),
    ("requires: 60,000 unknown sessions", {S1: "---\ntitle: T\nkind: workshop\nrequires: [" + ", ".join(
        f"n{j}" for j in range(60000)) + "]\n---\n"}, False),
    ("survey items: 10,000 items with text", {f"{P}/alignment/metrics.yaml": with_metrics("survey_items:\n" + "".join(
        f"  - id: i{j}\n    text: Item {j}\n    range: [1, 7]\n" for j in range(10000)))}, True),
    ("scales: one scale of 8,000 items, half reversed", {f"{P}/alignment/metrics.yaml": with_metrics(
        "scales:\n  - id: big\n    name: Big\n    items: [" + ", ".join(f"i{j}" for j in range(8000)) +
        "]\n    reversed: [" + ", ".join(f"i{j}" for j in range(0, 8000, 2)) + "]\n"),
        f"{P}/results/survey.csv": survey([f"i{j}" for j in range(8000)], 2)}, True),
    ("scales: 1,000 scales of 100 items", {f"{P}/alignment/metrics.yaml": with_metrics(
        "scales:\n" + "".join(f"  - id: sc{k}\n    name: S\n    items: [" + ", ".join(
            f"i{j}" for j in range(k % 50, k % 50 + 100)) + "]\n" for k in range(1000))),
        f"{P}/results/survey.csv": survey([f"i{j}" for j in range(150)], 10)}, True),
    ("scales: a scale of 300 items x 300 participants", {f"{P}/alignment/metrics.yaml": with_metrics(
        "scales:\n  - id: big\n    name: Big\n    items: [" + ", ".join(f"i{j}" for j in range(300)) + "]\n"),
        f"{P}/results/survey.csv": survey([f"i{j}" for j in range(300)], 60)}, True),
    ("scales: 3,000 metrics on one scale of 1,000 items", {f"{P}/alignment/metrics.yaml": with_metrics(
        "scales:\n  - id: big\n    name: Big\n    items: [" + ", ".join(f"i{j}" for j in range(1000)) + "]\n",
        "  - id: big-gain\n    name: G\n    category: outcome\n    source: reliable-change\n    items: [big]\n" +
        "".join(f"  - id: m{k}\n    name: M\n    category: outcome\n    source: survey-change\n    items: [big]\n" for k in range(3000))),
        f"{P}/results/survey.csv": survey([f"i{j}" for j in range(1000)], 8)}, True),
    ("scales: 30,000 unknown items and reversed", {f"{P}/alignment/metrics.yaml": with_metrics(
        "scales:\n  - id: big\n    name: Big\n    items: [" + ", ".join(f"i{j}" for j in range(15000)) +
        "]\n    reversed: [" + ", ".join(f"x{j}" for j in range(15000)) + "]\n")}, False),
    ("raters: 1 participant x 5,000 peers x 2 phases", {f"{P}/results/survey.csv": raters(1, ["giving-feedback"], ["pre", "post"], ["self", "peer"], 5000)}, True),
    ("raters: 200 participants x 5 kinds x 4 phases x 5 items", {f"{P}/results/survey.csv": raters(
        200, ["giving-feedback", "setting-expectations", "running-one-to-ones", "a", "b"],
        ["pre", "post", "then", "follow-up"], ["self", "manager", "peer", "report", "other"], 1)}, True),
    ("raters: 20,000 distinct items", {f"{P}/results/survey.csv": raters(1, [f"i{j}" for j in range(20000)], ["pre"], ["self"], 1)}, True),
    ("raters: 10,000 follow-up dates", {f"{P}/results/survey.csv": "participant,phase,item,score,date\n" + "".join(
        f"p{j},follow-up,giving-feedback,3,{2026 + j // 336}-{j // 28 % 12 + 1:02}-{j % 28 + 1:02}\n" for j in range(10000))}, True),
    ("raters: 30,000 peer rows without rater_id", {f"{P}/results/survey.csv": "participant,phase,item,score,rater\n" + "".join(
        f"p{j},pre,giving-feedback,3,peer\n" for j in range(30000))}, False),
    ("drivers: 8,000 overdue enablers", {f"{P}/alignment/evaluation.yaml": evaluation_yaml.rstrip("\n") + "\n" + "".join(
        f"  - id: e{j}\n    enabler: E\n    owner: O\n    due: 2020-01-01\n    status: planned\n    evidence: \"*x*\"\n" for j in range(8000))}, True),
    ("metrics: 5,000 observations metrics x 3 dates", {f"{P}/alignment/metrics.yaml": with_metrics("", "".join(
        f"  - id: o{k}\n    name: O\n    category: outcome\n    source: observations\n    target: 1\n" for k in range(5000))),
        f"{P}/results/observations.csv": "metric,date,value\n" + "".join(
        f"o{k},2026-0{d}-01,{d}\n" for k in range(5000) for d in (1, 2, 3))}, True),
    ("results: 30,000 rows naming unknown sessions", {f"{P}/results/ratings.csv": "session,participant,rating\n" + "".join(
        f"n{j},p{j},3\n" for j in range(30000))}, False),
    ("results: 30,000 feedback rows naming unknown ids", {f"{P}/results/feedback.csv": "participant,comment,session,competency,signal\n" + "".join(
        f"p{j},c,n{j},x{j},y{j}\n" for j in range(30000))}, False),
    ("results: 15,000 participants with feedback on signals", {f"{P}/results/feedback.csv": "participant,comment,session,competency,signal\n" + "".join(
        f"p{j},said *so*,01-orientation,giving-feedback,sessions-useful\n" for j in range(15000))}, True),
    ("results: 20,000 roster participants, 1,000 sessions attended", {**tiny_sessions(1000),
        f"{P}/results/roster.csv": "participant\n" + "".join(f"p{j}\n" for j in range(20000)),
        f"{P}/results/attendance.csv": "session,participant,present\n" + "".join(f"s{j % 1000:05},p{j},1\n" for j in range(30000))}, True),
]

work = tempfile.mkdtemp()
failed = False
modes = ["check", "build"] if args.mode == "both" else [args.mode]
bounds = {"check": (args.check_seconds, args.check_mib), "build": (args.build_seconds, args.build_mib)}
try:
    print(f"{'case':52} {'mode':5} {'bytes':>9} {'exit':>4} {'seconds':>8} {'cpu s':>7} {'MiB':>7}")
    for name, files, renders in cases:
        if args.only not in name:
            continue
        site = os.path.join(work, "site")
        shutil.rmtree(site, ignore_errors=True)
        # The example as a plain program: its cohorts/ folder dropped and the
        # first cohort's results made the program's own, so that a case's
        # results/ file stands beside the others as it would in a plain program.
        example = os.path.join(root, "content/new-manager-essentials")
        shutil.copytree(example, os.path.join(site, P), ignore=shutil.ignore_patterns("cohorts"))
        shutil.copytree(os.path.join(example, "cohorts/spring-2026/results"), os.path.join(site, P, "results"))
        shutil.copy(os.path.join(root, "playbook.yaml"), site)
        shutil.copytree(os.path.join(root, "static"), os.path.join(site, "static"))
        shutil.copytree(os.path.join(root, "library"), os.path.join(site, "library"))
        size = 0
        for rel, text in files.items():
            if text is None:
                shutil.rmtree(os.path.join(site, rel))
                continue
            data = fit(text)
            size += len(data)
            path = os.path.join(site, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "wb").write(data)
        assert size <= MB, f"{name}: {size} bytes"
        if args.write:
            shutil.copytree(site, args.write)
            print(f"{name}: {args.write}")
            break
        for mode in modes:
            out = os.path.join(work, "out")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [args.playbook, "--color", "never", mode, site]
            if mode == "build":
                cmd += ["--output", out]
            # GNU time forks playbook from its own small process, so the peak
            # memory it reports is playbook's alone (a child forked from this
            # Python process would count the parent's pages too).
            stats = os.path.join(work, "time.txt")
            r = subprocess.run(["/usr/bin/time", "-q", "-f", "%M %e %U %S", "-o", stats,
                                "timeout", "-s", "KILL", str(args.timeout)] + cmd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            kib, secs, user, system = open(stats).read().split()[-4:]
            mib, secs, cpu = int(kib) / 1024, float(secs), float(user) + float(system)
            code, stderr = r.returncode, r.stderr
            max_s, max_mib = bounds[mode]
            why = []
            if (cpu if args.cpu else secs) > max_s:
                why.append("slow")
            if mib > max_mib:
                why.append("memory")
            if code in (124, 137, -9):
                why.append(f"stopped after {args.timeout:.0f} s")
            elif code not in (0, 1) or b"panicked" in stderr:
                why.append("crashed")
            elif mode == "build" and renders and code != 0:
                lines = stderr.decode(errors="replace").splitlines()
                first = next((l for l in lines if l.startswith("error")), lines[0] if lines else "")
                why.append("did not build: " + first[:80])
            failed |= bool(why)
            print(f"{name:52} {mode:5} {size:>9} {code:>4} {secs:>8.3f} {cpu:>7.2f} {mib:>7.1f}"
                  f"{'  FAILED (' + ', '.join(why) + ')' if why else ''}", flush=True)
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
