#include "ft/inspect/describe.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <vector>

#include "ft/cbor/cbor.h"
#include "ft/cose/sign1.h"
#include "ft/host/hex.h"
#include "ft/ports/openssl.h"
#include "ft/x509/certificate.h"

namespace ft::inspect {

using nlohmann::json;

namespace {

std::string name_text(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

std::int64_t asn1_time_to_unix(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string text(Bytes b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

// key_usage_names lists the usages of an X509_get_key_usage mask (UINT32_MAX: no keyUsage).
json key_usage_names(std::uint32_t ku) {
  json usages = json::array();
  if (ku == UINT32_MAX) return usages;
  const std::pair<std::uint32_t, const char*> names[] = {
      {KU_DIGITAL_SIGNATURE, "digitalSignature"}, {KU_NON_REPUDIATION, "nonRepudiation"},
      {KU_KEY_ENCIPHERMENT, "keyEncipherment"},   {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
      {KU_KEY_AGREEMENT, "keyAgreement"},         {KU_KEY_CERT_SIGN, "keyCertSign"},
      {KU_CRL_SIGN, "cRLSign"}};
  for (const auto& [bit, name] : names) {
    if (ku & bit) usages.push_back(name);
  }
  return usages;
}

// object_text names an OID as OpenSSL does (its long name when it knows one, else dotted).
std::string object_text(const ASN1_OBJECT* object) {
  char buf[80];
  OBJ_obj2txt(buf, sizeof buf, object, 0);
  return buf;
}

std::string sha256_hex(Bytes der) {
  Digest digest;
  if (!ft::digest(openssl_crypto(), HashAlg::sha256, der, digest).ok()) return "";
  return host::to_hex(digest.bytes());
}

}  // namespace

std::string format_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string uuid_text(Bytes id) {
  if (id.size() != 16) return host::to_hex(id);
  const std::string h = host::to_hex(id);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string cose_alg_name(std::int64_t alg) {
  switch (alg) {
    case -7: return "ES256";
    case -9: return "ESP256";
    case -35: return "ES384";
    case -51: return "ESP384";
    case -8: return "EdDSA";
    case -19: return "Ed25519";
    case -37: return "PS256";
    default: return std::to_string(alg);
  }
}

namespace {

struct NameFree {
  void operator()(X509_NAME* p) const { X509_NAME_free(p); }
};
struct ExtensionsFree {
  void operator()(X509_EXTENSIONS* p) const { sk_X509_EXTENSION_pop_free(p, X509_EXTENSION_free); }
};
struct IntegerFree {
  void operator()(ASN1_INTEGER* p) const { ASN1_INTEGER_free(p); }
};
using Name = std::unique_ptr<X509_NAME, NameFree>;

Name decode_name(Bytes der) {
  const unsigned char* p = der.data();
  Name name(d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())));
  return p == der.data() + der.size() ? std::move(name) : Name();
}

// next_element reads the DER header at data[pos] (the core has already checked the encoding) and
// sets tag and contents; false when it does not fit.
bool next_element(Bytes data, std::size_t& pos, std::uint8_t& tag, Bytes& contents) {
  if (data.size() - pos < 2) return false;
  tag = data[pos];
  std::size_t length = data[pos + 1];
  std::size_t header = 2;
  if (length & 0x80) {
    const std::size_t octets = length & 0x7f;
    if (octets == 0 || octets > 4 || data.size() - pos - 2 < octets) return false;
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | data[pos + 2 + i];
    header += octets;
  }
  if (data.size() - pos - header < length) return false;
  contents = data.subspan(pos + header, length);
  pos += header + length;
  return true;
}

// extensions_of returns the TBSCertificate's extensions ([3], the last optional field), decoded
// by OpenSSL; an empty stack when there are none, null when they do not decode.
std::unique_ptr<X509_EXTENSIONS, ExtensionsFree> extensions_of(Bytes tbs) {
  std::size_t pos = 0;
  std::uint8_t tag = 0;
  Bytes body;
  if (!next_element(tbs, pos, tag, body)) return nullptr;
  pos = 0;
  Bytes contents;
  while (pos < body.size()) {
    if (!next_element(body, pos, tag, contents)) return nullptr;
    if (tag == 0xa3) {
      const unsigned char* p = contents.data();
      std::unique_ptr<X509_EXTENSIONS, ExtensionsFree> exts(d2i_X509_EXTENSIONS(nullptr, &p, static_cast<long>(contents.size())));
      return p == contents.data() + contents.size() ? std::move(exts) : nullptr;
    }
  }
  return std::unique_ptr<X509_EXTENSIONS, ExtensionsFree>(sk_X509_EXTENSION_new_null());
}

// extension decodes the extension nid of exts (X509V3_get_d2i); null when absent. duplicate is
// set when it appears more than once (OpenSSL then treats the certificate as invalid).
template <typename T>
std::unique_ptr<T, void (*)(T*)> extension(const X509_EXTENSIONS* exts, int nid, void (*free)(T*), bool& duplicate) {
  int critical = 0;
  auto* value = static_cast<T*>(X509V3_get_d2i(exts, nid, &critical, nullptr));
  if (value == nullptr && critical == -2) duplicate = true;
  return std::unique_ptr<T, void (*)(T*)>(value, free);
}

std::string key_type_text(const PublicKey& key) {
  switch (key.type) {
    case KeyType::ec_p256: return "EC prime256v1";
    case KeyType::ec_p384: return "EC secp384r1";
    case KeyType::ed25519: return "Ed25519";
    case KeyType::rsa: return "RSA " + std::to_string(key.bits);
    case KeyType::none: break;
  }
  return "unknown";
}

}  // namespace

std::optional<json> describe_certificate_without_key_decoding(Bytes der) {
  x509::Certificate cert;
  if (!x509::parse_certificate(der, cert).ok() || cert.key_error.code != Code::ok) return std::nullopt;
  const Name subject = decode_name(cert.subject);
  const Name issuer = decode_name(cert.issuer);
  // Equal names: OpenSSL's self_signed and v1-root rules need the key identifiers and the key.
  if (!subject || !issuer || X509_NAME_cmp(subject.get(), issuer.get()) == 0) return std::nullopt;
  const auto exts = extensions_of(cert.tbs);
  if (!exts) return std::nullopt;
  // An extension OpenSSL knows but cannot decode makes it treat the certificate as invalid (no
  // CA, no path length): its parser must judge that.
  for (int i = 0; i < sk_X509_EXTENSION_num(exts.get()); ++i) {
    X509_EXTENSION* ext = sk_X509_EXTENSION_value(exts.get(), i);
    if (X509V3_EXT_get(ext) == nullptr) continue;
    void* decoded = X509V3_EXT_d2i(ext);
    if (decoded == nullptr) return std::nullopt;
    X509V3_EXT_get(ext)->it != nullptr ? ASN1_item_free(static_cast<ASN1_VALUE*>(decoded), ASN1_ITEM_ptr(X509V3_EXT_get(ext)->it))
                                       : X509V3_EXT_get(ext)->ext_free(decoded);
  }

  bool duplicate = false;
  auto ku = extension<ASN1_BIT_STRING>(exts.get(), NID_key_usage, ASN1_BIT_STRING_free, duplicate);
  auto bc = extension<BASIC_CONSTRAINTS>(exts.get(), NID_basic_constraints, BASIC_CONSTRAINTS_free, duplicate);
  auto eku = extension<EXTENDED_KEY_USAGE>(exts.get(), NID_ext_key_usage, EXTENDED_KEY_USAGE_free, duplicate);
  auto ns = extension<ASN1_BIT_STRING>(exts.get(), NID_netscape_cert_type, ASN1_BIT_STRING_free, duplicate);
  if (duplicate) return std::nullopt;

  // The serial as OpenSSL holds it: the magnitude, without DER's sign octet.
  std::vector<std::uint8_t> serial_der = {V_ASN1_INTEGER, static_cast<std::uint8_t>(cert.serial.size())};
  serial_der.insert(serial_der.end(), cert.serial.begin(), cert.serial.end());
  const unsigned char* p = serial_der.data();
  const std::unique_ptr<ASN1_INTEGER, IntegerFree> serial(
      cert.serial.size() < 128 ? d2i_ASN1_INTEGER(nullptr, &p, static_cast<long>(serial_der.size())) : nullptr);
  if (!serial) return std::nullopt;

  json j;
  j["subject"] = name_text(subject.get());
  j["issuer"] = name_text(issuer.get());
  j["serial"] = host::to_hex(Bytes(serial->data, static_cast<std::size_t>(serial->length)));
  j["not_before"] = format_time(cert.not_before);
  j["not_after"] = format_time(cert.not_after);
  j["key_type"] = key_type_text(cert.key);

  // X509_get_key_usage: the first two octets of the bit string, OpenSSL's KU_* layout.
  const bool has_ku = ku != nullptr;
  std::uint32_t usage = 0;
  if (has_ku) {
    if (ku->length > 0) usage = ku->data[0];
    if (ku->length > 1) usage |= static_cast<std::uint32_t>(ku->data[1]) << 8;
  }
  j["key_usage"] = key_usage_names(has_ku ? usage : UINT32_MAX);
  json purposes = json::array();
  if (eku) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) purposes.push_back(object_text(sk_ASN1_OBJECT_value(eku.get(), i)));
  }
  j["extended_key_usage"] = purposes;

  // X509_check_ca and X509_get_pathlen (OpenSSL 3.0, crypto/x509/v3_purp.c) for a certificate that
  // is not self-issued. A negative pathLenConstraint makes OpenSSL treat the whole certificate as
  // invalid: not a CA, no path length. (One without CA=TRUE is reported as it is.)
  const bool path_len_invalid = bc && bc->pathlen != nullptr && bc->pathlen->type == V_ASN1_NEG_INTEGER;
  bool is_ca = false;
  if (!path_len_invalid && !(has_ku && (usage & KU_KEY_CERT_SIGN) == 0)) {
    if (bc) {
      is_ca = bc->ca != 0;
    } else if (has_ku) {
      is_ca = true;
    } else if (ns && ns->length > 0) {
      is_ca = (ns->data[0] & NS_ANY_CA) != 0;
    }
  }
  j["is_ca"] = is_ca;
  if (bc && bc->pathlen != nullptr && !path_len_invalid) j["path_len"] = ASN1_INTEGER_get(bc->pathlen);
  j["self_signed"] = false;
  j["sha256"] = sha256_hex(der);
  return j;
}

json describe_certificate(Bytes der) {
  // OpenSSL's X509 parser decodes the public key, and its first key decoding in a process sets up
  // OpenSSL's decoders: about 1 ms, more than the rest of a `fieldtrust verify` of 1 MiB.
  if (std::optional<json> described = describe_certificate_without_key_decoding(der)) return *described;
  return describe_certificate_with_openssl(der);
}

json describe_certificate_with_openssl(Bytes der) {
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert == nullptr) return json{{"error", "not a parsable X.509 certificate"}};
  json j;
  j["subject"] = name_text(X509_get_subject_name(cert));
  j["issuer"] = name_text(X509_get_issuer_name(cert));
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  j["serial"] = host::to_hex(Bytes(serial->data, static_cast<std::size_t>(serial->length)));
  j["not_before"] = format_time(asn1_time_to_unix(X509_get0_notBefore(cert)));
  j["not_after"] = format_time(asn1_time_to_unix(X509_get0_notAfter(cert)));
  EVP_PKEY* key = X509_get0_pubkey(cert);
  std::string key_type = "unknown";
  if (key != nullptr) {
    const int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_EC) {
      char group[64] = {};
      std::size_t len = 0;
      EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len);
      key_type = std::string("EC ") + group;
    } else if (id == EVP_PKEY_ED25519) {
      key_type = "Ed25519";
    } else if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
      key_type = "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    }
  }
  j["key_type"] = key_type;
  j["key_usage"] = key_usage_names(X509_get_key_usage(cert));
  json eku = json::array();
  auto* ekus = static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
  if (ekus != nullptr) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(ekus); ++i) eku.push_back(object_text(sk_ASN1_OBJECT_value(ekus, i)));
    EXTENDED_KEY_USAGE_free(ekus);
  }
  j["extended_key_usage"] = eku;
  j["is_ca"] = X509_check_ca(cert) > 0;
  const long pathlen = X509_get_pathlen(cert);
  if (pathlen >= 0) j["path_len"] = pathlen;
  j["self_signed"] = X509_check_issued(cert, cert) == X509_V_OK;
  j["sha256"] = sha256_hex(der);
  X509_free(cert);
  return j;
}

