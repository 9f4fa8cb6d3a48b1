#include "ft/x509tool/cert_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/host/hex.h"
#include "ft/x509/certificate.h"

namespace ft::x509tool {

namespace {

using host::UserError;

constexpr std::uint64_t kMaxFileSize = 16u << 20;

struct PemBlock {
  std::string type;
  std::vector<std::uint8_t> der;
};

bool looks_like_pem(const std::vector<std::uint8_t>& data) {
  static const std::string kBegin = "-----BEGIN ";
  return std::search(data.begin(), data.end(), kBegin.begin(), kBegin.end()) != data.end();
}

// read_pem returns every PEM block of data in order, with OpenSSL's PEM reader.
std::vector<PemBlock> read_pem(const std::vector<std::uint8_t>& data, const std::string& path) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), BIO_free);
  if (!bio) throw UserError(path + ": out of memory reading PEM", host::kExitEnvironment);
  std::vector<PemBlock> blocks;
  while (true) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* body = nullptr;
    long length = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &body, &length) != 1) {
      const unsigned long error = ERR_peek_last_error();
      ERR_clear_error();
      // PEM_R_NO_START_LINE after at least one block is the normal end of the file.
      if (ERR_GET_REASON(error) == PEM_R_NO_START_LINE && !blocks.empty()) break;
      if (ERR_GET_REASON(error) == PEM_R_NO_START_LINE) throw UserError(path + ": no PEM block found");
      throw UserError(path + ": PEM block #" + std::to_string(blocks.size() + 1) +
                      " is broken (bad base64, or missing END line)");
    }
    blocks.push_back({name, std::vector<std::uint8_t>(body, body + length)});
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(body);
  }
  return blocks;
}

std::string numbered(const std::string& path, std::size_t index, std::size_t count) {
  return count > 1 ? path + "#" + std::to_string(index + 1) : path;
}

std::string trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

}  // namespace

std::vector<CertificateFile> load_certificates(const std::string& path) {
  std::vector<std::uint8_t> data = host::read_file(path, kMaxFileSize);
  if (data.empty()) throw UserError(path + ": file is empty, expected a certificate (PEM or DER)");
  std::vector<CertificateFile> out;
  if (looks_like_pem(data)) {
    std::vector<PemBlock> blocks = read_pem(data, path);
    std::size_t count = 0;
    for (const PemBlock& b : blocks) count += b.type == "CERTIFICATE" ? 1 : 0;
    if (count == 0) throw UserError(path + ": PEM file holds no CERTIFICATE block");
    for (PemBlock& b : blocks) {
      if (b.type != "CERTIFICATE") continue;
      out.push_back({numbered(path, out.size(), count), std::move(b.der)});
    }
    return out;
  }
  if (data[0] != 0x30) {
    throw UserError(path + ": neither PEM nor a DER certificate (DER starts with a SEQUENCE, 0x30)");
  }
  out.push_back({path, std::move(data)});
  return out;
}

void AnchorSet::add(const std::string& spec) {
  std::string pin_text;
  std::string label = spec;
  if (spec.rfind("sha256:", 0) == 0) {
    pin_text = spec;
    label = "sha256:" + spec.substr(7, 16) + "...";
  } else {
    std::vector<std::uint8_t> data = host::read_file(spec, kMaxFileSize);
    if (data.empty()) throw UserError(spec + ": trust anchor file is empty");
    const std::string text(data.begin(), data.end());
    if (trim(text).rfind("sha256:", 0) == 0) {
      pin_text = trim(text);
    } else if (looks_like_pem(data)) {
      std::vector<PemBlock> blocks = read_pem(data, spec);
      std::size_t usable = 0;
      for (const PemBlock& b : blocks) usable += (b.type == "CERTIFICATE" || b.type == "PUBLIC KEY") ? 1 : 0;
      if (usable == 0) throw UserError(spec + ": PEM file holds neither a CERTIFICATE nor a PUBLIC KEY block");
      std::size_t index = 0;
      for (PemBlock& b : blocks) {
        if (b.type != "CERTIFICATE" && b.type != "PUBLIC KEY") continue;
        add_der(numbered(spec, index++, usable), std::move(b.der), b.type == "CERTIFICATE");
      }
      return;
    } else {
      add_der(spec, std::move(data), false);
      return;
    }
  }
  // sha256:<hex> — an SPKI pin.
  const std::string hex = trim(pin_text.substr(7));
  const auto digest = host::from_hex(hex);
  if (!digest || digest->size() != 32) {
    throw UserError(spec +
                    ": an SPKI pin is sha256: followed by 64 hex digits (the SHA-256 of the DER "
                    "SubjectPublicKeyInfo), got '" +
                    pin_text.substr(0, 80) + "'");
  }
  x509::TrustAnchor anchor;
  anchor.kind = x509::AnchorKind::spki_sha256;
  std::copy(digest->begin(), digest->end(), anchor.spki_sha256);
  anchors_.push_back(anchor);
  labels_.push_back(label + " (SPKI SHA-256 pin)");
}

void AnchorSet::add_der(const std::string& label, std::vector<std::uint8_t> der, bool certificate_only) {
  storage_.push_back(std::move(der));
  const Bytes bytes(storage_.back());
  x509::TrustAnchor anchor;
  const Result<x509::Certificate> cert = x509::parse_certificate(bytes);
  if (cert.ok()) {
    anchor.kind = x509::AnchorKind::certificate;
    anchor.certificate = bytes;
    anchors_.push_back(anchor);
    labels_.push_back(label + " (certificate)");
    return;
  }
  if (certificate_only) throw UserError(host::describe(label + ": anchor certificate", cert.error()));
  const Result<PublicKey> key = x509::parse_spki(bytes);
  if (key.ok()) {
    anchor.kind = x509::AnchorKind::raw_key;
    anchor.raw_key = key.value();
    anchors_.push_back(anchor);
    labels_.push_back(label + " (public key)");
    return;
  }
  throw UserError(label + ": not a trust anchor: neither a certificate (" + cert.error().message + " [" +
                  code_name(cert.code()) + "]) nor a SubjectPublicKeyInfo (" + key.error().message + " [" +
                  code_name(key.code()) + "])");
}

}  // namespace ft::x509tool
