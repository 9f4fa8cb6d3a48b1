#include "cert_builder.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#ifndef FT_TESTDATA_DIR
#error "FT_TESTDATA_DIR must point at the repository's testdata/"
#endif

namespace ft::x509::testing {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("cert_builder: " + what); }

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using ObjPtr = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT, ASN1_OBJECT_free>>;
using OctetsPtr = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;

Der tlv(std::uint8_t tag, const Der& contents) {
  Der out{tag};
  const Der length = der_length(contents.size());
  out.insert(out.end(), length.begin(), length.end());
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

void append(Der& out, const Der& more) { out.insert(out.end(), more.begin(), more.end()); }

// public_key_bits returns the subjectPublicKey BIT STRING contents (without the unused-bits octet).
Der public_key_bits(EVP_PKEY* key) {
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(key, &buf);
  if (len <= 0) fail("i2d_PUBKEY");
  const Der spki(buf, buf + len);
  OPENSSL_free(buf);
  const DerNode node = der_parse(spki);
  const Der& bits = node.children.at(1).value;
  return Der(bits.begin() + 1, bits.end());
}

Der sha1(const Der& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha1(), nullptr) != 1) fail("EVP_Digest");
  return Der(md, md + len);
}

const EVP_MD* digest_for(const CertSpec& spec) {
  const int id = EVP_PKEY_get_base_id(spec.issuer_key);
  if (id == EVP_PKEY_ED25519) return nullptr;
  switch (spec.hash) {
    case SigHash::sha1:
      return EVP_sha1();
    case SigHash::sha256:
      return EVP_sha256();
    case SigHash::sha384:
      return EVP_sha384();
    case SigHash::sha512:
      return EVP_sha512();
    case SigHash::automatic:
      break;
  }
  if (spec.rsa_pss) return EVP_sha256();
  const int bits = EVP_PKEY_get_bits(spec.issuer_key);
  if (id == EVP_PKEY_EC && bits == 384) return EVP_sha384();
  if (id == EVP_PKEY_EC && bits == 521) return EVP_sha512();
  return EVP_sha256();
}

// signing_context returns a digest-sign context configured as spec's issuer signs.
MdCtxPtr signing_context(const CertSpec& spec) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digest_for(spec), nullptr, spec.issuer_key) != 1) {
    fail("EVP_DigestSignInit");
  }
  if (spec.rsa_pss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1) {
      fail("RSA-PSS parameters");
    }
  }
  return ctx;
}

NamePtr make_name(const std::string& organization, const std::string& cn) {
  NamePtr name(X509_NAME_new());
  auto add = [&name](const char* field, const std::string& value) {
    if (value.empty()) return;
    if (X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
      fail(std::string("X509_NAME_add_entry_by_txt ") + field);
    }
  };
  add("O", organization);
  add("CN", cn);
  return name;
}

void add_extension(X509* x, const std::string& oid, bool critical, const Der& value) {
  ObjPtr obj(OBJ_txt2obj(oid.c_str(), 1));
  OctetsPtr octets(ASN1_OCTET_STRING_new());
  if (!obj || !octets || ASN1_OCTET_STRING_set(octets.get(), value.data(), static_cast<int>(value.size())) != 1) {
    fail("extension value");
  }
  ExtPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), critical ? 1 : 0, octets.get()));
  if (!ext || X509_add_ext(x, ext.get(), -1) != 1) fail("X509_add_ext " + oid);
}

Der key_usage_value(int mask) {
  // Named bit list in DER: trailing zero bits removed.
  int highest = -1;
  for (int i = 0; i < 16; ++i) {
    if ((mask & (1 << i)) != 0) highest = i;
  }
  if (highest < 0) return tlv(0x03, {0x00});
  const int bit_count = highest + 1;
  const int byte_count = (bit_count + 7) / 8;
  Der contents{static_cast<std::uint8_t>(byte_count * 8 - bit_count)};
  for (int b = 0; b < byte_count; ++b) {
    std::uint8_t octet = 0;
    for (int i = 0; i < 8; ++i) {
      if ((mask & (1 << (b * 8 + i))) != 0) octet = static_cast<std::uint8_t>(octet | (0x80 >> i));
    }
    contents.push_back(octet);
  }
  return tlv(0x03, contents);
}

