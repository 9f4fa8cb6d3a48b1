// verify_fuzz.cc — fuzz target for the whole verifier (ft/trust/verifier.h: verify_envelope), with
// the OpenSSL crypto port and fixed trust anchors:
//   supplier:    the raw P-256 key of the public SUIT examples (testdata/suit), and the root
//                certificates of the development PKIs the corpus envelopes were signed with
//                (fuzz/anchors/supplier-*.der, see fuzz/make_seeds.sh);
//   asset owner: the root of a separate PKI (fuzz/anchors/owner-root.der), for cosigned envelopes.
// Certificate validity is not checked (TimeMode::none), so the seeds stay valid as time passes and
// fuzzed chains reach the signature and profile checks. No payload is required.
//
// A fuzzer cannot forge signatures: whatever it changes inside a signed envelope must be rejected.
// The verdict must agree with the returned status, and an accepted envelope must have a supplier
// signature.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/ports/openssl.h"
#include "ft/trust/verifier.h"
#include "ft/x509/certificate.h"

#include "fuzz_check.h"

namespace {

using ft::Bytes;
using ft::x509::AnchorKind;
using ft::x509::TrustAnchor;

using ft::fuzz::fail;
using ft::fuzz::require;

std::vector<std::uint8_t> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) bytes.clear();
  if (bytes.empty()) {
    std::fprintf(stderr, "verify_fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  return bytes;
}

// Fixture — anchors, workspace and verdict, created once. Workspace and Verdict are large (tens of
// KiB): on the heap, not on the fuzzer's stack.
struct Fixture {
  std::vector<std::uint8_t> raw_key_der;
  std::vector<std::vector<std::uint8_t>> certificates;  // DER of the root anchors (stable storage)
  std::vector<TrustAnchor> supplier;
  std::vector<TrustAnchor> asset_owner;
  ft::trust::Anchors anchors;
  ft::trust::Policy policy;
  std::unique_ptr<ft::trust::Workspace> workspace = std::make_unique<ft::trust::Workspace>();
  std::unique_ptr<ft::trust::Verdict> verdict = std::make_unique<ft::trust::Verdict>();

  Fixture() {
    raw_key_der = load(FT_TESTDATA_DIR "/suit/trust_anchor_secp256r1_pub.der");
    auto key = ft::x509::parse_spki(raw_key_der);
    if (!key.ok()) fail("the SUIT example key does not parse");
    TrustAnchor raw;
    raw.kind = AnchorKind::raw_key;
    raw.raw_key = *key;
    supplier.push_back(raw);

    const char* const supplier_roots[] = {"supplier-p256-root.der", "supplier-p384-root.der"};
    certificates.reserve(3);
    for (const char* name : supplier_roots) {
      certificates.push_back(load(std::string(FT_FUZZ_DIR "/anchors/") + name));
      supplier.push_back(certificate_anchor(certificates.back()));
    }
    certificates.push_back(load(FT_FUZZ_DIR "/anchors/owner-root.der"));
    asset_owner.push_back(certificate_anchor(certificates.back()));
    anchors.supplier = supplier;
    anchors.asset_owner = asset_owner;

    policy.path.time_mode = ft::x509::TimeMode::none;
    policy.path.keys.rsa = true;  // reach the PS256 / RSA paths too
    policy.allow_raw_keys = true;
  }

  static TrustAnchor certificate_anchor(const std::vector<std::uint8_t>& der) {
    if (!ft::x509::parse_certificate(der).ok()) fail("an anchor certificate in fuzz/anchors does not parse");
    TrustAnchor a;
    a.kind = AnchorKind::certificate;
    a.certificate = der;
    return a;
  }
};

Fixture& fixture() {
  static Fixture* const f = new Fixture;
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& f = fixture();
  ft::suit::ProcessOptions options;
  options.require_payload = false;
  const ft::Status s = ft::trust::verify_envelope(ft::openssl_crypto(), Bytes(data, size), f.anchors, f.policy, options,
                                                  *f.workspace, *f.verdict);
  const ft::trust::Verdict& v = *f.verdict;
  // FT_FUZZ_VERBOSE=1 prints each verdict: to see how far a seed gets (replay or -runs=0).
  static const bool verbose = std::getenv("FT_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "verdict: %s at stage %s\n", ft::code_name(s.code()), ft::trust::stage_name(v.stage));
  require(s.code() == v.error.code, "returned status differs from the verdict");
  require(v.signature_count <= ft::trust::kMaxSignatures, "signature_count beyond kMaxSignatures");
  require(s.code() != ft::Code::crypto_failure, "crypto backend failure on fuzzed input");
  if (s.ok()) {
    require(v.stage == ft::trust::Stage::done, "accepted before the last stage");
    require(v.supplier_signed, "accepted without a supplier signature");
    require(v.signature_count == v.envelope.auth_block_count, "accepted without examining every signature");
    for (std::size_t i = 0; i < v.signature_count; ++i)
      require(v.signatures[i].error.code == ft::Code::ok, "accepted with a failed signature");
  }
  return 0;
}
