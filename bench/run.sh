#!/usr/bin/env bash
# run.sh BUILD_DIR — every benchmark, each printing its ratio against a reference measured in the
# same run. Benchmarks are never timed tests: they print, they do not fail on a slow machine.
set -euo pipefail
BUILD=$(realpath "${1:-build/default}")
HERE=$(cd "$(dirname "$0")" && pwd)
FT=$BUILD/bin/fieldtrust

echo "### fieldtrust verify vs openssl dgst / openssl cms -verify"
"$HERE/verify_bench.sh" "$FT" 1 16 256
echo
if [ -x "$BUILD/bench/crypto_bench" ]; then
  echo "### crypto ports: OpenSSL vs mbed TLS"
  "$BUILD/bench/crypto_bench" --benchmark_min_time=0.2
  echo
fi
if [ -x "$BUILD/bench/assess_bench" ]; then
  echo "### assessment engine: 1,000 generated products"
  "$BUILD/bench/assess_bench"
  echo
fi
if command -v arm-none-eabi-gcc >/dev/null; then
  echo "### Cortex-M footprint of the verifier core"
  "$HERE/footprint.sh"
fi
