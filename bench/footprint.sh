#!/usr/bin/env bash
# footprint.sh [--enforce-targets] — build the cortex-m preset and print the footprint of the
# verifier core on a generic Cortex-M4: flash and RAM of the core libraries alone and of the linked
# bootloader image (embedded/ft_boot.elf, crypto primitives excluded), the worst-case stack of
# ft::trust::verify_envelope with its deepest path, and the targets of issue 3 next to the
# measured values (core <= 12 KiB flash, <= 2 KiB stack, no heap; wolfBoot's 18,920-byte CI
# limit for scale). How it is measured: bench/footprint_report.py and docs/embedded.md.
#
# Exit status: 0 report printed; 1 build or analysis failed (unbounded recursion, dynamic stack,
# heap symbols, stack reservation too small); 2 a target was missed with --enforce-targets.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build/cortex-m
JOBS=${JOBS:-2}

cmake --preset cortex-m >/dev/null
cmake --build --preset cortex-m -j "$JOBS" >/dev/null
exec python3 bench/footprint_report.py "$BUILD" "$@"
