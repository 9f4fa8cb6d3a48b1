// ft/ledger/verify_log.h — checking a tamper-evident log: record encodings, signatures (with the
// device identity certificate's key, chained to a provisioned root) or MACs, the hash chain,
// sequence numbers, and the device counter rules; and telling a truncated tail (allowed, reported)
// from forged, dropped, inserted and reordered records.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/ledger/record.h"
#include "ft/x509/path.h"

namespace ft::ledger {

// LogEntry — one record as found in an export (a JSON line, a CBOR sequence item, a flash frame).
struct LogEntry {
  std::vector<std::uint8_t> encoded;  // the record bytes as found (possibly cut off)
  // Non-empty when the container itself is wrong at this entry: a line that is not JSON, or JSON
  // fields that differ from the signed record they accompany. Such an entry counts as forged.
  std::string container_problem;
};

// LogKey — what authenticates the records: the device identity certificate's public key (after
// its chain validated to an anchor) or an HMAC key. Copyable; owns its bytes.
class LogKey {
 public:
  // from_certificates validates chain (DER, leaf first: the device identity certificate, then
  // intermediates) to one of anchors with x509::validate_path (Purpose::any, leaf-first order) at
  // time under time_mode, and returns the leaf's key. The leaf must hold an EC P-256 key (records
  // are ES256). Throws host::UserError (kExitRejected) naming the failing certificate and reason
  // when the path does not validate; kExitInput when the chain is empty or does not parse.
  static LogKey from_certificates(const std::vector<std::vector<std::uint8_t>>& chain,
                                  std::span<const x509::TrustAnchor> anchors, x509::TimeMode time_mode = x509::TimeMode::none,
                                  std::int64_t time = 0);

  // from_public_key trusts a DER SubjectPublicKeyInfo as is (tests, raw-key deployments). Throws
  // host::UserError (kExitInput) unless it is an EC P-256 key.
  static LogKey from_public_key(Bytes spki_der);

  // from_hmac uses a shared secret (at least 32 bytes). Throws host::UserError (kExitInput).
  static LogKey from_hmac(std::vector<std::uint8_t> key);

  // authenticates returns true when record's signature (alg ES256) or MAC (alg HMAC-SHA256)
  // verifies with this key; false for any other alg, a wrong key type, or a bad signature.
  [[nodiscard]] bool authenticates(const Record& record) const;

  // description names the key for reports: the certificate subject and anchor, or "HMAC key".
  [[nodiscard]] const std::string& description() const { return description_; }

 private:
  std::int64_t alg_ = 0;
  std::vector<std::uint8_t> material_;  // SPKI DER (ES256) or the secret (HMAC)
  std::string description_;
};

// FindingKind — what is wrong with a log, at an entry.
enum class FindingKind : std::uint8_t {
  truncated_tail,        // the last entry ends inside a record, or records expected at the end are missing
  forged,                // not a record, bad signature/MAC, chain hash mismatch, or container altered
  dropped,               // sequence numbers missing (a gap)
  inserted,              // an authentic record that does not belong here (a replayed duplicate, another chain)
  reordered,             // authentic records out of sequence order
  counter_inconsistent,  // counter moved backwards, from/to do not chain, or a boot below the minimum
};

// finding_kind_name returns "truncated_tail", "forged", ...
const char* finding_kind_name(FindingKind kind);

// Finding — one problem, at an entry index (0-based position in the input), with the record's
// seq when it decoded.
struct Finding {
  FindingKind kind = FindingKind::forged;
  std::size_t index = 0;
  std::optional<std::uint64_t> seq;
  std::string message;
};

// LogOptions — what the verifier may assume.
struct LogOptions {
  // The log may start after seq 0 (older records rotated out of a full flash log area). The first
  // record's prev_hash then cannot be checked; the report says so.
  bool allow_rotated_head = false;
  // The seq the log must reach (e.g. from a device's signed status); fewer records at the end are
  // reported as a truncated tail.
  std::optional<std::uint64_t> expected_last_seq;
};

// LogReport — the verdict.
struct LogReport {
  // ok: no finding other than truncated_tail (a truncated tail is allowed and reported).
  bool ok = false;
  // classification: "ok", "truncated_tail", or the finding_kind_name of the first other finding.
  std::string classification;
  std::vector<Finding> findings;  // in entry order
  std::size_t entries = 0;        // entries in the input
  std::size_t authentic = 0;      // records whose signature/MAC verified
  std::optional<std::uint64_t> first_seq, last_seq;
  std::string head_hash;          // hex SHA-256 of the last authentic record in sequence order
  bool rotated_head = false;      // the log starts after seq 0 (allowed by options)
  std::optional<std::uint64_t> final_counter;  // the counter value the log ends with, if it says
  std::string key;                // LogKey::description()
};

// verify_log checks entries with key under options. Never throws for bad entries: every problem
// is a Finding.
LogReport verify_log(const std::vector<LogEntry>& entries, const LogKey& key, const LogOptions& options = {});

// entries_from_records wraps records (e.g. from a device's flash) as entries.
std::vector<LogEntry> entries_from_records(const std::vector<Record>& records);

}  // namespace ft::ledger
