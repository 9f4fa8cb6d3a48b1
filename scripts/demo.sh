#!/usr/bin/env bash
# demo.sh FIELDTRUST OUTDIR — the FieldTrust story on a sample pressure-transmitter firmware:
# create a development PKI, sign release 1 and release 2, verify both, and show the precise
# rejection of a tampered image, of a self-signed signer, and of a rollback to release 1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FT=$(realpath "$1")
OUT=${2:-out/demo}
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
cd "$OUT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
expect_reject() {  # expect_reject REASON CMD... — run CMD, require exit 1 and REASON in its output
  local reason=$1; shift
  local output rc=0
  output=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$output"
  if [ "$rc" -ne 1 ] || ! grep -q "$reason" <<<"$output"; then
    echo "demo: expected rejection with $reason (exit 1), got exit $rc" >&2
    exit 1
  fi
}

VENDOR=acme-instruments.example
MODEL=PT-3051
COMMON=(--vendor-domain "$VENDOR" --model "$MODEL" --vendor-name "ACME Instruments")

say "1. A development PKI: root CA, intermediate CA, code-signing certificate (P-256)"
"$FT" pki init pki

say "2. Two firmware releases of the $MODEL pressure transmitter"
head -c 196608 /dev/urandom > fw-1.0.0.bin
head -c 212992 /dev/urandom > fw-1.1.0.bin
ls -l fw-*.bin

say "3. Sign release 1 (sequence 1) and release 2 (sequence 2)"
"$FT" sign fw-1.0.0.bin -o release-1.suit --key pki/signer.key.pem --chain pki/signer-chain.pem \
  --anchor pki/root.pem --sequence 1 --version 1.0.0 "${COMMON[@]}"
"$FT" sign fw-1.1.0.bin -o release-2.suit --key pki/signer.key.pem --chain pki/signer-chain.pem \
  --anchor pki/root.pem --sequence 2 --version 1.1.0 "${COMMON[@]}"

say "4. What release 2 holds"
"$FT" inspect release-2.suit

say "5. Verify both releases on a device whose minimum sequence number is 1"
"$FT" verify release-1.suit --payload fw-1.0.0.bin --anchor pki/root.pem --vendor-domain "$VENDOR" --model "$MODEL" --min-sequence 1
"$FT" verify release-2.suit --payload fw-1.1.0.bin --anchor pki/root.pem --vendor-domain "$VENDOR" --model "$MODEL" --min-sequence 1

say "6. A tampered image (one byte changed) is rejected"
cp fw-1.1.0.bin fw-tampered.bin
printf '\xff' | dd of=fw-tampered.bin bs=1 seek=4096 conv=notrunc status=none
expect_reject suit_image_digest_mismatch \
  "$FT" verify release-2.suit --payload fw-tampered.bin --anchor pki/root.pem --vendor-domain "$VENDOR" --model "$MODEL"

say "7. A self-signed signer is refused when signing and rejected when verifying"
"$FT" pki selfsigned rogue
expect_reject cert_leaf_self_signed \
  "$FT" sign fw-1.1.0.bin -o rogue.suit --key rogue/signer.key.pem --chain rogue/signer.pem \
    --anchor pki/root.pem --sequence 3 --version 6.6.6 "${COMMON[@]}"
# An attacker does not run our signer's checks: make the envelope anyway (as a test lab would, to
# get a negative test vector), then verify it the way a device does, against the real root.
"$FT" sign fw-1.1.0.bin -o rogue.suit --key rogue/signer.key.pem --chain rogue/signer.pem \
  --sequence 3 --version 6.6.6 "${COMMON[@]}" --unsafe-skip-checks
expect_reject cert_leaf_self_signed "$FT" verify rogue.suit --payload fw-1.1.0.bin --anchor pki/root.pem

say "8. After release 2 the device's minimum is 2: release 1 is a rollback"
expect_reject trust_rollback \
  "$FT" verify release-1.suit --payload fw-1.0.0.bin --anchor pki/root.pem --vendor-domain "$VENDOR" --model "$MODEL" --min-sequence 2

say "9. The instrument: provision, install release 1, install release 2 with a power cut, recover, rollback attempt, log"
"$ROOT/scripts/demo-device.sh" "$FT" "$OUT/device-demo"

if [ -x "$ROOT/scripts/demo-assess.sh" ]; then
  say "10. Compliance: product assessment and SDL gap"
  (cd "$ROOT" && ./scripts/demo-assess.sh "$FT" "$OUT/assess")
fi

say "Demo complete: every file is in $OUT"
