#!/usr/bin/env bash
# Seed corpora for the fuzz targets from the example site (content/).
#   fuzz/seed.sh            → fuzz/corpus/<target>/
set -euo pipefail
cd "$(dirname "$0")"
C=../content
rm -rf corpus
mkdir -p corpus/{alignment_yaml,session_guide,results_csv,whole_site}
i=0
for p in "$C"/*/; do
  n=0
  for f in program.yaml alignment/competencies.yaml alignment/action-map.yaml alignment/evaluation.yaml alignment/metrics.yaml; do
    { printf "\\x$(printf %02x $n)"; cat "$p$f"; } > "corpus/alignment_yaml/$i-$n"
    n=$((n+1))
  done
  for s in "$p"sessions/*.md; do cp "$s" "corpus/session_guide/$i-$(basename "$s")"; done
  n=0
  for f in attendance ratings survey; do
    [ -f "$p/results/$f.csv" ] && { printf "\\x$(printf %02x $n)"; cat "$p/results/$f.csv"; } > "corpus/results_csv/$i-$f"
    n=$((n+1))
  done
  {
    printf '=== 0\n'; cat ../playbook.yaml
    printf '=== 1\n'; cat "$p/program.yaml"
    k=2
    for f in competencies action-map evaluation metrics; do printf '=== %d\n' $k; cat "$p/alignment/$f.yaml"; k=$((k+1)); done
    s=($(ls "$p"sessions/*.md | head -2))
    printf '=== 6\n'; cat "${s[0]}"; printf '=== 7\n'; cat "${s[1]}"
    [ -f "$p/results/attendance.csv" ] && { printf '=== 9\n'; cat "$p/results/attendance.csv"; }
  } > "corpus/whole_site/$i"
  i=$((i+1))
done
echo "seeded: $(ls corpus/* | wc -l) entries"
