// The ANCHORS and ENVELOPE region readers on well-formed and broken records.
#include "ft/embedded/flash_layout.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace ft::embedded {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector load(const std::string& name) {
  std::ifstream in(std::string(FT_TESTDATA_DIR) + "/suit/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void append_record(ByteVector& region, std::uint8_t role, std::uint8_t kind, const ByteVector& data) {
  region.push_back(role);
  region.push_back(kind);
  region.push_back(static_cast<std::uint8_t>(data.size() & 0xff));
  region.push_back(static_cast<std::uint8_t>(data.size() >> 8));
  region.insert(region.end(), data.begin(), data.end());
}

const ByteVector kCertificateBytes = {0x30, 0x03, 0x02, 0x01, 0x01};  // stored as is: parsed later

TEST(LoadAnchors, ReadsRecordsOfBothRolesUntilErasedFlash) {
  const ByteVector spki = load("trust_anchor_secp256r1_pub.der");
  ByteVector region;
  append_record(region, 0, 1, spki);
  append_record(region, 1, 0, kCertificateBytes);
  append_record(region, 0, 0, kCertificateBytes);
  region.resize(region.size() + 64, 0xff);  // erased rest of the region

  AnchorTable table;
  ASSERT_TRUE(load_anchors(region, table).ok());
  ASSERT_EQ(table.supplier_count, 2u);
  ASSERT_EQ(table.asset_owner_count, 1u);
  EXPECT_EQ(table.supplier[0].kind, x509::AnchorKind::raw_key);
  EXPECT_EQ(table.supplier[0].raw_key.type, KeyType::ec_p256);
  EXPECT_EQ(table.supplier[0].raw_key.spki.data(), region.data() + 4);  // a view into flash
  EXPECT_EQ(table.supplier[1].kind, x509::AnchorKind::certificate);
  EXPECT_EQ(table.supplier[1].certificate.size(), kCertificateBytes.size());
  EXPECT_EQ(table.asset_owner[0].kind, x509::AnchorKind::certificate);
  const trust::Anchors anchors = table.anchors();
  EXPECT_EQ(anchors.supplier.size(), 2u);
  EXPECT_EQ(anchors.asset_owner.size(), 1u);
}

TEST(LoadAnchors, EmptyOrErasedRegionHasNoAnchors) {
  AnchorTable table;
  table.supplier_count = 3;
  ASSERT_TRUE(load_anchors(Bytes(), table).ok());
  EXPECT_EQ(table.supplier_count, 0u);
  const ByteVector erased(32, 0xff);
  ASSERT_TRUE(load_anchors(erased, table).ok());
  EXPECT_EQ(table.supplier_count + table.asset_owner_count, 0u);
}

TEST(LoadAnchors, BrokenRecordsAreRefused) {
  const ByteVector spki = load("trust_anchor_secp256r1_pub.der");
  AnchorTable table;

  ByteVector truncated;
  append_record(truncated, 0, 1, spki);
  truncated.pop_back();
  EXPECT_EQ(load_anchors(truncated, table).code(), Code::truncated);

  const ByteVector header_only = {0x00, 0x01, 0x10};
  EXPECT_EQ(load_anchors(header_only, table).code(), Code::truncated);

  ByteVector unknown_role;
  append_record(unknown_role, 2, 0, kCertificateBytes);
  EXPECT_EQ(load_anchors(unknown_role, table).code(), Code::unsupported);

  ByteVector unknown_kind;
  append_record(unknown_kind, 0, 7, kCertificateBytes);
  EXPECT_EQ(load_anchors(unknown_kind, table).code(), Code::unsupported);

  ByteVector not_a_key;
  append_record(not_a_key, 0, 1, kCertificateBytes);
  EXPECT_FALSE(load_anchors(not_a_key, table).ok());

  ByteVector too_many;
  for (std::size_t i = 0; i <= kMaxAnchorsPerRole; ++i) append_record(too_many, 1, 0, kCertificateBytes);
  EXPECT_EQ(load_anchors(too_many, table).code(), Code::too_large);
}

ByteVector staged(std::uint32_t envelope_length, std::uint32_t image_length, std::size_t envelope_bytes) {
  ByteVector region;
  for (int i = 0; i < 4; ++i) region.push_back(static_cast<std::uint8_t>(envelope_length >> (8 * i)));
  for (int i = 0; i < 4; ++i) region.push_back(static_cast<std::uint8_t>(image_length >> (8 * i)));
  for (std::size_t i = 0; i < envelope_bytes; ++i) region.push_back(static_cast<std::uint8_t>(i));
  return region;
}

TEST(ReadStagedUpdate, ReadsTheHeaderLittleEndian) {
  const ByteVector region = staged(0x102, 0x87d0, 0x102 + 16);
  StagedUpdate update;
  ASSERT_TRUE(read_staged_update(region, 448 * 1024, update).ok());
  EXPECT_EQ(update.envelope.size(), 0x102u);
  EXPECT_EQ(update.envelope.data(), region.data() + 8);
  EXPECT_EQ(update.image_length, 0x87d0u);
}

TEST(ReadStagedUpdate, RefusesWhatDoesNotFit) {
  StagedUpdate update;
  EXPECT_EQ(read_staged_update(ByteVector(64, 0xff), 4096, update).code(), Code::missing_field);
  EXPECT_EQ(read_staged_update(ByteVector(7, 0x00), 4096, update).code(), Code::truncated);
  EXPECT_EQ(read_staged_update(staged(100, 10, 99), 4096, update).code(), Code::truncated);
  EXPECT_EQ(read_staged_update(staged(100, 4097, 100), 4096, update).code(), Code::too_large);
  EXPECT_TRUE(read_staged_update(staged(100, 4096, 100), 4096, update).ok());
}

}  // namespace
}  // namespace ft::embedded
