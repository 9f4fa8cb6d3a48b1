#include "ft/ledger/verify_log.h"

#include <algorithm>
#include <map>
#include <set>

#include "ft/host/error.h"
#include "ft/host/hex.h"
#include "ft/ledger/device_log.h"
#include "ft/ledger/record_signer.h"
#include "ft/ports/openssl.h"
#include "ft/x509/certificate.h"

namespace ft::ledger {

using host::UserError;

namespace {

std::string seq_range(std::uint64_t first, std::uint64_t last) {
  return first == last ? "seq " + std::to_string(first) : "seq " + std::to_string(first) + ".." + std::to_string(last);
}

// An authentic record and where it was found.
struct Authentic {
  std::size_t index;
  const Record* record;
  Hash256 hash;
};

class Verifier {
 public:
  Verifier(const std::vector<LogEntry>& entries, const LogKey& key, const LogOptions& options)
      : entries_(entries), key_(key), options_(options) {}

  LogReport run() {
    report_.entries = entries_.size();
    report_.key = key_.description();
    authenticate();
    remove_insertions();
    check_order();
    check_chain();
    check_counter();
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.index < b.index; });
    report_.ok = true;
    report_.classification = "ok";
    for (const Finding& f : report_.findings) {
      if (f.kind == FindingKind::truncated_tail) {
        if (report_.classification == "ok") report_.classification = finding_kind_name(f.kind);
        continue;
      }
      report_.ok = false;
      report_.classification = finding_kind_name(f.kind);
      break;
    }
    return std::move(report_);
  }

 private:
  void add(FindingKind kind, std::size_t index, std::optional<std::uint64_t> seq, std::string message) {
    report_.findings.push_back(Finding{kind, index, seq, std::move(message)});
  }

  // Phase 1: every entry decodes and authenticates, or is a finding.
  void authenticate() {
    decoded_.resize(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      const LogEntry& e = entries_[i];
      auto result = decode_record(e.encoded);
      if (auto* err = std::get_if<DecodeError>(&result)) {
        if (err->truncated && i + 1 == entries_.size() && e.container_problem.empty()) {
          add(FindingKind::truncated_tail, i, std::nullopt, "the last entry ends inside a record (" + err->message + ")");
        } else {
          add(FindingKind::forged, i, std::nullopt, "not a log record: " + err->message);
          unreadable_.insert(i);
        }
        continue;
      }
      decoded_[i] = std::move(std::get<Record>(result));
      const Record& r = *decoded_[i];
      if (!e.container_problem.empty()) {
        forged_seqs_.insert(r.body.seq);
        add(FindingKind::forged, i, r.body.seq, e.container_problem);
        continue;
      }
      if (!key_.authenticates(r)) {
        forged_seqs_.insert(r.body.seq);
        add(FindingKind::forged, i, r.body.seq,
            std::string(r.body.alg == kAlgHmac256 ? "MAC" : "signature") + " does not verify (" + alg_name(r.body.alg) +
                ", " + key_.description() + ")");
        continue;
      }
      authentic_.push_back(Authentic{i, &r, record_hash(r.encoded)});
    }
    report_.authentic = authentic_.size();
  }

  // Phase 2: two authentic records with one seq — a replayed copy or a record of another chain.
  // The one that links to its predecessor (or that its successor links to) stays.
  void remove_insertions() {
    std::map<std::uint64_t, std::vector<std::size_t>> by_seq;  // seq -> positions in authentic_
    for (std::size_t p = 0; p < authentic_.size(); ++p) by_seq[authentic_[p].record->body.seq].push_back(p);
    std::set<std::size_t> drop;
    for (const auto& [seq, positions] : by_seq) {
      if (positions.size() < 2) continue;
      std::size_t keeper = positions.front();
      for (const std::size_t p : positions) {
        if (links_in_place(p, by_seq)) {
          keeper = p;
          break;
        }
      }
      for (const std::size_t p : positions) {
        if (p == keeper) continue;
        const bool same = authentic_[p].record->encoded == authentic_[keeper].record->encoded;
        add(FindingKind::inserted, authentic_[p].index, seq,
            same ? "a copy of the record at entry " + std::to_string(authentic_[keeper].index) + " (replayed)"
                 : "a second authentic record with seq " + std::to_string(seq) + " that does not link into this chain");
        drop.insert(p);
      }
    }
    std::vector<Authentic> kept;
    for (std::size_t p = 0; p < authentic_.size(); ++p) {
      if (!drop.contains(p)) kept.push_back(authentic_[p]);
    }
    authentic_ = std::move(kept);
  }

