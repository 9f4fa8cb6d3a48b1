// oids.cc — comparison with the object identifiers of oids.h.
#include "oids.h"

namespace ft::x509::oid {

// Through bytes_equal, the core's one comparison loop: no memcmp is linked for this alone (memcmp
// had no other caller in the boot image; flash, docs/embedded.md).
bool equals(const Bytes& oid_contents, const std::uint8_t* constant, std::size_t size) {
  return bytes_equal(oid_contents, Bytes(constant, size));
}

}  // namespace ft::x509::oid
