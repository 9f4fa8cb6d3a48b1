// ft/verify/anchors.h — loading trust anchors from files for host tools.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ft/trust/verifier.h"

namespace ft::verify {

// AnchorSet — anchors plus the bytes they point into (stable addresses).
class AnchorSet {
 public:
  // add_file loads every anchor in path with role. Recognised contents:
  //   PEM CERTIFICATE blocks (each a root certificate anchor), a PEM PUBLIC KEY (raw-key anchor),
  //   a DER certificate, a DER SubjectPublicKeyInfo, a COSE_Key (CBOR map: EC2 P-256/P-384 or
  //   OKP Ed25519), or a text line "sha256:<64 hex>" (an SPKI-hash anchor).
  // Throws host::UserError naming the file and what is wrong with it.
  void add_file(const std::string& path, trust::Role role);

  // anchors returns the spans the core verifier takes (valid while this set lives, unchanged).
  [[nodiscard]] trust::Anchors anchors() const { return trust::Anchors{supplier_, asset_owner_}; }
  // label names anchor index of role, e.g. "pki/root.pem#1 (root certificate, supplier)".
  [[nodiscard]] std::string label(trust::Role role, std::size_t index) const;
  [[nodiscard]] bool empty() const { return supplier_.empty() && asset_owner_.empty(); }

 private:
  Bytes keep(std::vector<std::uint8_t> bytes);
  void add_der(const std::string& label, Bytes der, trust::Role role);
  void push(trust::Role role, const x509::TrustAnchor& anchor, const std::string& label);

  std::deque<std::vector<std::uint8_t>> storage_;
  std::vector<x509::TrustAnchor> supplier_, asset_owner_;
  std::vector<std::string> supplier_labels_, asset_owner_labels_;
};

// read_pem_blocks returns the DER bodies of every PEM block labelled label ("CERTIFICATE") in
// text; empty when there is none. Throws host::UserError naming source for a broken block.
std::vector<std::vector<std::uint8_t>> read_pem_blocks(const std::string& text, const std::string& label,
                                                       const std::string& source);

// read_certificates returns the DER certificates in path (PEM, one or more, or one DER).
// Throws host::UserError naming the file when it holds none.
std::vector<std::vector<std::uint8_t>> read_certificates(const std::string& path);

}  // namespace ft::verify
