// ft/x509tool/cert_files.h — certificates and trust anchors from files (PEM or DER), for
// `fieldtrust cert verify`. Host code: allocates, throws host::UserError naming the file.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ft/x509/path.h"

namespace ft::x509tool {

// CertificateFile — the DER of one certificate and where it came from ("chain.pem#2").
struct CertificateFile {
  std::string label;
  std::vector<std::uint8_t> der;
};

// load_certificates returns every certificate in path: the CERTIFICATE blocks of a PEM file in
// order, or the file itself when it is DER (it must start with a SEQUENCE). The certificates are
// not parsed here: a malformed certificate is a verdict, not an input error.
// Throws host::UserError (exit 3) when the file is unreadable, empty, holds no CERTIFICATE block,
// has a broken PEM block, or is neither PEM nor DER.
std::vector<CertificateFile> load_certificates(const std::string& path);

// AnchorSet — parsed trust anchors with the bytes they point into (stable addresses) and a label
// per anchor ("root.pem (certificate)").
class AnchorSet {
 public:
  // add loads every anchor named by spec:
  //   sha256:<64 hex digits>     the SHA-256 of an anchor's DER SubjectPublicKeyInfo (literal), or
  //   a file holding that text, PEM CERTIFICATE block(s), a PEM PUBLIC KEY, a DER certificate or
  //   a DER SubjectPublicKeyInfo.
  // Anchors are configuration, so anything malformed or unsupported in them throws
  // host::UserError (exit 3) naming the file and the certificate or key.
  void add(const std::string& spec);

  [[nodiscard]] const std::vector<x509::TrustAnchor>& anchors() const { return anchors_; }
  [[nodiscard]] const std::string& label(std::size_t index) const { return labels_.at(index); }
  [[nodiscard]] std::size_t size() const { return anchors_.size(); }

 private:
  void add_der(const std::string& label, std::vector<std::uint8_t> der, bool certificate_only);

  std::deque<std::vector<std::uint8_t>> storage_;
  std::vector<x509::TrustAnchor> anchors_;
  std::vector<std::string> labels_;
};

}  // namespace ft::x509tool
