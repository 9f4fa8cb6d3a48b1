// pki_test_util.h — helpers shared by the ft_pki tests: temp directories and an independent
// chain check with OpenSSL's own path validation (X509_verify_cert).
#pragma once

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ft/keys/openssl_handles.h"

namespace ft::pki::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ft-pki-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// verify_chain returns X509_V_OK when leaf chains through intermediates to root under OpenSSL's
// path validation (at check_time if non-zero), else the X509_V_ERR_* code.
inline int verify_chain(X509* root, const std::vector<X509*>& intermediates, X509* leaf, std::time_t check_time = 0) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, root);
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (X509* cert : intermediates) sk_X509_push(untrusted, cert);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, untrusted);
  X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT);
  if (check_time != 0) X509_STORE_CTX_set_time(ctx, 0, check_time);
  const int ok = X509_verify_cert(ctx);
  const int error = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  sk_X509_free(untrusted);
  X509_STORE_free(store);
  return error;
}

// has_eku returns true when cert's extendedKeyUsage contains the dotted OID.
inline bool has_eku(X509* cert, const char* oid) {
  auto* ekus = static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
  if (ekus == nullptr) return false;
  ASN1_OBJECT* wanted = OBJ_txt2obj(oid, 1);
  bool found = false;
  for (int i = 0; i < sk_ASN1_OBJECT_num(ekus); ++i) {
    if (OBJ_cmp(sk_ASN1_OBJECT_value(ekus, i), wanted) == 0) found = true;
  }
  ASN1_OBJECT_free(wanted);
  sk_ASN1_OBJECT_pop_free(ekus, ASN1_OBJECT_free);
  return found;
}

// extension_is_critical returns 1 / 0 for a present extension, -1 when absent.
inline int extension_is_critical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  if (index < 0) return -1;
  return X509_EXTENSION_get_critical(X509_get_ext(cert, index));
}

// is_self_signed: issuer name equals subject name and the certificate's own key verifies it
// (X509_check_issued would also demand keyCertSign, which a self-signed leaf lacks).
inline bool is_self_signed(X509* cert) {
  return X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0 &&
         X509_verify(cert, X509_get0_pubkey(cert)) == 1;
}

inline constexpr const char* kCodeSigningOid = "1.3.6.1.5.5.7.3.3";
inline constexpr const char* kClientAuthOid = "1.3.6.1.5.5.7.3.2";
inline constexpr const char* kDocumentSigningOid = "1.3.6.1.5.5.7.3.36";

}  // namespace ft::pki::testing
