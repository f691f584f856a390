#!/usr/bin/env bash
# bench-word: our Word converters (pkg/formats/docx, pkg/formats/doc) against the
# reference tools docx2txt (DOCX) and antiword (DOC) on every Word file of a corpus
# folder, loose or inside a zip. Per file it prints the size, our time and MB/s,
# the reference tool's time, and the word recall: the share of the reference's word
# tokens (multiset, lower-cased, runs of letters and digits) found in our output.
# The issue's acceptance bar is a recall of 0.98 or more on every file.
# Usage: scripts/bench-word.sh [corpus folder]   (default ../shared/corpus/3gpp)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 1 ]; then corpus=$1; else corpus=${CORPUS:-$root/../shared/corpus}/3gpp; fi
if [ ! -d "$corpus" ]; then
  echo "bench-word: $corpus not found, skipped"
  exit 0
fi
have() { command -v "$1" >/dev/null 2>&1; }
if ! have go; then
  echo "bench-word: go not found, skipped"
  exit 0
fi
have docx2txt || echo "bench-word: docx2txt not found (apt-get install docx2txt): DOCX files skipped"
have antiword || echo "bench-word: antiword not found (apt-get install antiword): DOC files skipped"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A throwaway program over the workspace's pkg module: converts one file and
# prints the seconds the conversion took.
mkdir -p "$work/conv"
cat >"$work/conv/go.mod" <<'EOF'
module benchword

go 1.26.0
EOF
cat >"$work/conv/main.go" <<'EOF'
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/doc"
	"github.com/ranstream/ranstream/pkg/formats/docx"
)

func main() {
	in, out := os.Args[1], os.Args[2]
	b, err := os.ReadFile(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	conv := docx.Convert
	if strings.HasSuffix(strings.ToLower(in), ".doc") {
		conv = doc.Convert
	}
	start := time.Now()
	_, err = conv(context.Background(), bytes.NewReader(b), int64(len(b)), w, formats.Limits{})
	took := time.Since(start)
	w.Flush()
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%.6f\n", took.Seconds())
}
EOF
cat >"$work/go.work" <<EOF
go 1.26.0

use (
	$root/pkg
	./conv
)
EOF
(cd "$work/conv" && GOWORK="$work/go.work" go build -o "$work/convert" .)

# Gather the files: loose ones, and zip members extracted.
mkdir -p "$work/files"
files=()
while IFS= read -r -d '' f; do
  case "${f,,}" in
    *.docx|*.doc) files+=("$f") ;;
    *.zip)
      d="$work/files/$(basename "$f" .zip)"
      mkdir -p "$d"
      if unzip -qq -o "$f" -d "$d" 2>/dev/null; then
        while IFS= read -r -d '' m; do files+=("$m"); done < <(find "$d" -type f \( -iname '*.docx' -o -iname '*.doc' \) -print0)
      fi
      ;;
  esac
done < <(find "$corpus" -type f \( -iname '*.docx' -o -iname '*.doc' -o -iname '*.zip' \) -print0 | sort -z)

# tokens FILE: "count token" lines, sorted by token.
tokens() { LC_ALL=C tr -c '[:alnum:]' '\n' <"$1" | LC_ALL=C tr '[:upper:]' '[:lower:]' | grep -v '^$' | LC_ALL=C sort | LC_ALL=C uniq -c | awk '{print $2, $1}'; }
# recall REF OURS: share of REF's tokens (with multiplicity) present in OURS.
recall() {
  LC_ALL=C join -a1 -e0 -o '1.2,2.2' <(tokens "$1") <(tokens "$2") |
    awk '{ref += $1; hit += ($2 < $1 ? $2 : $1)} END {if (ref == 0) print "1.0000"; else printf "%.4f\n", hit/ref}'
}
now() { date +%s.%N; }

printf '%-52s %10s %9s %9s %9s %8s  %s\n' file bytes "ours s" "ours MB/s" "ref s" recall ref
fail=0
for f in "${files[@]}"; do
  case "${f,,}" in
    *.docx) tool=docx2txt ;;
    *) tool=antiword ;;
  esac
  have "$tool" || continue
  size=$(stat -c %s "$f")
  name=$(basename "$f")
  if ! ours=$("$work/convert" "$f" "$work/ours.txt" 2>"$work/err.txt"); then
    printf '%-52s %10d  ERROR: %s\n' "${name:0:52}" "$size" "$(head -c 200 "$work/err.txt")"
    fail=1
    continue
  fi
  t0=$(now)
  if [ "$tool" = docx2txt ]; then
    docx2txt "$f" - >"$work/ref.txt" 2>/dev/null || true
  else
    antiword -w 0 "$f" >"$work/ref.txt" 2>/dev/null || true
  fi
  t1=$(now)
  r=$(recall "$work/ref.txt" "$work/ours.txt")
  awk -v n="${name:0:52}" -v s="$size" -v o="$ours" -v a="$t0" -v b="$t1" -v r="$r" -v tool="$tool" \
    'BEGIN {printf "%-52s %10d %9.3f %9.1f %9.3f %8s  %s\n", n, s, o, (o > 0 ? s/1e6/o : 0), b-a, r, tool}'
  if awk -v r="$r" 'BEGIN {exit !(r < 0.98)}'; then fail=1; fi
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "bench-word: no Word files under $corpus"
fi
[ "$fail" -eq 0 ] && echo "bench-word: every file converts with recall >= 0.98" || { echo "bench-word: some files fail the bar"; exit 1; }
