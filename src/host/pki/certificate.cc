#include "ft/pki/certificate.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cstdio>

#include "ft/host/error.h"
#include "ft/host/files.h"

namespace ft::pki {

namespace {

using host::kExitEnvironment;
using host::kExitInput;
using host::kExitUsage;
using host::UserError;
using keys::openssl_error_text;
using keys::UniqueX509;

// The evidence-signing EKU: id-kp-documentSigning (RFC 9336). OpenSSL 3.0 has no name for it.
constexpr const char* kDocumentSigningOid = "1.3.6.1.5.5.7.3.36";

struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct AlgorFree {
  void operator()(X509_ALGOR* p) const { X509_ALGOR_free(p); }
};
struct NameFree {
  void operator()(X509_NAME* p) const { X509_NAME_free(p); }
};
using UniqueBio = std::unique_ptr<BIO, BioFree>;
using UniqueAlgor = std::unique_ptr<X509_ALGOR, AlgorFree>;
using UniqueName = std::unique_ptr<X509_NAME, NameFree>;

[[noreturn]] void fail(const std::string& what) {
  throw UserError("certificate: " + what + ": " + openssl_error_text(), kExitEnvironment);
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) fail(std::string("cannot build extension ") + OBJ_nid2sn(nid) + "=" + value);
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) fail(std::string("cannot add extension ") + OBJ_nid2sn(nid));
}

void set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) fail("no randomness for the serial number");
  // Positive (top bit clear) and exactly 16 bytes in DER (second-highest bit set).
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);
  BIGNUM* bn = BN_bin2bn(bytes, sizeof(bytes), nullptr);
  const bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  if (!ok) fail("cannot set the serial number");
}

void set_validity(X509* cert, const Validity& validity) {
  if (validity.not_after <= validity.not_before) {
    throw UserError("certificate: notAfter (" + format_time(validity.not_after) + ") must be later than notBefore (" +
                        format_time(validity.not_before) + ")",
                    kExitUsage);
  }
  // ASN1_TIME_set picks UTCTime up to 2049 and GeneralizedTime after, as RFC 5280 §4.1.2.5 asks.
  ASN1_TIME* not_before = ASN1_TIME_set(nullptr, validity.not_before);
  ASN1_TIME* not_after = ASN1_TIME_set(nullptr, validity.not_after);
  const bool ok = not_before != nullptr && not_after != nullptr && X509_set1_notBefore(cert, not_before) == 1 &&
                  X509_set1_notAfter(cert, not_after) == 1;
  ASN1_TIME_free(not_before);
  ASN1_TIME_free(not_after);
  if (!ok) fail("cannot set the validity");
}

void add_profile_extensions(X509* cert, X509* issuer, CertificateRole role) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  switch (role) {
    case CertificateRole::root_ca:
      add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE");
      add_extension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case CertificateRole::intermediate_ca:
      add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
      add_extension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case CertificateRole::code_signing:
    case CertificateRole::device_identity:
    case CertificateRole::evidence_signing:
      add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE");
      add_extension(cert, &ctx, NID_key_usage, "critical,digitalSignature");
      add_extension(cert, &ctx, NID_ext_key_usage,
                    role == CertificateRole::code_signing      ? "codeSigning"
                    : role == CertificateRole::device_identity ? "clientAuth"
                                                               : kDocumentSigningOid);
      break;
  }
  add_extension(cert, &ctx, NID_subject_key_identifier, "hash");
  if (issuer != cert) add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always");
}

void append_der_length(std::vector<std::uint8_t>& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
    return;
  }
  std::uint8_t bytes[sizeof(std::size_t)];
  std::size_t count = 0;
  for (std::size_t rest = length; rest != 0; rest >>= 8) bytes[count++] = static_cast<std::uint8_t>(rest);
  out.push_back(static_cast<std::uint8_t>(0x80 | count));
  while (count > 0) out.push_back(bytes[--count]);
}

