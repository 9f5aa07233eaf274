#!/usr/bin/env bash
# playbook's build against Hugo and against the floor (benches/floor.rs), on
# synthetic corpora from ../shared/gen-corpus; optionally the serve rebuild
# time and the live-reload latency in a browser.
#
#   scripts/bench.sh [--sizes 10k] [--runs 5] [--work DIR] [--no-build]
#                    [--rebuild] [--reload]
#
#   --sizes LIST    comma-separated session counts, e.g. 1k,5k,10k,20k (default 10k);
#                   each is P programs x 100 sessions (1k: P=10, 20k: P=200)
#   --runs N        timed runs per tool and size (default 5), after one untimed warm-up
#   --work DIR      corpora, output folders, logs and reports (default target/bench);
#                   corpora are generated once and kept (keyed by gen-corpus's hash)
#   --floor-threads N  also run the floor with N threads (default 8; 0: don't) —
#                   more threads than cores hide each file write's latency on a
#                   slow disk, as Go's runtime does for Hugo; without this the
#                   floor is a floor for one writer per core only
#   --no-build      skip the build table
#   --rebuild       also run `cargo bench --bench rebuild` on the 10k corpus
#                   (--rebuild-size SIZE for another; --rebuild-rounds N, default 20)
#   --reload        also run scripts/browser/reload.mjs on the 1k corpus and on the
#                   example site (needs node, npm ci in scripts/browser, chromium;
#                   --reload-rounds N, default 20)
#   -h, --help      this text
#
# Build table: per size, `playbook build`, `hugo` (Debian's; skipped when
# absent) and the floor run alternately, one untimed warm-up each, then N
# timed runs; each tool builds into its own output folder, kept between runs
# (a user rebuilding). Each run is measured by /usr/bin/time (user, sys, peak
# RSS; its wall clock has 10 ms steps, so wall time is read from bash's
# EPOCHREALTIME around it). Prints a markdown table of medians with the
# machine, the work folder's file system (it matters: many small files), the
# date and the commit; raw runs go to WORK/runs-*.tsv, the report to
# WORK/report-*.md. Page caches stay warm. Takes the machine as it is: close
# other work, and compare ratios rather than seconds across machines.
#
# Environment: GEN_CORPUS (default ../shared/gen-corpus), HUGO (default hugo),
# CHROMIUM (for reload.mjs; default /usr/bin/chromium).
# Needs: cargo, python3, GNU time (/usr/bin/time; Debian: time).
# Not part of `cargo test` or CI: run it by hand.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT="$PWD"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "bench.sh: $*" >&2; exit 2; }
say() { echo "==> $*" >&2; }
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

SIZES="10k" RUNS=5 WORK="target/bench" BUILD=1 REBUILD=0 RELOAD=0 FLOOR_THREADS=8
REBUILD_SIZE=10k REBUILD_ROUNDS=20 RELOAD_ROUNDS=20
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="${2:?--sizes LIST}"; shift 2 ;;
    --runs) RUNS="${2:?--runs N}"; shift 2 ;;
    --work) WORK="${2:?--work DIR}"; shift 2 ;;
    --floor-threads) FLOOR_THREADS="${2:?--floor-threads N}"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --rebuild) REBUILD=1; shift ;;
    --rebuild-size) REBUILD_SIZE="${2:?--rebuild-size SIZE}"; shift 2 ;;
    --rebuild-rounds) REBUILD_ROUNDS="${2:?--rebuild-rounds N}"; shift 2 ;;
    --reload) RELOAD=1; shift ;;
    --reload-rounds) RELOAD_ROUNDS="${2:?--reload-rounds N}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ "$FLOOR_THREADS" =~ ^[0-9]+$ ]] || die "--floor-threads must be a number"
