// ft/ledger/export.h — a log as JSON Lines (one record per line: the signed CBOR record in hex
// plus its decoded fields for people) and as a CBOR sequence (RFC 8742: the records back to
// back), and reading both back as entries for verify_log.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/ledger/record.h"
#include "ft/ledger/verify_log.h"

namespace ft::ledger {

// record_json returns {"seq", "time", "time_utc", "kind", "alg", "fields", "prev_hash",
// "signature", "record"}: "record" (hex of the encoded record) is what a verifier checks; the rest
// must agree with it. Byte fields are hex text.
nlohmann::json record_json(const Record& record);

// to_jsonl returns one JSON line per record. A non-empty torn_tail (the bytes of a record whose
// write a power cut interrupted) becomes a last line {"torn": true, "record": hex}.
std::string to_jsonl(const std::vector<Record>& records, Bytes torn_tail = {});

// to_cbor_sequence returns the encoded records back to back, then torn_tail as it is.
std::vector<std::uint8_t> to_cbor_sequence(const std::vector<Record>& records, Bytes torn_tail = {});

// parse_jsonl splits text into entries. A line that is not JSON, lacks "record", or whose fields
// differ from its record becomes an entry with a container_problem; a last line that is cut off
// (no newline, not JSON) becomes an empty entry, which verify_log reports as a truncated tail.
std::vector<LogEntry> parse_jsonl(const std::string& text);

// parse_cbor_sequence splits data into one entry per CBOR item; when the data ends inside an item
// the rest is the last entry (a truncated tail); after a malformed item the rest is one entry.
std::vector<LogEntry> parse_cbor_sequence(Bytes data);

// parse_log_export picks the format: JSON Lines when the first byte is '{', else a CBOR sequence.
std::vector<LogEntry> parse_log_export(Bytes data);

// format_utc returns "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds.
std::string format_utc(std::int64_t time);

}  // namespace ft::ledger