// sign_certificate signs cert with issuer_key and returns the signed certificate, freshly parsed.
//
// OpenSSL 3.0 can sign a certificate only with an EVP_PKEY it can use itself (X509_sign); a token
// key reachable only through our Signer needs the TBSCertificate bytes signed outside. Of the two
// known ways to get the signature back in — poke it into the const ASN1_BIT_STRING from
// X509_get0_signature, or encode Certificate ::= SEQUENCE { tbs, algorithm, BIT STRING } ourselves
// and parse it — we take the second: it touches no OpenSSL internals after signing, and d2i_X509
// re-validates the whole structure. The one const_cast left sets the TBS signature
// AlgorithmIdentifier, which OpenSSL 3.0 exposes only read-only (X509_sign writes it internally).
UniqueX509 sign_certificate(X509* cert, keys::Signer& issuer_key) {
  const std::vector<std::uint8_t> algid_der = issuer_key.x509_signature_algorithm_der();
  const unsigned char* cursor = algid_der.data();
  UniqueAlgor algid(d2i_X509_ALGOR(nullptr, &cursor, static_cast<long>(algid_der.size())));
  if (!algid) fail("cannot parse the signature AlgorithmIdentifier");
  if (X509_ALGOR_copy(const_cast<X509_ALGOR*>(X509_get0_tbs_sigalg(cert)), algid.get()) != 1) {
    fail("cannot set the TBS signature algorithm");
  }
  unsigned char* tbs = nullptr;
  const int tbs_length = i2d_re_X509_tbs(cert, &tbs);  // re-encodes: the cached TBS is stale now
  if (tbs_length <= 0) fail("cannot encode the TBSCertificate");
  std::vector<std::uint8_t> tbs_der(tbs, tbs + tbs_length);
  OPENSSL_free(tbs);

  const std::vector<std::uint8_t> signature = issuer_key.sign_x509(tbs_der);

  std::vector<std::uint8_t> body = tbs_der;
  body.insert(body.end(), algid_der.begin(), algid_der.end());
  body.push_back(0x03);  // BIT STRING, no unused bits
  append_der_length(body, signature.size() + 1);
  body.push_back(0x00);
  body.insert(body.end(), signature.begin(), signature.end());
  std::vector<std::uint8_t> der{0x30};
  append_der_length(der, body.size());
  der.insert(der.end(), body.begin(), body.end());

  const unsigned char* p = der.data();
  UniqueX509 signed_cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!signed_cert || p != der.data() + der.size()) fail("the signed certificate does not parse");
  return signed_cert;
}

}  // namespace

const char* role_name(CertificateRole role) {
  switch (role) {
    case CertificateRole::root_ca: return "root-ca";
    case CertificateRole::intermediate_ca: return "intermediate-ca";
    case CertificateRole::code_signing: return "code-signing";
    case CertificateRole::device_identity: return "device-identity";
    case CertificateRole::evidence_signing: return "evidence-signing";
  }
  return "unknown";
}

std::optional<CertificateRole> parse_leaf_role(std::string_view name) {
  if (name == "code-signing") return CertificateRole::code_signing;
  if (name == "device") return CertificateRole::device_identity;
  if (name == "evidence") return CertificateRole::evidence_signing;
  return std::nullopt;
}

Validity validity_for_days(int days, std::time_t now) {
  return Validity{now - 300, now + static_cast<std::time_t>(days) * 86400};
}

std::time_t parse_time(const std::string& text, const std::string& what) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char tail = 0;
  int consumed = 0;
  bool ok = false;
  if (text.size() == 10) {
    ok = std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) == 3 && consumed == 10;
  } else if (text.size() == 20) {
    ok = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &year, &month, &day, &hour, &minute, &second,
                     &tail, &consumed) == 7 &&
         tail == 'Z' && consumed == 20;
  }
  ok = ok && text[4] == '-' && text[7] == '-' && year >= 1950 && year <= 9999 && month >= 1 && month <= 12 &&
       day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = ok ? ::timegm(&tm) : 0;
  if (!ok || tm.tm_mday != day) {  // timegm normalises 2025-02-30 to March: refuse that
    throw UserError(what + ": \"" + text + "\" is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)",
                    kExitUsage);
  }
  return t;
}

