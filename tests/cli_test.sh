#!/usr/bin/env bash
# cli_test.sh FIELDTRUST — the CLI on good and bad input: clear messages that name the file and
# the problem, documented exit codes, no crash, no partial output files.
set -uo pipefail
FT=$(realpath "$1")
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
failures=0
passed=0

# check NAME WANT_EXIT PATTERN CMD... — run CMD; exit code must be WANT_EXIT and the combined
# output must match PATTERN (extended regex).
check() {
  local name=$1 want=$2 pattern=$3; shift 3
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" -ge 128 ]; then
    echo "FAIL $name: crashed (exit $rc)"; echo "$out" | tail -5; failures=$((failures + 1)); return
  fi
  if [ "$rc" -ne "$want" ] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), output:"; echo "$out" | tail -8; failures=$((failures + 1)); return
  fi
  passed=$((passed + 1))
}
no_file() {  # no_file NAME PATH — PATH must not exist (nothing half-written)
  if ls "$1"* >/dev/null 2>&1; then echo "FAIL: leftover output $1"; ls -la "$1"*; failures=$((failures + 1)); else passed=$((passed + 1)); fi
}

"$FT" pki init pki >/dev/null || { echo "FAIL: pki init"; exit 1; }
head -c 50000 /dev/urandom > fw.bin
SIGN=(--key pki/signer.key.pem --chain pki/signer-chain.pem --anchor pki/root.pem --vendor-domain acme.example --model PT-1)
check "sign ok" 0 "signed" "$FT" sign fw.bin -o good.suit --sequence 1 "${SIGN[@]}"
check "verify ok" 0 "ACCEPTED" "$FT" verify good.suit --payload fw.bin --anchor pki/root.pem
check "verify --json" 0 '"accepted": true' "$FT" verify good.suit --payload fw.bin --anchor pki/root.pem --json
# verify neither reads openssl.cnf nor uses OpenSSL's providers (src/cli/main.cc, ft/ports/openssl.h):
# a configuration that breaks OpenSSL's initialisation does not change its verdict.
printf 'config_diagnostics = 1\nopenssl_conf = init\n[init]\nproviders = prov\n[prov]\nnosuch = nosuch\n[nosuch]\nactivate = 1\n' > broken.cnf
check "verify ignores openssl.cnf" 0 "ACCEPTED" env OPENSSL_CONF=broken.cnf "$FT" verify good.suit --payload fw.bin --anchor pki/root.pem
"$FT" verify good.suit --payload fw.bin --anchor pki/root.pem --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["reason"]=="ok" and d["accepted"]' \
  && passed=$((passed + 1)) || { echo "FAIL: --json is not valid JSON"; failures=$((failures + 1)); }

# usage errors: exit 2
check "unknown option" 2 "unknown|not expected|Extraction" "$FT" verify good.suit --anchor pki/root.pem --bogus
check "missing required" 2 "required" "$FT" verify good.suit
check "bad time" 2 "--at" "$FT" verify good.suit --anchor pki/root.pem --at yesterday-ish

# bad envelopes: rejected (exit 1) with a reason, naming the file
: > empty.suit
check "empty envelope" 1 "empty.suit.*|envelope file is empty" "$FT" verify empty.suit --anchor pki/root.pem
head -c 300 good.suit > truncated.suit
check "truncated envelope" 1 "REJECTED  truncated.suit" "$FT" verify truncated.suit --payload fw.bin --anchor pki/root.pem
head -c 2000 /dev/urandom > garbage.suit
check "garbage envelope" 1 "REJECTED  garbage.suit" "$FT" verify garbage.suit --anchor pki/root.pem
check "certificate as envelope" 1 "suit_not_envelope|REJECTED" "$FT" verify pki/root.pem --anchor pki/root.pem
check "inspect garbage" 3 "garbage.suit: not a SUIT envelope" "$FT" inspect garbage.suit
check "inspect missing" 3 "nope.suit: cannot open" "$FT" inspect nope.suit

# bad inputs around a good envelope: exit 3, naming the file
check "missing payload file" 3 "missing.bin: cannot open" "$FT" verify good.suit --payload missing.bin --anchor pki/root.pem
check "missing anchor" 3 "nope.pem: cannot open" "$FT" verify good.suit --anchor nope.pem
check "garbage anchor" 3 "garbage.suit: not a trust anchor" "$FT" verify good.suit --anchor garbage.suit
check "empty anchor" 3 "empty.suit: trust anchor file is empty" "$FT" verify good.suit --anchor empty.suit
check "directory as payload" 3 "is a directory|not a regular file" "$FT" verify good.suit --payload pki --anchor pki/root.pem

