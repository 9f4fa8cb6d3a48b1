// Tests of the SUIT subset on the public draft-ietf-suit-manifest examples (testdata/suit).
#include "ft/suit/suit.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "ft/cbor/cbor.h"
#include "ft/cose/sign1.h"
#include "ft/ports/openssl.h"

namespace ft::suit {
namespace {

std::vector<std::uint8_t> load(const std::string& name) {
  std::ifstream in(std::string(FT_TESTDATA_DIR) + "/suit/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

PublicKey example_key(const std::vector<std::uint8_t>& spki) {
  PublicKey key;
  key.type = KeyType::ec_p256;
  key.spki = spki;
  key.key = Bytes(spki).last(65);  // the uncompressed point ends the P-256 SPKI
  key.bits = 256;
  return key;
}

// verify_example runs every step a verifier runs (without X.509: the examples use a raw key).
Code verify_example(const std::vector<std::uint8_t>& data, const PublicKey& key) {
  CryptoPort& crypto = openssl_crypto();
  auto env = parse_envelope(data);
  if (!env.ok()) return env.code();
  const Status d = check_manifest_digest(crypto, *env);
  if (!d.ok()) return d.code();
  for (std::size_t i = 0; i < env->auth_block_count; ++i) {
    auto sign1 = cose::parse_sign1(env->auth_blocks[i]);
    if (!sign1.ok()) return sign1.code();
    std::uint8_t scratch[256];
    const Status v = cose::verify_sign1(crypto, *sign1, key, env->digest_encoded, scratch);
    if (!v.ok()) return v.code();
  }
  auto manifest = parse_manifest(crypto, *env);
  if (!manifest.ok()) return manifest.code();
  ProcessOptions options;
  options.require_payload = false;  // the examples' digests are sample patterns, not real images
  ProcessReport report;
  return process(crypto, *env, *manifest, options, report).code();
}

const char* const kExamples[] = {"suit_manifest_exp0.suit", "suit_manifest_exp1.suit", "suit_manifest_exp2A.suit",
                                 "suit_manifest_exp2B.suit", "suit_manifest_exp3.suit", "suit_manifest_exp4.suit",
                                 "suit_manifest_exp5.suit"};

TEST(SuitExamples, ParseAndVerify) {
  const auto spki = load("trust_anchor_secp256r1_pub.der");
  const PublicKey key = example_key(spki);
  for (const char* name : kExamples) {
    const auto data = load(name);
    EXPECT_EQ(verify_example(data, key), Code::ok) << name;
  }
}

TEST(SuitExamples, ManifestFields) {
  auto data = load("suit_manifest_exp5.suit");
  auto env = parse_envelope(data);
  ASSERT_TRUE(env.ok());
  auto m = parse_manifest(openssl_crypto(), *env);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->sequence_number, 5u);
  EXPECT_EQ(m->component_count, 2u);
  ProcessOptions options;
  options.require_payload = false;
  const std::uint8_t vendor[] = {0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf,
                                 0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe};
  options.expected_vendor_id = vendor;
  ProcessReport report;
  ASSERT_TRUE(process(openssl_crypto(), *env, *m, options, report).ok());
  EXPECT_TRUE(report.vendor_checked);
  EXPECT_EQ(m->components[0].image_size, 34768u);
  EXPECT_EQ(m->components[1].image_size, 76834u);
  EXPECT_EQ(report.images_checked, 0u);  // no payload given: nothing hashed
}

TEST(SuitExamples, WrongVendorOrClassRejected) {
  auto data = load("suit_manifest_exp1.suit");
  auto env = parse_envelope(data);
  ASSERT_TRUE(env.ok());
  auto m = parse_manifest(openssl_crypto(), *env);
  ASSERT_TRUE(m.ok());
  const std::uint8_t other[16] = {1};
  ProcessOptions options;
  options.require_payload = false;
  options.expected_vendor_id = other;
  ProcessReport report;
  EXPECT_EQ(process(openssl_crypto(), *env, *m, options, report).code(), Code::suit_vendor_mismatch);
  auto m2 = parse_manifest(openssl_crypto(), *env);
  ProcessOptions by_class;
  by_class.require_payload = false;
  by_class.expected_class_id = other;
  EXPECT_EQ(process(openssl_crypto(), *env, *m2, by_class, report).code(), Code::suit_class_mismatch);
}

TEST(SuitExamples, PayloadRequiredByDefault) {
  auto data = load("suit_manifest_exp1.suit");
  auto env = parse_envelope(data);
  auto m = parse_manifest(openssl_crypto(), *env);
  ASSERT_TRUE(m.ok());
  ProcessOptions options;  // require_payload = true
  ProcessReport report;
  EXPECT_EQ(process(openssl_crypto(), *env, *m, options, report).code(), Code::suit_payload_missing);
}

// Every single-byte change and every truncation of every example is rejected.
TEST(SuitExamples, EveryByteMatters) {
  const auto spki = load("trust_anchor_secp256r1_pub.der");
  const PublicKey key = example_key(spki);
  std::size_t mutations = 0;
  for (const char* name : kExamples) {
    const auto original = load(name);
    for (std::size_t pos = 0; pos < original.size(); ++pos) {
      for (const int delta : {0x01, 0x80, 0xff}) {
        auto copy = original;
        copy[pos] = static_cast<std::uint8_t>(copy[pos] ^ delta);
        ++mutations;
        EXPECT_NE(verify_example(copy, key), Code::ok) << name << " byte " << pos << " ^ " << int(delta);
      }
    }
    for (std::size_t len = 0; len < original.size(); ++len) {
      const std::vector<std::uint8_t> cut(original.begin(), original.begin() + static_cast<long>(len));
      EXPECT_NE(verify_example(cut, key), Code::ok) << name << " truncated to " << len;
    }
  }
  EXPECT_GT(mutations, 5000u);
}

// ---- the command processor on manifests built command by command ----

using Writer = std::function<void(cbor::Encoder&)>;

std::vector<std::uint8_t> encode(const Writer& write) {
  cbor::Encoder counter;
  write(counter);
  std::vector<std::uint8_t> out(counter.size());
  cbor::Encoder e(out);
  write(e);
  EXPECT_TRUE(e.finish().ok());
  return out;
}

const std::uint8_t kVendor[16] = {0xfa, 0x6b};
const std::uint8_t kOtherVendor[16] = {0x01};

// sequence encodes a command sequence of (command, argument) pairs written by commands.
std::vector<std::uint8_t> sequence(std::size_t pairs, const Writer& commands) {
  return encode([&](cbor::Encoder& e) {
    e.write_array(2 * pairs);
    commands(e);
  });
}

// check_vendor is the one-pair sequence [condition-vendor-identifier, 15].
std::vector<std::uint8_t> check_vendor() {
  return sequence(1, [](cbor::Encoder& e) {
    e.write_uint(cmd::kVendorId);
    e.write_uint(15);
  });
}

// nested wraps inner in `levels` run-sequence commands.
std::vector<std::uint8_t> nested(std::vector<std::uint8_t> inner, int levels) {
  for (int i = 0; i < levels; ++i) {
    inner = sequence(1, [&](cbor::Encoder& e) {
      e.write_uint(cmd::kRunSequence);
      e.write_bstr(inner);
    });
  }
  return inner;
}

// manifest_with encodes a manifest of two components whose shared sequence sets component 0's
// vendor-id to kVendor and its slot to 1, then runs `validate` as the validate sequence.
std::vector<std::uint8_t> manifest_with(const std::vector<std::uint8_t>& validate) {
  const auto shared = sequence(2, [](cbor::Encoder& e) {
    e.write_uint(cmd::kSetComponentIndex);
    e.write_uint(0);
    e.write_uint(cmd::kOverrideParameters);
    e.write_map(2);
    e.write_uint(param::kVendorId);
    e.write_bstr(kVendor);
    e.write_uint(param::kComponentSlot);
    e.write_uint(1);
  });
  const auto common = encode([&](cbor::Encoder& e) {
    e.write_map(2);
    e.write_uint(key::kComponents);
    e.write_array(2);
    static constexpr std::uint8_t kIds[] = {0, 1};
    for (const std::uint8_t& id : kIds) {
      e.write_array(1);
      e.write_bstr(Bytes(&id, 1));
    }
    e.write_uint(key::kSharedSequence);
    e.write_bstr(shared);
  });
  return encode([&](cbor::Encoder& e) {
    e.write_map(4);
    e.write_uint(key::kVersion);
    e.write_uint(1);
    e.write_uint(key::kSequence);
    e.write_uint(2);
    e.write_uint(key::kCommon);
    e.write_bstr(common);
    e.write_uint(key::kValidate);
    e.write_bstr(validate);
  });
}

// Processed — the outcome of processing a bare manifest with the device slot 1 known. The
// manifest's spans point into `encoded`, kept here.
struct Processed {
  std::vector<std::uint8_t> encoded;
  Code code = Code::ok;
  Manifest manifest;
  ProcessReport report;
};

Processed process_manifest(std::vector<std::uint8_t> encoded) {
  Processed out;
  out.encoded = std::move(encoded);
  Envelope env;
  env.manifest = out.encoded;
  const Status parsed = parse_manifest(openssl_crypto(), env, out.manifest);
  EXPECT_TRUE(parsed.ok()) << code_name(parsed.code());
  ProcessOptions options;
  options.require_payload = false;
  options.device_slot_known = true;
  options.device_slot = 1;
  out.code = process(openssl_crypto(), env, out.manifest, options, out.report).code();
  return out;
}

TEST(SuitProcessor, NestingIsBoundedAtTwoLevels) {
  EXPECT_EQ(process_manifest(manifest_with(nested(check_vendor(), 2))).code, Code::ok);
  EXPECT_EQ(process_manifest(manifest_with(nested(check_vendor(), 3))).code, Code::depth_exceeded);
  // A try-each branch is a level too.
  const auto try_each_of = [](const std::vector<std::uint8_t>& branch) {
    return sequence(1, [&](cbor::Encoder& e) {
      e.write_uint(cmd::kTryEach);
      e.write_array(1);
      e.write_bstr(branch);
    });
  };
  EXPECT_EQ(process_manifest(manifest_with(try_each_of(nested(check_vendor(), 1)))).code, Code::ok);
  EXPECT_EQ(process_manifest(manifest_with(try_each_of(nested(check_vendor(), 2)))).code, Code::depth_exceeded);
  EXPECT_EQ(process_manifest(manifest_with(try_each_of(try_each_of(check_vendor())))).code,
            Code::suit_unsupported_command);
}

// A branch that changes parameters and the component selection, then fails a condition.
std::vector<std::uint8_t> failing_branch() {
  return sequence(4, [](cbor::Encoder& e) {
    e.write_uint(cmd::kOverrideParameters);
    e.write_map(2);
    e.write_uint(param::kVendorId);
    e.write_bstr(kOtherVendor);
    e.write_uint(param::kImageSize);
    e.write_uint(7);
    e.write_uint(cmd::kSetComponentIndex);
    e.write_uint(1);
    e.write_uint(cmd::kOverrideParameters);
    e.write_map(1);
    e.write_uint(param::kComponentSlot);
    e.write_uint(0);
    e.write_uint(cmd::kComponentSlot);  // slot 0 here, the device's is 1
    e.write_uint(15);
  });
}

TEST(SuitProcessor, AFailedTryEachBranchLeavesNoTrace) {
  const auto validate = sequence(3, [](cbor::Encoder& e) {
    e.write_uint(cmd::kTryEach);
    e.write_array(2);
    e.write_bstr(failing_branch());
    e.write_bstr(sequence(1, [](cbor::Encoder& b) {
      b.write_uint(cmd::kComponentSlot);
      b.write_uint(15);
    }));
    e.write_uint(cmd::kVendorId);  // still component 0, still kVendor
    e.write_uint(15);
    e.write_uint(cmd::kComponentSlot);
    e.write_uint(15);
  });
  const Processed p = process_manifest(manifest_with(validate));
  ASSERT_EQ(p.code, Code::ok);
  const Component& first = p.manifest.components[0];
  EXPECT_TRUE(bytes_equal(first.vendor_id, kVendor));
  EXPECT_FALSE(first.has_image_size);
  EXPECT_EQ(first.slot, 1u);
  EXPECT_FALSE(p.manifest.components[1].has_slot);
}

TEST(SuitProcessor, TryEachWithoutAHoldingBranch) {
  const auto only_failing = [](bool trailing_nil) {
    return sequence(1, [trailing_nil](cbor::Encoder& e) {
      e.write_uint(cmd::kTryEach);
      e.write_array(trailing_nil ? 2 : 1);
      e.write_bstr(failing_branch());
      if (trailing_nil) e.write_null();
    });
  };
  EXPECT_EQ(process_manifest(manifest_with(only_failing(false))).code, Code::trust_policy);
  const Processed with_nil = process_manifest(manifest_with(only_failing(true)));
  EXPECT_EQ(with_nil.code, Code::ok);
  EXPECT_FALSE(with_nil.manifest.components[0].has_image_size);
}

// validate_code processes a manifest whose validate sequence is the one (command, argument) pair.
Code validate_code(const Writer& pair) { return process_manifest(manifest_with(sequence(1, pair))).code; }

TEST(SuitProcessor, CommandAndParameterOutsideTheSubset) {
  EXPECT_EQ(validate_code([](cbor::Encoder& e) {
              e.write_uint(99);
              e.write_uint(15);
            }),
            Code::suit_unsupported_command);
  EXPECT_EQ(validate_code([](cbor::Encoder& e) {
              e.write_int(-1);
              e.write_uint(15);
            }),
            Code::suit_unsupported_command);
  EXPECT_EQ(validate_code([](cbor::Encoder& e) {
              e.write_uint(cmd::kOverrideParameters);
              e.write_map(1);
              e.write_uint(99);
              e.write_uint(0);
            }),
            Code::suit_unsupported_command);
  EXPECT_EQ(validate_code([](cbor::Encoder& e) {
              e.write_uint(cmd::kSetComponentIndex);
              e.write_uint(2);  // two components: 0 and 1
            }),
            Code::suit_malformed);
  EXPECT_EQ(validate_code([](cbor::Encoder& e) {
              e.write_uint(cmd::kAbort);
              e.write_uint(15);
            }),
            Code::trust_policy);
}

TEST(SuitDigestParsing, OutputOnlyOnSuccess) {
  SuitDigest digest;
  const std::vector<std::uint8_t> value(48, 0xab);
  const auto sha384 = encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_int(-43);
    e.write_bstr(value);
  });
  ASSERT_TRUE(parse_digest(sha384, digest).ok());
  EXPECT_EQ(digest.alg, HashAlg::sha384);
  EXPECT_EQ(digest.value.size(), 48u);
  const auto short_sha512 = encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_int(-44);
    e.write_bstr(value);
  });
  EXPECT_EQ(parse_digest(short_sha512, digest).code(), Code::suit_malformed);
  const auto md5 = encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_int(-1);
    e.write_bstr(value);
  });
  EXPECT_EQ(parse_digest(md5, digest).code(), Code::unsupported_algorithm);
  EXPECT_EQ(digest.alg, HashAlg::sha384) << "a failed parse leaves the output as it was";
}

