#!/usr/bin/env python3
"""Resource bounds of `playbook check` on hostile files of up to 1 MB.

    scripts/load/hostile-inputs.py [--playbook BIN] [--seconds 1] [--mib 200]

Each case replaces one file of a copy of the example's smaller program with
a generated hostile input (alias bombs, long lines, deep nesting, huge
numbers, a mistake in every entry, pathological markdown and CSV), runs `playbook check` (human
output) on it, and measures that process alone (GNU time; Debian: time). Prints a table and
exits non-zero when a case takes longer or uses more memory than allowed.
"""
import argparse, os, shutil, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--playbook", default="target/release/playbook")
ap.add_argument("--seconds", type=float, default=1.0)
ap.add_argument("--mib", type=float, default=200.0)
args = ap.parse_args()
root = os.path.join(os.path.dirname(__file__), "..", "..")
P = "content/p"
MB = 1 << 20

def fit(s):
    b = s.encode()
    return b[:MB]

long = "A" * (64 * 1024)
laughs = "values:\n  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  - &l{i} [{', '.join(['*l%d' % (i - 1)] * 10)}]\n" for i in range(1, 20))
cases = [
    ("alias bomb: one long string", f"{P}/alignment/competencies.yaml",
     f"values:\n  - id: v\n    name: V\n    description: &s \"{long}\"\ncompetencies:\n  - id: c\n    name: C\n    behaviors: [{', '.join(['*s'] * 230000)}]\n"),
    ("alias bomb: billion laughs", f"{P}/alignment/competencies.yaml", laughs),
    ("90,000 unknown ids on one line", f"{P}/alignment/evaluation.yaml",
     "signals:\n  - id: s\n    signal: Delivers\n    level: behavior\n    competencies: [" +
     ", ".join(f"n{i}" for i in range(90000)) + "]\n"),
    ("deep flow nesting", f"{P}/alignment/metrics.yaml", "metrics: " + "[" * (MB - 20)),
    ("deep block nesting", f"{P}/alignment/metrics.yaml",
     "".join("  " * i + "- \n" for i in range(700))),
    ("one 1 MB YAML line", f"{P}/program.yaml", "title: \"" + "x" * (MB - 20) + "\"\n"),
    # A mistake in every entry: repaired one by one, within the bounds of
    # yaml/recover.rs (the largest document it repairs, then 1 MB).
    ("a mistake in every entry (128 KiB)", f"{P}/alignment/metrics.yaml",
     "metrics:\n" + "".join(f"  - id: m{i}\n    name: M\n    category: outcome\n    bogus: 1\n"
                             for i in range(2100))),
    ("a mistake in every entry (1 MB)", f"{P}/alignment/metrics.yaml",
     "metrics:\n" + "".join(f"  - id: m{i}\n    name: M\n    category: outcome\n    bogus: 1\n"
                             for i in range(20000))),
    ("huge numbers", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\nweek: 4294967295\nduration: 4294967295\n---\nBody\n"),
    ("markdown: nested brackets", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n" + "[" * 300000 + "](x)" + "]" * 300000),
    ("markdown: emphasis runs", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n" + "*a **a " * 120000),
    ("markdown: 30,000 links to unknown ids", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n" + " ".join(f"[x](competency:n{i})" for i in range(30000))),
    ("markdown: deep block quotes", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n" + ">" * 100000 + " x\n"),
    ("markdown: 200,000 attributes on one line", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n<div " + "a=b " * 200000 + ">\n"),
    ("markdown: a raw URL of 900,000 slashes", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n<img alt=x src=\"" + "/" * 900000 + "\">\n"),
    ("markdown: 20,000 footnotes chained", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n::: facilitator\nA[^n0]\n:::\n\n" +
     "".join(f"[^n{i}]: B[^n{i + 1}]\n\n" for i in range(20000, -1, -1))),
    ("markdown: 30,000 links defined in a block", f"{P}/sessions/01-orientation.md",
     "---\ntitle: T\nkind: workshop\n---\n" + "[k] " * 30000 + "\n\n::: facilitator\n[k]: https://e.org/k\n:::\n"),
    ("CSV: one 1 MB row", f"{P}/results/attendance.csv",
     "session,participant,present\n" + "01-orientation,p," + "1" * (MB - 60) + "\n"),
    ("CSV: 60,000 bad rows", f"{P}/results/attendance.csv",
     "session,participant,present\n" + "nope,p,maybe\n" * 60000),
    ("CSV: unterminated quote", f"{P}/results/ratings.csv",
     "session,participant,rating\n01-orientation,\"p" + ",x\n" * 300000),
]

work = tempfile.mkdtemp()
failed = False
try:
    print(f"{'case':40} {'bytes':>9} {'exit':>4} {'seconds':>8} {'MiB':>6}")
    for name, rel, text in cases:
        site = os.path.join(work, "site")
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(os.path.join(root, "content/new-manager-essentials"), os.path.join(site, P))
        shutil.copy(os.path.join(root, "playbook.yaml"), site)
        shutil.copytree(os.path.join(root, "static"), os.path.join(site, "static"))
        data = fit(text)
        path = os.path.join(site, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").write(data)
        # GNU time forks playbook from its own small process, so the peak
        # memory it reports is playbook's alone (a child forked from this
        # Python process would count the parent's pages too).
        stats = os.path.join(work, "time.txt")
        r = subprocess.run(["/usr/bin/time", "-q", "-f", "%M %e", "-o", stats,
                            args.playbook, "--color", "never", "check", site],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        kib, secs = open(stats).read().split()[-2:]
        mib, secs = int(kib) / 1024, float(secs)
        code, stderr = r.returncode, r.stderr
        bad = secs > args.seconds or mib > args.mib or code not in (0, 1) or b"panicked" in stderr
        failed |= bad
        print(f"{name:40} {len(data):>9} {code:>4} {secs:>8.3f} {mib:>6.1f}{'  FAILED' if bad else ''}")
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
