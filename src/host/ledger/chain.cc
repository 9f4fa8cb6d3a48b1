#include "ft/ledger/chain.h"

namespace ft::ledger {

Record make_record(const ChainHead& head, std::int64_t time, const std::string& kind, const Fields& fields,
                   RecordSigner& signer) {
  Record r;
  r.body.seq = head.next_seq;
  r.body.prev_hash = head.last_hash;
  r.body.time = time;
  r.body.kind = kind;
  r.body.alg = signer.alg();
  r.body.fields = fields;
  r.body_encoded = encode_body(r.body);
  r.signature = signer.sign(signing_input(r.body_encoded));
  r.encoded = encode_record(r.body_encoded, r.signature);
  // The decoded form is canonical (non-negative numbers as uint64): keep the same in memory.
  auto decoded = decode_record(r.encoded);
  if (auto* ok = std::get_if<Record>(&decoded)) return std::move(*ok);
  throw std::logic_error("log record does not decode after encoding: " + std::get<DecodeError>(decoded).message);
}

ChainHead head_after(const Record& record) {
  ChainHead h;
  h.next_seq = record.body.seq + 1;
  h.last_hash = record_hash(record.encoded);
  return h;
}

}  // namespace ft::ledger
