// core_outcomes_test — pins the observable behaviour of the verifier core: for every input of a
// deterministic corpus, the verdict, the error code, the message (in builds with messages) and the
// key output fields of each public entry point, compared line by line with a committed golden file.
// A size pass over the core must keep every line; a change of behaviour shows as a diff.
//
// Corpus: the SUIT examples (testdata/suit) and the fixed inputs in testdata/golden/corpus
// (written once by ft_golden_corpus, tests/golden/write_corpus.cc: chains of each key type,
// correctly signed certificates with one or two profile faults, signed envelopes). Each input is
// run clean, with single-byte changes (XOR 01/80/FF, rotating; every position or every n-th),
// truncations, inserted bytes and seeded pairs of byte changes (two faults: which error wins).
// Clean inputs also run under several policies. Nothing depends on the clock or on run-to-run
// randomness; the crypto port is OpenSSL's.
//
// Entry points and line fields (one line per input: "<id> <field>=<outcome> ..."):
//   envelopes   c= cbor::validate, e= suit::parse_envelope (auth blocks, integrated payloads),
//               d= check_manifest_digest, s<i>= cose::parse_sign1 (alg, x5chain count), v<i>=
//               cose::verify_sign1 (leaf or raw key), m= parse_manifest (sequence, components),
//               p= suit::process (report), t= trust::verify_envelope (stage, sequence, signers,
//               per-signature codes and failing certificate)
//   certificates d= der::check_element, x= x509::parse_certificate (summary of the fields),
//               p= x509::validate_path of the chain with this certificate in its place
//   extensions  X= x509::parse_extensions;  keys: d=, k= x509::parse_spki
//   COSE        s=, v= on the bare COSE_Sign1 of an envelope
//   paths       p= validate_path over certificate variants, anchor kinds, chain orders, policies
// An outcome is "ok" or the code name, then "~xxxxxx" (24 bits of the FNV-1a hash of the message)
// when the message is not empty; the messages are listed once at the end of the file.
//
// Golden files (testdata/golden, described in its README.md): core-outcomes.txt for builds with messages, RSA and path search
// (default, asan), core-outcomes-device-profile.txt for the device profile (all three off). Other
// combinations skip.
//
// On a mismatch the test prints the first differing lines (expected / got, messages expanded)
// and the number of differing lines. To accept a change of behaviour on purpose, rewrite the
// golden file (atomically: temporary file, then rename) and review the diff in git:
//   FT_UPDATE_GOLDEN=1 build/default/tests/ft_core_outcomes_test
//   FT_UPDATE_GOLDEN=1 build/device-profile/tests/ft_core_outcomes_test
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "extensions.h"
#include "ft/base/config.h"
#include "ft/cbor/cbor.h"
#include "ft/cose/sign1.h"
#include "ft/der/der.h"
#include "ft/ports/openssl.h"
#include "ft/suit/suit.h"
#include "ft/trust/verifier.h"
#include "ft/x509/certificate.h"
#include "ft/x509/path.h"

