// ft/inspect/cbor_diag.h — CBOR diagnostic notation (RFC 8949 §8, with the EDN "<< >>" form for
// byte strings that hold CBOR), for `fieldtrust inspect`.
#pragma once

#include <string>

#include "ft/base/bytes.h"

namespace ft::inspect {

// cbor_diagnostic returns data in diagnostic notation, indented for reading. Byte strings that
// hold one whole deterministic CBOR item are shown as << item >>; long byte strings are shortened
// to their first and last bytes with the length when max_bstr > 0. Input that is not CBOR is
// shown up to the point where it stops being CBOR, followed by a comment saying why.
std::string cbor_diagnostic(Bytes data, std::size_t max_bstr = 64);

}  // namespace ft::inspect