  bool links_in_place(std::size_t p, const std::map<std::uint64_t, std::vector<std::size_t>>& by_seq) const {
    const Record& r = *authentic_[p].record;
    if (r.body.seq == 0) return r.body.prev_hash == Hash256{};
    if (const auto it = by_seq.find(r.body.seq - 1); it != by_seq.end()) {
      for (const std::size_t q : it->second) {
        if (authentic_[q].hash == r.body.prev_hash) return true;
      }
    }
    if (const auto it = by_seq.find(r.body.seq + 1); it != by_seq.end()) {
      for (const std::size_t q : it->second) {
        if (authentic_[q].record->body.prev_hash == authentic_[p].hash) return true;
      }
    }
    return false;
  }

  // Phase 3: authentic records must appear in increasing seq order; each run of misplaced
  // records is one finding, at its first entry.
  void check_order() {
    std::vector<Authentic> sorted = authentic_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Authentic& a, const Authentic& b) { return a.record->body.seq < b.record->body.seq; });
    bool in_run = false;
    for (std::size_t p = 0; p < sorted.size(); ++p) {
      const bool misplaced = sorted[p].index != authentic_[p].index;
      if (misplaced && !in_run) {
        const Record& here = *authentic_[p].record;
        add(FindingKind::reordered, authentic_[p].index, here.body.seq,
            "seq " + std::to_string(here.body.seq) + " appears where seq " + std::to_string(sorted[p].record->body.seq) +
                " belongs");
      }
      in_run = misplaced;
    }
    authentic_ = std::move(sorted);
  }

  // missing_count returns how many seqs in [first, before) no entry accounts for: forged entries
  // with a readable seq account for theirs, and forged entries that did not even decode, found
  // at positions [from_position, before_index), account for one each.
  std::uint64_t missing_count(std::uint64_t first, std::uint64_t before, std::size_t from_position,
                              std::size_t before_index) const {
    if (before <= first) return 0;
    std::uint64_t missing = before - first;
    for (auto it = forged_seqs_.lower_bound(first); it != forged_seqs_.end() && *it < before; ++it) --missing;
    std::uint64_t unreadable = 0;
    for (auto it = unreadable_.lower_bound(from_position); it != unreadable_.end() && *it < before_index; ++it) ++unreadable;
    return missing > unreadable ? missing - unreadable : 0;
  }

  // forged_between is true when a forged entry sits between two authentic records, so what the
  // records say about the counter may have changed out of sight.
  bool forged_between(std::uint64_t first, std::uint64_t before, std::size_t from_position, std::size_t before_index) const {
    const auto it = forged_seqs_.lower_bound(first);
    if (it != forged_seqs_.end() && *it < before) return true;
    const auto u = unreadable_.lower_bound(from_position);
    return u != unreadable_.end() && *u < before_index;
  }

  // Phase 4: the hash chain over the records in seq order, and gaps.
  void check_chain() {
    const Authentic* prev = nullptr;
    for (const Authentic& a : authentic_) {
      const Record& r = *a.record;
      const std::uint64_t expected = prev == nullptr ? 0 : prev->record->body.seq + 1;
      const std::size_t from_position = prev == nullptr ? 0 : prev->index + 1;
      if (r.body.seq == expected) {
        const Hash256 link = prev == nullptr ? Hash256{} : prev->hash;
        if (r.body.prev_hash != link) {
          add(FindingKind::forged, a.index, r.body.seq,
              prev == nullptr ? std::string("the first record's prev_hash is not zero")
                              : "prev_hash does not match the record with seq " + std::to_string(prev->record->body.seq) +
                                    " (chain broken)");
        }
      } else if (prev == nullptr && options_.allow_rotated_head) {
        report_.rotated_head = true;
        uncertain_before_.insert(a.index);
      } else {
        const std::uint64_t missing = missing_count(expected, r.body.seq, from_position, a.index);
        if (missing > 0) {
          add(FindingKind::dropped, a.index, r.body.seq,
              std::to_string(missing) + " record(s) missing (" + seq_range(expected, r.body.seq - 1) + ")" +
                  (prev == nullptr ? " at the start of the log" : " before this record"));
        }
        uncertain_before_.insert(a.index);
      }
      if (forged_between(expected, r.body.seq, from_position, a.index)) uncertain_before_.insert(a.index);
      prev = &a;
    }
    if (prev != nullptr) {
      report_.first_seq = authentic_.front().record->body.seq;
      report_.last_seq = prev->record->body.seq;
      report_.head_hash = host::to_hex(prev->hash);
    }
    if (options_.expected_last_seq) {
      const std::uint64_t have = prev == nullptr ? 0 : prev->record->body.seq + 1;
      if (have <= *options_.expected_last_seq) {
        add(FindingKind::truncated_tail, entries_.size(), std::nullopt,
            seq_range(have, *options_.expected_last_seq) + " missing at the end");
      }
    }
  }

  // Phase 5: the anti-rollback counter as the device records it never moves backwards: every
  // counter_advanced goes up from the previous value, and records that state the minimum state the
  // current one. After a gap only "never decreasing" can be checked.
  void check_counter() {
    std::optional<std::uint64_t> current;
    bool relaxed = false;
    auto inconsistent = [&](const Authentic& a, const std::string& message) {
      add(FindingKind::counter_inconsistent, a.index, a.record->body.seq, message);
    };
    auto observe = [&](const Authentic& a, std::uint64_t value, const char* what) {
      if (current && (relaxed ? value < *current : value != *current)) {
        inconsistent(a, std::string(what) + " " + std::to_string(value) + " but the counter is " + std::to_string(*current));
      }
      if (!current || value > *current) current = value;
      relaxed = false;
    };
    for (const Authentic& a : authentic_) {
      if (uncertain_before_.contains(a.index)) relaxed = true;
      const Record& r = *a.record;
      const Fields& f = r.body.fields;
      if (r.body.kind == device_kind::kProvisioned) {
        if (const auto c = field_uint(f, "counter")) observe(a, *c, "provisioned with counter");
      } else if (r.body.kind == device_kind::kCounterAdvanced) {
        const auto from = field_uint(f, "from");
        const auto to = field_uint(f, "to");
        if (!from || !to) {
          inconsistent(a, "counter_advanced without numeric from/to");
          continue;
        }
        if (*to <= *from) inconsistent(a, "counter_advanced from " + std::to_string(*from) + " to " + std::to_string(*to) + " does not go up");
        if (current && (relaxed ? *from < *current : *from != *current)) {
          inconsistent(a, "counter_advanced from " + std::to_string(*from) + " but the counter was " + std::to_string(*current));
        }
        if (!current || *to > *current) current = *to;
        relaxed = false;
      }
      if (const auto minimum = field_uint(f, "minimum")) {
        observe(a, *minimum, "minimum");
        if (r.body.kind == device_kind::kBootVerified) {
          const auto seq = field_uint(f, "seq");
          if (seq && *seq < *minimum) {
            inconsistent(a, "booted seq " + std::to_string(*seq) + " below the minimum " + std::to_string(*minimum));
          }
        }
      }
    }
    report_.final_counter = current;
  }

  const std::vector<LogEntry>& entries_;
  const LogKey& key_;
  const LogOptions& options_;
  LogReport report_;
  std::vector<std::optional<Record>> decoded_;
  std::vector<Authentic> authentic_;
  std::set<std::uint64_t> forged_seqs_;
  std::set<std::size_t> unreadable_;        // entry positions of forged entries without a readable seq
  std::set<std::size_t> uncertain_before_;  // authentic records after a gap or a forged entry
};

}  // namespace

