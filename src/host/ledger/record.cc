#include "ft/ledger/record.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "ft/ledger/cbor_writer.h"
#include "ft/cbor/cbor.h"
#include "ft/ports/openssl.h"

namespace ft::ledger {

namespace {

constexpr std::uint64_t kKeySeq = 1, kKeyPrevHash = 2, kKeyTime = 3, kKeyKind = 4, kKeyAlg = 5, kKeyFields = 6;
constexpr char kSigningContext[] = "FieldTrust log record";

Bytes text_bytes(const std::string& s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

std::string bytes_text(Bytes b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

void check_name(const std::string& name, const char* what) {
  if (name.empty() || name.size() > kMaxKindLength) {
    throw std::invalid_argument(std::string("log record: ") + what + " \"" + name + "\" must be 1.." +
                                std::to_string(kMaxKindLength) + " bytes");
  }
}

// Deterministic order of text map keys: shorter encodings first, then bytewise (RFC 8949 §4.2.1).
bool deterministic_less(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void write_field(cbor::Encoder& e, const FieldValue& v) {
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::uint64_t>) {
          e.write_uint(value);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          e.write_int(value);
        } else if constexpr (std::is_same_v<T, std::string>) {
          e.write_tstr(text_bytes(value));
        } else if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
          e.write_bstr(Bytes(value));
        } else {
          e.write_bool(value);
        }
      },
      v);
}

// Canonical form of a number: non-negative values are uint64, so encode/decode round-trips.
FieldValue canonical(const FieldValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v); i != nullptr && *i >= 0) {
    return static_cast<std::uint64_t>(*i);
  }
  return v;
}

std::string status_text(const Status& s) { return std::string(s.error().message) + " [" + code_name(s.code()) + "]"; }

// Reader — decodes with a running explanation; the first failure wins.
class BodyReader {
 public:
  explicit BodyReader(Bytes data) : d_(data) {}

  bool fail(const std::string& what, const Status& s) {
    if (error_.message.empty()) {
      error_.truncated = s.code() == Code::truncated;
      error_.message = what + ": " + status_text(s);
    }
    return false;
  }
  bool fail(const std::string& what) {
    if (error_.message.empty()) error_.message = what;
    return false;
  }

  bool key(std::uint64_t expected) {
    std::uint64_t k = 0;
    const Status s = d_.read_uint(k);
    if (!s.ok()) return fail("body key " + std::to_string(expected), s);
    if (k != expected) return fail("body: expected key " + std::to_string(expected) + ", found " + std::to_string(k));
    return true;
  }

  bool read(Body& body) {
    std::size_t count = 0;
    Status s = d_.read_map(count);
    if (!s.ok()) return fail("body", s);
    if (count != 6) return fail("body: expected 6 members, found " + std::to_string(count));
    if (!key(kKeySeq)) return false;
    if (s = d_.read_uint(body.seq); !s.ok()) return fail("body: seq", s);
    if (!key(kKeyPrevHash)) return false;
    Bytes prev;
    if (s = d_.read_bstr(prev); !s.ok()) return fail("body: prev_hash", s);
    if (prev.size() != body.prev_hash.size()) return fail("body: prev_hash is not 32 bytes");
    std::copy(prev.begin(), prev.end(), body.prev_hash.begin());
    if (!key(kKeyTime)) return false;
    if (s = d_.read_int(body.time); !s.ok()) return fail("body: time", s);
    if (!key(kKeyKind)) return false;
    Bytes kind;
    if (s = d_.read_tstr(kind); !s.ok()) return fail("body: kind", s);
    if (kind.empty() || kind.size() > kMaxKindLength) return fail("body: kind length out of range");
    body.kind = bytes_text(kind);
    if (!key(kKeyAlg)) return false;
    if (s = d_.read_int(body.alg); !s.ok()) return fail("body: alg", s);
    if (!key(kKeyFields)) return false;
    std::size_t n = 0;
    if (s = d_.read_map(n); !s.ok()) return fail("body: fields", s);
    if (n > kMaxFields) return fail("body: more than " + std::to_string(kMaxFields) + " fields");
    for (std::size_t i = 0; i < n; ++i) {
      Bytes name;
      if (s = d_.read_tstr(name); !s.ok()) return fail("body: field name", s);
      if (name.empty() || name.size() > kMaxKindLength) return fail("body: field name length out of range");
      const std::string field = bytes_text(name);
      cbor::Major major{};
      if (s = d_.peek_major(major); !s.ok()) return fail("body: field " + field, s);
      FieldValue value;
      switch (major) {
        case cbor::Major::uint: {
          std::uint64_t u = 0;
          s = d_.read_uint(u);
          value = u;
          break;
        }
        case cbor::Major::nint: {
          std::int64_t i64 = 0;
          s = d_.read_int(i64);
          value = i64;
          break;
        }
        case cbor::Major::tstr: {
          Bytes t;
          s = d_.read_tstr(t);
          value = bytes_text(t);
          break;
        }
        case cbor::Major::bstr: {
          Bytes b;
          s = d_.read_bstr(b);
          value = std::vector<std::uint8_t>(b.begin(), b.end());
          break;
        }
        case cbor::Major::simple: {
          bool flag = false;
          s = d_.read_bool(flag);
          value = flag;
          break;
        }
        default: return fail("body: field " + field + " has an unsupported CBOR type");
      }
      if (!s.ok()) return fail("body: field " + field, s);
      body.fields.emplace(field, std::move(value));
    }
    if (s = d_.expect_end(); !s.ok()) return fail("body", s);
    return true;
  }

