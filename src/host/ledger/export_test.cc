// Exports: JSON Lines and CBOR sequences round-trip through verify_log; a cut file is a truncated
// tail; an edited JSON view of a record is caught.
#include "ft/ledger/export.h"

#include <gtest/gtest.h>

#include "ledger_test_util.h"

namespace ft::ledger {
namespace {

using testing::LogBuilder;

class Export : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new testing::TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  static std::vector<Record> records() {
    LogBuilder b(pki_->signer());
    return b.typical_device_log().records();
  }
  static testing::TestPki* pki_;
};

testing::TestPki* Export::pki_ = nullptr;

TEST_F(Export, JsonLinesRoundTrip) {
  const auto recs = records();
  const std::string text = to_jsonl(recs);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), static_cast<long>(recs.size()));
  const auto entries = parse_jsonl(text);
  ASSERT_EQ(entries.size(), recs.size());
  for (std::size_t i = 0; i < recs.size(); ++i) EXPECT_EQ(entries[i].encoded, recs[i].encoded);
  const LogReport r = verify_log(entries, pki_->device_key());
  EXPECT_TRUE(r.ok) << r.classification;
  EXPECT_TRUE(r.findings.empty());
  const auto first = nlohmann::json::parse(text.substr(0, text.find('\n')));
  EXPECT_EQ(first["kind"], "provisioned");
  EXPECT_EQ(first["alg"], "ES256");
  EXPECT_EQ(first["fields"]["counter_store"], "flash");
}

TEST_F(Export, CborSequenceRoundTrip) {
  const auto recs = records();
  const auto data = to_cbor_sequence(recs);
  const auto entries = parse_log_export(data);
  ASSERT_EQ(entries.size(), recs.size());
  EXPECT_TRUE(verify_log(entries, pki_->device_key()).findings.empty());
}

TEST_F(Export, CutFilesAreTruncatedTails) {
  const auto recs = records();
  const auto data = to_cbor_sequence(recs);
  const LogReport cbor = verify_log(parse_cbor_sequence(Bytes(data).first(data.size() - 10)), pki_->device_key());
  EXPECT_TRUE(cbor.ok);
  EXPECT_EQ(cbor.classification, "truncated_tail");
  const std::string text = to_jsonl(recs);
  const LogReport jsonl = verify_log(parse_jsonl(text.substr(0, text.size() - 40)), pki_->device_key());
  EXPECT_TRUE(jsonl.ok);
  EXPECT_EQ(jsonl.classification, "truncated_tail");
  ASSERT_EQ(jsonl.findings.size(), 1u);
  EXPECT_EQ(jsonl.findings[0].index, recs.size() - 1);
}

TEST_F(Export, TornTailFromFlashIsATruncatedTail) {
  const auto recs = records();
  const Bytes torn = Bytes(recs.back().encoded).first(30);
  const std::vector<Record> head(recs.begin(), recs.end() - 1);
  for (const auto& entries : {parse_jsonl(to_jsonl(head, torn)), parse_cbor_sequence(to_cbor_sequence(head, torn))}) {
    const LogReport r = verify_log(entries, pki_->device_key());
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.classification, "truncated_tail");
  }
}

TEST_F(Export, EditedJsonViewIsForged) {
  const auto recs = records();
  std::string text = to_jsonl(recs);
  // Edit the human-readable kind of line 3 but leave the signed record alone.
  const std::size_t line3 = [&] {
    std::size_t p = 0;
    for (int i = 0; i < 3; ++i) p = text.find('\n', p) + 1;
    return p;
  }();
  const std::size_t at = text.find("\"kind\":\"boot_verified\"", line3);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("\"kind\":\"boot_verified\"").size(), "\"kind\":\"boot_failed\"");
  const LogReport r = verify_log(parse_jsonl(text), pki_->device_key());
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, FindingKind::forged);
  EXPECT_EQ(r.findings[0].index, 3u);
  EXPECT_NE(r.findings[0].message.find("kind"), std::string::npos);
}

TEST_F(Export, GarbageLineInTheMiddleIsForged) {
  const auto recs = records();
  std::string text = to_jsonl(recs);
  text.insert(text.find('\n') + 1, "not json\n");
  const LogReport r = verify_log(parse_jsonl(text), pki_->device_key());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.classification, "forged");
  EXPECT_EQ(r.findings[0].index, 1u);
}

}  // namespace
}  // namespace ft::ledger
