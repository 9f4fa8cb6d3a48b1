#!/usr/bin/env bash
# start-swtpm.sh — a software TPM 2.0 for FieldTrust devices and tests.
#
#   scripts/start-swtpm.sh STATEDIR [PORT]   start swtpm (TPM state in STATEDIR) on 127.0.0.1:PORT
#                                            (control channel PORT+1; a free pair when PORT is not
#                                            given), wait until it answers, print its TCTI string
#   scripts/start-swtpm.sh --stop STATEDIR   stop the swtpm started for STATEDIR
#
# Example:
#   TCTI=$(scripts/start-swtpm.sh /tmp/tpm)
#   fieldtrust device init dev --pki pki --tpm "$TCTI" --vendor-domain acme-instruments.example --model PT-3051
#   scripts/start-swtpm.sh --stop /tmp/tpm
# The tests need none of this: each TPM test starts and stops its own swtpm.
set -euo pipefail

usage() { echo "usage: $0 STATEDIR [PORT] | --stop STATEDIR" >&2; exit 2; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "${1:-}" = "--stop" ]; then
  [ $# -eq 2 ] || usage
  pidfile="$2/swtpm.pid"
  [ -f "$pidfile" ] || { echo "start-swtpm: no swtpm.pid in $2" >&2; exit 1; }
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
  exit 0
fi

[ $# -ge 1 ] && [ $# -le 2 ] || usage
command -v swtpm >/dev/null || { echo "start-swtpm: swtpm is not installed (scripts/install-deps.sh)" >&2; exit 4; }
state=$1
mkdir -p "$state"
state=$(cd "$state" && pwd)
if [ $# -eq 2 ]; then
  port=$2
else
  port=""
  for _ in $(seq 100); do
    candidate=$(( 20000 + (RANDOM % 20000) * 2 ))
    if ! port_busy "$candidate" && ! port_busy $((candidate + 1)); then port=$candidate; break; fi
  done
  [ -n "$port" ] || { echo "start-swtpm: no free port pair on 127.0.0.1" >&2; exit 4; }
fi

swtpm socket --tpm2 --tpmstate "dir=$state" \
  --server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
  --flags not-need-init,startup-clear --daemon --pid "file=$state/swtpm.pid" --log "file=$state/swtpm.log"

for _ in $(seq 100); do
  if port_busy "$port"; then
    echo "swtpm:host=127.0.0.1,port=$port"
    exit 0
  fi
  sleep 0.1
done
echo "start-swtpm: swtpm does not answer on port $port (see $state/swtpm.log)" >&2
exit 4
