#!/usr/bin/env bash
# cli_assess_test.sh FIELDTRUST — the compliance commands end to end: exit codes, error messages
# that name file, line and field, the demo script and the reports it writes.
set -uo pipefail
FT=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
passes=0

check() {  # check NAME EXPECTED_RC PATTERN CMD... — run CMD, require its exit code and PATTERN in its output
  local name=$1 want=$2 pattern=$3; shift 3
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), pattern '$pattern'"
    printf '%s\n' "$out" | head -20
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

EX=$ROOT/examples/pressure-transmitter
check "catalog validate" 0 "valid: 7 catalogues" "$FT" catalog validate
check "catalog list" 0 "iec62443-4-2 +component-requirements" "$FT" catalog list
check "catalog show item" 0 "applies from SL 2 \(confidence high\)" "$FT" catalog show "EDR 3.10 RE1"
check "catalog show adoption" 0 "identical adoption of iec62443-4-2" "$FT" catalog show gbt-42278
check "catalog show unknown" 3 "is no catalogue, item" "$FT" catalog show "CR 9.9"
check "catalog show --json" 0 '"sl": 2' "$FT" catalog show "CR 3.4 RE1" --json

# A broken copy of the catalogues is rejected with file and line.
cp -r "$ROOT/catalogs" "$WORK/catalogs"
sed -i '0,/    sl: 3/s//    sl: 7/' "$WORK/catalogs/iec62443-4-2.yaml"
check "catalog validate broken" 1 "iec62443-4-2.yaml:[0-9]+: items\[[0-9]+\]\.enhancements\[[0-9]+\]\.sl: 7 is outside 1 to 4" \
  "$FT" catalog validate "$WORK/catalogs"
check "assess with broken catalogues" 3 "catalogues in .* are invalid" "$FT" assess "$EX/product.yaml" --catalogs "$WORK/catalogs"

# Profiles: errors name file, line and field; exit 3.
sed 's/status: met, evidence: \[tr-auth, architecture\]}/status: done, evidence: [tr-auth, architecture]}/' "$EX/product.yaml" > "$WORK/product.yaml"
check "bad product profile" 3 "product.yaml:[0-9]+: claims\[0\]\.status: expected met, partly-met" "$FT" assess "$WORK/product.yaml"
check "missing profile" 3 "cannot open" "$FT" assess "$WORK/none.yaml"
check "bad date" 2 "is not a date" "$FT" assess "$EX/product.yaml" --date 2026-02-30

# Assessment: SL-C below SL-T is exit 1; --fail-on none is 0; reports are written.
check "assess text" 1 "SL-C  FR1..FR7:" "$FT" assess "$EX/product.yaml" --date 2026-11-27
check "assess fail-on none" 0 "Gaps:" "$FT" assess "$EX/product.yaml" --date 2026-11-27 --fail-on none
check "assess json" 1 '"schema": "fieldtrust/assessment/1"' "$FT" assess "$EX/product.yaml" --date 2026-11-27 --json
check "assess markdown" 1 "## Regulatory applicability" "$FT" assess "$EX/product.yaml" --date 2026-11-27 --format markdown
check "assess out-dir" 1 "" "$FT" assess "$EX/product.yaml" --date 2026-11-27 --out-dir "$WORK/reports"
check "html written" 0 'id="chart-sl"' cat "$WORK/reports/assessment.html"
check "missing envelope reported" 0 '"verdict": "missing"' cat "$WORK/reports/assessment.json"

# SDL gap and regimes.
check "sdl gap" 1 "SDL-06 Secure build environment" "$FT" sdl gap "$EX/sdl.yaml"
check "sdl gap ML1" 0 "0 of 47 requirements below ML1" "$FT" sdl gap "$EX/sdl.yaml" --target-ml 1
check "sdl gap json" 1 '"target_maturity": 3' "$FT" sdl gap "$EX/sdl.yaml" --json
check "regimes of the example" 0 "cn-gbt-42278" "$FT" regimes "$EX/product.yaml" --date 2026-11-27
check "regimes by options" 0 "eu-red-da" "$FT" regimes --market EU --category flowmeter --interface wirelesshart --date 2026-11-27
check "regimes bad market" 2 "unknown market" "$FT" regimes --market XX --category flowmeter
check "regimes days left" 0 '"days_left": 379' "$FT" regimes --market EU --category flowmeter --date 2026-11-27 --json

# The demo script runs through and writes the HTML report.
check "demo-assess" 0 "Open .*assessment.html" env FT_DEMO_DATE=2026-11-27 "$ROOT/scripts/demo-assess.sh" "$FT" "$WORK/demo"
check "demo html" 0 'id="chart-sdl"' cat "$WORK/demo/assessment.html"

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