const char* finding_kind_name(FindingKind kind) {
  switch (kind) {
    case FindingKind::truncated_tail: return "truncated_tail";
    case FindingKind::forged: return "forged";
    case FindingKind::dropped: return "dropped";
    case FindingKind::inserted: return "inserted";
    case FindingKind::reordered: return "reordered";
    case FindingKind::counter_inconsistent: return "counter_inconsistent";
  }
  return "unknown";
}

LogKey LogKey::from_certificates(const std::vector<std::vector<std::uint8_t>>& chain,
                                 std::span<const x509::TrustAnchor> anchors, x509::TimeMode time_mode, std::int64_t time) {
  if (chain.empty()) throw UserError("log key: no device identity certificate given");
  auto list = std::make_unique<x509::CertificateList>();
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (const Status s = list->add(chain[i]); !s.ok()) {
      throw UserError(host::describe("device identity chain: certificate " + std::to_string(i), s.error()));
    }
  }
  x509::PathPolicy policy;
  policy.purpose = x509::Purpose::any;
  policy.order = x509::ChainOrder::leaf_first;
  policy.time_mode = time_mode;
  policy.time = time;
  auto report = std::make_unique<x509::PathReport>();
  const auto certs = list->certificates();
  const Status s = x509::validate_path(certs[0], certs.subspan(1), anchors, policy, openssl_crypto(), *report);
  if (!s.ok()) {
    std::string where;
    if (report->error_count > 0) where = " (certificate " + std::to_string(report->errors[0].position) + ", 0 = device)";
    throw UserError(host::describe("device identity certificate does not chain to a provisioned anchor" + where, s.error()),
                    host::kExitRejected);
  }
  const x509::Certificate& leaf = certs[0];
  if (leaf.key.type != KeyType::ec_p256) {
    throw UserError("device identity certificate: log records are ES256, but its key is not EC P-256");
  }
  LogKey k;
  k.alg_ = kAlgEs256;
  k.material_.assign(leaf.spki.begin(), leaf.spki.end());
  k.description_ = "device identity key (certificate chained to anchor #" + std::to_string(report->anchor_index) + ")";
  return k;
}

