#include "der_edit.h"

#include <sstream>
#include <stdexcept>

namespace ft::x509::testing {

namespace {

DerNode parse_at(const Der& der, std::size_t& pos, std::size_t end) {
  if (pos + 2 > end) throw std::runtime_error("der_parse: truncated header");
  DerNode node;
  node.tag = der[pos++];
  if ((node.tag & 0x1f) == 0x1f) throw std::runtime_error("der_parse: high tag numbers not supported");
  std::size_t length = der[pos++];
  if (length == 0x80) throw std::runtime_error("der_parse: indefinite length not supported");
  if (length > 0x80) {
    const std::size_t octets = length & 0x7f;
    if (octets > 4 || pos + octets > end) throw std::runtime_error("der_parse: bad length");
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | der[pos++];
  }
  if (pos + length > end) throw std::runtime_error("der_parse: truncated contents");
  if (node.constructed()) {
    const std::size_t child_end = pos + length;
    while (pos < child_end) node.children.push_back(parse_at(der, pos, child_end));
  } else {
    node.value.assign(der.begin() + static_cast<long>(pos), der.begin() + static_cast<long>(pos + length));
    pos += length;
  }
  return node;
}

}  // namespace

DerNode der_parse(const Der& der) {
  std::size_t pos = 0;
  DerNode node = parse_at(der, pos, der.size());
  if (pos != der.size()) throw std::runtime_error("der_parse: trailing bytes");
  return node;
}

Der der_length(std::size_t length) {
  if (length < 0x80) return {static_cast<std::uint8_t>(length)};
  Der octets;
  for (std::size_t v = length; v != 0; v >>= 8) octets.insert(octets.begin(), static_cast<std::uint8_t>(v & 0xff));
  octets.insert(octets.begin(), static_cast<std::uint8_t>(0x80 | octets.size()));
  return octets;
}

Der der_encode(const DerNode& node) {
  Der contents;
  if (node.constructed()) {
    for (const DerNode& child : node.children) {
      const Der encoded = der_encode(child);
      contents.insert(contents.end(), encoded.begin(), encoded.end());
    }
  } else {
    contents = node.value;
  }
  Der out{node.tag};
  switch (node.length_form) {
    case LengthForm::minimal: {
      const Der length = der_length(contents.size());
      out.insert(out.end(), length.begin(), length.end());
      break;
    }
    case LengthForm::long_form: {
      // Long form even where the short form would do (0x81 nn for lengths below 128).
      Der length = der_length(contents.size());
      if (contents.size() < 0x80) length = {0x81, static_cast<std::uint8_t>(contents.size())};
      out.insert(out.end(), length.begin(), length.end());
      break;
    }
    case LengthForm::long_form_leading_zero: {
      Der length = der_length(contents.size());
      if (contents.size() < 0x80) length = {0x81, static_cast<std::uint8_t>(contents.size())};
      length.insert(length.begin() + 1, 0x00);
      length[0] = static_cast<std::uint8_t>(length[0] + 1);
      out.insert(out.end(), length.begin(), length.end());
      break;
    }
    case LengthForm::indefinite:
      if (!node.constructed()) throw std::runtime_error("der_encode: indefinite length on a primitive");
      out.push_back(0x80);
      out.insert(out.end(), contents.begin(), contents.end());
      out.push_back(0x00);
      out.push_back(0x00);
      return out;
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

Der oid_content(const std::string& dotted) {
  std::vector<unsigned long long> arcs;
  std::stringstream in(dotted);
  std::string part;
  while (std::getline(in, part, '.')) arcs.push_back(std::stoull(part));
  if (arcs.size() < 2) throw std::runtime_error("oid_content: need two arcs");
  Der out;
  auto put = [&out](unsigned long long v) {
    Der groups{static_cast<std::uint8_t>(v & 0x7f)};
    for (v >>= 7; v != 0; v >>= 7) groups.insert(groups.begin(), static_cast<std::uint8_t>(0x80 | (v & 0x7f)));
    out.insert(out.end(), groups.begin(), groups.end());
  };
  put(arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) put(arcs[i]);
  return out;
}

}  // namespace ft::x509::testing
