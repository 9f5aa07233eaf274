#!/usr/bin/env bash
# Validate sites' YAML files (and session front matter) against the JSON
# Schemas in schemas/ with an independent validator, check-jsonschema
# (PyPI), then check that a misspelt key fails it too.
#
#   scripts/validate-schemas.sh SITE...
set -euo pipefail
cd "$(dirname "$0")/.."
S="$PWD/schemas"
command -v check-jsonschema >/dev/null || { echo "needs check-jsonschema (pip install check-jsonschema)" >&2; exit 2; }
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
validate() { check-jsonschema --schemafile "$S/$1" "${@:2}" > "$WORK/out" 2>&1 || { cat "$WORK/out"; return 1; }; }
n=0
for site in "$@"; do
  validate playbook.schema.json "$site/playbook.yaml"
  for p in "$site"/content/*/; do
    [ -f "$p/program.yaml" ] || continue
    validate program.schema.json "$p/program.yaml"
    for step in competencies action-map evaluation metrics; do
      validate "$step.schema.json" "$p/alignment/$step.yaml"
    done
    if [ -f "$p/results/import.yaml" ]; then
      validate import.schema.json "$p/results/import.yaml"
    fi
    for c in "$p"/cohorts/*/; do
      if [ -f "$c/cohort.yaml" ]; then validate cohort.schema.json "$c/cohort.yaml"; fi
      if [ -f "$c/results/import.yaml" ]; then validate import.schema.json "$c/results/import.yaml"; fi
    done
    for md in "$p"/sessions/*.md; do
      [ -f "$md" ] || continue
      fm="$WORK/fm-$n.yaml"; n=$((n+1))
      # The front matter: the lines between the first two `---`.
      awk 'NR==1 && /^---/ {f=1; next} f && /^(---|\.\.\.)/ {exit} f {print}' "$md" > "$fm"
      validate session.schema.json "$fm" || { echo "in $md"; exit 1; }
    done
  done
  for md in "$site"/library/sessions/*.md; do
    [ -f "$md" ] || continue
    fm="$WORK/fm-$n.yaml"; n=$((n+1))
    awk 'NR==1 && /^---/ {f=1; next} f && /^(---|\.\.\.)/ {exit} f {print}' "$md" > "$fm"
    validate library-session.schema.json "$fm" || { echo "in $md"; exit 1; }
  done
  for j in "$site"/public/*/program.json; do
    [ -f "$j" ] && validate export.schema.json "$j"
  done
  echo "schemas: $site valid"
done
# A misspelt key fails the schema, as it fails `check`: at the top of a
# file, deep inside one, and in session front matter.
misspelt() { # SCHEMA KEY TEXT
  printf '%b' "$3" > "$WORK/bad.yaml"
  if check-jsonschema --schemafile "$S/$1" "$WORK/bad.yaml" > "$WORK/out" 2>&1; then
    echo "FAILED: the misspelt key \`$2\` passed $1"; exit 1
  fi
  grep -q "$2" "$WORK/out" || { echo "FAILED: $1 failed without naming \`$2\`:"; cat "$WORK/out"; exit 1; }
  echo "schemas: a misspelt key fails $1 too ($2)"
}
misspelt playbook.schema.json baseurl 'title: T\nbaseurl: /\n'
misspelt competencies.schema.json behaviours 'values: []\ncompetencies:\n  - id: a\n    name: A\n    behaviours: [x]\n'
misspelt session.schema.json competences 'title: T\nkind: workshop\ncompetences: [a]\n'
misspelt cohort.schema.json facilitator 'title: T\nstart: 2026-01-05\nfacilitator: [A]\n'
misspelt library-session.schema.json from 'title: T\nkind: workshop\nfrom: library:x\n'
misspelt import.schema.json participants 'participants: [Email]\n'
