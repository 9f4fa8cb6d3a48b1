#!/usr/bin/env bash
# start_swtpm_test.sh — scripts/start-swtpm.sh when a port is bound but nobody listens on it (as a
# client connection's TIME_WAIT holds a port in the ephemeral range): an explicit PORT fails with a
# message and exit 4, and a free-pair search moves on to the next candidate. The CI failure this
# catches: the script exited 1 without a word when swtpm's bind failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
HOLDER=""
cleanup() {
  [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null || true
  "$ROOT/scripts/start-swtpm.sh" --stop "$WORK/tpm" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "start_swtpm_test: $*" >&2; exit 1; }

# A socket bound to a port pair without listen(): a connect() sees the port as free.
python3 - "$WORK/port" <<'PY' &
import socket, sys, time
held = []
for port in range(13000, 14000, 2):
    a = socket.socket(); b = socket.socket()
    try:
        a.bind(("127.0.0.1", port)); b.bind(("127.0.0.1", port + 1))
        held = [a, b]; break
    except OSError:
        a.close(); b.close()
open(sys.argv[1] + ".tmp", "w").write(str(held[0].getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)
PY
HOLDER=$!
for _ in $(seq 100); do [ -f "$WORK/port" ] && break; sleep 0.05; done
BUSY=$(cat "$WORK/port")

rc=0
"$ROOT/scripts/start-swtpm.sh" "$WORK/tpm" "$BUSY" > "$WORK/out" 2> "$WORK/err" || rc=$?
[ "$rc" -eq 4 ] || fail "explicit busy port $BUSY: expected exit 4, got $rc"
grep -q "could not be started" "$WORK/err" || fail "no message for the busy port: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] || fail "a TCTI was printed for a swtpm that did not start"

# The search: the first candidate is the held pair, the second is free.
FREE=""
for p in $(seq 12000 2 12400); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then FREE=$p; break; fi
done
[ -n "$FREE" ] || fail "no free pair in 12000..12400"
TCTI=$(FT_SWTPM_TRY_PORTS="$BUSY $FREE" "$ROOT/scripts/start-swtpm.sh" "$WORK/tpm") || fail "the search gave up after the held pair"
[ "$TCTI" = "swtpm:host=127.0.0.1,port=$FREE" ] || fail "unexpected TCTI: $TCTI"
echo "start_swtpm_test: ok"
