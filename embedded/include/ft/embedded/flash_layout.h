// ft/embedded/flash_layout.h — the two flash regions the bootloader reads besides its own code,
// their record formats, and the readers that turn them into what verify_envelope takes.
//
// Both regions are written by someone the bootloader does not trust blindly (the factory for the
// anchors, the update agent for the staged envelope), so every length is bounds-checked against
// the region; the cryptographic checks are verify_envelope's job. Little-endian throughout;
// erased flash reads 0xFF.
//
// ANCHORS region (provisioned at manufacturing): a sequence of records
//   u8 role (0 supplier, 1 asset owner) | u8 kind (0 root certificate DER, 1 SubjectPublicKeyInfo
//   DER used as a raw-key anchor) | u16 length | length bytes
// ended by a role byte of 0xFF (erased flash) or the end of the region.
//
// ENVELOPE region (written by the update agent together with the image slot):
//   u32 envelope length | u32 image length | envelope bytes (SUIT envelope)
// The image itself starts at the beginning of the image slot; its length is checked against the
// manifest's image-size and digest by verify_envelope.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/trust/verifier.h"
#include "ft/x509/path.h"

namespace ft::embedded {

// kMaxAnchorsPerRole bounds the anchors read per role (static storage in AnchorTable).
inline constexpr std::size_t kMaxAnchorsPerRole = 4;

// AnchorTable — the provisioned anchors, as spans into the ANCHORS region (which must stay mapped).
struct AnchorTable {
  x509::TrustAnchor supplier[kMaxAnchorsPerRole];
  x509::TrustAnchor asset_owner[kMaxAnchorsPerRole];
  std::size_t supplier_count = 0;
  std::size_t asset_owner_count = 0;

  // anchors returns the view verify_envelope takes.
  [[nodiscard]] trust::Anchors anchors() const {
    return {std::span<const x509::TrustAnchor>(supplier, supplier_count),
            std::span<const x509::TrustAnchor>(asset_owner, asset_owner_count)};
  }
};

// load_anchors reads the records of region into table. Fails with truncated (a record runs past
// the region), unsupported (unknown role or kind), too_large (more than kMaxAnchorsPerRole for a
// role), or the parse_spki code of a raw-key record; table is then partially filled and must not
// be used. Certificates are parsed later, by verify_envelope.
Status load_anchors(Bytes region, AnchorTable& table);

// StagedUpdate — the envelope and image the update agent staged.
struct StagedUpdate {
  Bytes envelope;
  std::uint32_t image_length = 0;
};

// read_staged_update reads the ENVELOPE region header. Fails with missing_field when the region is
// erased (nothing staged), truncated when the envelope length runs past the region, and too_large
// when the image length exceeds slot_size.
Status read_staged_update(Bytes region, std::size_t slot_size, StagedUpdate& out);

}  // namespace ft::embedded
