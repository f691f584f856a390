#!/usr/bin/env bash
# bench-huge: one generated CSV per size through `ranstream process` on the
# embedded bus, printing time, throughput, chunks and peak RSS, so that one can
# see whether memory grows with the size of a single document.
# Usage: scripts/bench-huge.sh bin/ranstream [sizes in MB, default "20 50 200"]
set -euo pipefail
bin=${1:?binary}
sizes=${2:-20 50 200}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field() { sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$2"; }
printf '%-8s %10s %10s %10s %12s %14s\n' "CSV MB" seconds "MB/s" chunks "chunks/s" "peak RSS MB"
for mb in $sizes; do
  csv="$work/params-${mb}MB.csv"
  awk -v target=$((mb * 1000000)) -f "$here/gen-csv.awk" > "$csv"
  out="$work/out-$mb"
  "$bin" process --log-level warn --out "$out" "$csv" >/dev/null
  s=$(field elapsed_seconds "$out/report.json")
  c=$(field chunks "$out/report.json")
  r=$(field peak_rss_mb "$out/report.json")
  dl=$(wc -l < "$out/dead-letters.jsonl")
  [ "$dl" -eq 0 ] || { echo "bench-huge: $mb MB CSV dead-lettered:"; cat "$out/dead-letters.jsonl"; exit 1; }
  awk -v mb="$mb" -v s="$s" -v c="$c" -v r="$r" 'BEGIN{printf "%-8s %10.1f %10.2f %10d %12.0f %14s\n", mb, s, mb/s, c, c/s, r}'
  rm -rf "$out" "$csv"
done
