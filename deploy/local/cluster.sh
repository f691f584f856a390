#!/usr/bin/env bash
# A local multi-process cluster: three nats-server nodes (JetStream, replicated
# streams) and one process per ranstream stage, each joining over TCP, as on a
# real cluster. Logs and stores under ./data/cluster.
#   deploy/local/cluster.sh up     build, start everything, apply the streams with 3 replicas
#   deploy/local/cluster.sh down   stop everything
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"
run=data/cluster
mkdir -p "$run"
urls=nats://127.0.0.1:4222,nats://127.0.0.1:4223,nats://127.0.0.1:4224

wait_port() { # poll until something listens, with a deadline
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on $1" >&2; return 1
}

case "${1:-up}" in
up)
  make build >/dev/null
  [ -x bin/nats-server ] || GOBIN="$PWD/bin" go install github.com/nats-io/nats-server/v2@v2.15.2
  for n in a b c; do
    (cd "$run" && exec nohup ../../bin/nats-server -c "../../deploy/nats/node-$n.conf" >"nats-$n.log" 2>&1) &
    echo $! >"$run/nats-$n.pid"
  done
  for p in 4222 4223 4224; do wait_port "$p"; done
  # The ingest service applies the topology (3 replicas) and watches ./inbox.
  common=(--nats "$urls" --log-json)
  nohup bin/ingest "${common[@]}" --replicas 3 --inbox inbox --out out >"$run/ingest.log" 2>&1 & echo $! >"$run/ingest.pid"
  for _ in $(seq 100); do grep -q "ranstream running" "$run/ingest.log" && break; sleep 0.1; done
  for s in detect extract chunk llm-extract quality-route; do
    nohup "bin/$s" "${common[@]}" --apply-streams=false >"$run/$s.log" 2>&1 & echo $! >"$run/$s.pid"
  done
  echo "cluster up: NATS at $urls; drop files into ./inbox, results in ./out; logs in $run"
  ;;
down)
  for f in "$run"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
  echo "cluster down"
  ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