LogKey LogKey::from_public_key(Bytes spki_der) {
  const auto key = x509::parse_spki(spki_der);
  if (!key.ok() || key->type != KeyType::ec_p256) throw UserError("log key: not an EC P-256 public key");
  LogKey k;
  k.alg_ = kAlgEs256;
  k.material_.assign(spki_der.begin(), spki_der.end());
  k.description_ = "EC P-256 public key";
  return k;
}

LogKey LogKey::from_hmac(std::vector<std::uint8_t> key) {
  if (key.size() < 32) throw UserError("log MAC key: " + std::to_string(key.size()) + " bytes is too short (at least 32)");
  LogKey k;
  k.alg_ = kAlgHmac256;
  k.material_ = std::move(key);
  k.description_ = "HMAC key";
  return k;
}

bool LogKey::authenticates(const Record& record) const {
  if (record.body.alg != alg_) return false;
  const auto message = signing_input(record.body_encoded);
  if (alg_ == kAlgHmac256) {
    const auto mac = hmac_sha256(material_, message);
    return constant_time_equal(mac, record.signature);
  }
  const auto key = x509::parse_spki(material_);
  if (!key.ok()) return false;
  const auto vk = make_verifying_key(*key, SigScheme::ecdsa_p256_sha256_p1363);
  if (!vk.ok()) return false;
  return openssl_crypto().verify(*vk, message, record.signature).ok();
}

LogReport verify_log(const std::vector<LogEntry>& entries, const LogKey& key, const LogOptions& options) {
  return Verifier(entries, key, options).run();
}

std::vector<LogEntry> entries_from_records(const std::vector<Record>& records) {
  std::vector<LogEntry> out;
  out.reserve(records.size());
  for (const Record& r : records) out.push_back(LogEntry{r.encoded, {}});
  return out;
}

}  // namespace ft::ledger
