#!/usr/bin/env bash
# ranstream against the Python pipeline it replaces, side by side in one run on
# the same documents: ../shared/tools/baseline_python.py (regex extraction per
# chunk in a process pool) and `ranstream process` through the embedded
# JetStream, best of N each; prints both wall times, CPU seconds and the ratio.
#   scripts/bench-python.sh BIN DOCS_DIR [N]
# Needs Debian's python3-pypdf python3-bs4 python3-pandas python3-chardet python3-docx.
set -euo pipefail
bin=${1:?usage: scripts/bench-python.sh BIN DOCS_DIR [N]}
docs=${2:?usage: scripts/bench-python.sh BIN DOCS_DIR [N]}
runs=${3:-3}
tools=$(cd "$(dirname "$0")/../.." && pwd)/shared/tools
[ -f "$tools/baseline_python.py" ] || { echo "bench-python: no $tools/baseline_python.py (../shared absent): skipped"; exit 0; }
if ! /usr/bin/python3 -c 'import pypdf, bs4, pandas, chardet, docx' 2>/dev/null; then
  echo "bench-python: the baseline needs python3-pypdf python3-bs4 python3-pandas python3-chardet python3-docx (apt-get install): skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t files < <(find "$docs" -maxdepth 1 -type f | sort)
n=${#files[@]}

best() { # command... -> "wall cpu" of the fastest of $runs runs
  local b="" line
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$tmp/time" -f "%e %U %S" "$@" >/dev/null 2>&1
    line=$(tail -1 "$tmp/time")
    if [ -z "$b" ] || awk -v a="$line" -v b="$b" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then b=$line; fi
  done
  awk -v l="$b" 'BEGIN{split(l,x," "); printf "%s %.2f\n", x[1], x[2]+x[3]}'
}
py=$(best /usr/bin/python3 "$tools/baseline_python.py" "$tmp/base.jsonl" "${files[@]}")
rs=$(best "$bin" process --log-level error --out "$tmp/out" "$docs")
read -r pyw pyc <<<"$py"
read -r rsw rsc <<<"$rs"
printf "documents        %d (%s)\n" "$n" "$docs"
printf "python baseline  %6.2f s wall  %6.2f s CPU\n" "$pyw" "$pyc"
printf "ranstream (bus)  %6.2f s wall  %6.2f s CPU\n" "$rsw" "$rsc"
awk -v a="$pyw" -v b="$rsw" 'BEGIN{printf "ratio            %.1fx faster (wall)\n", a / b}'
