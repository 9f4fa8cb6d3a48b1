#include "ft/ledger/export.h"

#include <ctime>

#include "ft/cbor/cbor.h"
#include "ft/host/hex.h"

namespace ft::ledger {

using nlohmann::json;

namespace {

json field_json(const FieldValue& v) {
  return std::visit(
      [](const auto& value) -> json {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
          return host::to_hex(value);
        } else {
          return value;
        }
      },
      v);
}

}  // namespace

std::string format_utc(std::int64_t time) {
  const std::time_t t = static_cast<std::time_t>(time);
  struct tm tm {};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(time);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json record_json(const Record& record) {
  json j;
  j["seq"] = record.body.seq;
  j["time"] = record.body.time;
  j["time_utc"] = format_utc(record.body.time);
  j["kind"] = record.body.kind;
  j["alg"] = alg_name(record.body.alg);
  json fields = json::object();
  for (const auto& [name, value] : record.body.fields) fields[name] = field_json(value);
  j["fields"] = fields;
  j["prev_hash"] = host::to_hex(record.body.prev_hash);
  j["signature"] = host::to_hex(record.signature);
  j["record"] = host::to_hex(record.encoded);
  return j;
}

std::string to_jsonl(const std::vector<Record>& records, Bytes torn_tail) {
  std::string out;
  for (const Record& r : records) out += record_json(r).dump() + "\n";
  if (!torn_tail.empty()) out += json{{"torn", true}, {"record", host::to_hex(torn_tail)}}.dump() + "\n";
  return out;
}

std::vector<std::uint8_t> to_cbor_sequence(const std::vector<Record>& records, Bytes torn_tail) {
  std::vector<std::uint8_t> out;
  for (const Record& r : records) out.insert(out.end(), r.encoded.begin(), r.encoded.end());
  out.insert(out.end(), torn_tail.begin(), torn_tail.end());
  return out;
}

std::vector<LogEntry> parse_jsonl(const std::string& text) {
  std::vector<LogEntry> entries;
  std::size_t pos = 0;
  std::size_t line_number = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    const bool last_without_newline = end == std::string::npos;
    if (last_without_newline) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = "line " + std::to_string(line_number);
    LogEntry entry;
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      // A cut-off last line is a truncated tail; anywhere else it is a broken container.
      if (!(last_without_newline && pos >= text.size())) entry.container_problem = where + " is not a JSON object";
      entries.push_back(std::move(entry));
      continue;
    }
    const auto record_hex = j.find("record");
    std::optional<std::vector<std::uint8_t>> bytes;
    if (record_hex != j.end() && record_hex->is_string()) bytes = host::from_hex(record_hex->get<std::string>());
    if (!bytes) {
      entry.container_problem = where + ": no hex \"record\" member";
      entries.push_back(std::move(entry));
      continue;
    }
    entry.encoded = std::move(*bytes);
    if (!j.value("torn", false)) {
      auto decoded = decode_record(entry.encoded);
      if (const auto* r = std::get_if<Record>(&decoded)) {
        const json expected = record_json(*r);
        for (const auto& [name, value] : j.items()) {
          if (!expected.contains(name) || expected[name] != value) {
            entry.container_problem = where + ": member \"" + name + "\" differs from the signed record";
            break;
          }
        }
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<LogEntry> parse_cbor_sequence(Bytes data) {
  std::vector<LogEntry> entries;
  cbor::Decoder d(data);
  while (!d.empty()) {
    Bytes item;
    const Status s = d.read_item(item);
    if (!s.ok()) {
      const Bytes rest = d.rest();
      entries.push_back(LogEntry{std::vector<std::uint8_t>(rest.begin(), rest.end()), {}});
      break;
    }
    entries.push_back(LogEntry{std::vector<std::uint8_t>(item.begin(), item.end()), {}});
  }
  return entries;
}

std::vector<LogEntry> parse_log_export(Bytes data) {
  if (!data.empty() && data[0] == '{') {
    return parse_jsonl(std::string(reinterpret_cast<const char*>(data.data()), data.size()));
  }
  return parse_cbor_sequence(data);
}

}  // namespace ft::ledger
