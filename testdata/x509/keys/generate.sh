#!/usr/bin/env bash
# generate.sh — the fixed private keys used to build test certificates at test time
# (tests/x509_testing/cert_builder.cc). TEST KEYS ONLY: published, never trust them.
# Re-running replaces every key; certificates are built from them at test time, so nothing else
# needs regenerating.
set -euo pipefail
cd "$(dirname "$0")"
for slot in 0 1 2 3 4 5; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "p256-$slot.pem"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve -out "p384-$slot.pem"
  openssl genpkey -algorithm ED25519 -out "ed25519-$slot.pem"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "rsa3072-$slot.pem"
done
for slot in 0 1; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "rsa2048-$slot.pem"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -pkeyopt ec_param_enc:named_curve -out "p521-$slot.pem"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -pkeyopt ec_param_enc:named_curve -out "secp256k1-$slot.pem"
done
chmod 644 ./*.pem
