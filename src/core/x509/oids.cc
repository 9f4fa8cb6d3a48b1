// oids.cc — comparison with the object identifiers of oids.h.
#include "oids.h"

#include <cstring>

namespace ft::x509::oid {

bool equals(const Bytes& oid_contents, const std::uint8_t* constant, std::size_t size) {
  return oid_contents.size() == size && std::memcmp(oid_contents.data(), constant, size) == 0;
}

}  // namespace ft::x509::oid
