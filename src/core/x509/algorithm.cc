// signature_scheme_for: AlgorithmIdentifier -> SigScheme.
#include <cstddef>

#include "ft/der/der.h"
#include "ft/x509/certificate.h"
#include "oids.h"

namespace ft::x509 {

namespace {

Error unsupported(const char* message) { return make_error(Code::unsupported_algorithm, message); }

// read_sha256_identifier reads an AlgorithmIdentifier that must be id-sha256 with NULL or absent
// parameters (RFC 4055 allows both for hash identifiers).
Status read_sha256_identifier(Reader& in) {
  Reader algorithm;
  FT_TRY(der::read(in, der::kSequence, algorithm));
  Bytes hash_oid;
  FT_TRY(der::read_oid(algorithm, hash_oid));
  if (!algorithm.empty()) FT_TRY(der::read_null(algorithm));
  FT_TRY(der::expect_end(algorithm));
  if (!oid::is(hash_oid, oid::kSha256)) return unsupported("RSASSA-PSS: hash other than SHA-256");
  return {};
}

// check_pss_parameters accepts exactly RSASSA-PSS-params with SHA-256, MGF1 with SHA-256, salt
// length 32 and the default trailer field (omitted, as DER requires for a DEFAULT value).
Status check_pss_parameters(Reader& params_in) {
  Reader params;
  FT_TRY(der::read(params_in, der::kSequence, params));
  FT_TRY(der::expect_end(params_in));

  Reader hash;
  if (!der::next_is(params, der::context_constructed(0))) return unsupported("RSASSA-PSS: default hash (SHA-1)");
  FT_TRY(der::read(params, der::context_constructed(0), hash));
  FT_TRY(read_sha256_identifier(hash));
  FT_TRY(der::expect_end(hash));

  Reader mask_wrapper;
  if (!der::next_is(params, der::context_constructed(1)))
    return unsupported("RSASSA-PSS: default mask generation (MGF1-SHA-1)");
  FT_TRY(der::read(params, der::context_constructed(1), mask_wrapper));
  Reader mask;
  FT_TRY(der::read(mask_wrapper, der::kSequence, mask));
  FT_TRY(der::expect_end(mask_wrapper));
  Bytes mgf_oid;
  FT_TRY(der::read_oid(mask, mgf_oid));
  if (!oid::is(mgf_oid, oid::kMgf1)) return unsupported("RSASSA-PSS: mask generation other than MGF1");
  FT_TRY(read_sha256_identifier(mask));
  FT_TRY(der::expect_end(mask));

  Reader salt_wrapper;
  if (!der::next_is(params, der::context_constructed(2))) return unsupported("RSASSA-PSS: default salt length (20)");
  FT_TRY(der::read(params, der::context_constructed(2), salt_wrapper));
  std::uint64_t salt_length = 0;
  FT_TRY(der::read_uint64(salt_wrapper, salt_length));
  FT_TRY(der::expect_end(salt_wrapper));
  if (salt_length != 32) return unsupported("RSASSA-PSS: salt length other than 32");

  if (der::next_is(params, der::context_constructed(3))) {
    return {Code::non_canonical, "RSASSA-PSS: trailerField encoded although DER omits its DEFAULT"};
  }
  return der::expect_end(params);
}

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY DEFINED BY algorithm OPTIONAL }
struct AlgorithmFields {
  Bytes oid;
  Bytes parameters;  // empty when absent; else one well-formed element
};
constexpr der::Field kAlgorithmIdentifier[] = {
    {0x30, der::kEnter, 0, "AlgorithmIdentifier"},
    {0x06, 0, offsetof(AlgorithmFields, oid), "AlgorithmIdentifier: algorithm"},
    {0, der::kRest, offsetof(AlgorithmFields, parameters), "AlgorithmIdentifier: parameters"},
};

}  // namespace

Status signature_scheme_for(const Bytes& algorithm_identifier, SigScheme& out) {
  Reader in(algorithm_identifier);
  // Both rows write their slot (neither is optional) before fields is read.
  Unfilled<AlgorithmFields> fields_storage;
  AlgorithmFields& fields = fields_storage.get();
  // Whatever the algorithm, its parameters must be DER before any verdict about support.
  FT_TRY(der::read_fields(in, kAlgorithmIdentifier, &fields));
  const Bytes& algorithm_oid = fields.oid;
  Reader algorithm(fields.parameters);

  // ECDSA and EdDSA identifiers carry no parameters (RFC 5758 3.2, RFC 8410 3). ecdsa-with-SHA256,
  // -SHA384 and -SHA512 differ only in their last arc (2, 3, 4): one prefix comparison and the
  // arc pick the scheme, instead of a table of three OIDs (flash).
  constexpr std::size_t kPrefix = sizeof oid::kEcdsaWithSha2;
  bool without_params = true;
  SigScheme scheme = SigScheme::ed25519;
  if (algorithm_oid.size() == kPrefix + 1 && algorithm_oid[kPrefix] - 2u <= 2u &&
      oid::is(algorithm_oid.first(kPrefix), oid::kEcdsaWithSha2)) {
    static_assert(static_cast<int>(SigScheme::ecdsa_sha384_der) == static_cast<int>(SigScheme::ecdsa_sha256_der) + 1 &&
                  static_cast<int>(SigScheme::ecdsa_sha512_der) == static_cast<int>(SigScheme::ecdsa_sha256_der) + 2);
    scheme = static_cast<SigScheme>(static_cast<unsigned>(SigScheme::ecdsa_sha256_der) + algorithm_oid[kPrefix] - 2u);
  } else if (!oid::is(algorithm_oid, oid::kEd25519)) {
    without_params = false;
  }
  if (without_params) {
    if (!algorithm.empty()) return unsupported("signature algorithm: parameters where none are allowed");
    out = scheme;
    return {};
  }
  if (!config::kRsa) return unsupported("signature algorithm not supported");

  // PKCS #1 v1.5: NULL parameters, or absent (RFC 4055 5: implementations MUST accept both).
  struct NoParams {
    const std::uint8_t* oid;
    std::uint8_t size;  // OIDs here are short; one octet keeps each row at 8 bytes
    SigScheme scheme;
  };
  static constexpr NoParams kPkcs1[] = {
      {oid::kSha256WithRsa, sizeof oid::kSha256WithRsa, SigScheme::rsa_pkcs1_sha256},
      {oid::kSha384WithRsa, sizeof oid::kSha384WithRsa, SigScheme::rsa_pkcs1_sha384},
      {oid::kSha512WithRsa, sizeof oid::kSha512WithRsa, SigScheme::rsa_pkcs1_sha512},
  };
  for (const NoParams& entry : kPkcs1) {
    if (oid::equals(algorithm_oid, entry.oid, entry.size)) {
      if (!algorithm.empty()) FT_TRY(der::read_null(algorithm));
      FT_TRY(der::expect_end(algorithm));
      out = entry.scheme;
      return {};
    }
  }

  if (oid::is(algorithm_oid, oid::kRsassaPss)) {
    FT_TRY(check_pss_parameters(algorithm));
    out = SigScheme::rsa_pss_sha256;
    return {};
  }
  return unsupported("signature algorithm not supported");
}

}  // namespace ft::x509