  [[nodiscard]] const DecodeError& error() const { return error_; }

 private:
  cbor::Decoder d_;
  DecodeError error_;
};

}  // namespace

const char* alg_name(std::int64_t alg) {
  switch (alg) {
    case kAlgEs256: return "ES256";
    case kAlgHmac256: return "HMAC-SHA256";
    default: return "unknown";
  }
}

std::optional<std::int64_t> field_int(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  if (const auto* u = std::get_if<std::uint64_t>(&it->second)) {
    if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(*u);
  }
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return *i;
  return std::nullopt;
}

std::optional<std::uint64_t> field_uint(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  if (const auto* u = std::get_if<std::uint64_t>(&it->second)) return *u;
  return std::nullopt;
}

std::optional<std::string> field_text(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  if (const auto* t = std::get_if<std::string>(&it->second)) return *t;
  return std::nullopt;
}

std::vector<std::uint8_t> encode_body(const Body& body) {
  check_name(body.kind, "kind");
  std::vector<std::pair<std::string, FieldValue>> sorted;
  for (const auto& [name, value] : body.fields) {
    check_name(name, "field name");
    sorted.emplace_back(name, canonical(value));
  }
  if (sorted.size() > kMaxFields) throw std::invalid_argument("log record: too many fields");
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return deterministic_less(a.first, b.first); });
  return encode_cbor([&](cbor::Encoder& e) {
    e.write_map(6);
    e.write_uint(kKeySeq);
    e.write_uint(body.seq);
    e.write_uint(kKeyPrevHash);
    e.write_bstr(Bytes(body.prev_hash));
    e.write_uint(kKeyTime);
    e.write_int(body.time);
    e.write_uint(kKeyKind);
    e.write_tstr(text_bytes(body.kind));
    e.write_uint(kKeyAlg);
    e.write_int(body.alg);
    e.write_uint(kKeyFields);
    e.write_map(sorted.size());
    for (const auto& [name, value] : sorted) {
      e.write_tstr(text_bytes(name));
      write_field(e, value);
    }
  });
}

std::vector<std::uint8_t> signing_input(Bytes body_encoded) {
  return encode_cbor([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_tstr(kSigningContext);
    e.write_bstr(body_encoded);
  });
}

std::vector<std::uint8_t> encode_record(Bytes body_encoded, Bytes signature) {
  return encode_cbor([&](cbor::Encoder& e) {
    e.write_array(2);
    e.write_bstr(body_encoded);
    e.write_bstr(signature);
  });
}

std::variant<Record, DecodeError> decode_record(Bytes encoded) {
  DecodeError err;
  auto fail = [&](const std::string& what, const Status& s) {
    err.truncated = s.code() == Code::truncated;
    err.message = what + ": " + status_text(s);
    return err;
  };
  if (encoded.empty()) return DecodeError{true, "record: no bytes"};
  if (encoded.size() > kMaxRecordSize) return DecodeError{false, "record: larger than " + std::to_string(kMaxRecordSize) + " bytes"};
  cbor::Decoder d(encoded);
  std::size_t count = 0;
  if (Status s = d.read_array(count); !s.ok()) return fail("record", s);
  if (count != 2) return DecodeError{false, "record: expected [body, signature], found " + std::to_string(count) + " items"};
  Bytes body, signature;
  if (Status s = d.read_bstr(body); !s.ok()) return fail("record: body", s);
  if (Status s = d.read_bstr(signature); !s.ok()) return fail("record: signature", s);
  if (Status s = d.expect_end(); !s.ok()) return fail("record", s);
  Record r;
  BodyReader reader(body);
  if (!reader.read(r.body)) {
    DecodeError e = reader.error();
    e.truncated = false;  // the outer bstr was complete: a broken body is malformed, not cut off
    return e;
  }
  r.body_encoded.assign(body.begin(), body.end());
  r.signature.assign(signature.begin(), signature.end());
  r.encoded.assign(encoded.begin(), encoded.end());
  return r;
}

Hash256 record_hash(Bytes encoded) {
  Digest d;
  if (const Status s = digest(openssl_crypto(), HashAlg::sha256, encoded, d); !s.ok()) {
    throw std::runtime_error("SHA-256 failed in the crypto port");
  }
  Hash256 out{};
  std::copy_n(d.value, out.size(), out.begin());
  return out;
}

}  // namespace ft::ledger
