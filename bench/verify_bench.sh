#!/usr/bin/env bash
# verify_bench.sh FIELDTRUST [SIZES_MIB...] — time `fieldtrust verify` on detached payloads and
# print its ratio to `openssl dgst -sha256` on the same file (hashing is the floor) and to
# `openssl cms -verify` on an equivalent detached CMS signature made with the same key and chain,
# all measured in the same run with hyperfine. Targets (issue 2): verify <= 1.05x dgst at 256 MiB;
# cms -verify >= 1.5x verify.
#
# The last column, cms/hash, is the ceiling of cms/v for any verifier that hashes the payload once
# with OpenSSL's SHA-256: "hash" is the payload's size over the SHA-256 throughput `openssl speed
# -evp sha256` measures in this run (no file I/O, no process start, no signature).
set -euo pipefail
FT=$(realpath "$1"); shift
SIZES=("${@:-1 16 256}")
[ $# -gt 0 ] && SIZES=("$@") || SIZES=(1 16 256)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ft-bench-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

"$FT" pki init pki >/dev/null
echo "fieldtrust verify vs openssl (same machine, same run); $(openssl version)"
# SHA-256 throughput in bytes/s over 1 MiB blocks (the last field of the table is in kB/s).
SHA_BPS=$(openssl speed -seconds 2 -bytes 1048576 -evp sha256 2>/dev/null | awk '/^sha256/ {sub(/k$/, "", $NF); print $NF * 1000}')
printf '%-8s %12s %12s %8s %14s %10s %10s %10s\n' "payload" "dgst (ms)" "verify (ms)" "v/dgst" "cms -verify" "cms/v" "hash (ms)" "cms/hash"
for mib in "${SIZES[@]}"; do
  fw=fw-$mib.bin
  openssl rand -out "$fw" $((mib * 1024 * 1024))
  "$FT" sign "$fw" -o "$fw.suit" --key pki/signer.key.pem --chain pki/signer-chain.pem --anchor pki/root.pem \
    --sequence 1 --vendor-domain bench.example --model B >/dev/null
  openssl cms -sign -binary -in "$fw" -signer pki/signer.pem -inkey pki/signer.key.pem -certfile pki/intermediate.pem \
    -md sha256 -outform DER -out "$fw.cms"
  # cms -verify varies by ±5% from run to run here: enough runs that the medians hold still.
  runs=40; [ "$mib" -ge 16 ] && runs=30; [ "$mib" -ge 256 ] && runs=12
  # -N: each command runs without a shell. With a shell, hyperfine subtracts the shell's start-up
  # time it measured beforehand, and that estimate wandered by more than a millisecond between runs
  # here (openssl cms -verify of 1 MiB: 3.0 ms with the shell subtracted, 4.8 ms measured without).
  hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "bench-$mib.json" \
    -n dgst "openssl dgst -sha256 $fw" \
    -n verify "$FT verify $fw.suit --payload $fw --anchor pki/root.pem" \
    -n cms "openssl cms -verify -binary -inform DER -in $fw.cms -content $fw -CAfile pki/root.pem -purpose any -out /dev/null" \
    >/dev/null 2>&1
  python3 - "$mib" "bench-$mib.json" "$SHA_BPS" <<'PY'
import json, sys
mib, path, sha_bps = sys.argv[1], sys.argv[2], float(sys.argv[3])
r = {x["command"]: x for x in json.load(open(path))["results"]}
d, v, c = (r[k]["median"] * 1000 for k in ("dgst", "verify", "cms"))
h = int(mib) * 1048576 / sha_bps * 1000
print(f"{mib + ' MiB':<8} {d:12.1f} {v:12.1f} {v / d:8.3f} {c:14.1f} {c / v:10.2f} {h:10.1f} {c / h:10.2f}")
PY
done
