#include "ft/sign/envelope_builder.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ft/cbor/cbor.h"
#include "ft/cose/sign1.h"
#include "ft/host/error.h"
#include "ft/suit/suit.h"
#include "ft/verify/anchors.h"
#include "ft/x509/certificate.h"

namespace ft::sign {

namespace {

using host::UserError;

// Writer — a growable CBOR encoder: encodes twice (count, then write) through the core Encoder.
class Writer {
 public:
  template <typename F>
  static std::vector<std::uint8_t> encode(F&& write) {
    cbor::Encoder counter;
    write(counter);
    std::vector<std::uint8_t> out(counter.size());
    cbor::Encoder enc{MutableBytes(out)};
    write(enc);
    if (!enc.finish().ok()) throw std::logic_error("CBOR encoder size changed between passes");
    return out;
  }
};

Bytes as_bytes(const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

constexpr std::int64_t kSha256 = -16;
constexpr std::uint64_t kRepPolicy = 15;  // report on success and failure, record all (SUIT §8.4.9)

std::vector<std::uint8_t> encode_digest(Bytes digest) {
  return Writer::encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_int(kSha256);
    e.write_bstr(digest);
  });
}

std::vector<std::uint8_t> encode_common(const Release& r) {
  const auto image_digest = encode_digest(r.image_digest);
  const auto shared = Writer::encode([&](cbor::Encoder& e) {
    e.write_array(6);
    e.write_uint(suit::cmd::kOverrideParameters);
    e.write_map(4);
    e.write_uint(suit::param::kVendorId);
    e.write_bstr(r.vendor_id);
    e.write_uint(suit::param::kClassId);
    e.write_bstr(r.class_id);
    e.write_uint(suit::param::kImageDigest);
    e.write_bstr(image_digest);
    e.write_uint(suit::param::kImageSize);
    e.write_uint(r.image_size);
    e.write_uint(suit::cmd::kVendorId);
    e.write_uint(kRepPolicy);
    e.write_uint(suit::cmd::kClassId);
    e.write_uint(kRepPolicy);
  });
  return Writer::encode([&](cbor::Encoder& e) {
    e.write_map(2);
    e.write_uint(suit::key::kComponents);
    e.write_array(1);
    e.write_array(1);
    const std::uint8_t component0[] = {0x00};
    e.write_bstr(component0);
    e.write_uint(suit::key::kSharedSequence);
    e.write_bstr(shared);
  });
}

std::vector<std::uint8_t> encode_text(const Release& r) {
  // SUIT_Text_Map: { language => { manifest text, [component id] => { component text } } }
  std::size_t component_fields = 0;
  for (const std::string* s : {&r.vendor_name, &r.model, &r.vendor_domain, &r.version}) component_fields += !s->empty();
  return Writer::encode([&](cbor::Encoder& e) {
    e.write_map(1);
    e.write_tstr("en");
    e.write_map(r.description.empty() ? 1 : 2);
    if (!r.description.empty()) {
      e.write_uint(1);  // manifest-description
      e.write_tstr(as_bytes(r.description));
    }
    e.write_array(1);
    const std::uint8_t component0[] = {0x00};
    e.write_bstr(component0);
    e.write_map(component_fields);
    // Component text keys: 1 vendor-name, 2 model-name, 3 vendor-domain, 6 component-version.
    if (!r.vendor_name.empty()) { e.write_uint(1); e.write_tstr(as_bytes(r.vendor_name)); }
    if (!r.model.empty()) { e.write_uint(2); e.write_tstr(as_bytes(r.model)); }
    if (!r.vendor_domain.empty()) { e.write_uint(3); e.write_tstr(as_bytes(r.vendor_domain)); }
    if (!r.version.empty()) { e.write_uint(6); e.write_tstr(as_bytes(r.version)); }
  });
}

const char* const kIntegratedKey = "#firmware";

std::vector<std::uint8_t> sign1_for(const SigningIdentity& id, Bytes digest_encoded) {
  if (id.signer == nullptr) throw std::invalid_argument("signing identity without a signer");
  const auto protected_map = Writer::encode([&](cbor::Encoder& e) {
    e.write_map(id.chain.empty() ? 1 : 2);
    e.write_uint(cose::kHeaderAlg);
    e.write_int(keys::cose_algorithm_id(id.signer->algorithm()));
    if (!id.chain.empty()) {
      e.write_uint(cose::kHeaderX5Chain);
      if (id.chain.size() == 1) {
        e.write_bstr(id.chain[0]);
      } else {
        e.write_array(id.chain.size());
        for (const auto& cert : id.chain) e.write_bstr(cert);
      }
    }
  });
  // Sig_structure = ["Signature1", protected, h'', detached payload (the encoded SUIT_Digest)]
  const auto tbs = Writer::encode([&](cbor::Encoder& e) {
    e.write_array(4);
    e.write_tstr("Signature1");
    e.write_bstr(protected_map);
    e.write_bstr(Bytes());
    e.write_bstr(digest_encoded);
  });
  const auto signature = id.signer->sign(tbs);
  return Writer::encode([&](cbor::Encoder& e) {
    e.write_tag(cose::kTagSign1);
    e.write_array(4);
    e.write_bstr(protected_map);
    e.write_map(0);
    e.write_null();
    e.write_bstr(signature);
  });
}

std::vector<std::uint8_t> sha256(Bytes data) {
  std::vector<std::uint8_t> out(32);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw UserError("SHA-256 failed in OpenSSL", host::kExitEnvironment);
  }
  return out;
}