// zero_filled returns true when T's defaults are all-zero bytes: parse_envelope and parse_manifest
// reset their output with reset_in_place, one memset in the device profile (ft/base/reset.h).
template <typename T>
bool zero_filled() {
  alignas(T) unsigned char storage[sizeof(T)] = {};
  const T* obj = ::new (static_cast<void*>(storage)) T();
  const auto* bytes = reinterpret_cast<const unsigned char*>(obj);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

TEST(SuitStructs, DefaultsAreAllZeroBytes) {
  EXPECT_TRUE(zero_filled<Envelope>());
  EXPECT_TRUE(zero_filled<Manifest>());
}

TEST(SuitStructs, ParseResetsTheOutput) {
  Envelope env;
  env.integrated_count = 3;
  env.severed_text = Bytes(kVendor);
  EXPECT_EQ(parse_envelope(Bytes(kVendor, 1), env).code(), Code::suit_not_envelope);
  EXPECT_EQ(env.integrated_count, 0u);
  EXPECT_TRUE(env.severed_text.empty());
  Manifest m;
  m.component_count = 2;
  m.components[1].has_slot = true;
  Envelope bare;
  const std::uint8_t not_a_map[] = {0x01};
  bare.manifest = not_a_map;
  EXPECT_EQ(parse_manifest(openssl_crypto(), bare, m).code(), Code::suit_malformed);
  EXPECT_EQ(m.component_count, 0u);
  EXPECT_FALSE(m.components[1].has_slot);
}

// DetachedImage — a 300-byte image that is not in memory: the processor reads it in chunks.
class DetachedImage final : public PayloadSource {
 public:
  DetachedImage() {
    for (std::size_t i = 0; i < bytes_.size(); ++i) bytes_[i] = static_cast<std::uint8_t>(i * 7);
  }
  [[nodiscard]] std::uint64_t size() const override { return bytes_.size(); }
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override {
    EXPECT_LE(offset + out.size(), bytes_.size());
    EXPECT_EQ(data.data(), out.data());  // the processor offers its buffer
    ++reads;
    if (lend) {
      data = Bytes(bytes_).subspan(static_cast<std::size_t>(offset), out.size());
      return Status();
    }
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes_[offset + i];
    return Status();
  }
  [[nodiscard]] Bytes bytes() const { return bytes_; }
  int reads = 0;
  bool lend = false;  // hand out views of bytes_ instead of copying

 private:
  std::vector<std::uint8_t> bytes_ = std::vector<std::uint8_t>(300);
};

// image_manifest encodes a one-component manifest whose shared sequence sets image-digest (SHA-256
// `digest_value`) and image-size 300, and whose validate sequence is image-match.
std::vector<std::uint8_t> image_manifest(Bytes digest_value) {
  const auto digest = encode([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_int(-16);
    e.write_bstr(digest_value);
  });
  const auto shared = sequence(1, [&](cbor::Encoder& e) {
    e.write_uint(cmd::kOverrideParameters);
    e.write_map(2);
    e.write_uint(param::kImageDigest);
    e.write_bstr(digest);
    e.write_uint(param::kImageSize);
    e.write_uint(300);
  });
  const auto common = encode([&](cbor::Encoder& e) {
    e.write_map(2);
    e.write_uint(key::kComponents);
    e.write_array(1);
    e.write_array(1);
    e.write_bstr(Bytes(kVendor, 1));
    e.write_uint(key::kSharedSequence);
    e.write_bstr(shared);
  });
  const auto validate = sequence(1, [](cbor::Encoder& e) {
    e.write_uint(cmd::kImageMatch);
    e.write_uint(15);
  });
  return encode([&](cbor::Encoder& e) {
    e.write_map(4);
    e.write_uint(key::kVersion);
    e.write_uint(1);
    e.write_uint(key::kSequence);
    e.write_uint(2);
    e.write_uint(key::kCommon);
    e.write_bstr(common);
    e.write_uint(key::kValidate);
    e.write_bstr(validate);
  });
}

TEST(SuitProcessor, DetachedImageIsHashedInScratchSizedChunks) {
  DetachedImage image;
  Digest good;
  ASSERT_TRUE(digest(openssl_crypto(), HashAlg::sha256, image.bytes(), good).ok());
  Digest bad = good;
  bad.value[0] ^= 1;
  struct Case {
    const Digest* expected;
    std::size_t scratch_size;
    Code code;
    std::uint64_t hashed;
    bool lend;  // the source lends views of its bytes instead of filling the scratch buffer
  } cases[] = {{&good, 64, Code::ok, 300, false},
               {&bad, 64, Code::suit_image_digest_mismatch, 300, false},  // hashed, then found different
               {&good, 0, Code::invalid_argument, 0, false},
               {&good, 64, Code::ok, 300, true},
               {&bad, 64, Code::suit_image_digest_mismatch, 300, true}};
  for (const Case& c : cases) {
    const auto encoded = image_manifest(c.expected->bytes());
    Envelope env;
    env.manifest = encoded;
    Manifest manifest;
    ASSERT_TRUE(parse_manifest(openssl_crypto(), env, manifest).ok());
    DetachedImage source;
    source.lend = c.lend;
    std::vector<std::uint8_t> scratch(c.scratch_size);
    ProcessOptions options;
    options.detached_payload = &source;
    options.scratch = scratch;
    ProcessReport report;
    EXPECT_EQ(process(openssl_crypto(), env, manifest, options, report).code(), c.code) << c.scratch_size << " lend " << c.lend;
    EXPECT_EQ(report.image_bytes_hashed, c.hashed);
    EXPECT_EQ(report.images_checked, c.code == Code::ok ? 1u : 0u);
    EXPECT_EQ(source.reads, c.scratch_size == 0 ? 0 : 5);  // 4 x 64 + 44
    EXPECT_EQ(report.payload_component, 0u);
  }
}

}  // namespace
}  // namespace ft::suit
