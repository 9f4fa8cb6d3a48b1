#include "p1363.h"

#include "ft/der/der.h"

namespace ft::psa_port {

namespace {

// copy_scalar reads one INTEGER off in and writes it right-aligned into out (out.size() bytes).
bool copy_scalar(Reader& in, MutableBytes out) {
  Bytes value;
  if (!der::read_integer(in, value).ok()) return false;
  if ((value[0] & 0x80) != 0) return false;             // negative
  if (value.size() > 1 && value[0] == 0x00) value = value.subspan(1);  // the sign octet (canonical)
  if (value.size() > out.size()) return false;
  const std::size_t pad = out.size() - value.size();
  for (std::size_t i = 0; i < pad; ++i) out[i] = 0;
  for (std::size_t i = 0; i < value.size(); ++i) out[pad + i] = value[i];
  return true;
}

}  // namespace

Result<Bytes> ecdsa_der_to_p1363(Bytes der, std::size_t coordinate_size, MutableBytes out) {
  if (coordinate_size == 0 || out.size() < 2 * coordinate_size) {
    return make_error(Code::invalid_argument, "P1363 output buffer smaller than two scalars");
  }
  constexpr const char* kNotDer = "ECDSA signature is not a strict DER SEQUENCE { r INTEGER, s INTEGER } of the curve's size";
  Reader whole(der);
  Reader sequence;
  if (!der::read(whole, der::kSequence, sequence).ok() || !whole.empty()) return make_error(Code::bad_signature, kNotDer);
  if (!copy_scalar(sequence, out.first(coordinate_size)) ||
      !copy_scalar(sequence, out.subspan(coordinate_size, coordinate_size)) || !sequence.empty()) {
    return make_error(Code::bad_signature, kNotDer);
  }
  return Bytes(out.data(), 2 * coordinate_size);
}

}  // namespace ft::psa_port
