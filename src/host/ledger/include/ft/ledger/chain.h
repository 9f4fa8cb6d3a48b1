// ft/ledger/chain.h — appending to a hash chain: the head (next sequence number and the hash of
// the last record) and the function that makes the next signed record.
#pragma once

#include <cstdint>
#include <string>

#include "ft/ledger/record.h"
#include "ft/ledger/record_signer.h"

namespace ft::ledger {

// ChainHead — where the next record goes. A fresh log has next_seq 0 and an all-zero last_hash.
struct ChainHead {
  std::uint64_t next_seq = 0;
  Hash256 last_hash{};
  bool operator==(const ChainHead&) const = default;
};

// make_record returns the record that follows head: seq = head.next_seq, prev_hash =
// head.last_hash, signed by signer. The caller stores it and then moves head on with head_after.
// Throws what encode_body and the signer throw.
Record make_record(const ChainHead& head, std::int64_t time, const std::string& kind, const Fields& fields,
                   RecordSigner& signer);

// head_after returns the head that follows record.
ChainHead head_after(const Record& record);

}  // namespace ft::ledger