std::string format_time(std::time_t t) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

X509_NAME* parse_subject(const std::string& subject) {
  if (subject.empty() || subject[0] != '/') {
    throw UserError("subject \"" + subject + "\": must look like /O=Organisation/CN=Name", kExitUsage);
  }
  UniqueName name(X509_NAME_new());
  std::size_t i = 1;
  while (i <= subject.size()) {
    std::string component;
    for (; i < subject.size() && subject[i] != '/'; ++i) {
      if (subject[i] == '\\' && i + 1 < subject.size()) ++i;
      component.push_back(subject[i]);
    }
    ++i;  // skip the '/'
    const std::size_t equals = component.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == component.size()) {
      throw UserError("subject \"" + subject + "\": component \"" + component + "\" is not TYPE=value", kExitUsage);
    }
    const std::string type = component.substr(0, equals);
    const std::string value = component.substr(equals + 1);
    if (OBJ_txt2nid(type.c_str()) == NID_undef) {
      throw UserError("subject \"" + subject + "\": unknown attribute type \"" + type + "\"", kExitUsage);
    }
    if (X509_NAME_add_entry_by_txt(name.get(), type.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
      throw UserError("subject \"" + subject + "\": attribute " + type + ": " + openssl_error_text(), kExitUsage);
    }
  }
  return name.release();
}

std::string subject_text(const X509* certificate) {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string certificate_pem(const X509* certificate) {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) fail("cannot encode PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::vector<UniqueX509> load_certificates(const std::string& path) {
  const std::vector<std::uint8_t> data = host::read_file(path, 16 << 20);
  std::vector<UniqueX509> certificates;
  const std::string text(data.begin(), data.end());
  if (text.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    UniqueBio bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certificates.emplace_back(cert);
    ERR_clear_error();  // the loop ends on "no start line"
  } else {
    const unsigned char* p = data.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(data.size()));
    if (cert != nullptr && p == data.data() + data.size()) certificates.emplace_back(cert);
    else X509_free(cert);
  }
  if (certificates.empty()) {
    throw UserError(path + ": holds no certificate (expected PEM \"CERTIFICATE\" blocks or one DER certificate)",
                    kExitInput);
  }
  return certificates;
}

UniqueX509 issue_certificate(const CertificateRequest& request) {
  if (request.subject_key == nullptr) throw std::logic_error("issue_certificate: subject_key is required");
  const bool self_signed = request.issuer_certificate == nullptr;
  keys::Signer& issuer_key = self_signed ? *request.subject_key : *request.issuer_key;
  if (!self_signed && request.issuer_key == nullptr) throw std::logic_error("issue_certificate: issuer_key missing");
  if (!self_signed && EVP_PKEY_eq(X509_get0_pubkey(request.issuer_certificate), issuer_key.public_key()) != 1) {
    throw UserError(issuer_key.source() + ": this key does not belong to the CA certificate " +
                        subject_text(request.issuer_certificate),
                    kExitInput);
  }

  UniqueX509 cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) fail("cannot create a certificate");
  set_random_serial(cert.get());
  UniqueName subject(parse_subject(request.subject));
  if (X509_set_subject_name(cert.get(), subject.get()) != 1 ||
      X509_set_issuer_name(cert.get(), self_signed ? subject.get() : X509_get_subject_name(request.issuer_certificate)) != 1) {
    fail("cannot set the names");
  }
  set_validity(cert.get(), request.validity);
  if (X509_set_pubkey(cert.get(), request.subject_key->public_key()) != 1) fail("cannot set the public key");
  add_profile_extensions(cert.get(), self_signed ? cert.get() : request.issuer_certificate, request.role);

  UniqueX509 signed_cert = sign_certificate(cert.get(), issuer_key);
  if (X509_verify(signed_cert.get(), issuer_key.public_key()) != 1) {
    throw UserError(issuer_key.source() + ": the certificate it signed does not verify: " + openssl_error_text(),
                    kExitEnvironment);
  }
  return signed_cert;
}

}  // namespace ft::pki
