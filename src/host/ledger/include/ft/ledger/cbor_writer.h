// cbor_writer.h — encode_cbor: a growable CBOR encoding through the core's heap-free Encoder
// (the first pass counts, the second writes). Used by ft_ledger and ft_device.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "ft/cbor/cbor.h"

namespace ft::ledger {

// encode_cbor calls write twice with an Encoder (counting, then writing) and returns the bytes.
// write must produce the same items both times. Throws std::logic_error if it did not.
template <typename F>
std::vector<std::uint8_t> encode_cbor(F&& write) {
  cbor::Encoder counter;
  write(counter);
  std::vector<std::uint8_t> out(counter.size());
  cbor::Encoder encoder{MutableBytes(out)};
  write(encoder);
  if (!encoder.finish().ok() || encoder.size() != out.size()) {
    throw std::logic_error("CBOR encoder: size changed between passes");
  }
  return out;
}

}  // namespace ft::ledger
