// log_fuzz.cc — fuzz target for reading and checking an exported rollback-protection log
// (ft/ledger/export.h: parse_log_export; ft/ledger/verify_log.h: verify_log), what `fieldtrust log
// verify` does with a file a certification body receives. The key is the fixed device identity
// public key the corpus logs were signed with (fuzz/anchors/log-device-spki.der, see
// fuzz/make_seeds.sh).
//
// Checks, for any input:
//   - neither function throws (both promise to report every problem as data);
//   - the report is consistent: entries counted, authentic <= entries, findings in entry order,
//     ok exactly when every finding is a truncated tail, and the classification names the first
//     finding that is not;
//   - the two export formats agree: the records that decoded, exported again as JSON Lines and as a
//     CBOR sequence, get the same classification, findings and authentic count from both.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/ledger/export.h"
#include "ft/ledger/record.h"
#include "ft/ledger/verify_log.h"

#include "fuzz_check.h"

namespace {

using ft::Bytes;
using ft::fuzz::fail;
using ft::fuzz::require;
namespace ledger = ft::ledger;

std::vector<std::uint8_t> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) {
    std::fprintf(stderr, "log_fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  return bytes;
}

const ledger::LogKey& device_key() {
  static const ledger::LogKey key = ledger::LogKey::from_public_key(load(std::string(FT_FUZZ_DIR) + "/anchors/log-device-spki.der"));
  return key;
}

void check_consistent(const ledger::LogReport& report, std::size_t entries) {
  require(report.entries == entries, "report counts a different number of entries than it was given");
  require(report.authentic <= entries, "more authentic records than entries");
  const ledger::Finding* first_other = nullptr;
  std::size_t last_index = 0;
  for (const ledger::Finding& f : report.findings) {
    require(f.index >= last_index, "findings not in entry order");
    last_index = f.index;
    if (f.kind != ledger::FindingKind::truncated_tail && first_other == nullptr) first_other = &f;
  }
  require(report.ok == (first_other == nullptr), "ok disagrees with the findings");
  const std::string expected = first_other != nullptr ? ledger::finding_kind_name(first_other->kind)
                               : report.findings.empty() ? "ok"
                                                         : "truncated_tail";
  require(report.classification == expected, "classification is not the first finding's kind");
  if (report.first_seq && report.last_seq) require(*report.first_seq <= *report.last_seq, "first_seq after last_seq");
}

// same_verdict: the checks that do not depend on the container agree.
bool same_verdict(const ledger::LogReport& a, const ledger::LogReport& b) {
  if (a.classification != b.classification || a.authentic != b.authentic || a.findings.size() != b.findings.size()) return false;
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    if (a.findings[i].kind != b.findings[i].kind || a.findings[i].index != b.findings[i].index) return false;
  }
  return a.first_seq == b.first_seq && a.last_seq == b.last_seq && a.head_hash == b.head_hash;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ledger::LogKey& key = device_key();
  try {
    const std::vector<ledger::LogEntry> entries = ledger::parse_log_export(Bytes(data, size));
    const ledger::LogReport report = ledger::verify_log(entries, key);
    check_consistent(report, entries.size());

    std::vector<ledger::Record> records;
    for (const ledger::LogEntry& entry : entries) {
      auto decoded = ledger::decode_record(entry.encoded);
      if (const auto* record = std::get_if<ledger::Record>(&decoded)) records.push_back(*record);
    }
    const std::string jsonl = ledger::to_jsonl(records);
    const std::vector<std::uint8_t> cbor = ledger::to_cbor_sequence(records);
    const auto from_jsonl = ledger::parse_log_export(Bytes(reinterpret_cast<const std::uint8_t*>(jsonl.data()), jsonl.size()));
    const auto from_cbor = ledger::parse_log_export(cbor);
    require(from_jsonl.size() == records.size() && from_cbor.size() == records.size(),
            "re-exported records do not read back one entry each");
    const ledger::LogReport via_jsonl = ledger::verify_log(from_jsonl, key);
    const ledger::LogReport via_cbor = ledger::verify_log(from_cbor, key);
    check_consistent(via_jsonl, records.size());
    check_consistent(via_cbor, records.size());
    require(same_verdict(via_jsonl, via_cbor), "JSON Lines and CBOR exports of the same records get different verdicts");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "log_fuzz: exception: %s\n", e.what());
    fail("reading or verifying a log threw");
  }
  return 0;
}