namespace ft {
namespace {

using Buffer = std::vector<std::uint8_t>;

// kTestNow — 2026-06-01T00:00:00Z, the time the corpus certificates are valid at.
constexpr std::int64_t kTestNow = 1780272000;
constexpr std::int64_t kDay = 86400;

std::string testdata(const std::string& name) { return std::string(FT_TESTDATA_DIR) + "/" + name; }

Buffer load(const std::string& name) {
  std::ifstream in(testdata(name), std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << testdata(name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Buffer corpus(const std::string& name) { return load("golden/corpus/" + name); }

std::uint32_t fnv1a(const std::string& text) {
  std::uint32_t h = 2166136261u;
  for (const unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

std::string hex(std::uint64_t value, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(value));
  return buf;
}

// ---- recording outcomes ----

class Recorder {
 public:
  // outcome returns "ok", "<code>" or "<code>~<message hash>", and remembers the message.
  std::string outcome(Code code, const char* message) {
    if (code == Code::ok) return "ok";
    std::string out = code_name(code);
    if (message != nullptr && *message != '\0') out += "~" + message_ref(message);
    return out;
  }
  std::string outcome(const Error& e) { return outcome(e.code, e.message); }
  std::string outcome(const Status& s) { return outcome(s.error()); }

  void line(const std::string& text) { lines_.push_back(text); }

  // text returns the file: header, one line per input, the message table. A line whose outcome
  // is the previous line's reads "<id> =" (runs of changes with the same effect stay small).
  [[nodiscard]] std::string text(const std::string& header) const {
    std::string out = header;
    std::string previous;
    for (const auto& l : lines_) {
      const std::size_t space = l.find(' ');
      const std::string fields = space == std::string::npos ? "" : l.substr(space + 1);
      out += fields == previous ? l.substr(0, space) + " =\n" : l + "\n";
      previous = fields;
    }
    out += "# messages (hash: text)\n";
    for (const auto& [ref, message] : messages_) out += "~" + ref + " " + message + "\n";
    return out;
  }

  [[nodiscard]] std::size_t size() const { return lines_.size(); }
  [[nodiscard]] const std::vector<std::string>& collisions() const { return collisions_; }

 private:
  std::string message_ref(const char* message) {
    std::string text = message;
    for (auto& c : text) {
      if (c == '\n') c = ' ';
    }
    const std::string ref = hex(fnv1a(text) & 0xffffffu, 6);
    const auto [it, inserted] = messages_.emplace(ref, text);
    if (!inserted && it->second != text) collisions_.push_back(text + " / " + it->second);
    return ref;
  }

  std::vector<std::string> lines_;
  std::map<std::string, std::string> messages_;
  std::vector<std::string> collisions_;
};

// ---- the corpus: deterministic variants of each clean input ----

struct Sampling {
  int masks = 1;                   // XOR masks per position (1..3, from 01, 80, FF, rotating)
  std::size_t stride = 1;          // every stride-th position is changed
  std::size_t truncate_stride = 1;  // every n-th length below the full one (and the last 8)
  std::size_t insert_stride = 16;  // a byte (00 or FF) inserted at every n-th position
  std::size_t pairs = 16;          // seeded pairs of changes (two faults)
};

constexpr std::uint8_t kMasks[] = {0x01, 0x80, 0xff};

// for_each_variant calls fn(id, bytes) for the clean input and each of its variants. The
// variants depend only on the input bytes, its id and the sampling (std::mt19937 is specified
// by the standard; its raw output is used, not a distribution).
template <typename Fn>
void for_each_variant(const std::string& id, const Buffer& clean, const Sampling& s, Fn&& fn) {
  fn(id, clean);
  const std::size_t n = clean.size();
  for (std::size_t pos = 0; pos < n; pos += s.stride) {
    for (int k = 0; k < s.masks; ++k) {
      const std::uint8_t mask = kMasks[(pos / s.stride + static_cast<std::size_t>(k)) % 3];
      Buffer v = clean;
      v[pos] ^= mask;
      fn(id + "/x" + std::to_string(pos) + "^" + hex(mask, 2), v);
    }
  }
  std::set<std::size_t> lengths;
  for (std::size_t len = 0; len < n; len += s.truncate_stride) lengths.insert(len);
  for (std::size_t len = n > 8 ? n - 8 : 0; len < n; ++len) lengths.insert(len);
  for (const std::size_t len : lengths) {
    fn(id + "/t" + std::to_string(len), Buffer(clean.begin(), clean.begin() + static_cast<long>(len)));
  }
  for (std::size_t pos = 0; pos <= n; pos += s.insert_stride) {
    const std::uint8_t byte = (pos / s.insert_stride) % 2 == 0 ? 0x00 : 0xff;
    Buffer v = clean;
    v.insert(v.begin() + static_cast<long>(pos), byte);
    fn(id + "/i" + std::to_string(pos) + "+" + hex(byte, 2), v);
  }
  if (n < 2) return;
  std::mt19937 rng(fnv1a(id));
  for (std::size_t i = 0; i < s.pairs; ++i) {
    std::size_t a = rng() % n, b = rng() % n;
    const std::uint8_t ma = kMasks[rng() % 3], mb = kMasks[rng() % 3];
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    Buffer v = clean;
    v[a] ^= ma;
    v[b] ^= mb;
    fn(id + "/x" + std::to_string(a) + "^" + hex(ma, 2) + ",x" + std::to_string(b) + "^" + hex(mb, 2), v);
  }
}

// ---- summaries of successful results ----

std::string summary(const x509::Certificate& c) {
  std::string out = "(v" + std::to_string(c.version);
  out += c.signature_scheme_known ? " a" + std::to_string(static_cast<int>(c.signature_scheme)) : " a-";
  out += " k" + std::to_string(static_cast<int>(c.key.type)) + "/" + std::to_string(c.key.bits);
  if (c.key_error.code != Code::ok) out += std::string("!") + code_name(c.key_error.code);
  out += " e" + std::to_string(c.extension_count);
  const auto& bc = c.basic_constraints;
  if (bc.present) {
    out += std::string(" b") + (bc.is_ca ? "1" : "0") + (bc.critical ? "!" : "");
    if (bc.has_path_len) out += "p" + std::to_string(bc.path_len);
  }
  if (c.key_usage.present) out += " u" + hex(c.key_usage.bits, 1) + (c.key_usage.critical ? "!" : "");
  const auto& eku = c.ext_key_usage;
  if (eku.present) {
    out += std::string(" x") + (eku.code_signing ? "c" : "") + (eku.any ? "a" : "") +
           std::to_string(eku.other_count) + (eku.critical ? "!" : "");
  }
  if (!c.subject_key_id.empty()) out += " s" + std::to_string(c.subject_key_id.size());
  if (!c.authority_key_id.empty()) out += " A" + std::to_string(c.authority_key_id.size());
  if (c.has_unknown_critical_extension) out += " U" + std::to_string(c.unknown_critical_oid.size());
  out += " n" + std::to_string(c.not_before) + ".." + std::to_string(c.not_after) + ")";
  return out;
}

std::string path_fields(Recorder& r, const Status& s, const x509::PathReport& report) {
  std::string out = r.outcome(s);
  out += " [";
  for (std::size_t i = 0; i < report.error_count; ++i) {
    if (i > 0) out += " ";
    out += std::to_string(report.errors[i].position) + ":" +
           r.outcome(report.errors[i].code, report.errors[i].message);
  }
  if (report.errors_truncated) out += " +";
  out += "] l" + std::to_string(report.path_length) + (report.path_complete ? "c" : "") + " a" +
         std::to_string(report.anchor_index) + " v" + std::to_string(report.signatures_verified);
  return out;
}

// ---- a detached payload in memory ----

class MemoryPayload final : public suit::PayloadSource {
 public:
  explicit MemoryPayload(Bytes data) : data_(data) {}
  [[nodiscard]] std::uint64_t size() const override { return data_.size(); }
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override {
    if (offset > data_.size() || out.size() > data_.size() - offset) return {Code::truncated, "payload: short read"};
    std::memcpy(out.data(), data_.data() + offset, out.size());
    data = out;
    return {};
  }

 private:
  Bytes data_;
};

// ---- the fixture: clean inputs, anchors, storage ----

class CoreOutcomes {
 public:
  CoreOutcomes() : crypto_(openssl_crypto()) {
    workspace_ = std::make_unique<trust::Workspace>();
    verdict_ = std::make_unique<trust::Verdict>();
    manifest_ = std::make_unique<suit::Manifest>();
    scratch_.resize(4096);
    example_spki_ = load("suit/trust_anchor_secp256r1_pub.der");
    raw_spki_ = corpus("raw-p256.spki.der");
    vendor_ = corpus("vendor-id.bin");
    class_ = corpus("class-id.bin");
    payload_ = corpus("payload-detached.bin");
    env_roots_ = {corpus("env-p256-root.der"), corpus("env-ed25519-root.der"), corpus("env-p384-root.der")};
    // Supplier anchors: the P-256 and Ed25519 roots, the raw P-256 key, the SUIT examples' key.
    supplier_.push_back(certificate_anchor(env_roots_[0]));
    supplier_.push_back(certificate_anchor(env_roots_[1]));
    supplier_.push_back(raw_anchor(raw_spki_));
    supplier_.push_back(raw_anchor(example_spki_));
    owner_.push_back(certificate_anchor(env_roots_[2]));
  }

  Recorder& recorder() { return r_; }

  static x509::TrustAnchor certificate_anchor(const Buffer& der) {
    x509::TrustAnchor a;
    a.kind = x509::AnchorKind::certificate;
    a.certificate = der;
    return a;
  }
  static x509::TrustAnchor raw_anchor(const Buffer& spki) {
    x509::TrustAnchor a;
    a.kind = x509::AnchorKind::raw_key;
    const Status s = x509::parse_spki(spki, a.raw_key);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return a;
  }

  // ---- envelopes ----

  struct EnvelopeSetup {
    trust::Policy policy;
    suit::ProcessOptions options;
    bool payload = false;  // hand the detached payload
    Bytes payload_bytes;
    trust::Anchors anchors;
    const PublicKey* raw_key = nullptr;  // for verify_sign1 of blocks without x5chain
  };

  EnvelopeSetup default_setup(bool example) {
    EnvelopeSetup s;
    s.policy.path.time = kTestNow;
    s.anchors = {supplier_, owner_};
    if (example) {
      s.options.require_payload = false;  // the examples' digests are sample patterns
    } else {
      s.options.expected_vendor_id = vendor_;
      s.options.expected_class_id = class_;
      s.payload = true;
      s.payload_bytes = payload_;
    }
    return s;
  }

  std::string envelope_fields(Bytes input, EnvelopeSetup setup) {
    std::string out = "c=" + r_.outcome(cbor::validate(input));
    suit::Envelope env;
    const Status e = suit::parse_envelope(input, env);
    out += " e=" + r_.outcome(e);
    if (e.ok()) {
      out += "(a" + std::to_string(env.auth_block_count) + ",i" + std::to_string(env.integrated_count) + ")";
      out += " d=" + r_.outcome(suit::check_manifest_digest(crypto_, env));
      for (std::size_t i = 0; i < env.auth_block_count; ++i) {
        out += " " + sign1_fields(env.auth_blocks[i], env.digest_encoded, setup.raw_key, std::to_string(i));
      }
      const Status m = suit::parse_manifest(crypto_, env, *manifest_);
      out += " m=" + r_.outcome(m);
      if (m.ok()) {
        out += "(q" + std::to_string(manifest_->sequence_number) + ",n" + std::to_string(manifest_->component_count) +
               ")";
        MemoryPayload payload(setup.payload_bytes);
        suit::ProcessOptions options = setup.options;
        if (setup.payload) options.detached_payload = &payload;
        options.scratch = scratch_;
        suit::ProcessReport report;
        const Status p = suit::process(crypto_, env, *manifest_, options, report);
        out += " p=" + r_.outcome(p) + process_summary(report);
      }
    }
    out += " t=" + trust_fields(input, setup);
    return out;
  }

  static std::string process_summary(const suit::ProcessReport& p) {
    std::string out = "(";
    out += p.vendor_checked ? "V" : "";
    out += p.class_checked ? "C" : "";
    out += p.device_checked ? "D" : "";
    out += p.slot_assumed ? "S" : "";
    out += std::to_string(p.images_checked) + "/" + std::to_string(p.images_unchecked) + "/" +
           std::to_string(p.image_bytes_hashed);
    if (p.payload_used) out += "P" + std::to_string(p.payload_component);
    return out + ")";
  }

  std::string sign1_fields(Bytes block, Bytes external, const PublicKey* raw_key, const std::string& index) {
    cose::Sign1 msg;
    const Status s = cose::parse_sign1(block, msg);
    std::string out = "s" + index + "=" + r_.outcome(s);
    if (!s.ok()) return out;
    out += "(" + std::to_string(msg.alg) + ",x" + std::to_string(msg.x5chain_count) +
           (msg.payload_detached ? "" : ",attached") + ")";
    PublicKey key;
    x509::Certificate leaf;
    if (msg.x5chain_count > 0) {
      const Status l = x509::parse_certificate(msg.x5chain[0], leaf);
      if (!l.ok()) return out + " v" + index + "=leaf:" + r_.outcome(l);
      if (leaf.key_error.code != Code::ok) return out + " v" + index + "=key:" + r_.outcome(leaf.key_error);
      key = leaf.key;
    } else if (raw_key != nullptr) {
      key = *raw_key;
    } else {
      return out;
    }
    return out + " v" + index + "=" + r_.outcome(cose::verify_sign1(crypto_, msg, key, external, sig_scratch_));
  }

  std::string trust_fields(Bytes input, const EnvelopeSetup& setup) {
    MemoryPayload payload(setup.payload_bytes);
    suit::ProcessOptions options = setup.options;
    if (setup.payload) options.detached_payload = &payload;
    options.scratch = scratch_;
    trust::Verdict& v = *verdict_;
    const Status s = trust::verify_envelope(crypto_, input, setup.anchors, setup.policy, options, *workspace_, v);
    std::string out = r_.outcome(s) + "@" + trust::stage_name(v.stage);
    if (s.code() != v.error.code) out += "!verdict=" + r_.outcome(v.error);
    out += " q" + std::to_string(v.sequence_number) + (v.supplier_signed ? " S" : "") + (v.asset_owner_signed ? " O" : "");
    out += " [";
    for (std::size_t i = 0; i < v.signature_count; ++i) {
      const auto& sig = v.signatures[i];
      if (i > 0) out += " ";
      out += r_.outcome(sig.error) + "/" + std::to_string(sig.cose_alg) + "/c" + std::to_string(sig.chain_length) +
             (sig.role == trust::Role::asset_owner ? "/O" : "/S");
      if (sig.certificate_failed) out += "/f" + std::to_string(sig.failing_certificate);
      if (sig.error.code == Code::ok) out += "/a" + std::to_string(sig.anchor_index);
    }
    out += "]";
    if (s.ok() || v.stage == trust::Stage::payload) out += process_summary(v.report);
    return out;
  }

  void run_envelope(const std::string& name, const Buffer& data, bool example, const Sampling& sampling) {
    PublicKey example_key;
    if (example) {
      const Status s = x509::parse_spki(example_spki_, example_key);
      EXPECT_TRUE(s.ok());
    }
    PublicKey raw_key;
    if (!example) {
      EXPECT_TRUE(x509::parse_spki(raw_spki_, raw_key).ok());
    }
    EnvelopeSetup setup = default_setup(example);
    setup.raw_key = example ? &example_key : &raw_key;
    for_each_variant(name, data, sampling, [&](const std::string& id, const Buffer& input) {
      r_.line(id + " " + envelope_fields(input, setup));
    });
    // The clean envelope under each policy (and pairs of policy faults).
    struct Variation {
      const char* name;
      void (*apply)(EnvelopeSetup&, CoreOutcomes&);
    };
    static const Variation kVariations[] = {
        {"min-seq-equal", [](EnvelopeSetup& s, CoreOutcomes& f) { s.policy.minimum_sequence = f.sequence_; }},
        {"min-seq-above", [](EnvelopeSetup& s, CoreOutcomes& f) { s.policy.minimum_sequence = f.sequence_ + 1; }},
        {"require-owner", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.require_asset_owner = true; }},
        {"floor", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.path.time_mode = x509::TimeMode::floor; }},
        {"floor-future", [](EnvelopeSetup& s, CoreOutcomes&) {
           s.policy.path.time_mode = x509::TimeMode::floor;
           s.policy.path.time = kTestNow + 20 * 365 * kDay;
         }},
        {"time-none", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.path.time_mode = x509::TimeMode::none; }},
        {"clock-future", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.path.time = kTestNow + 7 * 365 * kDay; }},
        {"clock-past", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.path.time = kTestNow - 3 * 365 * kDay; }},
        {"no-raw-keys", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.allow_raw_keys = false; }},
        {"allow-rsa", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.path.keys.rsa = true; }},
        {"max-int-0", [](EnvelopeSetup& s, CoreOutcomes&) { s.policy.path.max_intermediates = 0; }},
        {"wrong-vendor", [](EnvelopeSetup& s, CoreOutcomes& f) { s.options.expected_vendor_id = f.class_; }},
        {"wrong-class", [](EnvelopeSetup& s, CoreOutcomes& f) { s.options.expected_class_id = f.vendor_; }},
        {"device-id", [](EnvelopeSetup& s, CoreOutcomes& f) { s.options.device_id = f.vendor_; }},
        {"slot-known", [](EnvelopeSetup& s, CoreOutcomes&) {
           s.options.device_slot_known = true;
           s.options.device_slot = 1;
         }},
        {"no-payload", [](EnvelopeSetup& s, CoreOutcomes&) {
           s.payload = false;
           s.options.require_payload = true;
         }},
        {"manifest-only", [](EnvelopeSetup& s, CoreOutcomes&) {
           s.payload = false;
           s.options.require_payload = false;
         }},
        {"payload-short", [](EnvelopeSetup& s, CoreOutcomes&) {
           s.payload = true;
           s.payload_bytes = s.payload_bytes.first(s.payload_bytes.size() > 0 ? s.payload_bytes.size() - 1 : 0);
         }},
        {"payload-changed", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.payload = true;
           f.changed_payload_ = f.payload_;
           f.changed_payload_[100] ^= 1;
           s.payload_bytes = f.changed_payload_;
         }},
        {"max-image-100", [](EnvelopeSetup& s, CoreOutcomes&) { s.options.max_image_size = 100; }},
        {"manifest-only+max-image-100", [](EnvelopeSetup& s, CoreOutcomes&) {
           s.payload = false;
           s.options.require_payload = false;
           s.options.max_image_size = 100;
         }},
        {"no-anchors", [](EnvelopeSetup& s, CoreOutcomes&) { s.anchors = {}; }},
        {"anchors-swapped", [](EnvelopeSetup& s, CoreOutcomes& f) { s.anchors = {f.owner_, f.supplier_}; }},
        {"rollback+wrong-vendor", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.policy.minimum_sequence = f.sequence_ + 1;
           s.options.expected_vendor_id = f.class_;
         }},
        {"rollback+clock-future", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.policy.minimum_sequence = f.sequence_ + 1;
           s.policy.path.time = kTestNow + 7 * 365 * kDay;
         }},
        {"wrong-class+no-payload", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.options.expected_class_id = f.vendor_;
           s.payload = false;
           s.options.require_payload = true;
         }},
        {"require-owner+rollback", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.policy.require_asset_owner = true;
           s.policy.minimum_sequence = f.sequence_ + 1;
         }},
        {"no-anchors+wrong-vendor", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.anchors = {};
           s.options.expected_vendor_id = f.class_;
         }},
        {"payload-changed+rollback", [](EnvelopeSetup& s, CoreOutcomes& f) {
           s.payload = true;
           f.changed_payload_ = f.payload_;
           f.changed_payload_[100] ^= 1;
           s.payload_bytes = f.changed_payload_;
           s.policy.minimum_sequence = f.sequence_ + 1;
         }},
    };
    suit::Envelope env;
    sequence_ = 0;
    if (suit::parse_envelope(data, env).ok() && suit::parse_manifest(crypto_, env, *manifest_).ok()) {
      sequence_ = manifest_->sequence_number;
    }
    for (const auto& variation : kVariations) {
      EnvelopeSetup s = default_setup(example);
      s.raw_key = setup.raw_key;
      if (example) s.payload_bytes = payload_;  // for the payload variations
      variation.apply(s, *this);
      r_.line(name + "#" + variation.name + " t=" + trust_fields(data, s));
    }
  }

  // ---- bare COSE_Sign1 ----

  void run_sign1(const std::string& name, const Buffer& envelope, bool example, const Sampling& sampling) {
    suit::Envelope env;
    ASSERT_TRUE(suit::parse_envelope(envelope, env).ok()) << name;
    PublicKey key;
    ASSERT_TRUE(x509::parse_spki(example ? example_spki_ : raw_spki_, key).ok());
    const Buffer external(env.digest_encoded.begin(), env.digest_encoded.end());
    const Buffer block(env.auth_blocks[0].begin(), env.auth_blocks[0].end());
    for_each_variant(name, block, sampling, [&](const std::string& id, const Buffer& input) {
      r_.line(id + " c=" + r_.outcome(cbor::validate(input)) + " " + sign1_fields(input, external, &key, ""));
    });
  }

  // ---- certificates, keys, extensions ----

  // run_certificate mutates chain[position]; a variant that parses is validated in its place.
  void run_certificate(const std::string& name, const std::vector<Buffer>& chain, std::size_t position,
                       const Sampling& sampling) {
    x509::PathPolicy policy;
    policy.time = kTestNow;
    policy.order = x509::ChainOrder::leaf_first;
    policy.keys.rsa = true;
    const std::vector<x509::TrustAnchor> anchors = {certificate_anchor(chain.back())};
    for_each_variant(name, chain[position], sampling, [&](const std::string& id, const Buffer& input) {
      std::string out = id + " d=" + r_.outcome(der::check_element(input));
      x509::Certificate cert;
      const Status x = x509::parse_certificate(input, cert);
      out += " x=" + r_.outcome(x);
      if (x.ok()) {
        out += summary(cert);
        if (position + 1 < chain.size()) {
          std::vector<x509::Certificate> certs(chain.size() - 1);
          for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
            if (i == position) {
              certs[i] = cert;
            } else {
              EXPECT_TRUE(x509::parse_certificate(chain[i], certs[i]).ok());
            }
          }
          const Status p = x509::validate_path(certs[0], std::span(certs).subspan(1), anchors, policy, crypto_, *path_);
          out += " p=" + path_fields(r_, p, *path_);
        }
      }
      r_.line(out);
    });
  }

  void run_spki(const std::string& name, const Buffer& spki, const Sampling& sampling) {
    for_each_variant(name, spki, sampling, [&](const std::string& id, const Buffer& input) {
      PublicKey key;
      const Status k = x509::parse_spki(input, key);
      std::string out = id + " d=" + r_.outcome(der::check_element(input)) + " k=" + r_.outcome(k);
      if (k.ok()) out += "(" + std::to_string(static_cast<int>(key.type)) + "/" + std::to_string(key.bits) + ")";
      r_.line(out);
    });
  }

  // extensions_of returns the contents of the [3] wrapper of a certificate's TBS.
  static Buffer extensions_of(const Buffer& der) {
    x509::Certificate cert;
    EXPECT_TRUE(x509::parse_certificate(der, cert).ok());
    Reader tbs;
    EXPECT_TRUE(der::read_only(cert.tbs, der::kSequence, tbs).ok());
    while (!tbs.empty()) {
      der::Element e;
      if (!der::read_any(tbs, e).ok()) break;
      if (e.tag == der::context_constructed(3)) return Buffer(e.contents.begin(), e.contents.end());
    }
    ADD_FAILURE() << "no extensions";
    return {};
  }

  void run_extensions(const std::string& name, const Buffer& cert_der, const Sampling& sampling) {
    for_each_variant(name, extensions_of(cert_der), sampling, [&](const std::string& id, const Buffer& input) {
      x509::Certificate cert;
      const Status s = x509::parse_extensions(input, cert);
      std::string out = id + " X=" + r_.outcome(s);
      if (s.ok()) out += summary(cert);
      r_.line(out);
    });
  }

  // ---- path validation over variants, anchors, orders and policies ----

  std::string validate(const Buffer& leaf_der, const std::vector<Buffer>& untrusted_der,
                       const std::vector<x509::TrustAnchor>& anchors, const x509::PathPolicy& policy) {
    x509::Certificate leaf;
    const Status l = x509::parse_certificate(leaf_der, leaf);
    if (!l.ok()) return "leaf:" + r_.outcome(l);
    std::vector<x509::Certificate> untrusted(untrusted_der.size());
    for (std::size_t i = 0; i < untrusted_der.size(); ++i) {
      const Status u = x509::parse_certificate(untrusted_der[i], untrusted[i]);
      if (!u.ok()) return "untrusted" + std::to_string(i) + ":" + r_.outcome(u);
    }
    const Status p = x509::validate_path(leaf, untrusted, anchors, policy, crypto_, *path_);
    return path_fields(r_, p, *path_);
  }

  struct NamedPolicy {
    std::string name;
    x509::PathPolicy policy;
  };

  static std::vector<NamedPolicy> path_policies() {
    std::vector<NamedPolicy> out;
    auto add = [&](const std::string& name, auto&& edit) {
      x509::PathPolicy p;
      p.time = kTestNow;
      p.order = x509::ChainOrder::leaf_first;
      edit(p);
      out.push_back({name, p});
    };
    add("ordered", [](x509::PathPolicy&) {});
    add("search", [](x509::PathPolicy& p) { p.order = x509::ChainOrder::any; });
    add("purpose-any", [](x509::PathPolicy& p) { p.purpose = x509::Purpose::any; });
    add("floor", [](x509::PathPolicy& p) { p.time_mode = x509::TimeMode::floor; });
    add("time-none", [](x509::PathPolicy& p) { p.time_mode = x509::TimeMode::none; });
    add("clock-future", [](x509::PathPolicy& p) { p.time = kTestNow + 7 * 365 * kDay; });
    add("rsa", [](x509::PathPolicy& p) {
      p.keys.rsa = true;
      p.keys.rsa_min_bits = 2048;
    });
    add("no-p256", [](x509::PathPolicy& p) { p.keys.ec_p256 = false; });
    add("max-int-0", [](x509::PathPolicy& p) { p.max_intermediates = 0; });
    add("purpose-any+time-none", [](x509::PathPolicy& p) {
      p.purpose = x509::Purpose::any;
      p.time_mode = x509::TimeMode::none;
    });
    return out;
  }

  void run_paths() {
    const auto policies = path_policies();
    const Buffer leaf = corpus("chain-p256-leaf.der"), intermediate = corpus("chain-p256-int.der"),
                 root = corpus("chain-p256-root.der");
    const std::vector<x509::TrustAnchor> anchors = {certificate_anchor(root)};
    std::vector<std::string> leaves, intermediates;
    for (const auto& entry : std::filesystem::directory_iterator(testdata("golden/corpus"))) {
      const std::string file = entry.path().filename().string();
      const std::string stem = entry.path().stem().string();
      if (file.rfind("leaf-", 0) == 0) leaves.push_back(stem);
      if (file.rfind("int-", 0) == 0) intermediates.push_back(stem);
    }
    std::sort(leaves.begin(), leaves.end());
    std::sort(intermediates.begin(), intermediates.end());
    leaves.insert(leaves.begin(), "chain-p256-leaf");
    intermediates.insert(intermediates.begin(), "chain-p256-int");
    // Every leaf with the good intermediate, every intermediate with the good leaf, each policy.
    for (const auto& p : policies) {
      for (const auto& l : leaves) {
        r_.line("path/" + l + "+int#" + p.name + " p=" + validate(corpus(l + ".der"), {intermediate}, anchors, p.policy));
      }
      for (const auto& i : intermediates) {
        r_.line("path/leaf+" + i + "#" + p.name + " p=" + validate(leaf, {corpus(i + ".der")}, anchors, p.policy));
      }
    }
    // Every faulty leaf with every faulty intermediate: which finding wins.
    for (const auto& l : leaves) {
      for (const auto& i : intermediates) {
        r_.line("path/" + l + "+" + i + "#ordered p=" + validate(corpus(l + ".der"), {corpus(i + ".der")}, anchors, policies[0].policy));
      }
    }
    // Chains of each key type: orders of the untrusted certificates, anchor kinds, policies.
    for (const char* kind : {"p256", "p384", "ed25519", "rsa3072"}) {
      const std::string prefix = std::string("chain-") + kind + "-";
      const Buffer l = corpus(prefix + "leaf.der"), i = corpus(prefix + "int.der"), r = corpus(prefix + "root.der");
      const Buffer other_root = corpus(std::string(kind) == "p384" ? "chain-p256-root.der" : "chain-p384-root.der");
      std::vector<std::pair<std::string, std::vector<x509::TrustAnchor>>> anchor_sets;
      anchor_sets.push_back({"root", {certificate_anchor(r)}});
      x509::TrustAnchor pin;
      pin.kind = x509::AnchorKind::spki_sha256;
      {
        x509::Certificate root_cert;
        EXPECT_TRUE(x509::parse_certificate(r, root_cert).ok());
        Digest d;
        EXPECT_TRUE(digest(crypto_, HashAlg::sha256, root_cert.spki, d).ok());
        std::memcpy(pin.spki_sha256, d.value, 32);
        anchor_sets.push_back({"pin-root", {pin}});
        x509::TrustAnchor raw;
        raw.kind = x509::AnchorKind::raw_key;
        raw.raw_key = root_cert.key;
        anchor_sets.push_back({"raw-root", {raw}});
        x509::Certificate int_cert;
        EXPECT_TRUE(x509::parse_certificate(i, int_cert).ok());
        raw.raw_key = int_cert.key;
        anchor_sets.push_back({"raw-int", {raw}});
      }
      // The x509::Certificate keys above point into l/i/r, which live to the end of this loop body.
      anchor_sets.push_back({"int-as-root", {certificate_anchor(i)}});
      anchor_sets.push_back({"other-root", {certificate_anchor(other_root)}});
      anchor_sets.push_back({"other+root", {certificate_anchor(other_root), certificate_anchor(r)}});
      anchor_sets.push_back({"none", {}});
      const std::vector<std::pair<std::string, std::vector<Buffer>>> orders = {
          {"i", {i}}, {"-", {}}, {"r,i", {r, i}}, {"i,r", {i, r}}, {"i,i", {i, i}}, {"r", {r}}, {"l,i", {l, i}}};
      for (const auto& [anchor_name, anchor_set] : anchor_sets) {
        for (const auto& [order_name, untrusted] : orders) {
          for (const std::size_t p : {0, 1}) {  // ordered, search
            r_.line("path/" + std::string(kind) + "/" + anchor_name + "/" + order_name + "#" + policies[p].name +
                    " p=" + validate(l, untrusted, anchor_set, policies[p].policy));
          }
        }
      }
      for (std::size_t p = 2; p < policies.size(); ++p) {
        r_.line("path/" + std::string(kind) + "/root/i#" + policies[p].name +
                " p=" + validate(l, {i}, anchor_sets[0].second, policies[p].policy));
      }
    }
    // Two intermediates: pathLenConstraint and the intermediate bound.
    const Buffer l4 = corpus("chain4-p256-leaf.der"), i1 = corpus("chain4-p256-int1.der"),
                 i2 = corpus("chain4-p256-int2.der"), i2p = corpus("chain4-p256-int2-pathlen0.der"),
                 r4 = corpus("chain4-p256-root.der");
    const std::vector<x509::TrustAnchor> a4 = {certificate_anchor(r4)};
    for (const std::size_t max : {0, 1, 2, 3, 9}) {
      for (const std::size_t p : {0, 1}) {
        x509::PathPolicy policy = policies[p].policy;
        policy.max_intermediates = max;
        const std::string suffix = "#" + policies[p].name + "-max" + std::to_string(max);
        r_.line("path/chain4/i1,i2" + suffix + " p=" + validate(l4, {i1, i2}, a4, policy));
        r_.line("path/chain4/i1,i2p" + suffix + " p=" + validate(l4, {i1, i2p}, a4, policy));
        r_.line("path/chain4/i2,i1" + suffix + " p=" + validate(l4, {i2, i1}, a4, policy));
        r_.line("path/chain4/i1" + suffix + " p=" + validate(l4, {i1}, a4, policy));
      }
    }
    // More than kMaxChain untrusted certificates; more than kMaxAnchors anchors.
    r_.line("path/too-many-untrusted p=" + validate(leaf, std::vector<Buffer>(x509::kMaxChain + 1, intermediate),
                                                    anchors, policies[0].policy));
    r_.line("path/too-many-anchors p=" + validate(leaf, {intermediate},
                                                  std::vector<x509::TrustAnchor>(x509::kMaxAnchors + 1, anchors[0]),
                                                  policies[0].policy));
    const Buffer garbage = {0x30, 0x03, 0x02, 0x01, 0x01};
    r_.line("path/bad-anchor-cert p=" + validate(leaf, {intermediate}, {certificate_anchor(garbage)}, policies[0].policy));
  }

  trust::Verdict& verdict() { return *verdict_; }

 private:
  CryptoPort& crypto_;
  Recorder r_;
  std::unique_ptr<trust::Workspace> workspace_;
  std::unique_ptr<trust::Verdict> verdict_;
  std::unique_ptr<suit::Manifest> manifest_;
  std::unique_ptr<x509::PathReport> path_ = std::make_unique<x509::PathReport>();
  Buffer scratch_;
  std::uint8_t sig_scratch_[8192] = {};
  Buffer example_spki_, raw_spki_, vendor_, class_, payload_, changed_payload_;
  std::vector<Buffer> env_roots_;
  std::vector<x509::TrustAnchor> supplier_, owner_;
  std::uint64_t sequence_ = 0;
};

