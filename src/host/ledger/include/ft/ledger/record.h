// ft/ledger/record.h — one record of a tamper-evident, append-only log (DESIGN.md "Tamper-evident
// logs"): its fields, its deterministic CBOR encoding, and decoding with every rule checked.
//
// Encoding (deterministic CBOR, RFC 8949 §4.2.1):
//   record = [ body: bstr .cbor Body, signature: bstr ]
//   Body   = { 1: seq (uint), 2: prev_hash (bstr, 32), 3: time (int, Unix seconds),
//              4: kind (tstr), 5: alg (int, COSE: -7 ES256, 5 HMAC 256/256),
//              6: fields ({ tstr => uint / nint / tstr / bstr / bool }) }
// prev_hash is SHA-256 over the whole encoded previous record (body and signature), and 32 zero
// bytes for the first record (seq 0). The signature covers signing_input(body): see there.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ft/base/bytes.h"

namespace ft::ledger {

using Hash256 = std::array<std::uint8_t, 32>;

// COSE algorithm identifiers a record can be authenticated with.
inline constexpr std::int64_t kAlgEs256 = -7;     // ECDSA P-256 with SHA-256, signature r||s
inline constexpr std::int64_t kAlgHmac256 = 5;    // HMAC-SHA256, full 32-byte tag ("MAC'd")

// alg_name returns "ES256", "HMAC-SHA256" or "unknown".
const char* alg_name(std::int64_t alg);

// FieldValue — what a record field can hold.
using FieldValue = std::variant<std::uint64_t, std::int64_t, std::string, std::vector<std::uint8_t>, bool>;

// Fields — a record's named values. Negative values are stored as int64 (CBOR nint), others as
// uint64, so a decoded record compares equal to the one that was encoded.
using Fields = std::map<std::string, FieldValue>;

// field_int returns a field as a signed number when it holds one (uint64 values above INT64_MAX
// and non-numbers give nullopt); field_text and field_bytes likewise for text and bytes.
std::optional<std::int64_t> field_int(const Fields& fields, const std::string& name);
std::optional<std::uint64_t> field_uint(const Fields& fields, const std::string& name);
std::optional<std::string> field_text(const Fields& fields, const std::string& name);

// Body — the signed part of a record.
struct Body {
  std::uint64_t seq = 0;
  Hash256 prev_hash{};
  std::int64_t time = 0;
  std::string kind;
  std::int64_t alg = kAlgEs256;
  Fields fields;
  bool operator==(const Body&) const = default;
};

// Record — a decoded record: its body, the exact bytes, and the signature.
struct Record {
  Body body;
  std::vector<std::uint8_t> body_encoded;  // the bytes the signature covers (inside signing_input)
  std::vector<std::uint8_t> signature;
  std::vector<std::uint8_t> encoded;       // the whole record: what the next prev_hash covers
};

// Limits that keep a decoder's work bounded (a log is untrusted input).
inline constexpr std::size_t kMaxRecordSize = 4096;
inline constexpr std::size_t kMaxFields = 32;
inline constexpr std::size_t kMaxKindLength = 64;

// encode_body returns the deterministic CBOR encoding of body. Throws std::invalid_argument for a
// kind or field name that is empty or longer than kMaxKindLength.
std::vector<std::uint8_t> encode_body(const Body& body);

// signing_input returns the bytes a record's signature or MAC covers: the CBOR array
// ["FieldTrust log record", body_encoded]. The context string keeps a record signature from being
// mistaken for a signature over anything else the same key signs.
std::vector<std::uint8_t> signing_input(Bytes body_encoded);

// encode_record returns [body_encoded as bstr, signature as bstr].
std::vector<std::uint8_t> encode_record(Bytes body_encoded, Bytes signature);

// DecodeError — why bytes are not a record. `truncated` means the input ended inside the record
// (a torn or cut-off tail); anything else is a malformed record.
struct DecodeError {
  bool truncated = false;
  std::string message;
};

// decode_record parses exactly one record occupying all of encoded. Returns the record or the
// reason it is not one; never throws for bad input.
std::variant<Record, DecodeError> decode_record(Bytes encoded);

// record_hash returns SHA-256 of a record's encoding (the next record's prev_hash).
Hash256 record_hash(Bytes encoded);

}  // namespace ft::ledger
