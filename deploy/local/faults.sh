#!/usr/bin/env bash
# Fault drill on a local three-node NATS cluster (loopback only):
#   1. starts three nats-server nodes (JetStream, streams replicated 3 times) with
#      one NATS user per service (`ranstream gen-creds`), applies the streams as
#      admin, and starts one process per stage with its own credentials (two
#      instances of extract and llm-extract);
#   2. feeds N documents (default 500: corpus/elex when ../shared is beside the
#      repository, generated feature documents otherwise) into the watched inbox;
#   3. while they flow: kill -9 the NATS node leading the DOCS stream, restart it;
#      kill -9 one extract and the quality-route instance, restart them;
#   4. waits, then checks every document is in extractions.jsonl exactly once and
#      identical to `ranstream process --direct` on the same files, that the
#      faults caused no dead letters, and that the detect service's credentials
#      cannot publish to extractions.scored.basic.
# The last line reads
#   documents N, lost 0, duplicated 0, fault dead letters 0, cross-stage publish refused
# and the exit status is 0 only then. Everything it started is stopped on exit.
# A stall (no progress for 60 s, or the time limit) first has every service print
# its goroutine stacks into its log (SIGQUIT), and a failed drill keeps its run
# dir, so that what hung can be read afterwards.
#   deploy/local/faults.sh [N]      FAULTS_TIMEOUT=seconds (default 480), FAULTS_KEEP=1 keeps the run dir
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export PATH="/usr/local/go/bin:$PATH"
N=${1:-500}
LIMIT=${FAULTS_TIMEOUT:-480}
run=$(mktemp -d /tmp/ranstream-faults.XXXXXX)
urls=nats://127.0.0.1:4222,nats://127.0.0.1:4223,nats://127.0.0.1:4224
declare -A pid
began=$(date +%s)

log() { printf '%s faults: %s\n' "$(date +%T)" "$*" >&2; }
elapsed() { echo $(($(date +%s) - began)); }

cleanup() {
  local status=$?
  for k in "${!pid[@]}"; do kill -9 "${pid[$k]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${FAULTS_KEEP:-0}" = 1 ] || [ "$status" -ne 0 ]; then log "run kept in $run"; else rm -rf "$run"; fi
}

# stacks has every service still running print its goroutine stacks into its
# log and exit (Go's SIGQUIT), for a stall to be read afterwards.
stacks() {
  local k
  for k in "${!pid[@]}"; do
    case $k in nats-*) continue ;; esac
    kill -QUIT "${pid[$k]}" 2>/dev/null || true
  done
  sleep 2
  log "stalled: goroutine stacks in $run/*.log"
}
trap cleanup EXIT

for p in 4222 4223 4224 6222 6223 6224 8222 8223 8224; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "port $p is in use (deploy/local/cluster.sh up?): stop it first" >&2; exit 2
  fi
done

wait_port() {
  for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on $1" >&2; return 1
}

# --- build -------------------------------------------------------------------
log "building"
make -s build >/dev/null
[ -x bin/nats-server ] || GOBIN="$repo/bin" go install github.com/nats-io/nats-server/v2@v2.15.2
[ -x bin/nats ] || GOBIN="$repo/bin" go install github.com/nats-io/natscli/nats@v0.5.0

# --- credentials and cluster ------------------------------------------------------
# One NATS user per service (nkey seeds), the operator and the admin; the node
# configs include secrets/auth.conf and secrets/tls.conf beside them.
secrets=$run/secrets
bin/ranstream gen-creds --out "$secrets" >/dev/null
node_conf() { # the node's config beside the secrets, with its store under the run dir
  local n=$1 conf=$run/node-$1.conf
  sed "s#\"./data/nats-$n\"#\"$run/nats-$n\"#" "deploy/nats/node-$n.conf" >"$conf"
  echo "$conf"
}
start_node() {
  local n=$1
  bin/nats-server -c "$(node_conf "$n")" >>"$run/nats-$n.log" 2>&1 &
  pid[nats-$n]=$!
}
for n in a b c; do start_node $n; done
for p in 4222 4223 4224; do wait_port "$p"; done

