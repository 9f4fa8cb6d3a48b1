// ft/base/config.h — build switches of the freestanding core. CMake sets them (options
// FT_CORE_MESSAGES, FT_CORE_RSA and FT_CORE_PATH_SEARCH; the cortex-m preset turns them off); the
// defaults here are the host build's.
#pragma once

// FT_CORE_MESSAGES: 1 keeps the human-readable messages; 0 drops them from flash (a bootloader) —
// codes stay exact, messages become "" (see keep_message in ft/base/error.h).
#ifndef FT_CORE_MESSAGES
#define FT_CORE_MESSAGES 1
#endif

// FT_CORE_RSA: 1 parses RSA keys and the PKCS #1 / RSASSA-PSS signature algorithms (hosts where a
// legacy PKI needs PS256, DESIGN.md); 0 treats them as unsupported algorithms, as a device profile
// with ECDSA and EdDSA only does. The verdict for an RSA signer is cert_key_not_allowed either way
// unless the policy allows RSA.
#ifndef FT_CORE_RSA
#define FT_CORE_RSA 1
#endif

// FT_CORE_PATH_SEARCH: 1 builds X.509 paths from untrusted certificates in any order (a bounded
// search, for `cert verify` on hosts); 0 keeps only the ordered walk the verifier uses (x5chain is
// leaf first), as a bootloader needs.
#ifndef FT_CORE_PATH_SEARCH
#define FT_CORE_PATH_SEARCH 1
#endif

namespace ft::config {
inline constexpr bool kRsa = FT_CORE_RSA != 0;
inline constexpr bool kPathSearch = FT_CORE_PATH_SEARCH != 0;
// kZeroDefaults: every struct the core resets (ft/base/reset.h) defaults to all-zero bytes. True
// without messages; with them, Error's default message is a pointer to "".
inline constexpr bool kZeroDefaults = FT_CORE_MESSAGES == 0;
}  // namespace ft::config
