#include "ft/keys/openssl_handles.h"

#include <openssl/err.h>

namespace ft::keys {

std::string openssl_error_text() {
  std::string text;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "no OpenSSL error detail" : text;
}

UniqueEvpPkey evp_pkey_from_spki(const std::uint8_t* der, std::size_t size) {
  const unsigned char* cursor = der;
  UniqueEvpPkey key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(size)));
  if (key && cursor != der + size) return nullptr;  // trailing bytes: not one SPKI
  return key;
}

}  // namespace ft::keys
