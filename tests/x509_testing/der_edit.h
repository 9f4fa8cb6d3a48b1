// der_edit.h — a tiny DER tree editor for tests: parse a well-formed DER element into a tree,
// change it (including deliberately non-canonical length forms), encode it again. Test code only;
// it trusts its input (our own certificates) and throws std::runtime_error on anything odd.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ft::x509::testing {

using Der = std::vector<std::uint8_t>;

// LengthForm — how encode writes a node's length: minimal (DER), long form with a superfluous
// octet count (BER), or indefinite (BER, constructed nodes only).
enum class LengthForm { minimal, long_form, long_form_leading_zero, indefinite };

struct DerNode {
  std::uint8_t tag = 0;           // the identifier octet (low-tag-number form only)
  Der value;                      // content octets of a primitive node
  std::vector<DerNode> children;  // elements of a constructed node
  LengthForm length_form = LengthForm::minimal;

  [[nodiscard]] bool constructed() const { return (tag & 0x20) != 0; }
};

// der_parse parses exactly one element occupying all of der.
DerNode der_parse(const Der& der);

// der_encode encodes node (recursively) honouring each node's length_form.
Der der_encode(const DerNode& node);

// der_length encodes a length in minimal DER form (exposed for hand-built encodings).
Der der_length(std::size_t length);

// oid_content encodes a dotted OID ("1.3.6.1.5.5.7.3.3") into content octets.
Der oid_content(const std::string& dotted);

}  // namespace ft::x509::testing
