#include "ft/inspect/cbor_diag.h"

#include <string>

#include "ft/cbor/cbor.h"
#include "ft/host/hex.h"

namespace ft::inspect {

namespace {

using cbor::Decoder;
using cbor::Major;

class Printer {
 public:
  explicit Printer(std::size_t max_bstr) : max_bstr_(max_bstr) {}

  Status item(Decoder& d, int indent) {
    Major major = Major::uint;
    FT_TRY(d.peek_major(major));
    switch (major) {
      case Major::uint: {
        std::uint64_t v = 0;
        FT_TRY(d.read_uint(v));
        out_ += std::to_string(v);
        return Status();
      }
      case Major::nint: {
        std::int64_t v = 0;
        FT_TRY(d.read_int(v));
        out_ += std::to_string(v);
        return Status();
      }
      case Major::bstr: {
        Bytes b;
        FT_TRY(d.read_bstr(b));
        if (!b.empty() && cbor::validate(b).ok() && looks_structured(b)) {
          out_ += "<< ";
          Decoder inner(b);
          FT_TRY(item(inner, indent));
          out_ += " >>";
        } else if (max_bstr_ > 0 && b.size() > max_bstr_) {
          out_ += "h'" + host::to_hex(b.first(16)) + "..." + host::to_hex(b.last(8)) + "' / " +
                  std::to_string(b.size()) + " bytes /";
        } else {
          out_ += "h'" + host::to_hex(b) + "'";
        }
        return Status();
      }
      case Major::tstr: {
        Bytes t;
        FT_TRY(d.read_tstr(t));
        out_ += '"';
        for (const std::uint8_t c : t) {
          if (c == '"' || c == '\\') {
            out_ += '\\';
            out_ += static_cast<char>(c);
          } else if (c == '\n') {
            out_ += "\\n";
          } else if (c < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            out_ += "\\u00";
            out_ += kHex[c >> 4];
            out_ += kHex[c & 0xf];
          } else {
            out_ += static_cast<char>(c);
          }
        }
        out_ += '"';
        return Status();
      }
      case Major::array: {
        std::size_t n = 0;
        FT_TRY(d.read_array(n));
        if (n == 0) {
          out_ += "[]";
          return Status();
        }
        out_ += "[\n";
        for (std::size_t i = 0; i < n; ++i) {
          pad(indent + 1);
          FT_TRY(item(d, indent + 1));
          out_ += i + 1 < n ? ",\n" : "\n";
        }
        pad(indent);
        out_ += "]";
        return Status();
      }
      case Major::map: {
        std::size_t n = 0;
        FT_TRY(d.read_map(n));
        if (n == 0) {
          out_ += "{}";
          return Status();
        }
        out_ += "{\n";
        for (std::size_t i = 0; i < n; ++i) {
          pad(indent + 1);
          FT_TRY(item(d, indent + 1));
          out_ += ": ";
          FT_TRY(item(d, indent + 1));
          out_ += i + 1 < n ? ",\n" : "\n";
        }
        pad(indent);
        out_ += "}";
        return Status();
      }
      case Major::tag: {
        std::uint64_t tag = 0;
        FT_TRY(d.read_tag(tag));
        out_ += std::to_string(tag) + "(";
        FT_TRY(item(d, indent));
        out_ += ")";
        return Status();
      }
      case Major::simple: {
        bool b = false;
        if (d.read_bool(b).ok()) {
          out_ += b ? "true" : "false";
          return Status();
        }
        FT_TRY(d.read_null());
        out_ += "null";
        return Status();
      }
    }
    return Status(Code::malformed, "unknown major type");
  }

  std::string& out() { return out_; }

 private:
  // Short byte strings like h'00' are valid CBOR by accident; show << >> only for containers
  // and tags, which is where SUIT and COSE nest encoded structures.
  static bool looks_structured(Bytes b) {
    const auto major = static_cast<Major>(b[0] >> 5);
    return major == Major::array || major == Major::map || major == Major::tag;
  }
  void pad(int indent) { out_.append(static_cast<std::size_t>(indent) * 2, ' '); }

  std::size_t max_bstr_;
  std::string out_;
};

}  // namespace

std::string cbor_diagnostic(Bytes data, std::size_t max_bstr) {
  Printer p(max_bstr);
  Decoder d(data);
  const Status s = p.item(d, 0);
  std::string out = std::move(p.out());
  if (!s.ok()) {
    out += " / not CBOR from here: ";
    out += s.error().message;
    out += " /";
  } else if (!d.empty()) {
    out += " / " + std::to_string(d.remaining()) + " bytes after the item /";
  }
  return out;
}

}  // namespace ft::inspect
