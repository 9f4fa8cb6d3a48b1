#include "ft/embedded/flash_layout.h"

#include "ft/x509/certificate.h"

namespace ft::embedded {

namespace {

constexpr std::uint8_t kErased = 0xFF;
constexpr std::uint8_t kRoleSupplier = 0;
constexpr std::uint8_t kRoleAssetOwner = 1;
constexpr std::uint8_t kKindCertificate = 0;
constexpr std::uint8_t kKindSpki = 1;

// get_le takes an n-byte (1..4) little-endian unsigned integer off in.
bool get_le(Reader& in, std::size_t n, std::uint32_t& out) {
  Bytes bytes;
  if (!in.get_bytes(n, bytes)) return false;
  std::uint32_t value = 0;
  for (std::size_t i = n; i > 0; --i) value = (value << 8) | bytes[i - 1];
  out = value;
  return true;
}

}  // namespace

Status load_anchors(Bytes region, AnchorTable& table) {
  table.supplier_count = 0;
  table.asset_owner_count = 0;
  Reader in(region);
  std::uint8_t role = kErased;
  while (in.peek_u8(role) && role != kErased) {
    std::uint8_t kind = 0;
    std::uint32_t length = 0;
    Bytes data;
    if (!in.skip(1) || !in.get_u8(kind) || !get_le(in, 2, length) || !in.get_bytes(length, data)) {
      return Status(Code::truncated, "anchors region: record runs past the region");
    }
    if (role != kRoleSupplier && role != kRoleAssetOwner) return Status(Code::unsupported, "anchors region: unknown role");
    std::size_t& count = role == kRoleSupplier ? table.supplier_count : table.asset_owner_count;
    x509::TrustAnchor* list = role == kRoleSupplier ? table.supplier : table.asset_owner;
    if (count == kMaxAnchorsPerRole) return Status(Code::too_large, "anchors region: too many anchors for one role");
    x509::TrustAnchor& anchor = list[count];
    anchor = x509::TrustAnchor{};
    if (kind == kKindCertificate) {
      anchor.kind = x509::AnchorKind::certificate;
      anchor.certificate = data;
    } else if (kind == kKindSpki) {
      FT_TRY(x509::parse_spki(data, anchor.raw_key));
      anchor.kind = x509::AnchorKind::raw_key;
    } else {
      return Status(Code::unsupported, "anchors region: unknown anchor kind");
    }
    ++count;
  }
  return {};
}

Status read_staged_update(Bytes region, std::size_t slot_size, StagedUpdate& out) {
  Reader in(region);
  std::uint32_t envelope_length = 0;
  std::uint32_t image_length = 0;
  if (!get_le(in, 4, envelope_length) || !get_le(in, 4, image_length)) {
    return Status(Code::truncated, "envelope region: shorter than its header");
  }
  if (envelope_length == 0xFFFFFFFFu) return Status(Code::missing_field, "envelope region: nothing staged (erased)");
  if (!in.get_bytes(envelope_length, out.envelope)) return Status(Code::truncated, "envelope region: envelope runs past the region");
  if (image_length > slot_size) return Status(Code::too_large, "envelope region: image longer than the slot");
  out.image_length = image_length;
  return {};
}

}  // namespace ft::embedded
