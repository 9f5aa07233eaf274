#!/usr/bin/env bash
# Benchmarks of playbook on synthetic corpora from ../shared/gen-corpus.
#
#   benches/run.sh [PROGRAMS] [SESSIONS]      (default 100 x 100 = 10,000 sessions)
#
# Reports hyperfine medians for `check` and `build`, peak memory (GNU time),
# and, when `hugo` is installed, Hugo building the same session bodies as a
# baseline in the same invocation (ratios are what to compare: the machines
# are noisy). Needs: hyperfine, /usr/bin/time (Debian: hyperfine, time).
set -euo pipefail
cd "$(dirname "$0")/.."
P="${1:-100}"; S="${2:-100}"
GEN="${GEN_CORPUS:-../shared/gen-corpus}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cargo build --release --locked -q
BIN="$PWD/target/release/playbook"
python3 "$GEN" "$WORK/site" --programs "$P" --sessions "$S"
python3 "$GEN" "$WORK/hugo" --programs "$P" --sessions "$S" --layout hugo
echo "corpus: $P programs x $S sessions ($(du -sh "$WORK/site/content" | cut -f1))"

cmds=(-n check "$BIN check $WORK/site"
      -n build "$BIN build $WORK/site --output $WORK/out")
if command -v hugo >/dev/null; then
  cmds+=(-n hugo "hugo --quiet -s $WORK/hugo -d $WORK/hugo-out")
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" -i --export-json "$WORK/h.json" "${cmds[@]}"
python3 - "$WORK/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for name, x in r.items():
    print(f"{name:6} median {x['median']:.3f} s  (min {x['min']:.3f}, max {x['max']:.3f})")
if "hugo" in r:
    print(f"build/hugo median ratio: {r['build']['median'] / r['hugo']['median']:.2f}")
PY
for cmd in check build; do
  extra=""; [ "$cmd" = build ] && extra="--output $WORK/out"
  /usr/bin/time -f "$cmd peak RSS: %M KB" "$BIN" $cmd "$WORK/site" $extra 2>&1 >/dev/null | tail -1
done
