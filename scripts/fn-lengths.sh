#!/bin/sh
# The longest functions of src/, by lines from `fn` to its closing brace:
#   scripts/fn-lengths.sh [how many, default 20] [files…]
# A rough count (braces in strings and comments are counted too), enough
# to find the functions worth splitting.
n=${1:-20}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- $(find src -name '*.rs' | sort)
awk '
  FNR == 1 { infn = 0 }
  !infn && /^[ \t]*(pub(\([a-z:]+\))? )?(const )?(async )?(unsafe )?fn [A-Za-z_0-9]+/ {
    infn = 1; depth = 0; opened = 0; start = FNR
    name = $0; sub(/^.*fn /, "", name); sub(/[<(].*$/, "", name)
  }
  infn {
    line = $0
    gsub(/"([^"\\]|\\.)*"/, "", line)   # strings on one line
    gsub(/\x27.\x27/, "", line)          # char literals
    sub(/\/\/.*$/, "", line)             # comments
    if (!opened && line ~ /;[ \t]*$/ && line !~ /\{/) { infn = 0; next }
    o = gsub(/\{/, "{", line); c = gsub(/\}/, "}", line)
    depth += o - c
    if (o > 0) opened = 1
    if (opened && depth <= 0) {
      printf "%5d %s:%d %s\n", FNR - start + 1, FILENAME, start, name
      infn = 0
    }
  }
' "$@" | sort -rn | head -n "$n"