[[ "$REBUILD_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rebuild-rounds must be a positive integer"
[[ "$RELOAD_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--reload-rounds must be a positive integer"

# "1k" -> 1000; must be a multiple of 100 (gen-corpus writes 100 per program).
sessions_of() {
  local s="$1" n
  case "$s" in
    *k) n="${s%k}"; [[ "$n" =~ ^[0-9]+$ ]] || die "bad size: $s"; n=$((n * 1000)) ;;
    *) [[ "$s" =~ ^[0-9]+$ ]] || die "bad size: $s"; n="$s" ;;
  esac
  if [ "$n" -lt 100 ] || [ $((n % 100)) -ne 0 ]; then die "size $s: a multiple of 100 sessions"; fi
  echo "$n"
}
SIZE_LIST=()
IFS=, read -r -a size_args <<<"$SIZES"
for s in "${size_args[@]}"; do SIZE_LIST+=("$(sessions_of "$s")"); done
REBUILD_N="$(sessions_of "$REBUILD_SIZE")"

[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (Debian: apt-get install time)"
command -v python3 >/dev/null || die "needs python3"
GEN="${GEN_CORPUS:-$ROOT/../shared/gen-corpus}"
[ -f "$GEN" ] || die "no gen-corpus at $GEN (set GEN_CORPUS)"
HUGO="${HUGO:-hugo}"

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
mkdir -p "$WORK/corpus" "$WORK/out" "$WORK/logs" "$WORK/tmp"
# Temporary copies (the rebuild bench, reload.mjs) on the work folder's disk too.
export TMPDIR="$WORK/tmp"
STAMP="$(date +%Y%m%d-%H%M%S)"
RUNS_TSV="$WORK/runs-$STAMP.tsv"
SIZES_TSV="$WORK/outputs-$STAMP.tsv"
REPORT="$WORK/report-$STAMP.md"

# ------------------------------------------------------------------ binaries

# The executable of target NAME from cargo's JSON messages on stdin.
executable() {
  python3 -c '
import json, sys
path = None
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        path = m["executable"]
if not path:
    sys.exit("bench.sh: cargo built no executable named " + sys.argv[1])
print(path)' "$1"
}
say "cargo build --release"
PLAYBOOK="$(cargo build --release --locked --message-format=json | executable playbook)"
say "cargo bench --bench floor --no-run"
FLOOR="$(cargo bench --locked --bench floor --no-run --message-format=json | executable floor)"

# ------------------------------------------------------------------- corpora

GEN_HASH="$(sha256sum "$GEN" | cut -c1-8)"
# corpus LAYOUT SESSIONS: the folder of that corpus, generated if absent.
corpus() {
  local layout="$1" programs=$(($2 / 100))
  local dir="$WORK/corpus/$layout-${programs}x100-$GEN_HASH"
  if [ ! -d "$dir" ]; then
    say "generating $layout corpus, $programs programs x 100 sessions"
    rm -rf "$dir.part"
    python3 "$GEN" "$dir.part" --programs "$programs" --sessions 100 --layout "$layout" >&2
    mv "$dir.part" "$dir"
  fi
  echo "$dir"
}

# ------------------------------------------------------------------- machine

machine() {
  local cpu fs
  cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
  [ -n "$cpu" ] || cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  if command -v findmnt >/dev/null; then
    fs="$(findmnt -no FSTYPE -T "$WORK") ($(findmnt -no OPTIONS -T "$WORK")), mounted at $(findmnt -no TARGET -T "$WORK") from $(findmnt -no SOURCE -T "$WORK")"
  else
    fs="$(stat -f -c %T "$WORK") (findmnt not found: mount options unknown)"
  fi
  echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -srm)"
  echo "- work folder: \`$WORK\` on $fs"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- date: $(date '+%Y-%m-%d %H:%M %Z'); commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
  echo "- $("$PLAYBOOK" --version); $("$HUGO" version 2>/dev/null | head -1 || echo 'hugo: not installed'); $(rustc --version)"
}
MACHINE="$(machine)"
{ echo "# playbook benchmarks"; echo; echo "$MACHINE"; echo; } >"$REPORT"

# --------------------------------------------------------------- build table

HAVE_HUGO=0
if command -v "$HUGO" >/dev/null; then HAVE_HUGO=1; fi

# tool_cmd TOOL SESSIONS: sets CMD to the command building that size.
tool_cmd() {
  local out="$WORK/out/$2/$1"
  case "$1" in
    playbook) CMD=("$PLAYBOOK" --color never build "$PB" --output "$out") ;;
    hugo) CMD=("$HUGO" -s "$HG" -d "$out" --quiet) ;;
    floor) CMD=("$FLOOR" "$PB" "$out") ;;
    floor-*threads) CMD=(env RAYON_NUM_THREADS="$FLOOR_THREADS" "$FLOOR" "$PB" "$out") ;;
  esac
}