# --- services ------------------------------------------------------------------
start_svc() { # name binary [args...]: the binary's own user
  local name=$1 bin=$2; shift 2
  "bin/$bin" --nats "$urls" --log-json --creds "$secrets/$bin.nk" --apply-streams=false "$@" >>"$run/$name.log" 2>&1 &
  pid[$name]=$!
}
mkdir -p "$run/inbox" "$run/out" "$run/src"
bin/ranstream apply-streams --nats "$urls" --creds "$secrets/admin.nk" --replicas 3 >"$run/apply.log" 2>&1 ||
  { echo "applying the streams failed:" >&2; tail -5 "$run/apply.log" >&2; exit 1; }
start_svc ingest ingest --inbox "$run/inbox" --out "$run/out" --inbox-bucket=false
for _ in $(seq 300); do grep -q '"ranstream running"' "$run/ingest.log" 2>/dev/null && break; sleep 0.1; done
grep -q '"ranstream running"' "$run/ingest.log" || { echo "ingest did not start:" >&2; tail -5 "$run/ingest.log" >&2; exit 1; }
start_svc detect detect
start_svc extract-1 extract
start_svc extract-2 extract
start_svc chunk chunk
start_svc llm-extract-1 llm-extract
start_svc llm-extract-2 llm-extract
start_svc quality-route quality-route
log "cluster and services up in $(elapsed)s (run dir $run)"

# --- documents -----------------------------------------------------------------
corpus=../shared/corpus/elex
if [ -d "$corpus" ]; then
  find "$corpus" -maxdepth 1 -name '*.md' | sort | head -n "$N" | while read -r f; do cp "$f" "$run/src/"; done
else
  for i in $(seq "$N"); do
    cat >"$run/src/feature-$i.md" <<EOF
# Generated Feature $i

| Feature Name | Generated Feature $i |
| Feature Identity | FAJ 121 $((4000 + i)) |
| Value Package Name | Test Package |
| Value Package Identity | FAJ 801 0400 |
| Node Type | Baseband Radio Node |
| Access Type | LTE |
| Licensing | Licensed feature. One license is required for each node. |

## Dependencies

| Feature | Relationship |
| --- | --- |
| Basic Feature $i (FAJ 121 $((5000 + i))) | Prerequisite |

## Parameters

| Parameter | Type |
| --- | --- |
| EUtranCellFDD.genParam$i | Introduced |

The counter EUtranCellFDD.pmGenCount$i is stepped for each attempt of feature $i.

## Activate the Feature

1. Set the attribute FeatureState.featureState to ACTIVATED in the FeatureState=CXC40$((10000 + i)) MO instance.
EOF
  done
fi
N=$(find "$run/src" -type f | wc -l)
[ "$N" -gt 0 ] || { echo "no documents to feed" >&2; exit 1; }

feed() { # copy files $1..$2 (1-based) of the sorted list into the inbox, atomically (rename)
  find "$run/src" -type f | sort | sed -n "$1,$2p" | while read -r f; do
    cp "$f" "$run/inbox/.$(basename "$f").part" && mv "$run/inbox/.$(basename "$f").part" "$run/inbox/$(basename "$f")"
  done
}

kill9() { # kill -9 a started process, quietly
  kill -9 "${pid[$1]}" 2>/dev/null || true
  wait "${pid[$1]}" 2>/dev/null || true
}

accepted() { # documents the ingest service's report counts as done
  [ -f "$run/out/report.json" ] || { echo 0; return; }
  jq -r '[.outcomes // {} | to_entries[] | select(.key != "pending") | .value] | add // 0' "$run/out/report.json"
}

# Which node leads a stream (from the monitoring endpoint of any live node).
leader_of() {
  local s=$1 port
  for port in 8222 8223 8224; do
    curl -sf "http://127.0.0.1:$port/jsz?streams=true&accounts=true" 2>/dev/null |
      jq -r --arg s "$s" '[.account_details[]?.stream_detail[]? | select(.name == $s) | .cluster.leader] | first // empty' 2>/dev/null &&
      return 0
  done
}

third=$((N / 3))
log "feeding $N documents"
feed 1 "$third"
sleep 3