Der basic_constraints_value(const CertSpec& spec) {
  Der contents;
  if (spec.basic_constraints == CertSpec::Ca::ca) append(contents, {0x01, 0x01, 0xff});
  if (spec.path_len >= 0) {
    Der value;
    for (int v = spec.path_len; v != 0; v >>= 8) value.insert(value.begin(), static_cast<std::uint8_t>(v & 0xff));
    if (value.empty() || (value[0] & 0x80) != 0) value.insert(value.begin(), 0x00);
    append(contents, tlv(0x02, value));
  }
  return tlv(0x30, contents);
}

}  // namespace

const char* key_kind_name(KeyKind kind) {
  switch (kind) {
    case KeyKind::p256:
      return "p256";
    case KeyKind::p384:
      return "p384";
    case KeyKind::ed25519:
      return "ed25519";
    case KeyKind::rsa3072:
      return "rsa3072";
    case KeyKind::rsa2048:
      return "rsa2048";
    case KeyKind::p521:
      return "p521";
    case KeyKind::secp256k1:
      return "secp256k1";
  }
  return "unknown";
}

EVP_PKEY* test_key(KeyKind kind, int slot) {
  using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
  static std::mutex mutex;
  static std::map<std::pair<int, int>, KeyPtr> cache;  // freed at exit
  const std::lock_guard<std::mutex> lock(mutex);
  const auto id = std::make_pair(static_cast<int>(kind), slot);
  if (auto it = cache.find(id); it != cache.end()) return it->second.get();
  const std::string path =
      std::string(FT_TESTDATA_DIR) + "/x509/keys/" + key_kind_name(kind) + "-" + std::to_string(slot) + ".pem";
  BIO* bio = BIO_new_file(path.c_str(), "r");
  if (bio == nullptr) fail("cannot open " + path);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) fail("cannot read " + path);
  cache[id] = KeyPtr(key);
  return key;
}

Der build_certificate(const CertSpec& spec) {
  if (spec.key == nullptr || spec.issuer_key == nullptr) fail("spec without keys");
  X509Ptr x(X509_new());
  if (X509_set_version(x.get(), spec.version == 1 ? X509_VERSION_1 : X509_VERSION_3) != 1) fail("X509_set_version");
  if (ASN1_INTEGER_set_uint64(X509_get_serialNumber(x.get()), spec.serial) != 1) fail("serial");
  const NamePtr subject = make_name(spec.organization, spec.subject_cn);
  const NamePtr issuer = make_name(spec.issuer_organization, spec.issuer_cn);
  if (X509_set_subject_name(x.get(), subject.get()) != 1 || X509_set_issuer_name(x.get(), issuer.get()) != 1) {
    fail("names");
  }
  if (ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(spec.not_after)) == nullptr) {
    fail("validity");
  }
  if (X509_set_pubkey(x.get(), spec.key) != 1) fail("X509_set_pubkey");

  if (spec.version == 3) {
    if (spec.basic_constraints != CertSpec::Ca::absent) {
      add_extension(x.get(), "2.5.29.19", spec.basic_constraints_critical, basic_constraints_value(spec));
    }
    if (spec.key_usage >= 0)
      add_extension(x.get(), "2.5.29.15", spec.key_usage_critical, key_usage_value(spec.key_usage));
    if (spec.eku_present) {
      Der purposes;
      for (const std::string& oid : spec.eku) append(purposes, tlv(0x06, oid_content(oid)));
      add_extension(x.get(), "2.5.29.37", false, tlv(0x30, purposes));
    }
    if (spec.subject_key_id) add_extension(x.get(), "2.5.29.14", false, tlv(0x04, sha1(public_key_bits(spec.key))));
    if (spec.authority_key_id) {
      add_extension(x.get(), "2.5.29.35", false, tlv(0x30, tlv(0x80, sha1(public_key_bits(spec.issuer_key)))));
    }
    for (const RawExtension& ext : spec.extra) add_extension(x.get(), ext.oid, ext.critical, ext.value);
  }

  MdCtxPtr ctx = signing_context(spec);
  if (X509_sign_ctx(x.get(), ctx.get()) <= 0) fail("X509_sign_ctx for " + spec.subject_cn);
  unsigned char* buf = nullptr;
  const int len = i2d_X509(x.get(), &buf);
  if (len <= 0) fail("i2d_X509");
  Der der(buf, buf + len);
  OPENSSL_free(buf);
  return der;
}