# run_one TOOL SESSIONS RUN: one run, measured; RUN 0 is the warm-up.
run_one() {
  local tool="$1" n="$2" run="$3" log="$WORK/logs/$2-$1.log" tf="$WORK/tmp/time.txt"
  local t0 t1 e u s m
  tool_cmd "$tool" "$n"
  t0="$EPOCHREALTIME"
  if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "${CMD[@]}" >"$log" 2>&1; then
    echo "bench.sh: $tool failed on $n sessions: ${CMD[*]}" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  t1="$EPOCHREALTIME"
  read -r e u s m <"$tf"
  if [ "$run" -gt 0 ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$run" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" "$e" "$u" "$s" "$m" >>"$RUNS_TSV"
  fi
}

if [ "$BUILD" = 1 ]; then
  TOOLS=(playbook)
  [ "$HAVE_HUGO" = 1 ] && TOOLS+=(hugo)
  TOOLS+=(floor)
  [ "$FLOOR_THREADS" -gt 0 ] && TOOLS+=("floor-${FLOOR_THREADS}threads")
  printf 'sessions\ttool\trun\twall_s\ttime_e_s\tuser_s\tsys_s\tmaxrss_kib\n' >"$RUNS_TSV"
  printf 'sessions\ttool\tdu_kib\tfiles\n' >"$SIZES_TSV"
  for n in "${SIZE_LIST[@]}"; do
    PB="$(corpus playbook "$n")"
    HG=""
    [ "$HAVE_HUGO" = 1 ] && HG="$(corpus hugo "$n")"
    say "$n sessions: warm-up"
    for tool in "${TOOLS[@]}"; do run_one "$tool" "$n" 0; done
    for ((r = 1; r <= RUNS; r++)); do
      say "$n sessions: run $r of $RUNS (${TOOLS[*]})"
      for tool in "${TOOLS[@]}"; do run_one "$tool" "$n" "$r"; done
    done
    for tool in "${TOOLS[@]}"; do
      out="$WORK/out/$n/$tool"
      printf '%s\t%s\t%s\t%s\n' "$n" "$tool" "$(du -sk "$out" | cut -f1)" \
        "$(find "$out" -type f | wc -l)" >>"$SIZES_TSV"
    done
  done

  {
    echo "## build"
    echo
    echo "Median of $RUNS runs after one warm-up, tools alternating; each tool rebuilds into"
    echo "its own output folder. Wall in seconds; user and sys CPU seconds; peak RSS of the"
    echo "process; output = \`du -sk\` of the output folder; files = files in it. floor: one"
    echo "thread per core (rayon's default); floor-Nthreads: RAYON_NUM_THREADS=N."
    [ "$HAVE_HUGO" = 1 ] || echo "Hugo: \`$HUGO\` not found (Debian: apt-get install hugo), skipped."
    echo
    python3 - "$RUNS_TSV" "$SIZES_TSV" <<'PY'
import csv, sys
from statistics import median

runs, outs = {}, {}
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f, delimiter="\t"):
        runs.setdefault((int(r["sessions"]), r["tool"]), []).append(r)
with open(sys.argv[2]) as f:
    for r in csv.DictReader(f, delimiter="\t"):
        outs[(int(r["sessions"]), r["tool"])] = r

def col(rows, name):
    return [float(r[name]) for r in rows]

print("| tool | sessions | median wall (s) | min–max (s) | user (s) | sys (s) | peak RSS (MiB) | output (MB) | files | playbook ÷ tool |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
order = {"playbook": 0, "hugo": 1, "floor": 2}
for (n, tool) in sorted(runs, key=lambda k: (k[0], order.get(k[1], 9))):
    rows = runs[(n, tool)]
    wall = col(rows, "wall_s")
    pb = median(col(runs[(n, "playbook")], "wall_s"))
    ratio = "" if tool == "playbook" else f"{pb / median(wall):.2f}×"
    o = outs[(n, tool)]
    print(f"| {tool} | {n:,} | {median(wall):.3f} | {min(wall):.3f}–{max(wall):.3f} "
          f"| {median(col(rows, 'user_s')):.2f} | {median(col(rows, 'sys_s')):.2f} "
          f"| {median(col(rows, 'maxrss_kib')) / 1024:.0f} | {int(o['du_kib']) * 1024 / 1e6:.1f} "
          f"| {int(o['files']):,} | {ratio} |")
PY
    echo
    echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg). Raw runs: \`$RUNS_TSV\`;"
    echo "tool output of the last run: \`$WORK/logs/\`."
    echo
  } >>"$REPORT"
fi

# ------------------------------------------------------------------- rebuild

if [ "$REBUILD" = 1 ]; then
  CR="$(corpus playbook "$REBUILD_N")"
  say "cargo bench --bench rebuild on $REBUILD_N sessions, $REBUILD_ROUNDS rounds"
  log="$WORK/logs/rebuild.log"
  cargo bench --locked --bench rebuild -- "$CR" --rounds "$REBUILD_ROUNDS" >"$log"
  {
    echo "## rebuild (serve, one session edited)"
    echo
    echo "\`cargo bench --bench rebuild -- CORPUS --rounds $REBUILD_ROUNDS\` on $(commas "$REBUILD_N") sessions:"
    echo "median total **$(awk '$1 == "total:" {print $3; exit}' "$log") ms**."
    echo
    echo '```'
    cat "$log"
    echo '```'
    echo
  } >>"$REPORT"
