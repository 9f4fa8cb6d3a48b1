// write_corpus — writes the fixed inputs of the golden-outcome test (core_outcomes_test.cc) into
// testdata/golden/corpus/: certificate chains of each key type, certificates with one or two
// profile faults (correctly signed, so the fault and not the signature decides), and signed SUIT
// envelopes built by ft_sign. Keys are the fixed ones in testdata/x509/keys; validity is
// anchored at kTestNow (2026-06-01).
//
// ECDSA signatures are randomised, so the files change on every run: they are committed, and the
// golden files record the outcomes for exactly these bytes. Regenerate only when the corpus
// itself must change, and then regenerate the golden files too (testdata/golden/README.md).
//
// Usage (target ft_golden_corpus, not built by default):
//   cmake --build build/default --target ft_golden_corpus
//   build/default/tests/ft_golden_corpus testdata/golden/corpus
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cert_builder.h"
#include "ft/keys/software_signer.h"
#include "ft/sign/envelope_builder.h"
#include "test_release.h"

namespace {

using namespace ft::x509::testing;
using Buffer = std::vector<std::uint8_t>;

std::string g_dir;

void write(const std::string& name, const Buffer& data) { write_or_exit(g_dir, name, data); }

std::unique_ptr<ft::keys::SoftwareSigner> signer_for(EVP_PKEY* key, const std::string& name) {
  EVP_PKEY_up_ref(key);  // test_key keeps its own reference
  return std::make_unique<ft::keys::SoftwareSigner>(ft::keys::UniqueEvpPkey(key), name);
}

constexpr std::int64_t kDay = 86400;
constexpr int kDigitalSignature = 1 << 0, kKeyCertSign = 1 << 5, kCrlSign = 1 << 6;

// Leaf variants: one profile fault each, and pairs of faults (which one wins is pinned).
struct LeafFault {
  const char* name;
  void (*apply)(CertSpec&);
};

void no_eku(CertSpec& s) { s.eku_present = false; }
void any_eku(CertSpec& s) { s.eku = {kOidAnyEku}; }
void server_eku(CertSpec& s) { s.eku = {kOidServerAuth}; }
void leaf_ca(CertSpec& s) {
  s.basic_constraints = CertSpec::Ca::ca;
  s.key_usage = kDigitalSignature | kKeyCertSign;
}
void no_ku(CertSpec& s) { s.key_usage = -1; }
void ku_cert_sign_only(CertSpec& s) { s.key_usage = kKeyCertSign; }
void expired(CertSpec& s) { s.not_after = kTestNow - kDay; }
void not_yet_valid(CertSpec& s) { s.not_before = kTestNow + kDay; }
void unknown_critical(CertSpec& s) {
  s.extra.push_back({"1.3.6.1.4.1.55555.1", true, Der{0x05, 0x00}});
}
void unknown_noncritical(CertSpec& s) {
  s.extra.push_back({"1.3.6.1.4.1.55555.2", false, Der{0x05, 0x00}});
}
void key_rsa2048(CertSpec& s) { s.key = test_key(KeyKind::rsa2048, 0); }
void key_p521(CertSpec& s) { s.key = test_key(KeyKind::p521, 0); }
void key_secp256k1(CertSpec& s) { s.key = test_key(KeyKind::secp256k1, 0); }
void version1(CertSpec& s) {
  s.version = 1;
  s.basic_constraints = CertSpec::Ca::absent;
  s.key_usage = -1;
  s.eku_present = false;
  s.subject_key_id = false;
  s.authority_key_id = false;
}
void wrong_issuer_name(CertSpec& s) { s.issuer_cn = "FT Intermediate CA 9"; }
void self_issued(CertSpec& s) {
  s.issuer_cn = s.subject_cn;
  s.issuer_key = s.key;
}
void sha384(CertSpec& s) { s.hash = SigHash::sha384; }
void sha1(CertSpec& s) { s.hash = SigHash::sha1; }

const LeafFault kLeafFaults[] = {
    {"no-eku", no_eku},
    {"any-eku", any_eku},
    {"server-eku", server_eku},
    {"ca", leaf_ca},
    {"no-ku", no_ku},
    {"ku-certsign", ku_cert_sign_only},
    {"expired", expired},
    {"not-yet-valid", not_yet_valid},
    {"unknown-crit", unknown_critical},
    {"unknown-noncrit", unknown_noncritical},
    {"rsa2048", key_rsa2048},
    {"p521", key_p521},
    {"secp256k1", key_secp256k1},
    {"v1", version1},
    {"wrong-issuer", wrong_issuer_name},
    {"self-signed", self_issued},
    {"sha384", sha384},
    {"sha1", sha1},
};

// Pairs of leaf faults, in both orders of the list above, so that precedence shows.
const char* const kLeafFaultPairs[][2] = {
    {"ca", "no-eku"},          {"expired", "no-eku"},       {"expired", "ca"},
    {"no-ku", "no-eku"},       {"unknown-crit", "expired"}, {"unknown-crit", "no-ku"},
    {"rsa2048", "expired"},    {"p521", "no-eku"},          {"not-yet-valid", "server-eku"},
    {"self-signed", "no-eku"}, {"wrong-issuer", "expired"}, {"sha1", "no-ku"},
    {"v1", "expired"},         {"ku-certsign", "any-eku"},
};

const LeafFault* fault(const std::string& name) {
  for (const auto& f : kLeafFaults) {
    if (name == f.name) return &f;
  }
  std::fprintf(stderr, "unknown fault %s\n", name.c_str());
  std::exit(1);
}

// Intermediate variants (same name and key, so the leaves above chain through them).
void int_not_ca(CertSpec& s) { s.basic_constraints = CertSpec::Ca::not_ca; }
void int_no_bc(CertSpec& s) { s.basic_constraints = CertSpec::Ca::absent; }
void int_bc_noncritical(CertSpec& s) { s.basic_constraints_critical = false; }
void int_no_cert_sign(CertSpec& s) { s.key_usage = kCrlSign | kDigitalSignature; }
void int_no_ku(CertSpec& s) { s.key_usage = -1; }
void int_pathlen0(CertSpec& s) { s.path_len = 0; }
void int_expired(CertSpec& s) { s.not_after = kTestNow - kDay; }
void int_not_yet_valid(CertSpec& s) { s.not_before = kTestNow + kDay; }
void int_not_ca_expired(CertSpec& s) {
  int_not_ca(s);
  int_expired(s);
}
void int_no_cert_sign_unknown_crit(CertSpec& s) {
  int_no_cert_sign(s);
  unknown_critical(s);
}

const LeafFault kIntermediateFaults[] = {
    {"not-ca", int_not_ca},
    {"no-bc", int_no_bc},
    {"bc-noncrit", int_bc_noncritical},
    {"no-certsign", int_no_cert_sign},
    {"no-ku", int_no_ku},
    {"pathlen0", int_pathlen0},
    {"expired", int_expired},
    {"not-yet-valid", int_not_yet_valid},
    {"unknown-crit", unknown_critical},
    {"not-ca+expired", int_not_ca_expired},
    {"no-certsign+unknown-crit", int_no_cert_sign_unknown_crit},
};

Buffer image_of(std::size_t size, unsigned seed) {
  Buffer out(size);
  std::uint32_t x = seed;
  for (auto& b : out) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(x >> 16);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  g_dir = argv[1];

  // Chains leaf <- intermediate <- root for each key type the core verifies.
  const KeyKind kinds[] = {KeyKind::p256, KeyKind::p384, KeyKind::ed25519, KeyKind::rsa3072};
  for (const KeyKind kind : kinds) {
    const auto specs = chain_specs({kind, kind, kind}, kTestNow);
    const auto chain = build_chain(specs);
    const std::string prefix = std::string("chain-") + key_kind_name(kind) + "-";
    write(prefix + "leaf.der", chain[0]);
    write(prefix + "int.der", chain[1]);
    write(prefix + "root.der", chain[2]);
  }

  // Faulty leaves and intermediates under the P-256 chain.
  const auto base = chain_specs({KeyKind::p256, KeyKind::p256, KeyKind::p256}, kTestNow);
  for (const auto& f : kLeafFaults) {
    CertSpec s = base[0];
    f.apply(s);
    write(std::string("leaf-") + f.name + ".der", build_certificate(s));
  }
  for (const auto& pair : kLeafFaultPairs) {
    CertSpec s = base[0];
    fault(pair[0])->apply(s);
    fault(pair[1])->apply(s);
    write(std::string("leaf-") + pair[0] + "+" + pair[1] + ".der", build_certificate(s));
  }
  for (const auto& f : kIntermediateFaults) {
    CertSpec s = base[1];
    f.apply(s);
    write(std::string("int-") + f.name + ".der", build_certificate(s));
  }
  // A second intermediate between the first and the root (for pathLenConstraint and chain length).
  const auto longer = chain_specs({KeyKind::p256, KeyKind::p256, KeyKind::p256, KeyKind::p256}, kTestNow);
  {
    const auto chain = build_chain(longer);
    write("chain4-p256-leaf.der", chain[0]);
    write("chain4-p256-int1.der", chain[1]);
    write("chain4-p256-int2.der", chain[2]);
    write("chain4-p256-root.der", chain[3]);
    CertSpec s = longer[2];
    s.path_len = 0;
    write("chain4-p256-int2-pathlen0.der", build_certificate(s));
  }

  // Signed envelopes. Supplier: the P-256 chain; asset owner: the P-384 chain.
  const auto p256 = chain_specs({KeyKind::p256, KeyKind::p256, KeyKind::p256}, kTestNow);
  const auto p384 = chain_specs({KeyKind::p384, KeyKind::p384, KeyKind::p384}, kTestNow);
  const auto ed = chain_specs({KeyKind::ed25519, KeyKind::ed25519, KeyKind::ed25519}, kTestNow);
  const auto p256_chain = build_chain(p256);
  const auto p384_chain = build_chain(p384);
  const auto ed_chain = build_chain(ed);
  // The envelopes carry the chains built here; the anchors are these roots.
  write("env-p256-root.der", p256_chain[2]);
  write("env-p384-root.der", p384_chain[2]);
  write("env-ed25519-root.der", ed_chain[2]);

  auto supplier = signer_for(p256[0].key, "p256-leaf");
  auto owner = signer_for(p384[0].key, "p384-leaf");
  auto ed_signer = signer_for(ed[0].key, "ed25519-leaf");
  EVP_PKEY* raw_key = test_key(KeyKind::p256, 5);
  auto raw = signer_for(raw_key, "p256-raw");
  const ft::sign::SigningIdentity supplier_id{supplier.get(), {p256_chain[0], p256_chain[1]}};
  const ft::sign::SigningIdentity owner_id{owner.get(), {p384_chain[0], p384_chain[1]}};
  const ft::sign::SigningIdentity ed_id{ed_signer.get(), {ed_chain[0], ed_chain[1]}};
  const ft::sign::SigningIdentity raw_id{raw.get(), {}};

  const Buffer small_image = image_of(200, 1);
  const Buffer detached_image = image_of(5000, 2);
  write("payload-detached.bin", detached_image);
  const auto ids = ft::testing::test_release(small_image, 0, true);
  write("vendor-id.bin", Buffer(ids.vendor_id.begin(), ids.vendor_id.end()));
  write("class-id.bin", Buffer(ids.class_id.begin(), ids.class_id.end()));
  write("env-p256-integrated.suit",
        ft::sign::build_envelope(ft::testing::test_release(small_image, 7, true), {supplier_id}));
  write("env-ed25519-detached.suit",
        ft::sign::build_envelope(ft::testing::test_release(detached_image, 3, false), {ed_id}));
  const auto two = ft::sign::build_envelope(ft::testing::test_release(small_image, 9, true), {supplier_id});
  write("env-two-signers.suit", ft::sign::add_signature(two, owner_id));
  write("env-raw-p256.suit", ft::sign::build_envelope(ft::testing::test_release(small_image, 4, true), {raw_id}));
  write("raw-p256.spki.der", spki_of(raw_key));
  // Signed by a leaf without the code-signing purpose (the key is the supplier leaf's).
  CertSpec no_eku_leaf = p256[0];
  no_eku(no_eku_leaf);
  const ft::sign::SigningIdentity no_eku_id{supplier.get(), {build_certificate(no_eku_leaf), p256_chain[1]}};
  write("env-leaf-no-eku.suit", ft::sign::build_envelope(ft::testing::test_release(small_image, 5, true), {no_eku_id}));
  return 0;
}