// ---- golden file handling ----

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// expand replaces each "~hash" in line with the message text of the table (for diffs).
std::string expand(const std::string& line, const std::map<std::string, std::string>& table) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '~' && i + 7 <= line.size()) {
      const auto it = table.find(line.substr(i + 1, 6));
      if (it != table.end()) {
        out += "~\"" + it->second + "\"";
        i += 6;
        continue;
      }
    }
    out += line[i];
  }
  return out;
}

std::map<std::string, std::string> message_table(const std::vector<std::string>& lines) {
  std::map<std::string, std::string> table;
  for (const auto& l : lines) {
    if (l.size() > 8 && l[0] == '~' && l[7] == ' ') table[l.substr(1, 6)] = l.substr(8);
  }
  return table;
}

// expand_all resolves "<id> =" to the previous line's outcome and expands the messages; the
// message table itself is left out (its changes show in the lines that use it).
std::vector<std::string> expand_all(const std::vector<std::string>& lines,
                                    const std::map<std::string, std::string>& table) {
  std::vector<std::string> out;
  std::string previous;
  for (const auto& l : lines) {
    if (l.empty() || l[0] == '~' || l[0] == '#') continue;
    const std::size_t space = l.find(' ');
    std::string fields = space == std::string::npos ? "" : l.substr(space + 1);
    if (fields == "=") fields = previous;
    previous = fields;
    out.push_back(l.substr(0, space) + " " + expand(fields, table));
  }
  return out;
}

