#!/usr/bin/env bash
# check-device-profile.sh — run the verifier core's tests on the host with the switches the
# Cortex-M build uses (preset device-profile: FT_CORE_MESSAGES, FT_CORE_RSA and
# FT_CORE_PATH_SEARCH off), so the code paths a bootloader runs are tested, not only compiled:
# errors without messages, RSA keys and signatures as unsupported algorithms, ordered chains
# only. Tests of what the profile leaves out assert that it is refused (or skip, saying why).
#
# The host tools (CLI, signing, assessment) are not run here: they need the messages and RSA
# and are tested by `make test`. Exit status: 0 all passed; non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
BUILD=build/device-profile
TESTS=(ft_base_test ft_cbor_test ft_der_test ft_x509_test ft_cose_test ft_suit_test ft_trust_test ft_envelope_test ft_embedded_test ft_core_outcomes_test)

cmake --preset device-profile >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target "${TESTS[@]}"
failed=0
for t in "${TESTS[@]}"; do
  exe=$(find "$BUILD" -type f -name "$t" -perm -u+x | head -1)
  if [ -z "$exe" ]; then echo "check-device-profile: $t was not built"; exit 1; fi
  if out=$("$exe" --gtest_brief=1 2>&1); then
    echo "ok      $t ($(grep -o '[0-9]* tests\? from [0-9]* test suites\? ran' <<<"$out" | head -1))"
  else
    echo "FAILED  $t"; echo "$out" | tail -40; failed=1
  fi
done
exit $failed
