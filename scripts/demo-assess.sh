#!/usr/bin/env bash
# demo-assess.sh FIELDTRUST OUTDIR [ENVELOPE ANCHOR PAYLOAD] — the compliance part of `make demo`:
# validate the catalogues, show which regimes apply to the sample pressure transmitter, run the
# SDL gap assessment and the product assessment, and write the reports (JSON, Markdown and one
# self-contained HTML page with charts) into OUTDIR.
#
# The sample lives in examples/pressure-transmitter. It is copied into OUTDIR so the demo never
# writes into the source tree. Its firmware artifact is taken from the signing part of the demo
# when given (ENVELOPE ANCHOR PAYLOAD), or found beside OUTDIR (release-2.suit, pki/root.pem,
# fw-1.1.0.bin as scripts/demo.sh leaves them); without one the assessment reports it missing.
# Deadlines are counted from today (UTC) unless FT_DEMO_DATE=YYYY-MM-DD is set.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 FIELDTRUST OUTDIR [ENVELOPE ANCHOR PAYLOAD]" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FT=$(realpath "$1")
OUT=$2
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
DATE=${FT_DEMO_DATE:-$(date -u +%F)}
ENVELOPE=${3:-$OUT/../release-2.suit}
ANCHOR=${4:-$OUT/../pki/root.pem}
PAYLOAD=${5:-$OUT/../fw-1.1.0.bin}

say() { printf '\n\033[1m-- %s\033[0m\n' "$*"; }
# judged CMD... — run a command that exits 1 when it finds gaps; only 2 and above are failures.
judged() {
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "demo-assess: '$*' failed with exit $rc" >&2
    exit "$rc"
  fi
  return 0
}

SAMPLE=$OUT/pressure-transmitter
rm -rf "$SAMPLE"
cp -r "$ROOT/examples/pressure-transmitter" "$SAMPLE"
if [ -f "$ENVELOPE" ] && [ -f "$ANCHOR" ] && [ -f "$PAYLOAD" ]; then
  mkdir -p "$SAMPLE/firmware"
  cp "$ENVELOPE" "$SAMPLE/firmware/ptx-3100-2.1.0.suit"
  cp "$ANCHOR" "$SAMPLE/firmware/supplier-root.pem"
  cp "$PAYLOAD" "$SAMPLE/firmware/ptx-3100-2.1.0.bin"
  echo "firmware evidence: $(basename "$ENVELOPE") signed in this demo, verified against $(basename "$ANCHOR")"
else
  echo "firmware evidence: no signed envelope given; the assessment will report it missing"
fi
DEVICE_DEMO=${FT_DEMO_DEVICE_DIR:-$OUT/../device-demo}
if [ -f "$DEVICE_DEMO/device-log.jsonl" ]; then
  mkdir -p "$SAMPLE/firmware"
  cp "$DEVICE_DEMO/device-log.jsonl" "$SAMPLE/firmware/rollback-protection-log.jsonl"
  cp "$DEVICE_DEMO/device/identity/device-chain.pem" "$SAMPLE/firmware/device-identity-chain.pem"
  cp "$DEVICE_DEMO/pki/root.pem" "$SAMPLE/firmware/device-root.pem"
  echo "device evidence: the rollback-protection log exported by the simulated instrument in this demo"
fi

say "Catalogues: IEC 62443-4-2/-4-1, 12-stage SDL, EU CRA, NIST IR 8259A/B, SP 800-193, GB/T 42278, crosswalks, regimes"
"$FT" catalog validate
"$FT" catalog list

say "Which regimes apply to the PTX-3100 (EU, US, Saudi Arabia, China; oil and gas, water, power) as of $DATE"
"$FT" regimes "$SAMPLE/product.yaml" --date "$DATE"

say "SDL gap assessment against ML3 (12 stages, 47 IEC 62443-4-1 requirements)"
judged "$FT" sdl gap "$SAMPLE/sdl.yaml"
judged "$FT" sdl gap "$SAMPLE/sdl.yaml" --format markdown -o "$OUT/sdl-gap.md"
judged "$FT" sdl gap "$SAMPLE/sdl.yaml" --format html -o "$OUT/sdl-gap.html"

say "Product assessment: verdict per requirement and RE, SL-C against SL-T, gaps by what they block"
judged "$FT" assess "$SAMPLE/product.yaml" --date "$DATE" --out-dir "$OUT"

say "Reports"
ls -l "$OUT"/assessment.json "$OUT"/assessment.md "$OUT"/assessment.html "$OUT"/sdl-gap.md "$OUT"/sdl-gap.html
echo "Open $OUT/assessment.html in a browser for the charts."
