#!/usr/bin/env bash
# poison_test.sh BUILD_DIR — proves embedded/poison.cc: on the bootloader's link setup, a clean
# program links and every deliberately bad one (heap, new, std::vector, throw, unwinding, stdio)
# fails the link on the poison symbol it should hit. BUILD_DIR is a configured cortex-m build.
# Exit status 0 when every probe behaves, 1 otherwise.
set -uo pipefail
BUILD=${1:?usage: poison_test.sh BUILD_DIR}

# probe : what its failed link must name (an extended regex over the linker output)
PROBES=(
  "malloc:ft_forbidden_heap_or_exception_use_malloc"
  "operator_new:ft_forbidden_heap_or_exception_use_operator_new"
  "vector:ft_forbidden_heap_or_exception_use_operator_new"
  "throw:ft_forbidden_heap_or_exception_use___cxa_(allocate_exception|throw)"
  "unwind:ft_forbidden_heap_or_exception_use_(__gxx_personality_v0|_Unwind_Resume|__aeabi_unwind_cpp_pr[012])"
  "printf:ft_forbidden_heap_or_exception_use__(malloc|free|realloc)_r"
)

failures=0
log=$(mktemp "${TMPDIR:-/tmp}/ft-poison-XXXXXX")
trap 'rm -f "$log"' EXIT

# The control: same link setup, nothing forbidden. If it does not link, the failures below prove nothing.
if cmake --build "$BUILD" --target ft_poison_probe_clean >"$log" 2>&1; then
  printf '%-14s %-8s %s\n' clean linked "(control)"
else
  printf '%-14s %-8s %s\n' clean FAILED "the control probe must link:"
  tail -20 "$log"
  exit 1
fi

for entry in "${PROBES[@]}"; do
  probe=${entry%%:*}
  expected=${entry#*:}
  if cmake --build "$BUILD" --target "ft_poison_probe_$probe" >"$log" 2>&1; then
    printf '%-14s %-8s %s\n' "$probe" WRONG "linked, but must fail on the poison"
    failures=$((failures + 1))
  elif hit=$(grep -Eo "undefined reference to .${expected}." "$log" | head -1) && [ -n "$hit" ]; then
    printf '%-14s %-8s %s\n' "$probe" refused "$hit"
  else
    printf '%-14s %-8s %s\n' "$probe" WRONG "link failed, but not on ${expected}:"
    grep -E 'undefined reference|error' "$log" | head -5
    failures=$((failures + 1))
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "poison test: $failures probe(s) misbehaved"
  exit 1
fi
echo "poison test: ok (heap, new, containers, exceptions, unwinding and stdio all fail the link)"