fi

# -------------------------------------------------------------------- reload

if [ "$RELOAD" = 1 ]; then
  echo "## live reload (save → new text visible, headless Chromium)" >>"$REPORT"
  echo >>"$REPORT"
  CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
  why=""
  command -v node >/dev/null || why="node not found (Debian: apt-get install nodejs npm)"
  [ -n "$why" ] || [ -x "$CHROMIUM" ] || why="no chromium at $CHROMIUM (Debian: apt-get install chromium)"
  if [ -z "$why" ] && [ ! -d scripts/browser/node_modules/playwright-core ]; then
    say "npm ci in scripts/browser"
    (cd scripts/browser && npm ci --no-audit --no-fund >&2) || why="npm ci in scripts/browser failed"
  fi
  if [ -n "$why" ]; then
    echo "Skipped: $why." >>"$REPORT"
  else
    C1K="$(corpus playbook 1000)"
    echo "| site | median | max | rounds over 150 ms | of which server (median) | baseline (no rebuild, median) | reload.mjs |" >>"$REPORT"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |" >>"$REPORT"
    for site in 1k example; do
      log="$WORK/logs/reload-$site.log"
      args=()
      [ "$site" = 1k ] && args=("$C1K")
      say "reload.mjs on the $site site, $RELOAD_ROUNDS rounds"
      rc=0
      CHROMIUM="$CHROMIUM" node scripts/browser/reload.mjs "${args[@]}" --playbook "$PLAYBOOK" \
        --rounds "$RELOAD_ROUNDS" >"$log" 2>&1 || rc=$?
      python3 - "$site" "$rc" "$log" <<'PY' >>"$REPORT"
import re, sys
site, rc, log = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read()
pat = r"median (\d+) ms, max (\d+) ms, (\d+ of \d+) over 150 ms"
lat = re.search(r"^latency over \d+ edits: " + pat, log, re.M)
base = re.search(r"^baseline .*? over \d+ rounds: " + pat, log, re.M)
server = re.search(r"^\s*of which write -> reload event .*?: " + pat, log, re.M)
ms = lambda m: f"{m[1]} ms" if m else "?"
name = "1,000-session corpus" if site == "1k" else "example (content/)"
status = "passed" if rc == 0 else f"**failed (exit {rc})**, see {sys.argv[3]}"
if lat:
    print(f"| {name} | {lat[1]} ms | {lat[2]} ms | {lat[3]} | {ms(server)} | {ms(base)} | {status} |")
else:
    print(f"| {name} | ? | ? | ? | ? | ? | {status}: no latency line |")
PY
    done
    echo >>"$REPORT"
    echo "Logs: \`$WORK/logs/reload-*.log\` (every round, and the server's share)." >>"$REPORT"
  fi
  echo >>"$REPORT"
fi

cat "$REPORT"
echo "(report saved as $REPORT)" >&2
