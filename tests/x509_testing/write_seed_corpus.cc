// write_seed_corpus — writes the seed corpus of fuzz/x509_fuzz.cc: certificates of every key type
// and signature algorithm the parser knows or refuses, certificates with each processed extension,
// a few deliberately non-canonical ones, and bare SubjectPublicKeyInfos.
//
// Usage (target ft_x509_seed_corpus, not built by default):
//   cmake --build build/default --target ft_x509_seed_corpus
//   build/default/src/core/x509/ft_x509_seed_corpus fuzz/corpus/x509
// The files change on every run (ECDSA signatures are randomised); their structure does not.
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cert_builder.h"

namespace {

using namespace ft::x509::testing;

void write(const std::string& dir, const std::string& name, const Der& der) { write_or_exit(dir, name, der); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const KeyKind kinds[] = {KeyKind::p256,    KeyKind::p384, KeyKind::ed25519,  KeyKind::rsa3072,
                           KeyKind::rsa2048, KeyKind::p521, KeyKind::secp256k1};
  for (const KeyKind kind : kinds) {
    auto specs = chain_specs({kind, KeyKind::p256}, kTestNow);
    write(dir, std::string("leaf-") + key_kind_name(kind) + ".der", build_certificate(specs[0]));
    write(dir, std::string("spki-") + key_kind_name(kind) + ".der", spki_of(specs[0].key));
  }
  const KeyKind issuers[] = {KeyKind::p384, KeyKind::ed25519, KeyKind::rsa3072};
  for (const KeyKind kind : issuers) {
    auto specs = chain_specs({KeyKind::p256, kind, kind}, kTestNow);
    specs[1].path_len = 0;
    write(dir, std::string("intermediate-") + key_kind_name(kind) + ".der", build_certificate(specs[1]));
    write(dir, std::string("root-") + key_kind_name(kind) + ".der", build_certificate(specs[2]));
  }
  auto specs = chain_specs({KeyKind::p256, KeyKind::rsa3072}, kTestNow);
  specs[0].rsa_pss = true;
  specs[0].eku = {kOidCodeSigning, kOidAnyEku, kOidServerAuth};
  specs[0].extra = {{"1.3.6.1.4.1.99999.1", true, {0x05, 0x00}}, {"2.5.29.17", false, {0x30, 0x00}}};
  const Der pss = build_certificate(specs[0]);
  write(dir, "leaf-pss-extensions.der", pss);

  specs = chain_specs({KeyKind::p256, KeyKind::p256}, kTestNow);
  specs[0].version = 1;
  write(dir, "leaf-v1.der", build_certificate(specs[0]));
  specs = chain_specs({KeyKind::p256, KeyKind::p256}, kTestNow);
  specs[0].hash = SigHash::sha1;
  specs[0].not_after = 2524608000 + 86400;  // 2050: GeneralizedTime
  write(dir, "leaf-sha1-generalized-time.der", build_certificate(specs[0]));

  // Non-canonical variants (re-signed): they must be rejected, and they seed the mutator with
  // encodings just next to the valid ones.
  specs = chain_specs({KeyKind::p256, KeyKind::p256}, kTestNow);
  const Der good = build_certificate(specs[0]);
  write(dir, "bad-long-form-length.der",
        resign(good, specs[0], [](DerNode& tbs) { tbs.children[5].length_form = LengthForm::long_form; }));
  write(dir, "bad-indefinite-length.der",
        resign(good, specs[0], [](DerNode& tbs) { tbs.children[4].length_form = LengthForm::indefinite; }));
  write(dir, "bad-serial-padding.der", resign(good, specs[0], [](DerNode& tbs) {
          tbs.children[1].value.insert(tbs.children[1].value.begin(), 0x00);
        }));
  write(dir, "bad-duplicate-extension.der", resign(good, specs[0], [](DerNode& tbs) {
          tbs.children[7].children[0].children.push_back(*find_extension(tbs, "2.5.29.15"));
        }));
  std::printf("seed corpus written to %s\n", dir.c_str());
  return 0;
}