// write_envelope encodes the envelope map: auth wrapper, manifest, integrated payload.
std::vector<std::uint8_t> write_envelope(Bytes manifest, Bytes digest_encoded,
                                         const std::vector<std::vector<std::uint8_t>>& blocks,
                                         Bytes integrated_key, Bytes integrated_payload) {
  const auto wrapper = Writer::encode([&](cbor::Encoder& e) {
    e.write_array(1 + blocks.size());
    e.write_bstr(digest_encoded);
    for (const auto& b : blocks) e.write_bstr(b);
  });
  const bool integrated = !integrated_key.empty();
  return Writer::encode([&](cbor::Encoder& e) {
    e.write_tag(suit::kTagEnvelope);
    e.write_map(integrated ? 3 : 2);
    e.write_uint(suit::key::kAuthWrapper);
    e.write_bstr(wrapper);
    e.write_uint(suit::key::kManifest);
    e.write_bstr(manifest);
    if (integrated) {
      e.write_tstr(integrated_key);
      e.write_bstr(integrated_payload);
    }
  });
}

// The wrapper digest covers the manifest bstr with its CBOR head.
std::vector<std::uint8_t> manifest_digest(Bytes manifest) {
  const auto wrapped = Writer::encode([&](cbor::Encoder& e) { e.write_bstr(manifest); });
  return encode_digest(sha256(wrapped));
}

}  // namespace

Uuid uuid5(const Uuid& namespace_id, const std::string& name) {
  std::vector<std::uint8_t> input(namespace_id.begin(), namespace_id.end());
  input.insert(input.end(), name.begin(), name.end());
  std::uint8_t hash[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), hash, &len, EVP_sha1(), nullptr) != 1) {
    throw UserError("SHA-1 (for UUIDv5) failed in OpenSSL", host::kExitEnvironment);
  }
  Uuid out{};
  std::memcpy(out.data(), hash, out.size());
  out[6] = static_cast<std::uint8_t>((out[6] & 0x0f) | 0x50);  // version 5
  out[8] = static_cast<std::uint8_t>((out[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return out;
}

Uuid vendor_id_for_domain(const std::string& domain) {
  static constexpr Uuid kDnsNamespace = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  return uuid5(kDnsNamespace, domain);
}

Uuid class_id_for_model(const Uuid& vendor_id, const std::string& model) { return uuid5(vendor_id, model); }

std::string format_uuid(const Uuid& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[id[i] >> 4]);
    out.push_back(kHex[id[i] & 0xf]);
  }
  return out;
}

SigningIdentity load_signing_identity(const std::string& key_spec, const std::string& chain_path, bool raw_key,
                                      std::unique_ptr<keys::Signer>& signer_out) {
  signer_out = keys::open_signer(key_spec);
  SigningIdentity id;
  id.signer = signer_out.get();
  if (raw_key) return id;
  if (chain_path.empty()) {
    throw UserError("--chain is required: the signer's certificate chain (leaf first); use --raw-key to sign without one",
                    host::kExitUsage);
  }
  id.chain = verify::read_certificates(chain_path);
  auto leaf = x509::parse_certificate(id.chain[0]);
  if (!leaf.ok()) throw UserError(host::describe(chain_path + ": first certificate", leaf.error()));
  const auto key_spki = signer_out->public_key_spki_der();
  if (!bytes_equal(key_spki, leaf->spki)) {
    throw UserError(key_spec + ": the key does not belong to the first certificate of " + chain_path +
                    " (public keys differ)");
  }
  return id;
}

