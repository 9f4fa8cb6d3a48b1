#!/usr/bin/env bash
# cli_pki_test.sh FIELDTRUST — `fieldtrust pki` end to end: files, modes, --json, exit codes,
# refusal to overwrite, and a PKI whose keys live in a throw-away SoftHSM2 token. Certificates are
# checked with the openssl command line tool, independent of FieldTrust.
set -uo pipefail
FT=$(realpath "$1")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
failures=0
passed=0

# check NAME WANT_EXIT PATTERN CMD... — exit code must be WANT_EXIT, output must match PATTERN.
check() {
  local name=$1 want=$2 pattern=$3; shift 3
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), output:"; echo "$out" | tail -8; failures=$((failures + 1)); return
  fi
  passed=$((passed + 1))
}
ok() {  # ok NAME CMD... — CMD must succeed
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); else echo "FAIL $name"; failures=$((failures + 1)); fi
}
mode_is() {  # mode_is FILE MODE
  local m; m=$(stat -c %a "$1" 2>/dev/null)
  if [ "$m" = "$2" ]; then passed=$((passed + 1)); else echo "FAIL mode of $1 is $m, want $2"; failures=$((failures + 1)); fi
}

check "help" 0 "pki.json" "$FT" pki init --help
check "init" 0 "wrote pki/signer.key.pem" "$FT" pki init pki --algorithm p384
for f in root intermediate signer device evidence; do mode_is "pki/$f.key.pem" 600; mode_is "pki/$f.pem" 644; done
ok "openssl verify chain" openssl verify -x509_strict -CAfile pki/root.pem -untrusted pki/intermediate.pem pki/signer.pem pki/device.pem pki/evidence.pem
ok "openssl verify chain file" openssl verify -CAfile pki/root.pem -untrusted pki/signer-chain.pem pki/signer.pem
ok "signer is code signing" sh -c "openssl x509 -in pki/signer.pem -noout -ext extendedKeyUsage | grep -q 'Code Signing'"
ok "intermediate pathlen 0" sh -c "openssl x509 -in pki/intermediate.pem -noout -ext basicConstraints | grep -q 'pathlen:0'"
ok "p384 signature" sh -c "openssl x509 -in pki/signer.pem -noout -text | grep -q 'ecdsa-with-SHA384'"
check "refuse overwrite" 2 "already holds.*--force" "$FT" pki init pki
check "force" 0 "wrote pki/root.pem" "$FT" pki init pki --force
check "json" 0 '"certificates"' "$FT" pki init json-pki --algorithm ed25519 --json
"$FT" pki init json-pki2 --json | python3 -c '
import json, os, sys
d = json.load(sys.stdin)
assert len(d["certificates"]) == 5 and all(os.path.exists(f["path"]) for f in d["files"])
m = json.load(open("json-pki2/pki.json"))
assert sorted(f["path"] for f in m["files"]) == sorted(x for x in os.listdir("json-pki2") if x != "pki.json")
' && passed=$((passed + 1)) || { echo "FAIL: --json output / pki.json"; failures=$((failures + 1)); }

check "bad algorithm" 2 "p256" "$FT" pki init x --algorithm p521
check "bad time" 2 "--not-after.*YYYY-MM-DD" "$FT" pki init x --not-after yesterday
check "inverted validity" 2 "must be later" "$FT" pki init x --not-before 2021-01-01 --not-after 2020-01-01
[ ! -e x/pki.json ] && passed=$((passed + 1)) || { echo "FAIL: partial PKI left in x"; failures=$((failures + 1)); }

check "expired leaf" 0 "2021-01-01T00:00:00Z" "$FT" pki init expired --not-before 2020-01-01 --not-after 2021-01-01
check "openssl: expired" 2 "expired" openssl verify -CAfile expired/root.pem -untrusted expired/intermediate.pem expired/signer.pem
check "selfsigned" 0 "wrote rogue/signer.pem" "$FT" pki selfsigned rogue
check "openssl: self-signed rejected" 2 "self-signed|self signed" openssl verify -CAfile pki/root.pem -untrusted pki/intermediate.pem rogue/signer.pem

check "issue" 0 "wrote rel/rel2.pem" "$FT" pki issue --ca pki/intermediate.pem --ca-key pki/intermediate.key.pem \
  --subject "/O=Acme/CN=Release 2" --out rel --name rel2
ok "issued verifies" openssl verify -CAfile pki/root.pem -untrusted pki/intermediate.pem rel/rel2.pem
check "issue device" 0 "device-identity" "$FT" pki issue --role device --ca pki/intermediate.pem \
  --ca-key pki/intermediate.key.pem --key pki/device.key.pem --out rel
check "issue wrong CA key" 3 "root.key.pem: this key does not belong" "$FT" pki issue --ca pki/intermediate.pem \
  --ca-key pki/root.key.pem --out rel --name wrong
check "issue missing CA" 3 "nope.pem: cannot open" "$FT" pki issue --ca nope.pem --ca-key pki/root.key.pem --out rel
check "issue bad role" 2 "role" "$FT" pki issue --role root --ca pki/root.pem --ca-key pki/root.key.pem --out rel
check "issue bad subject" 2 "subject" "$FT" pki issue --ca pki/intermediate.pem --ca-key pki/intermediate.key.pem \
  --subject "CN=no slash" --out rel --name badsubject

# PKCS#11: a fresh SoftHSM2 token in the work directory.
export SOFTHSM2_CONF=$WORK/softhsm2.conf
mkdir tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK" > "$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label ft-cli --pin 1234 --so-pin 5678 >/dev/null
check "token init" 0 "key in token: pkcs11:token=ft-cli;object=t-signer" env FT_PKCS11_PIN=1234 \
  "$FT" pki init hsm --pkcs11 "pkcs11:token=ft-cli;object=t"
ok "token chain verifies" openssl verify -CAfile hsm/root.pem -untrusted hsm/intermediate.pem hsm/signer.pem hsm/evidence.pem
[ ! -e hsm/signer.key.pem ] && ! grep -q 1234 hsm/*.key.uri hsm/pki.json && passed=$((passed + 1)) \
  || { echo "FAIL: token PKI wrote a key file or a PIN"; failures=$((failures + 1)); }
check "token issue" 0 "wrote t2/signer.key.uri" env FT_PKCS11_PIN=1234 "$FT" pki issue --ca hsm/intermediate.pem \
  --ca-key hsm/intermediate.key.uri --pkcs11 "pkcs11:token=ft-cli;object=release-2" --out t2
ok "token issued verifies" openssl verify -CAfile hsm/root.pem -untrusted hsm/intermediate.pem t2/signer.pem
check "wrong PIN" 4 "wrong PIN.*CKR_PIN_INCORRECT" env FT_PKCS11_PIN=9999 "$FT" pki init hsm2 --pkcs11 "pkcs11:token=ft-cli;object=u"
check "no PIN" 4 "needs a PIN" env -u FT_PKCS11_PIN "$FT" pki init hsm2 --pkcs11 "pkcs11:token=ft-cli;object=u"
check "unknown token" 4 "no token matches.*ft-cli" env FT_PKCS11_PIN=1234 "$FT" pki init hsm2 --pkcs11 "pkcs11:token=nope"
check "bad URI attribute" 3 '"colour"' "$FT" pki init hsm2 --pkcs11 "pkcs11:token=ft-cli;colour=red"
check "label taken" 4 'already holds an object labelled "t-root"' env FT_PKCS11_PIN=1234 \
  "$FT" pki init hsm3 --pkcs11 "pkcs11:token=ft-cli;object=t"

echo "cli_pki_test: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
