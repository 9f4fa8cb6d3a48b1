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
# Ports are drawn below the kernel's ephemeral range: a port in that range can be held by any
# client connection (or its TIME_WAIT), and swtpm's bind would then fail although no one listens.
ephemeral_low=32768
if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
  read -r ephemeral_low _ < /proc/sys/net/ipv4/ip_local_port_range
fi
span=$(( (ephemeral_low - 10002) / 2 ))
[ "$span" -gt 100 ] || span=5000

start_on() {  # start_on PORT: 0 when swtpm listens on PORT
  rm -f "$state/swtpm.pid"
  swtpm socket --tpm2 --tpmstate "dir=$state" \
    --server "type=tcp,port=$1,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$(($1 + 1)),bindaddr=127.0.0.1" \
    --flags not-need-init,startup-clear --daemon --pid "file=$state/swtpm.pid" --log "file=$state/swtpm.log" \
    2>>"$state/swtpm.start.err" || return 1
  for _ in $(seq 100); do
    port_busy "$1" && return 0
    sleep 0.1
  done
  [ -f "$state/swtpm.pid" ] && kill "$(cat "$state/swtpm.pid")" 2>/dev/null
  return 1
}

if [ $# -eq 2 ]; then
  port=$2
  if start_on "$port"; then echo "swtpm:host=127.0.0.1,port=$port"; exit 0; fi
else
  # Another process may take the pair between the check and swtpm's bind: try other pairs.
  # FT_SWTPM_TRY_PORTS="P1 P2 ..." fixes the candidates (tests/start_swtpm_test.sh uses it).
  candidates=${FT_SWTPM_TRY_PORTS:-}
  if [ -z "$candidates" ]; then
    for _ in $(seq 20); do candidates="$candidates $(( 10000 + (RANDOM % span) * 2 ))"; done
  fi
  for port in $candidates; do
    if port_busy "$port" || port_busy $((port + 1)); then continue; fi
    if start_on "$port"; then echo "swtpm:host=127.0.0.1,port=$port"; exit 0; fi
  done
fi
cat "$state/swtpm.start.err" >&2 2>/dev/null || true
echo "start-swtpm: swtpm could not be started (last port $port; see $state/swtpm.log)" >&2
exit 4
