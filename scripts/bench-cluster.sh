#!/usr/bin/env bash
# Scaling out on the local three-node cluster (deploy/local/cluster.sh): the same
# documents through one process per stage, then with two instances of a stage
# (default llm-extract, where extraction and its modes run), and documents per
# second for each. Loopback only; stops what it starts.
#   scripts/bench-cluster.sh DOCS_DIR [STAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:?usage: scripts/bench-cluster.sh DOCS_DIR [STAGE]}
stage=${2:-llm-extract}
[ -d "$docs" ] || { echo "no folder $docs" >&2; exit 2; }
n=$(find "$docs" -maxdepth 1 -type f | wc -l)
base=$(mktemp -d /tmp/ranstream-bench-cluster.XXXXXX)
trap 'CLUSTER_RUN=$base/run deploy/local/cluster.sh down >/dev/null 2>&1 || true; rm -rf "$base"' EXIT

measure() { # instances of $stage -> docs/s
  local k=$1 run=$base/run
  rm -rf "$run" "$base/inbox" "$base/out"
  mkdir -p "$base/inbox"
  CLUSTER_RUN=$run CLUSTER_INBOX=$base/inbox CLUSTER_OUT=$base/out CLUSTER_INSTANCES="$stage=$k" \
    deploy/local/cluster.sh up >/dev/null
  local began now done
  began=$(date +%s.%N)
  find "$docs" -maxdepth 1 -type f -exec cp -t "$base/inbox" {} +
  while :; do
    done=$(jq -r '[.outcomes // {} | to_entries[] | select(.key != "pending") | .value] | add // 0' "$base/out/report.json" 2>/dev/null || echo 0)
    [ "$done" -ge "$n" ] && break
    now=$(date +%s.%N)
    if awk -v a="$began" -v b="$now" 'BEGIN{exit !(b - a > 900)}'; then
      echo "timed out with $done of $n" >&2; break
    fi
    sleep 0.5
  done
  now=$(date +%s.%N)
  CLUSTER_RUN=$run deploy/local/cluster.sh down >/dev/null
  awk -v a="$began" -v b="$now" -v n="$done" -v k="$k" -v s="$stage" \
    'BEGIN{printf "%d x %s: %d documents in %.1f s, %.1f docs/s\n", k, s, n, b - a, n / (b - a)}'
}
measure 1
measure 2
