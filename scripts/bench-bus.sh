#!/usr/bin/env bash
# bench-bus: ranstream process over a corpus folder, through the embedded NATS
# bus and with --direct (the same stages, in-memory runner, no bus), and prints
# per mode the CPU seconds (user+sys, what the bus adds on a shared machine),
# wall seconds, documents per second and peak RSS, and the bus/direct ratios.
# Each mode runs `runs` times; the run with the least CPU counts.
# Usage: scripts/bench-bus.sh bin/ranstream ../shared/corpus/elex [runs]
set -euo pipefail
bin=${1:?binary}
corpus=${2:?corpus folder}
runs=${3:-3}
if [ ! -d "$corpus" ]; then
  echo "bench-bus: $corpus not found, skipped"
  exit 0
fi
timer=/usr/bin/time
if ! "$timer" -f '%U' true 2>/dev/null; then
  echo "bench-bus: needs GNU time at $timer (apt-get install time)" >&2
  exit 1
fi
field() { sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" "$2"; }
declare -A rate rss secs cpu
for mode in direct bus; do
  best=
  for i in $(seq "$runs"); do
    out=$(mktemp -d)
    flags=()
    [ "$mode" = direct ] && flags=(--direct)
    times=$(mktemp)
    "$timer" -o "$times" -f '%U %S' "$bin" process --log-level warn "${flags[@]}" --out "$out" "$corpus" >/dev/null
    read -r user sys <"$times"
    rm -f "$times"
    c=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
    r=$(field docs_per_second "$out/report.json")
    m=$(field peak_rss_mb "$out/report.json")
    s=$(field elapsed_seconds "$out/report.json")
    docs=$(field documents "$out/report.json")
    echo "$mode run $i: $docs docs, CPU ${c}s (user $user, sys $sys), wall ${s}s = $r docs/s, peak RSS ${m} MB"
    if [ -z "$best" ] || awk "BEGIN{exit !($c < $best)}"; then
      best=$c; cpu[$mode]=$c; rate[$mode]=$r; rss[$mode]=$m; secs[$mode]=$s
    fi
    rm -rf "$out"
  done
done
echo
printf '%-8s %10s %10s %10s %14s\n' mode "CPU s" "wall s" docs/s "peak RSS MB"
for mode in direct bus; do
  printf '%-8s %10s %10s %10s %14s\n' "$mode" "${cpu[$mode]}" "${secs[$mode]}" "${rate[$mode]}" "${rss[$mode]}"
done
awk -v dc="${cpu[direct]}" -v bc="${cpu[bus]}" -v d="${rate[direct]}" -v b="${rate[bus]}" 'BEGIN{
  printf "\nbus/direct CPU ratio %.2f (aim <= 1.15); direct/bus throughput ratio %.2f\n", bc/dc, d/b}'
