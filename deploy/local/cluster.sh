#!/usr/bin/env bash
# A local multi-process cluster: three nats-server nodes (JetStream, replicated
# streams, one NATS user per service) and one process per ranstream stage, each
# joining over TCP with its own credentials, as on a real cluster. Logs and
# stores under ./data/cluster; users and keys under deploy/nats/secrets (never
# committed).
#   deploy/local/cluster.sh up     build, make users (kept when present), start the nodes,
#                                  apply the streams as admin (3 replicas), start the services
#   RANSTREAM_TLS=1 deploy/local/cluster.sh up    the same with TLS on client and route connections
#   deploy/local/cluster.sh down   stop everything
# Environment: CLUSTER_INSTANCES="extract=2 llm-extract=2" runs more instances of
# a stage; CLUSTER_RUN (data/cluster), CLUSTER_INBOX (inbox) and CLUSTER_OUT (out)
# move the run's files.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"
run=${CLUSTER_RUN:-data/cluster}
inbox=${CLUSTER_INBOX:-inbox}
out=${CLUSTER_OUT:-out}
secrets=deploy/nats/secrets
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
  # One nkey per service, the operator and the admin; auth.conf and tls.conf
  # are rewritten from streams/ each time (keys are kept).
  bin/ranstream gen-creds --out "$secrets" ${RANSTREAM_TLS:+--tls} >/dev/null
  tls=()
  if [ -f "$secrets/tls/ca.pem" ]; then
    tls=(--tls-ca "$secrets/tls/ca.pem" --tls-cert "$secrets/tls/client.pem" --tls-key "$secrets/tls/client-key.pem")
  fi
  for n in a b c; do
    (cd "$run" && exec nohup "$OLDPWD/bin/nats-server" -c "$OLDPWD/deploy/nats/node-$n.conf" >"nats-$n.log" 2>&1) &
    echo $! >"$run/nats-$n.pid"
  done
  for p in 4222 4223 4224; do wait_port "$p"; done
  common=(--nats "$urls" --log-json "${tls[@]}")
  # The admin applies the topology (3 replicas); the services only check it.
  bin/ranstream apply-streams "${common[@]}" --creds "$secrets/admin.nk" --replicas 3 >"$run/apply.log" 2>&1
  # The ingest service watches ./inbox and renders ./out.
  nohup bin/ingest "${common[@]}" --creds "$secrets/ingest.nk" --apply-streams=false --inbox "$inbox" --out "$out" \
    >"$run/ingest.log" 2>&1 & echo $! >"$run/ingest.pid"
  for _ in $(seq 100); do grep -q "ranstream running" "$run/ingest.log" && break; sleep 0.1; done
  for s in detect extract chunk llm-extract quality-route; do
    count=$(tr ' ' '\n' <<<"${CLUSTER_INSTANCES:-}" | sed -n "s/^$s=//p")
    for i in $(seq "${count:-1}"); do
      nohup "bin/$s" "${common[@]}" --creds "$secrets/$s.nk" --apply-streams=false >"$run/$s-$i.log" 2>&1 & echo $! >"$run/$s-$i.pid"
    done
  done
  echo "cluster up: NATS at $urls (users in $secrets${tls:+, TLS on}); drop files into ./inbox, results in ./out; logs in $run"
  ;;
down)
  for f in "$run"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
  echo "cluster down"
  ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