json describe_text(Bytes text_map) {
  json out = json::object();
  cbor::Decoder d(text_map);
  std::size_t languages = 0;
  if (!d.read_map(languages).ok()) return json{{"error", "text is not a map"}};
  static const char* const kComponentKeys[] = {"", "vendor_name", "model_name", "vendor_domain", "model_info",
                                               "component_description", "component_version", "version_required"};
  static const char* const kManifestKeys[] = {"", "manifest_description", "update_description", "manifest_json_source",
                                              "manifest_yaml_source"};
  for (std::size_t i = 0; i < languages; ++i) {
    Bytes lang;
    if (!d.read_tstr(lang).ok()) return json{{"error", "text language tag is not a tstr"}};
    json entry = json::object();
    entry["components"] = json::array();
    std::size_t n = 0;
    if (!d.read_map(n).ok()) return json{{"error", "text entry is not a map"}};
    for (std::size_t k = 0; k < n; ++k) {
      cbor::Major major = cbor::Major::uint;
      if (!d.peek_major(major).ok()) return json{{"error", "text truncated"}};
      if (major == cbor::Major::array) {
        Bytes id;
        if (!d.read_item(id).ok()) return json{{"error", "bad component id in text"}};
        json comp = json::object();
        std::size_t m = 0;
        if (!d.read_map(m).ok()) return json{{"error", "component text is not a map"}};
        for (std::size_t f = 0; f < m; ++f) {
          std::uint64_t key = 0;
          Bytes value;
          if (!d.read_uint(key).ok() || !d.read_tstr(value).ok()) return json{{"error", "component text field"}};
          comp[key < 8 ? kComponentKeys[key] : std::to_string(key)] = text(value);
        }
        entry["components"].push_back(comp);
      } else {
        std::uint64_t key = 0;
        Bytes value;
        if (!d.read_uint(key).ok() || !d.read_tstr(value).ok()) return json{{"error", "manifest text field"}};
        entry[key < 5 ? kManifestKeys[key] : std::to_string(key)] = text(value);
      }
    }
    out[text(lang)] = entry;
  }
  return out;
}