std::vector<std::uint8_t> build_manifest(const Release& r) {
  if (r.image_digest.size() != 32) throw std::invalid_argument("release image digest must be SHA-256");
  const auto common = encode_common(r);
  const auto validate = Writer::encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_uint(suit::cmd::kImageMatch);
    e.write_uint(kRepPolicy);
  });
  const auto invoke = Writer::encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_uint(suit::cmd::kInvoke);
    e.write_uint(kRepPolicy);
  });
  const std::string uri = r.integrated ? kIntegratedKey : r.payload_uri;
  const auto install = Writer::encode([&](cbor::Encoder& e) {
    e.write_array(6);
    e.write_uint(suit::cmd::kOverrideParameters);
    e.write_map(1);
    e.write_uint(suit::param::kUri);
    e.write_tstr(as_bytes(uri));
    e.write_uint(suit::cmd::kFetch);
    e.write_uint(kRepPolicy);
    e.write_uint(suit::cmd::kImageMatch);
    e.write_uint(kRepPolicy);
  });
  const auto text = encode_text(r);
  return Writer::encode([&](cbor::Encoder& e) {
    e.write_map(7);
    e.write_uint(suit::key::kVersion);
    e.write_uint(1);
    e.write_uint(suit::key::kSequence);
    e.write_uint(r.sequence_number);
    e.write_uint(suit::key::kCommon);
    e.write_bstr(common);
    e.write_uint(suit::key::kValidate);
    e.write_bstr(validate);
    e.write_uint(suit::key::kInvoke);
    e.write_bstr(invoke);
    e.write_uint(suit::key::kInstall);
    e.write_bstr(install);
    e.write_uint(suit::key::kText);
    e.write_bstr(text);
  });
}

std::vector<std::uint8_t> build_envelope(const Release& release, const std::vector<SigningIdentity>& signers) {
  if (signers.empty()) throw std::invalid_argument("build_envelope needs at least one signer");
  const auto manifest = build_manifest(release);
  const auto digest_encoded = manifest_digest(manifest);
  std::vector<std::vector<std::uint8_t>> blocks;
  for (const auto& id : signers) blocks.push_back(sign1_for(id, digest_encoded));
  const std::string key = release.integrated ? kIntegratedKey : "";
  return write_envelope(manifest, digest_encoded, blocks, as_bytes(key), release.image);
}

std::vector<std::uint8_t> add_signature(Bytes envelope, const SigningIdentity& identity) {
  auto env = suit::parse_envelope(envelope);
  if (!env.ok()) throw UserError(host::describe("envelope", env.error()));
  if (env->auth_block_count == suit::kMaxAuthBlocks) {
    throw UserError("envelope already carries the maximum number of signatures");
  }
  if (env->integrated_count > 1) throw UserError("envelope with more than one integrated payload is not supported");
  std::vector<std::vector<std::uint8_t>> blocks;
  for (std::size_t i = 0; i < env->auth_block_count; ++i) {
    blocks.emplace_back(env->auth_blocks[i].begin(), env->auth_blocks[i].end());
  }
  blocks.push_back(sign1_for(identity, env->digest_encoded));
  Bytes key, payload;
  if (env->integrated_count == 1) {
    key = env->integrated[0].key;
    payload = env->integrated[0].payload;
  }
  if (!env->severed_install.empty() || !env->severed_text.empty() || !env->severed_payload_fetch.empty()) {
    throw UserError("envelope with severed members is not supported for co-signing");
  }
  return write_envelope(env->manifest, env->digest_encoded, blocks, key, payload);
}

std::vector<std::uint8_t> hash_file_sha256(const std::string& path, std::uint64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UserError(path + ": cannot open: " + std::strerror(errno));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    ::close(fd);
    throw UserError("SHA-256 failed in OpenSSL", host::kExitEnvironment);
  }
  std::vector<std::uint8_t> buf(1 << 20);
  size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      EVP_MD_CTX_free(ctx);
      ::close(fd);
      throw UserError(path + ": read failed: " + why);
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  std::vector<std::uint8_t> out(32);
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

}  // namespace ft::sign
