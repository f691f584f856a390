#!/usr/bin/env bash
# bench-bus: ranstream process over a corpus folder twice in a row, through the
# embedded NATS bus and with --direct (the same stage logic, no bus), and prints
# documents per second, peak RSS and the bus overhead as a ratio.
# Usage: scripts/bench-bus.sh bin/ranstream ../shared/corpus/elex [runs]
set -euo pipefail
bin=${1:?binary}
corpus=${2:?corpus folder}
runs=${3:-3}
if [ ! -d "$corpus" ]; then
  echo "bench-bus: $corpus not found, skipped"
  exit 0
fi
field() { sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$2"; }
declare -A rate rss secs
for mode in direct bus; do
  best=0
  for i in $(seq "$runs"); do
    out=$(mktemp -d)
    flags=()
    [ "$mode" = direct ] && flags=(--direct)
    "$bin" process --log-level warn "${flags[@]}" --out "$out" "$corpus" >/dev/null
    r=$(field docs_per_second "$out/report.json")
    m=$(field peak_rss_mb "$out/report.json")
    s=$(field elapsed_seconds "$out/report.json")
    docs=$(field documents "$out/report.json")
    echo "$mode run $i: $docs docs in ${s}s = $r docs/s, peak RSS ${m} MB"
    if awk "BEGIN{exit !($r > $best)}"; then best=$r; rate[$mode]=$r; rss[$mode]=$m; secs[$mode]=$s; fi
    rm -rf "$out"
  done
done
echo
printf '%-8s %12s %12s %14s\n' mode docs/s seconds "peak RSS MB"
for mode in direct bus; do
  printf '%-8s %12s %12s %14s\n' "$mode" "${rate[$mode]}" "${secs[$mode]}" "${rss[$mode]}"
done
awk -v d="${rate[direct]}" -v b="${rate[bus]}" 'BEGIN{printf "\nbus overhead: %.1f%% (direct/bus throughput ratio %.2f; aim < 30%%)\n", (d/b-1)*100, d/b}'