json describe_manifest(const suit::Manifest& m) {
  json j;
  j["version"] = m.version;
  j["sequence_number"] = m.sequence_number;
  if (!m.reference_uri.empty()) j["reference_uri"] = text(m.reference_uri);
  j["components"] = json::array();
  static const char* const kAlgNames[] = {"sha-256", "sha-384", "sha-512"};
  for (std::size_t i = 0; i < m.component_count; ++i) {
    const suit::Component& c = m.components[i];
    json comp;
    comp["id"] = host::to_hex(c.id);
    if (!c.vendor_id.empty()) comp["vendor_id"] = uuid_text(c.vendor_id);
    if (!c.class_id.empty()) comp["class_id"] = uuid_text(c.class_id);
    if (!c.device_id.empty()) comp["device_id"] = uuid_text(c.device_id);
    if (c.has_image_digest) {
      comp["image_digest"] = {{"alg", kAlgNames[static_cast<int>(c.image_digest.alg)]},
                              {"value", host::to_hex(c.image_digest.value)}};
    }
    if (c.has_image_size) comp["image_size"] = c.image_size;
    if (!c.uri.empty()) comp["uri"] = text(c.uri);
    if (c.has_slot) comp["slot"] = c.slot;
    j["components"].push_back(comp);
  }
  json seqs = json::array();
  const std::pair<const char*, Bytes> sequences[] = {{"shared-sequence", m.shared_sequence}, {"payload-fetch", m.payload_fetch},
                                                     {"install", m.install}, {"validate", m.validate},
                                                     {"load", m.load}, {"invoke", m.invoke}};
  for (const auto& [name, seq] : sequences) {
    if (!seq.empty()) seqs.push_back(name);
  }
  j["sequences"] = seqs;
  if (!m.text.empty()) j["text"] = describe_text(m.text);
  return j;
}

