#!/usr/bin/env bash
# make_seeds.sh BUILD_DIR — (re)generate the seed corpora of the fuzz targets and the trust anchors
# verify_fuzz uses. BUILD_DIR is a configured host build (g++ or clang, not the fuzz preset); the
# script builds `fieldtrust` and `fuzz_seed_tool` in it.
#
# Writes (overwriting files of the same name, never deleting: regression inputs stay):
#   fuzz/anchors/supplier-p256-root.der, supplier-p384-root.der, owner-root.der
#       roots of three fresh development PKIs (P-256 and P-384 suppliers, an Ed25519 asset owner)
#   fuzz/corpus/suit/, fuzz/corpus/verify/
#       the public SUIT examples (testdata/suit/*.suit) and envelopes signed with the fresh PKIs:
#       detached and integrated payloads, P-256/P-384/Ed25519 chains, a cosigned envelope, a
#       raw-key signature, a self-signed signer; suit/ also gets their bare manifests
#   fuzz/corpus/cose/   every COSE_Sign1 of those envelopes
#   fuzz/corpus/cbor/   hand-written CBOR items (valid and invalid, each for a rule of the reader)
#                       and the manifests of those envelopes
#   fuzz/anchors/log-device-spki.der, fuzz/corpus/log/
#       a simulated device's identity public key, and its rollback-protection log after two updates
#       and a refused rollback, exported as JSON Lines and as a CBOR sequence, whole and cut
# The keys are thrown away: new seeds need new anchors, so commit both together.
# SEEDS="envelopes cbor log" (any subset; default all) limits the run to those groups.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath "${1:?usage: fuzz/make_seeds.sh BUILD_DIR}")
cmake --build "$BUILD" --target fieldtrust fuzz_seed_tool -j 2 >/dev/null
FT=$BUILD/bin/fieldtrust
TOOL=$(find "$BUILD" -name fuzz_seed_tool -type f -perm -u+x | head -n1)
CORPUS=$ROOT/fuzz/corpus
ANCHORS=$ROOT/fuzz/anchors
mkdir -p "$CORPUS"/{cbor,cose,suit,verify,log} "$ANCHORS"
want() { [[ " ${SEEDS:-all} " == *" all "* || " ${SEEDS:-all} " == *" $1 "* ]]; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

IDS=(--vendor-domain acme-instruments.example --model PT-3051 --vendor-name "ACME Instruments" --version 1.0.0)

# --- PKIs and envelopes --------------------------------------------------------------------------
if want envelopes; then
"$FT" pki init supplier --algorithm p256 >/dev/null
"$FT" pki init supplier384 --algorithm p384 >/dev/null
"$FT" pki init owner --algorithm ed25519 --organization "Plant Operator" >/dev/null
"$FT" pki selfsigned rogue >/dev/null
openssl x509 -in supplier/root.pem -outform DER -out "$ANCHORS/supplier-p256-root.der"
openssl x509 -in supplier384/root.pem -outform DER -out "$ANCHORS/supplier-p384-root.der"
openssl x509 -in owner/root.pem -outform DER -out "$ANCHORS/owner-root.der"

head -c 700 /dev/urandom >fw.bin
head -c 200 /dev/urandom >fw-small.bin
sign() {  # sign OUT PKI [extra args]
  local out=$1 pki=$2
  shift 2
  "$FT" sign fw.bin -o "$out" --key "$pki/signer.key.pem" --chain "$pki/signer-chain.pem" --sequence 7 "${IDS[@]}" "$@" >/dev/null
}
sign chain-p256-detached.suit supplier --anchor supplier/root.pem
sign chain-p384-detached.suit supplier384 --anchor supplier384/root.pem
"$FT" sign fw-small.bin -o chain-p256-integrated.suit --key supplier/signer.key.pem --chain supplier/signer-chain.pem \
  --anchor supplier/root.pem --sequence 8 --integrated "${IDS[@]}" >/dev/null
"$FT" cosign chain-p256-detached.suit -o chain-p256-cosigned.suit --key owner/signer.key.pem \
  --chain owner/signer-chain.pem --anchor owner/root.pem --supplier-anchor supplier/root.pem >/dev/null
# Signed only by the asset owner's PKI: verifies, but no supplier signed (roles stage).
sign chain-ed25519-owner-only.suit owner --anchor owner/root.pem
sign raw-key-p256.suit supplier --raw-key --unsafe-skip-checks
"$FT" sign fw.bin -o rogue-selfsigned.suit --key rogue/signer.key.pem --chain rogue/signer.pem --sequence 9 \
  "${IDS[@]}" --unsafe-skip-checks >/dev/null

envelopes=("$ROOT"/testdata/suit/*.suit "$WORK"/*.suit)
for e in "${envelopes[@]}"; do
  name=$(basename "$e" .suit)
  cp "$e" "$CORPUS/suit/$name.suit"
  cp "$e" "$CORPUS/verify/$name.suit"
  "$TOOL" cose "$e" "$CORPUS/cose/$name"
  "$TOOL" manifest "$e" "$CORPUS/cbor/manifest-$name.cbor"
  cp "$CORPUS/cbor/manifest-$name.cbor" "$CORPUS/suit/manifest-$name.cbor"  # bare manifest, see suit_fuzz.cc
done

fi

# --- hand-written CBOR: name, hex ----------------------------------------------------------------
if want cbor; then
nest() { printf '81%.0s' $(seq "$1"); printf '00'; }  # $1 nested one-element arrays around 0
cbor_samples=(
  uint-small 17  uint-1byte 1818  uint-1byte-max 18ff  uint-2byte 190100  uint-4byte 1a00010000
  uint-8byte 1b0000000100000000  uint-max 1bffffffffffffffff
  nint-minus1 20  nint-int64-min 3b7fffffffffffffff  nint-below-int64 3b8000000000000000
  nint-min 3bffffffffffffffff
  bstr-empty 40  bstr-4 4401020304  tstr-empty 60  tstr-ietf 6449455446  tstr-2byte-utf8 62c3bc
  tstr-4byte-utf8 64f0908591  array-empty 80  array-3 83010203  array-nested 8301820203820405
  map-empty a0  map-int-keys a201020304  map-text-keys a26161016162820203  map-key-length-order a20a001818f6
  tag-epoch c11a514b67b0  tag-embedded-cbor d8184401020304  tag-suit-envelope d86ba0  tag-8byte dbffffffffffffffff00
  false f4  true f5  null f6  depth-16 "$(nest 16)"
  bad-depth-17 "$(nest 17)"  bad-non-shortest 1817  bad-non-shortest-2byte 190017  bad-indefinite-bstr 5f4101ff
  bad-indefinite-array 9f01ff  bad-half-float f97e00  bad-double fb3ff0000000000000  bad-undefined f7
  bad-simple-16 f0  bad-simple-ext f820  bad-map-order a2020001f6  bad-map-duplicate a2010001f6
  bad-map-length-order a21818000a00  bad-utf8-overlong 62c0af  bad-utf8-surrogate 63eda080
  bad-utf8-too-big 64f4908080  bad-reserved-info 1c  bad-truncated-array 8201  bad-truncated-head 1a0001
  bad-trailing 0000  bad-huge-bstr 5bffffffffffffffff  bad-huge-map bbffffffffffffffff
)
for ((i = 0; i < ${#cbor_samples[@]}; i += 2)); do
  printf '%s' "${cbor_samples[i + 1]}" | xxd -r -p >"$CORPUS/cbor/${cbor_samples[i]}.cbor"
done

fi

# --- a device log ---------------------------------------------------------------------------------
if want log; then
"$FT" pki init logpki >/dev/null
head -c 3000 /dev/urandom >log-fw.bin
for seq in 1 2; do
  "$FT" sign log-fw.bin -o "log-r$seq.suit" --key logpki/signer.key.pem --chain logpki/signer-chain.pem \
    --anchor logpki/root.pem --sequence "$seq" "${IDS[@]}" >/dev/null
done
"$FT" device init logdev --pki logpki "${IDS[@]:0:4}" >/dev/null
for seq in 1 2; do
  "$FT" device install logdev "log-r$seq.suit" --payload log-fw.bin >/dev/null
  "$FT" device boot logdev >/dev/null
  "$FT" device confirm logdev >/dev/null
done
"$FT" device install logdev log-r1.suit --payload log-fw.bin >/dev/null || true  # refused: a rollback
"$FT" device log export logdev --format jsonl -o "$CORPUS/log/device.jsonl" >/dev/null
"$FT" device log export logdev --format cbor -o "$CORPUS/log/device.cbor" >/dev/null
head -n 3 "$CORPUS/log/device.jsonl" >"$CORPUS/log/device-3-records.jsonl"
head -c 300 "$CORPUS/log/device.cbor" >"$CORPUS/log/device-cut.cbor"
openssl x509 -in logdev/identity/device.pem -noout -pubkey | openssl pkey -pubin -outform DER -out "$ANCHORS/log-device-spki.der"
fi

for d in cbor cose suit verify log; do
  printf 'fuzz/corpus/%s: %s files, %s bytes\n' "$d" "$(find "$CORPUS/$d" -type f | wc -l)" \
    "$(find "$CORPUS/$d" -type f -printf '%s\n' | awk '{s += $1} END {print s}')"
done
