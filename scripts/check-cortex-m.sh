#!/usr/bin/env bash
# check-cortex-m.sh — the Cortex-M check for CI (.ci/run): build the cortex-m preset (`make
# cortex-m`), print the footprint report (bench/footprint.sh), check that exactly one crypto
# backend must be selected (ft/embedded/crypto_backend.h), and prove that heap and exception use
# fail the bootloader's link (embedded/poison_test.sh). Exits non-zero when any step fails.
#
# The check also fails when a footprint target of issue 3 is missed (core <= 12 KiB flash kept in
# the image, <= 2 KiB worst-case stack of verify_envelope, no heap): the targets are met since
# session 6 and are a budget now. The figures are deterministic for the toolchain (Debian 12's
# arm-none-eabi-gcc 12.2.1). FT_ENFORCE_FOOTPRINT=0 reports a miss without failing, for a branch
# that measures a change that grows the core.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "=== make cortex-m"
make cortex-m JOBS="${JOBS:-2}"

echo
echo "=== footprint (bench/footprint.sh)"
enforce=()
if [ "${FT_ENFORCE_FOOTPRINT:-1}" = 1 ]; then enforce=(--enforce-targets); fi
./bench/footprint.sh "${enforce[@]}"

echo
echo "=== one crypto backend (ft/embedded/crypto_backend.h)"
includes=(-Iembedded/include -Isrc/ports/psa/include)
for d in src/core/*/include; do includes+=(-I"$d"); done
probe() { echo '#include "ft/embedded/crypto_backend.h"' | arm-none-eabi-g++ -std=c++20 -mcpu=cortex-m4 -mthumb \
  -fno-exceptions -fno-rtti -fsyntax-only "${includes[@]}" "$@" -x c++ - 2>&1; }
if ! out=$(probe -DFT_CRYPTO_BACKEND_PSA=1); then echo "PSA selected: must compile"; echo "$out"; exit 1; fi
if out=$(probe) || ! grep -q "select exactly one crypto backend" <<<"$out"; then
  echo "no backend selected: must fail on the static_assert"; echo "$out"; exit 1
fi
echo "PSA selected: compiles; none selected: static_assert fails"

echo
echo "=== poison link test (embedded/poison_test.sh)"
./embedded/poison_test.sh build/cortex-m

echo
echo "check-cortex-m: ok"