Der sign_data(const CertSpec& spec, const Der& data) {
  MdCtxPtr ctx = signing_context(spec);
  std::size_t size = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &size, data.data(), data.size()) != 1) fail("EVP_DigestSign size");
  Der signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, data.data(), data.size()) != 1) fail("EVP_DigestSign");
  signature.resize(size);
  return signature;
}

Der resign(const Der& cert, const CertSpec& spec, const std::function<void(DerNode& tbs)>& edit,
           const std::function<void(DerNode& algorithm)>& signature_algorithm) {
  DerNode root = der_parse(cert);
  if (root.children.size() != 3) fail("resign: not a Certificate");
  if (edit) edit(root.children[0]);
  if (signature_algorithm) signature_algorithm(root.children[1]);
  const Der tbs = der_encode(root.children[0]);
  Der bits{0x00};
  append(bits, sign_data(spec, tbs));
  root.children[2].value = bits;
  return der_encode(root);
}

DerNode* find_extension(DerNode& tbs, const std::string& oid) {
  const Der wanted = oid_content(oid);
  for (DerNode& element : tbs.children) {
    if (element.tag != 0xa3 || element.children.empty()) continue;
    for (DerNode& extension : element.children[0].children) {
      if (!extension.children.empty() && extension.children[0].value == wanted) return &extension;
    }
  }
  return nullptr;
}

std::vector<CertSpec> chain_specs(const std::vector<KeyKind>& kinds, std::int64_t now, int key_slot_base) {
  if (kinds.size() < 2) fail("chain_specs: need a leaf and a root");
  constexpr std::int64_t kYear = 365 * 86400;
  const std::size_t root = kinds.size() - 1;
  auto name_of = [&](std::size_t position) -> std::string {
    if (position == 0) return "FT Code Signer";
    if (position == root) return "FT Root CA";
    return "FT Intermediate CA " + std::to_string(position);
  };
  auto key_of = [&](std::size_t position) {
    const KeyKind kind = kinds[position];
    const bool small_set = kind == KeyKind::rsa2048 || kind == KeyKind::p521 || kind == KeyKind::secp256k1;
    const int slot = (key_slot_base + static_cast<int>(position)) % (small_set ? 2 : 6);
    return test_key(kind, slot);
  };
  std::vector<CertSpec> specs(kinds.size());
  for (std::size_t p = 0; p < kinds.size(); ++p) {
    CertSpec& s = specs[p];
    const std::size_t issuer = p == root ? root : p + 1;
    s.subject_cn = name_of(p);
    s.issuer_cn = name_of(issuer);
    s.key = key_of(p);
    s.issuer_key = key_of(issuer);
    s.serial = 0x1000 + p;
    if (p == 0) {
      s.not_before = now - kYear;
      s.not_after = now + 5 * kYear;
      s.basic_constraints = CertSpec::Ca::not_ca;
      s.key_usage = 1 << 0;  // digitalSignature
      s.eku_present = true;
      s.eku = {kOidCodeSigning};
    } else {
      s.not_before = now - 2 * kYear;
      s.not_after = now + 10 * kYear;
      s.basic_constraints = CertSpec::Ca::ca;
      s.key_usage = (1 << 5) | (1 << 6);  // keyCertSign | cRLSign
    }
    if (p == root) s.authority_key_id = false;  // self-signed: AKI optional (RFC 5280 4.2.1.1)
  }
  return specs;
}

Chain build_chain(const std::vector<CertSpec>& specs) {
  Chain chain;
  for (const CertSpec& spec : specs) chain.push_back(build_certificate(spec));
  return chain;
}

Der spki_of(EVP_PKEY* key) {
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(key, &buf);
  if (len <= 0) fail("spki_of: i2d_PUBKEY");
  Der out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

void write_or_exit(const std::string& dir, const std::string& name, const Der& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
    std::exit(1);
  }
}

std::string to_pem(const Der& der) {
  // PEM_write_bio encodes the bytes as given, so broken certificates stay broken.
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio(bio, "CERTIFICATE", "", der.data(), static_cast<long>(der.size())) <= 0) {
    fail("to_pem: PEM_write_bio");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return pem;
}

}  // namespace ft::x509::testing
