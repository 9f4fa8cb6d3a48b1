// Records: deterministic encoding, exact round trip, strict decoding, and the chain helpers.
#include "ft/ledger/record.h"

#include <gtest/gtest.h>

#include "ft/ledger/chain.h"
#include "ft/ledger/record_signer.h"

namespace ft::ledger {
namespace {

Body sample_body() {
  Body b;
  b.seq = 7;
  b.prev_hash.fill(0xab);
  b.time = 1767225600;
  b.kind = "counter_advanced";
  b.alg = kAlgEs256;
  b.fields = {{"from", std::uint64_t{3}},
              {"to", std::uint64_t{4}},
              {"delta", std::int64_t{-2}},
              {"reason", std::string("trust_rollback")},
              {"digest", std::vector<std::uint8_t>{1, 2, 3}},
              {"trial", true}};
  return b;
}

TEST(Record, EncodingIsDeterministicAndRoundTrips) {
  const Body body = sample_body();
  const auto encoded = encode_body(body);
  EXPECT_EQ(encoded, encode_body(body));
  const auto record = encode_record(encoded, std::vector<std::uint8_t>(64, 0x11));
  auto decoded = decode_record(record);
  ASSERT_TRUE(std::holds_alternative<Record>(decoded)) << std::get<DecodeError>(decoded).message;
  const Record& r = std::get<Record>(decoded);
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.body_encoded, encoded);
  EXPECT_EQ(r.encoded, record);
  EXPECT_EQ(r.signature.size(), 64u);
}

TEST(Record, NonNegativeSignedFieldsBecomeUnsigned) {
  Body b = sample_body();
  b.fields = {{"n", std::int64_t{5}}};
  auto decoded = decode_record(encode_record(encode_body(b), {}));
  ASSERT_TRUE(std::holds_alternative<Record>(decoded));
  EXPECT_EQ(field_uint(std::get<Record>(decoded).body.fields, "n"), 5u);
  EXPECT_EQ(field_int(std::get<Record>(decoded).body.fields, "n"), 5);
}

TEST(Record, TruncationIsToldFromMalformation) {
  const auto record = encode_record(encode_body(sample_body()), std::vector<std::uint8_t>(64, 0x22));
  for (std::size_t keep = 0; keep < record.size(); ++keep) {
    auto decoded = decode_record(Bytes(record.data(), keep));
    ASSERT_TRUE(std::holds_alternative<DecodeError>(decoded)) << keep;
    EXPECT_TRUE(std::get<DecodeError>(decoded).truncated) << keep << ": " << std::get<DecodeError>(decoded).message;
  }
  auto extra = record;
  extra.push_back(0);
  auto decoded = decode_record(extra);
  ASSERT_TRUE(std::holds_alternative<DecodeError>(decoded));
  EXPECT_FALSE(std::get<DecodeError>(decoded).truncated);
}

TEST(Record, RejectsBodiesOutsideTheFormat) {
  // A body with a missing member, an unknown member, and a short prev_hash.
  std::vector<std::uint8_t> four_members = {0xa4, 0x01, 0x00, 0x02, 0x40, 0x03, 0x00, 0x04, 0x61, 0x78};
  auto d = decode_record(encode_record(four_members, {}));
  ASSERT_TRUE(std::holds_alternative<DecodeError>(d));
  EXPECT_FALSE(std::get<DecodeError>(d).truncated);
  Body b = sample_body();
  auto good = encode_body(b);
  // Change the prev_hash length byte (0x58 0x20 -> 0x58 0x1f) and drop one byte.
  for (std::size_t i = 0; i + 1 < good.size(); ++i) {
    if (good[i] == 0x58 && good[i + 1] == 0x20) {
      good[i + 1] = 0x1f;
      good.erase(good.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      break;
    }
  }
  d = decode_record(encode_record(good, {}));
  ASSERT_TRUE(std::holds_alternative<DecodeError>(d));
  EXPECT_NE(std::get<DecodeError>(d).message.find("prev_hash"), std::string::npos) << std::get<DecodeError>(d).message;
  EXPECT_THROW((void)encode_body(Body{}), std::invalid_argument);  // empty kind
}

TEST(Record, ChainLinksEachRecordToThePreviousOne) {
  HmacRecordSigner mac(std::vector<std::uint8_t>(32, 7));
  ChainHead head;
  const Record r0 = make_record(head, 100, "boot_verified", {}, mac);
  EXPECT_EQ(r0.body.seq, 0u);
  EXPECT_EQ(r0.body.prev_hash, Hash256{});
  head = head_after(r0);
  const Record r1 = make_record(head, 101, "boot_verified", {{"seq", std::uint64_t{1}}}, mac);
  EXPECT_EQ(r1.body.seq, 1u);
  EXPECT_EQ(r1.body.prev_hash, record_hash(r0.encoded));
  EXPECT_EQ(r1.signature, hmac_sha256(std::vector<std::uint8_t>(32, 7), signing_input(r1.body_encoded)));
}

}  // namespace
}  // namespace ft::ledger
