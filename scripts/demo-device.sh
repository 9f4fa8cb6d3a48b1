#!/usr/bin/env bash
# demo-device.sh FIELDTRUST OUTDIR — the instrument: provision a simulated PT-3051 pressure
# transmitter, install release 1, install release 2 with a power cut in the middle, recover,
# complete the update, attempt a rollback to release 1, export the rollback-protection log and
# verify it (and show that an edited log is caught). scripts/demo.sh calls it.
set -euo pipefail
FT=$(realpath "$1")
OUT=${2:-out/demo-device}
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
cd "$OUT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
expect_exit() {  # expect_exit CODE REASON CMD... — run CMD, require exit CODE and REASON in its output
  local code=$1 reason=$2; shift 2
  local output rc=0
  output=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$output"
  if [ "$rc" -ne "$code" ] || ! grep -q -- "$reason" <<<"$output"; then
    echo "demo-device: expected exit $code with \"$reason\", got exit $rc" >&2
    exit 1
  fi
}

VENDOR=acme-instruments.example
MODEL=PT-3051
COMMON=(--vendor-domain "$VENDOR" --model "$MODEL" --vendor-name "ACME Instruments")

say "1. A development PKI, and releases 1 and 2 of the $MODEL firmware"
"$FT" pki init pki >/dev/null
head -c 49152 /dev/urandom > fw-1.0.0.bin
head -c 53248 /dev/urandom > fw-1.1.0.bin
"$FT" sign fw-1.0.0.bin -o release-1.suit --key pki/signer.key.pem --chain pki/signer-chain.pem \
  --anchor pki/root.pem --sequence 1 --version 1.0.0 "${COMMON[@]}" >/dev/null
"$FT" sign fw-1.1.0.bin -o release-2.suit --key pki/signer.key.pem --chain pki/signer-chain.pem \
  --anchor pki/root.pem --sequence 2 --version 1.1.0 "${COMMON[@]}" >/dev/null
ls -l release-*.suit fw-*.bin

say "2. Provision the device: supplier anchor, identity certificate, 4 KiB-sector flash with A/B slots"
"$FT" device init device --pki pki --vendor-domain "$VENDOR" --model "$MODEL" --serial 0001 --slot-size 131072

say "3. Install release 1, boot it on trial, confirm it (the anti-rollback counter moves to 1)"
"$FT" device install device release-1.suit --payload fw-1.0.0.bin
"$FT" device boot device
"$FT" device confirm device

say "4. Install release 2 — and cut the power after 100 flash operations, half-way through slot B"
expect_exit 4 "POWER CUT" "$FT" device install device release-2.suit --payload fw-1.1.0.bin --cut-after 100

say "5. Power comes back: the bootloader ignores the half-written slot and boots release 1"
"$FT" device boot device
"$FT" device status device

say "6. The update agent tries again; release 2 boots on trial and the firmware confirms it"
"$FT" device install device release-2.suit --payload fw-1.1.0.bin
"$FT" device boot device
"$FT" device confirm device

say "7. A rollback to release 1 (authentic, but below the minimum 2) is refused and logged"
expect_exit 1 trust_rollback "$FT" device install device release-1.suit --payload fw-1.0.0.bin

say "8. Export the rollback-protection log and verify it against the PKI root"
"$FT" device log export device --output device-log.jsonl
"$FT" device log export device --format cbor --output device-log.cbor
head -c 600 device-log.jsonl; echo " ..."
"$FT" log verify device-log.jsonl --device-cert device/identity/device-chain.pem --anchor pki/root.pem
"$FT" log verify device-log.cbor --device-cert device/identity/device-chain.pem --anchor pki/root.pem --json >/dev/null

say "9. An edited log is caught: a dropped record, then a record whose text was changed"
sed '5d' device-log.jsonl > dropped.jsonl
expect_exit 1 dropped "$FT" log verify dropped.jsonl --device-cert device/identity/device-chain.pem --anchor pki/root.pem
sed 's/"kind":"rollback_blocked"/"kind":"boot_verified"/' device-log.jsonl > edited.jsonl
expect_exit 1 forged "$FT" log verify edited.jsonl --device-cert device/identity/device-chain.pem --anchor pki/root.pem

say "Device demo complete: the device directory is $OUT/device"
