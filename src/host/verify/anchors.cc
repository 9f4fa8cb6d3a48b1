#include "ft/verify/anchors.h"

#include <openssl/evp.h>

#include "ft/cbor/cbor.h"
#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/host/hex.h"
#include "ft/x509/certificate.h"

namespace ft::verify {

using host::UserError;

namespace {

std::string role_name(trust::Role role) { return role == trust::Role::supplier ? "supplier" : "asset-owner"; }

// decode_base64 decodes standard base64 ignoring whitespace; throws on bad characters.
std::vector<std::uint8_t> decode_base64(const std::string& text, const std::string& source) {
  std::string clean;
  for (const char c : text) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') clean.push_back(c);
  }
  if (clean.size() % 4 != 0) throw UserError(source + ": PEM body is not valid base64 (length)");
  std::vector<std::uint8_t> out(clean.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (n < 0) throw UserError(source + ": PEM body is not valid base64");
  std::size_t len = static_cast<std::size_t>(n);
  if (!clean.empty() && clean.back() == '=') --len;
  if (clean.size() >= 2 && clean[clean.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

// cose_key_to_public_key decodes a COSE_Key map into an SPKI-less PublicKey whose key bytes are
// stored in point (04||x||y for EC2, x for OKP).
bool cose_key_to_public_key(Bytes data, std::vector<std::uint8_t>& point, PublicKey& key) {
  cbor::Decoder d(data);
  std::size_t n = 0;
  if (!d.read_map(n).ok()) return false;
  std::int64_t kty = 0, crv = 0;
  Bytes x, y;
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t label = 0;
    if (!d.read_int(label).ok()) return false;
    Status s;
    if (label == 1) {
      s = d.read_int(kty);
    } else if (label == -1) {
      s = d.read_int(crv);
    } else if (label == -2) {
      s = d.read_bstr(x);
    } else if (label == -3) {
      s = d.read_bstr(y);
    } else {
      s = d.skip();
    }
    if (!s.ok()) return false;
  }
  if (!d.expect_end().ok()) return false;
  if (kty == 2 && (crv == 1 || crv == 2)) {
    const std::size_t len = crv == 1 ? 32 : 48;
    if (x.size() != len || y.size() != len) return false;
    point.assign(1, 0x04);
    point.insert(point.end(), x.begin(), x.end());
    point.insert(point.end(), y.begin(), y.end());
    key.type = crv == 1 ? KeyType::ec_p256 : KeyType::ec_p384;
    key.bits = crv == 1 ? 256 : 384;
    return true;
  }
  if (kty == 1 && crv == 6 && x.size() == 32) {
    point.assign(x.begin(), x.end());
    key.type = KeyType::ed25519;
    key.bits = 256;
    return true;
  }
  return false;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> read_pem_blocks(const std::string& text, const std::string& label,
                                                       const std::string& source) {
  std::vector<std::vector<std::uint8_t>> out;
  const std::string begin = "-----BEGIN " + label + "-----";
  const std::string end = "-----END " + label + "-----";
  std::size_t pos = 0;
  while ((pos = text.find(begin, pos)) != std::string::npos) {
    const std::size_t body = pos + begin.size();
    const std::size_t stop = text.find(end, body);
    if (stop == std::string::npos) throw UserError(source + ": PEM block \"" + label + "\" has no END line");
    out.push_back(decode_base64(text.substr(body, stop - body), source));
    pos = stop + end.size();
  }
  return out;
}

std::vector<std::vector<std::uint8_t>> read_certificates(const std::string& path) {
  const auto data = host::read_file(path, 16u << 20);
  const std::string text(data.begin(), data.end());
  if (text.find("-----BEGIN") != std::string::npos) {
    auto certs = read_pem_blocks(text, "CERTIFICATE", path);
    if (certs.empty()) throw UserError(path + ": PEM file holds no CERTIFICATE block");
    return certs;
  }
  if (data.empty()) throw UserError(path + ": file is empty, expected a certificate");
  return {data};
}

std::string AnchorSet::label(trust::Role role, std::size_t index) const {
  const auto& labels = role == trust::Role::supplier ? supplier_labels_ : asset_owner_labels_;
  return index < labels.size() ? labels[index] : "";
}

Bytes AnchorSet::keep(std::vector<std::uint8_t> bytes) {
  storage_.push_back(std::move(bytes));
  return Bytes(storage_.back());
}

void AnchorSet::push(trust::Role role, const x509::TrustAnchor& anchor, const std::string& label) {
  if (role == trust::Role::supplier) {
    supplier_.push_back(anchor);
    supplier_labels_.push_back(label);
  } else {
    asset_owner_.push_back(anchor);
    asset_owner_labels_.push_back(label);
  }
}

void AnchorSet::add_der(const std::string& label, Bytes der, trust::Role role) {
  x509::TrustAnchor a;
  if (auto cert = x509::parse_certificate(der); cert.ok()) {
    a.kind = x509::AnchorKind::certificate;
    a.certificate = der;
    push(role, a, label + " (root certificate, " + role_name(role) + ")");
    return;
  }
  if (auto key = x509::parse_spki(der); key.ok()) {
    a.kind = x509::AnchorKind::raw_key;
    a.raw_key = *key;
    push(role, a, label + " (raw public key, " + role_name(role) + ")");
    return;
  }
  std::vector<std::uint8_t> point;
  PublicKey key;
  if (cose_key_to_public_key(der, point, key)) {
    key.key = keep(std::move(point));
    a.kind = x509::AnchorKind::raw_key;
    a.raw_key = key;
    push(role, a, label + " (COSE_Key, " + role_name(role) + ")");
    return;
  }
  auto cert = x509::parse_certificate(der);
  throw UserError(label + ": not a trust anchor: neither a certificate (" + cert.error().message +
                  "), a SubjectPublicKeyInfo, nor a COSE_Key");
}

void AnchorSet::add_file(const std::string& path, trust::Role role) {
  const auto data = host::read_file(path, 16u << 20);
  if (data.empty()) throw UserError(path + ": trust anchor file is empty");
  const std::string text(data.begin(), data.end());
  if (text.rfind("sha256:", 0) == 0) {
    std::string hex = text.substr(7);
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
    const auto digest = host::from_hex(hex);
    if (!digest || digest->size() != 32) throw UserError(path + ": sha256: anchor must be 64 hex digits");
    x509::TrustAnchor a;
      a.kind = x509::AnchorKind::spki_sha256;
    std::copy(digest->begin(), digest->end(), a.spki_sha256);
    push(role, a, path + " (SPKI SHA-256, " + role_name(role) + ")");
    return;
  }
  if (text.find("-----BEGIN") != std::string::npos) {
    auto certs = read_pem_blocks(text, "CERTIFICATE", path);
    auto keys = read_pem_blocks(text, "PUBLIC KEY", path);
    if (certs.empty() && keys.empty()) throw UserError(path + ": PEM file holds neither a CERTIFICATE nor a PUBLIC KEY");
    std::size_t n = 0;
    for (auto& der : certs) {
      const Bytes kept = keep(std::move(der));
      add_der(path + "#" + std::to_string(++n), kept, role);
    }
    for (auto& der : keys) {
      const Bytes kept = keep(std::move(der));
      add_der(path + "#" + std::to_string(++n), kept, role);
    }
    return;
  }
  const Bytes kept = keep(data);
  add_der(path, kept, role);
}

}  // namespace ft::verify