# signing: refusals write nothing
check "sign missing image" 3 "missing.bin: cannot open" "$FT" sign missing.bin -o out1.suit --sequence 1 "${SIGN[@]}"
no_file out1.suit
: > empty.bin
check "sign empty image" 3 "empty.bin: firmware image is empty" "$FT" sign empty.bin -o out2.suit --sequence 1 "${SIGN[@]}"
no_file out2.suit
check "sign garbage key" 3 "garbage.suit" "$FT" sign fw.bin -o out3.suit --sequence 1 --key garbage.suit \
  --chain pki/signer-chain.pem --anchor pki/root.pem --vendor-domain a.example --model M
no_file out3.suit
# OpenSSL's error texts are loaded for every command but verify (src/cli/main.cc): the reason
# reads "DECODER routines::unsupported", not "lib(30)::reason(268)".
printf -- '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' > bad-key.pem
chmod 600 bad-key.pem
check "sign unparsable key shows OpenSSL's reason" 3 "bad-key.pem: private key does not parse: .*routines::" \
  "$FT" sign fw.bin -o out3.suit --sequence 1 --key bad-key.pem \
  --chain pki/signer-chain.pem --anchor pki/root.pem --vendor-domain a.example --model M
no_file out3.suit
check "sign key/cert mismatch" 3 "does not belong" "$FT" sign fw.bin -o out4.suit --sequence 1 --key pki/device.key.pem \
  --chain pki/signer-chain.pem --anchor pki/root.pem --vendor-domain a.example --model M
no_file out4.suit
check "sign chain is not a certificate" 3 "fw.bin" "$FT" sign fw.bin -o out5.suit --sequence 1 --key pki/signer.key.pem \
  --chain fw.bin --anchor pki/root.pem --vendor-domain a.example --model M
no_file out5.suit
check "sign with device cert (no codeSigning EKU)" 1 "refusing to sign.*cert_leaf_eku" "$FT" sign fw.bin -o out6.suit \
  --sequence 1 --key pki/device.key.pem --chain pki/device-chain.pem --anchor pki/root.pem --vendor-domain a.example --model M
no_file out6.suit
"$FT" pki init other >/dev/null
check "sign against a foreign anchor" 1 "refusing to sign.*(cert_untrusted_root|cert_bad_signature)" "$FT" sign fw.bin -o out7.suit \
  --sequence 1 --key pki/signer.key.pem --chain pki/signer-chain.pem --anchor other/root.pem --vendor-domain a.example --model M
no_file out7.suit
check "sign into a missing directory" 4 "nodir/out.suit" "$FT" sign fw.bin -o nodir/out.suit --sequence 1 "${SIGN[@]}"

# the public SUIT examples (draft-ietf-suit-manifest), raw-key anchors in PEM and DER
SUIT=$TESTS_DIR/../testdata/suit
for n in 0 1 2A 2B 3 4 5; do
  check "suit example $n (PEM key)" 0 "ACCEPTED" "$FT" verify "$SUIT/suit_manifest_exp$n.suit" --manifest-only \
    --anchor "$SUIT/trust_anchor_secp256r1_pub.pem"
  check "suit example $n (DER key)" 0 "ACCEPTED" "$FT" verify "$SUIT/suit_manifest_exp$n.suit" --manifest-only \
    --anchor "$SUIT/trust_anchor_secp256r1_pub.der"
  check "suit example $n needs a payload" 1 "suit_payload_missing" "$FT" verify "$SUIT/suit_manifest_exp$n.suit" \
    --anchor "$SUIT/trust_anchor_secp256r1_pub.pem"
done
openssl pkey -in pki/signer.key.pem -pubout -out other.pub.pem 2>/dev/null
check "suit example, wrong raw key" 1 "trust_no_anchor" "$FT" verify "$SUIT/suit_manifest_exp1.suit" --manifest-only \
  --anchor other.pub.pem
check "suit example, only an X.509 root" 1 "cose_no_x5chain" "$FT" verify "$SUIT/suit_manifest_exp1.suit" \
  --manifest-only --anchor pki/root.pem
check "inspect suit example" 0 "sequence number 5" "$FT" inspect "$SUIT/suit_manifest_exp5.suit"
check "inspect --diag" 0 "107\\(" "$FT" inspect --diag "$SUIT/suit_manifest_exp2B.suit"

# a manifest claiming a 1 GiB image (sparse file): size checks before any hashing of the payload
truncate -s 1G big.bin
check "sign 1 GiB image" 0 "signed" "$FT" sign big.bin -o big.suit --sequence 1 "${SIGN[@]}"
check "1 GiB claim, small payload" 1 "suit_image_too_large" "$FT" verify big.suit --payload fw.bin --anchor pki/root.pem
check "1 GiB claim, raised limit" 1 "suit_image_size_mismatch" "$FT" verify big.suit --payload fw.bin --anchor pki/root.pem --max-image-size 2147483648
check "1 GiB payload over the limit" 1 "suit_image_too_large" "$FT" verify big.suit --payload big.bin --anchor pki/root.pem
rm -f big.bin

echo "cli_test: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
