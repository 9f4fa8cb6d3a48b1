#!/usr/bin/env bash
# tpm_cli_test.sh FIELDTRUST — the device CLI with its counter and identity key in a TPM: swtpm
# started by scripts/start-swtpm.sh, an update whose confirmation loses power after the first
# of its counter increments, recovery at boot, and a log that verifies with the TPM-certified key.
set -euo pipefail
FT=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=$(mktemp -d)
cleanup() { "$ROOT/scripts/start-swtpm.sh" --stop "$WORK/tpm" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"
fail() { echo "tpm_cli_test: $*" >&2; exit 1; }

TCTI=$("$ROOT/scripts/start-swtpm.sh" "$WORK/tpm")
C=(--vendor-domain acme-instruments.example --model PT-3051)
"$FT" pki init pki >/dev/null
head -c 20000 /dev/urandom > fw1.bin
head -c 20000 /dev/urandom > fw3.bin
"$FT" sign fw1.bin -o r1.suit --key pki/signer.key.pem --chain pki/signer-chain.pem --anchor pki/root.pem --sequence 1 "${C[@]}" >/dev/null
"$FT" sign fw3.bin -o r3.suit --key pki/signer.key.pem --chain pki/signer-chain.pem --anchor pki/root.pem --sequence 3 "${C[@]}" >/dev/null

"$FT" device init dev --pki pki --tpm "$TCTI" "${C[@]}" --slot-size 65536 --json | grep -q '"counter_store": "tpm"' || fail "init"
"$FT" device install dev r1.suit --payload fw1.bin >/dev/null
"$FT" device boot dev >/dev/null
"$FT" device confirm dev >/dev/null
"$FT" device install dev r3.suit --payload fw3.bin >/dev/null
"$FT" device boot dev --json | grep -q '"trial": true' || fail "release 3 did not boot on trial"
# Confirmation: boot control (erase, write), update_confirmed record (2 writes), then the counter
# 1 -> 3 in two TPM increments: the cut after 5 operations falls between them.
rc=0
"$FT" device confirm dev --cut-after 5 --json > cut.json || rc=$?
[ "$rc" -eq 4 ] || fail "expected a power cut (exit 4), got $rc"
grep -q "TPM NV increment" cut.json || fail "the cut did not hit a TPM increment: $(cat cut.json)"
"$FT" device boot dev --json > boot.json
grep -q '"seq": 3' boot.json || fail "release 3 is not running after the cut: $(cat boot.json)"
"$FT" device status dev --json | grep -A2 '"counter"' | grep -q '"value": 3' || fail "the TPM counter is not 3"
rc=0
"$FT" device install dev r1.suit --payload fw1.bin >/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "rollback to release 1 was not rejected"
"$FT" device log export dev --output log.jsonl >/dev/null
"$FT" log verify log.jsonl --device-cert dev/identity/device-chain.pem --anchor pki/root.pem --json > verify.json || fail "log: $(cat verify.json)"
grep -q '"final_counter": 3' verify.json || fail "the log does not end with counter 3"
echo "tpm_cli_test: ok"
