#!/usr/bin/env bash
# fuzz-smoke.sh — the short fuzz run of CI (`make fuzz-smoke`): build the libFuzzer targets with the
# `fuzz` preset (clang, ASan + UBSan) and run each fuzz/<name>_fuzz.cc target for a bounded time on
# a copy of its corpus fuzz/corpus/<name>/. Fails on any crash, sanitizer report, leak, timeout or
# out-of-memory; the input that triggered it is kept under $BUILD/fuzz-smoke/artifacts/.
#
# Environment:
#   FUZZ_SECONDS   time per target (default 20)
#   FT_FUZZ_BUILD  build directory (default build/fuzz, the preset's)
#   FUZZ_TARGETS   space-separated subset of target names (default: every fuzz/*_fuzz.cc)
# Long runs by hand: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${FUZZ_SECONDS:-20}
BUILD=${FT_FUZZ_BUILD:-build/fuzz}
start=$(date +%s)

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for source in fuzz/*_fuzz.cc; do
    name=$(basename "$source" _fuzz.cc)
    targets+=("$name")
  done
fi

echo "fuzz-smoke: configuring and building ${targets[*]} in $BUILD (clang, libFuzzer, ASan + UBSan)"
cmake --preset fuzz -B "$BUILD" >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]/%/_fuzz}"

WORK=$BUILD/fuzz-smoke
rm -rf "$WORK"
mkdir -p "$WORK/artifacts"
failed=()
for name in "${targets[@]}"; do
  binary=$(find "$BUILD" -name "${name}_fuzz" -type f -perm -u+x | head -n1)
  if [ ! -d "fuzz/corpus/$name" ]; then
    echo "fuzz-smoke: fuzz/corpus/$name is missing" >&2
    failed+=("$name")
    continue
  fi
  # The run adds inputs to its corpus: work on a copy, never on the committed seeds.
  cp -r "fuzz/corpus/$name" "$WORK/corpus-$name"
  log=$WORK/$name.log
  rc=0
  "$binary" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/$name-" "$WORK/corpus-$name" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  coverage=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
  if [ "$rc" -ne 0 ]; then
    echo "fuzz-smoke: $name FAILED (exit $rc); log: $log" >&2
    grep -E 'ERROR|SUMMARY|Test unit written|_fuzz: ' "$log" >&2 || tail -n 30 "$log" >&2
    failed+=("$name")
  else
    printf 'fuzz-smoke: %-7s ok  %9s execs  %6s exec/s  %s\n' "$name" "${execs:-?}" "${speed:-?}" "$coverage"
  fi
done

echo "fuzz-smoke: done in $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz-smoke: failing targets: ${failed[*]}; reproduce with <binary> <artifact>, then add the input to" \
    "fuzz/corpus/<target>/ as a regression file (docs/fuzzing.md)" >&2
  exit 1
fi