json describe_envelope(Bytes envelope) {
  auto env = suit::parse_envelope(envelope);
  if (!env.ok()) return json{{"error", env.error().message}, {"reason", code_name(env.code())}};
  json j;
  j["manifest_digest"] = host::to_hex(env->manifest_digest.value);
  j["signatures"] = json::array();
  for (std::size_t i = 0; i < env->auth_block_count; ++i) {
    auto msg = cose::parse_sign1(env->auth_blocks[i]);
    if (!msg.ok()) {
      j["signatures"].push_back(json{{"error", msg.error().message}});
      continue;
    }
    json s;
    s["alg"] = cose_alg_name(msg->alg);
    s["x5chain"] = json::array();
    for (std::size_t c = 0; c < msg->x5chain_count; ++c) s["x5chain"].push_back(describe_certificate(msg->x5chain[c]));
    if (!msg->kid.empty()) s["kid"] = host::to_hex(msg->kid);
    j["signatures"].push_back(s);
  }
  j["integrated_payloads"] = json::array();
  for (std::size_t i = 0; i < env->integrated_count; ++i) {
    j["integrated_payloads"].push_back({{"key", text(env->integrated[i].key)}, {"size", env->integrated[i].payload.size()}});
  }
  auto manifest = suit::parse_manifest(openssl_crypto(), *env);
  if (!manifest.ok()) {
    j["manifest"] = json{{"error", manifest.error().message}, {"reason", code_name(manifest.code())}};
    return j;
  }
  // Run the command sequences without expectations or payload, to fill the parameters.
  suit::ProcessOptions options;
  options.require_payload = false;
  suit::ProcessReport report;
  const Status s = suit::process(openssl_crypto(), *env, *manifest, options, report);
  j["manifest"] = describe_manifest(*manifest);
  if (!s.ok()) j["manifest"]["processing_error"] = s.error().message;
  return j;
}

}  // namespace ft::inspect