# Fault 1: the DOCS stream's leader node, kill -9, back after 5 s.
leader=$(leader_of DOCS)
case "$leader" in
  ranstream-a) node=a ;; ranstream-b) node=b ;; ranstream-c) node=c ;;
  *) log "could not tell the DOCS leader ($leader); killing node a"; node=a ;;
esac
log "kill -9 NATS node $node (DOCS leader), $(accepted) of $N done"
kill9 "nats-$node"
feed $((third + 1)) $((2 * third))
sleep 5
start_node "$node"
log "NATS node $node restarted"

# Fault 2: one extract instance and quality-route, kill -9 in the middle of work, restarted.
sleep 2
log "kill -9 extract-1 and quality-route, $(accepted) of $N done"
kill9 extract-1
kill9 quality-route
feed $((2 * third + 1)) "$N"
sleep 2
start_svc extract-1 extract
start_svc quality-route quality-route
log "extract-1 and quality-route restarted"

# --- wait ----------------------------------------------------------------------
last=-1 still=0
while :; do
  done_n=$(accepted)
  pending=$(jq -r '.outcomes.pending // 0' "$run/out/report.json" 2>/dev/null || echo "?")
  [ "$done_n" -ge "$N" ] && [ "$pending" = 0 ] && break
  if [ "$done_n" = "$last" ]; then still=$((still + 2)); else still=0 last=$done_n; fi
  if [ "$pending" = 0 ] && [ "$still" -ge 60 ]; then
    log "no progress for 60s with nothing pending: $done_n of $N done"
    stacks
    break
  fi
  if [ "$(elapsed)" -ge "$LIMIT" ]; then
    log "timed out after $(elapsed)s: $done_n of $N done, $pending pending"
    stacks
    break
  fi
  sleep 2
done
sleep 3 # one more rendering
log "cluster done: $(accepted) of $N in $(elapsed)s"

# --- reference and comparison ---------------------------------------------------
bin/ranstream process --direct --log-level warn --out "$run/ref" "$run/src" >/dev/null 2>&1
refused=no
if out=$(bin/nats --server "$urls" --nkey "$secrets/detect.nk" --timeout 3s pub --jetstream extractions.scored.basic '{"forged":true}' 2>&1); then
  log "detect could publish to extractions.scored.basic: $out"
else
  refused=yes
  log "detect publishing to extractions.scored.basic: $(echo "$out" | tail -1)"
fi
python3 - "$run/ref/extractions.jsonl" "$run/out/extractions.jsonl" "$run/ref/dead-letters.jsonl" \
  "$run/out/dead-letters.jsonl" "$N" "$refused" <<'EOF'
import json, os, sys
ref_path, got_path, ref_dl, got_dl, n, refused = sys.argv[1:]
def lines(p):
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return [json.loads(l) for l in f if l.strip()]
keep = ("extraction", "mode", "quality", "modes_tried", "format")
ref = {d["doc_id"]: d for d in lines(ref_path)}
got = {}
dup = 0
for d in lines(got_path):
    if d["doc_id"] in got:
        dup += 1
    got[d["doc_id"]] = d
lost = [k for k in ref if k not in got]
diff = [k for k in ref if k in got and any(ref[k].get(f) != got[k].get(f) for f in keep)]
fault_dl = max(0, len(lines(got_dl)) - len(lines(ref_dl)))
for k in lost[:5]:
    print("lost:", ref[k]["source"], file=sys.stderr)
for k in diff[:5]:
    print("differs from the reference:", ref[k]["source"], file=sys.stderr)
for d in lines(got_dl)[:5]:
    print("dead letter:", d.get("stage"), d.get("source"), d.get("reason"), file=sys.stderr)
ok = not lost and not dup and not diff and fault_dl == 0 and refused == "yes" and len(ref) > 0
print(f"identical to the --direct reference: {len(ref) - len(lost) - len(diff)} of {len(ref)}")
print(f"documents {len(ref)}, lost {len(lost)}, duplicated {dup}, "
      f"fault dead letters {fault_dl}, cross-stage publish {'refused' if refused == 'yes' else 'NOT refused'}")
sys.exit(0 if ok else 1)
EOF