// id_of returns the input id (and the policy) of a line: its first field.
std::string id_of(const std::string& line) { return line.substr(0, line.find(' ')); }

void write_atomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    ASSERT_TRUE(out) << "cannot write " << temp;
  }
  std::filesystem::rename(temp, path);
}

const char* golden_name() {
  if (FT_CORE_MESSAGES && config::kRsa && config::kPathSearch) return "core-outcomes.txt";
  if (!FT_CORE_MESSAGES && !config::kRsa && !config::kPathSearch) return "core-outcomes-device-profile.txt";
  return nullptr;
}

TEST(CoreOutcomes, MatchGolden) {
  const char* name = golden_name();
  if (name == nullptr) GTEST_SKIP() << "no golden file for this combination of FT_CORE_* switches";

  CoreOutcomes f;
  // Envelopes: the SUIT examples (raw key) and the signed envelopes of the corpus.
  Sampling examples;
  examples.masks = 1;
  examples.truncate_stride = 4;
  examples.insert_stride = 16;
  examples.pairs = 24;
  for (const char* ex : {"exp0", "exp1", "exp2A", "exp2B", "exp3", "exp4", "exp5"}) {
    f.run_envelope(std::string("suit-") + ex, load(std::string("suit/suit_manifest_") + ex + ".suit"), true, examples);
  }
  Sampling envelopes;
  envelopes.stride = 5;
  envelopes.truncate_stride = 16;
  envelopes.insert_stride = 64;
  envelopes.pairs = 32;
  for (const char* env : {"env-p256-integrated", "env-ed25519-detached", "env-two-signers", "env-raw-p256",
                          "env-leaf-no-eku"}) {
    f.run_envelope(env, corpus(std::string(env) + ".suit"), false, envelopes);
  }
  // COSE_Sign1 alone: the first signature of an example and of the raw-key envelope.
  Sampling sign1;
  sign1.masks = 2;
  sign1.truncate_stride = 1;
  sign1.insert_stride = 4;
  sign1.pairs = 32;
  f.run_sign1("cose-exp1", load("suit/suit_manifest_exp1.suit"), true, sign1);
  f.run_sign1("cose-raw-p256", corpus("env-raw-p256.suit"), false, sign1);
  // Certificates in their chains (the leaf most densely: it carries the profile's rules).
  Sampling leaf;
  leaf.masks = 1;
  leaf.truncate_stride = 4;
  leaf.insert_stride = 16;
  leaf.pairs = 32;
  Sampling issuer = leaf;
  issuer.stride = 3;
  issuer.truncate_stride = 8;
  issuer.insert_stride = 32;
  issuer.pairs = 16;
  Sampling sparse = issuer;
  sparse.stride = 9;
  sparse.truncate_stride = 24;
  sparse.insert_stride = 96;
  sparse.pairs = 8;
  for (const char* kind : {"p256", "p384", "ed25519", "rsa3072"}) {
    const std::string prefix = std::string("chain-") + kind + "-";
    const std::vector<Buffer> chain = {corpus(prefix + "leaf.der"), corpus(prefix + "int.der"),
                                       corpus(prefix + "root.der")};
    const bool dense = std::string(kind) == "p256";
    const bool rsa = std::string(kind) == "rsa3072";
    f.run_certificate(prefix + "leaf", chain, 0, dense ? leaf : rsa ? sparse : issuer);
    f.run_certificate(prefix + "int", chain, 1, rsa ? sparse : issuer);
    f.run_certificate(prefix + "root", chain, 2, sparse);
  }
  // Extensions and keys.
  Sampling dense_small;
  dense_small.masks = 2;
  dense_small.truncate_stride = 1;
  dense_small.insert_stride = 4;
  dense_small.pairs = 32;
  f.run_extensions("ext-p256-leaf", corpus("chain-p256-leaf.der"), dense_small);
  f.run_extensions("ext-p256-int", corpus("chain-p256-int.der"), dense_small);
  f.run_extensions("ext-leaf-unknown-crit", corpus("leaf-unknown-crit.der"), leaf);
  for (const char* kind : {"p256", "p384", "ed25519", "rsa3072"}) {
    const Buffer der = corpus(std::string("chain-") + kind + "-leaf.der");
    const Buffer spki(x509::parse_certificate(der)->spki.begin(), x509::parse_certificate(der)->spki.end());
    f.run_spki(std::string("spki-") + kind, spki, std::string(kind) == "rsa3072" ? sparse : dense_small);
  }
  for (const char* odd : {"leaf-p521", "leaf-secp256k1", "leaf-rsa2048"}) {
    const Buffer der = corpus(std::string(odd) + ".der");
    const Buffer spki(x509::parse_certificate(der)->spki.begin(), x509::parse_certificate(der)->spki.end());
    f.run_spki(std::string("spki-") + odd, spki, sparse);
  }
  // Paths.
  f.run_paths();

  ASSERT_TRUE(f.recorder().collisions().empty()) << "two messages share a 24-bit hash: " << f.recorder().collisions()[0];
  const std::string header = std::string("# ") + name +
                             " — outcomes of the verifier core on the golden corpus (tests/golden/"
                             "core_outcomes_test.cc).\n# Regenerate: FT_UPDATE_GOLDEN=1 ft_core_outcomes_test "
                             "(testdata/golden/README.md). " +
                             std::to_string(f.recorder().size()) + " inputs.\n";
  const std::string got = f.recorder().text(header);
  const std::string path = testdata(std::string("golden/") + name);

  const char* update = std::getenv("FT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_atomically(path, got);
    std::printf("wrote %s (%zu lines)\n", path.c_str(), f.recorder().size());
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (FT_UPDATE_GOLDEN=1 writes it)";
  const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (expected == got) return;

  // Report: the first differing lines, with "=" and the message hashes expanded.
  const auto want_raw = split_lines(expected), have_raw = split_lines(got);
  const auto want_table = message_table(want_raw), have_table = message_table(have_raw);
  const auto want = expand_all(want_raw, want_table), have = expand_all(have_raw, have_table);
  std::size_t differing = 0;
  std::string report;
  constexpr std::size_t kShown = 20;
  const std::size_t n = std::max(want.size(), have.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string* w = i < want.size() ? &want[i] : nullptr;
    const std::string* h = i < have.size() ? &have[i] : nullptr;
    if (w != nullptr && h != nullptr && *w == *h) continue;
    ++differing;
    if (differing <= kShown) {
      report += "input " + std::to_string(i + 1) + ": " + (w ? id_of(*w) : id_of(*h)) + "\n";
      report += "  expected: " + (w ? *w : std::string("(none)")) + "\n";
      report += "  got:      " + (h ? *h : std::string("(none)")) + "\n";
    }
  }
  if (want.size() != have.size()) {
    report += "expected " + std::to_string(want.size()) + " lines, got " + std::to_string(have.size()) +
              " (inputs added or removed: later lines are shifted)\n";
  }
  if (differing == 0) report += "only the header or the message table differs\n";
  ADD_FAILURE() << differing << " line(s) differ from " << path << " (first " << std::min(differing, kShown)
                << " below). If the change of behaviour is intended, rerun with FT_UPDATE_GOLDEN=1 and review "
                << "the diff.\n"
                << report;
}

}  // namespace
}  // namespace ft
