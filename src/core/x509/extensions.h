// extensions.h — parsing of the certificate extensions the profile processes (internal header).
#pragma once

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/x509/certificate.h"

namespace ft::x509 {

// parse_extensions reads the contents of the [3] EXPLICIT wrapper (Extensions ::= SEQUENCE SIZE
// (1..MAX) OF Extension) into cert: basicConstraints, keyUsage, extKeyUsage, subjectKeyIdentifier,
// authorityKeyIdentifier; any other extension only counts, and if critical marks the certificate
// (has_unknown_critical_extension). Fails with duplicate_key, too_large (more than
// kMaxExtensions), non_canonical, or cert_bad_extension; the message names the extension.
Status parse_extensions(const Bytes& wrapper_contents, Certificate& cert);

}  // namespace ft::x509
