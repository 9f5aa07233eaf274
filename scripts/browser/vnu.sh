#!/bin/sh
# Usage: sh scripts/browser/vnu.sh SITE_DIR   — Nu Html Checker (vnu-jar, needs java 11+) over every .html file; exits non-zero on any error.
# check.mjs runs the same check in parallel with the browser checks; this runs it alone.
set -eu
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: sh scripts/browser/vnu.sh SITE_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$jar" ]; then
  echo "vnu.sh: $jar not found; run 'npm ci' in $here first" >&2
  exit 2
fi
# --errors-only: warnings (e.g. "consider adding a lang attribute") do not fail.
# --skip-non-html: only *.html files (not the sitemap, SVGs or CSS).
# vnu exits 1 when it reports any error.
if "${JAVA:-java}" -Xss4m -jar "$jar" --errors-only --skip-non-html "$1"; then
  echo "vnu: no errors in $(find "$1" -name '*.html' | wc -l) HTML files"
else
  echo "vnu: HTML errors found (see above)" >&2
  exit 1
fi
