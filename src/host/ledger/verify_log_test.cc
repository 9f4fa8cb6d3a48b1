// verify_log: each classification (ok, truncated tail, forged, dropped, inserted, reordered,
// counter inconsistencies) at the right entry, and nothing else reported for one manipulation.
#include "ft/ledger/verify_log.h"

#include <gtest/gtest.h>

#include "ft/host/error.h"
#include "ft/ledger/export.h"
#include "ledger_test_util.h"

namespace ft::ledger {
namespace {

using testing::LogBuilder;
using testing::TestPki;

class VerifyLog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static LogReport check(const std::vector<LogEntry>& entries, const LogOptions& options = {}) {
    return verify_log(entries, pki_->device_key(), options);
  }

  static std::vector<LogEntry> typical() {
    LogBuilder b(pki_->signer());
    return entries_from_records(b.typical_device_log().records());
  }

  // expect_single asserts that the report holds exactly one finding, of kind at index.
  static void expect_single(const LogReport& r, FindingKind kind, std::size_t index) {
    ASSERT_EQ(r.findings.size(), 1u) << r.classification << ": " << (r.findings.empty() ? "" : r.findings[0].message)
                                     << (r.findings.size() > 1 ? " / " + r.findings[1].message : "");
    EXPECT_EQ(r.findings[0].kind, kind) << r.findings[0].message;
    EXPECT_EQ(r.findings[0].index, index) << r.findings[0].message;
    EXPECT_EQ(r.classification, finding_kind_name(kind));
  }

  static TestPki* pki_;
};

TestPki* VerifyLog::pki_ = nullptr;

TEST_F(VerifyLog, IntactLogIsOk) {
  const auto entries = typical();
  const LogReport r = check(entries);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.classification, "ok");
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.authentic, entries.size());
  EXPECT_EQ(r.first_seq, 0u);
  EXPECT_EQ(r.last_seq, entries.size() - 1);
  EXPECT_EQ(r.final_counter, 2u);
  EXPECT_EQ(r.head_hash.size(), 64u);
}

TEST_F(VerifyLog, EmptyLogIsOkButSaysSo) {
  const LogReport r = check({});
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.entries, 0u);
  EXPECT_FALSE(r.last_seq.has_value());
}

TEST_F(VerifyLog, TruncatedTailIsAllowedAndReported) {
  auto entries = typical();
  const std::size_t last = entries.size() - 1;
  for (const std::size_t keep : {std::size_t{0}, std::size_t{1}, entries[last].encoded.size() / 2, entries[last].encoded.size() - 1}) {
    auto cut = entries;
    cut[last].encoded.resize(keep);
    const LogReport r = check(cut);
    EXPECT_TRUE(r.ok) << keep;
    expect_single(r, FindingKind::truncated_tail, last);
    EXPECT_EQ(r.last_seq, last - 1);
  }
}

TEST_F(VerifyLog, MissingRecordsAtTheEndAreATruncatedTailWhenTheHeadIsKnown) {
  auto entries = typical();
  const std::uint64_t last_seq = entries.size() - 1;
  entries.resize(entries.size() - 2);
  LogOptions o;
  o.expected_last_seq = last_seq;
  const LogReport r = check(entries, o);
  EXPECT_TRUE(r.ok);
  expect_single(r, FindingKind::truncated_tail, entries.size());
  // Without the expected head, a shorter log is indistinguishable from an intact one.
  EXPECT_TRUE(check(entries).findings.empty());
}

TEST_F(VerifyLog, CutInTheMiddleIsForgedNotTruncated) {
  auto entries = typical();
  entries[4].encoded.resize(entries[4].encoded.size() / 2);
  const LogReport r = check(entries);
  EXPECT_FALSE(r.ok);
  expect_single(r, FindingKind::forged, 4);
}

TEST_F(VerifyLog, AlteredRecordIsForged) {
  LogBuilder b(pki_->signer());
  b.typical_device_log();
  // Change a field of record 5 (counter_advanced to 1 -> 7) and keep its signature.
  Record altered = b.records()[5];
  altered.body.fields["to"] = std::uint64_t{7};
  altered.body_encoded = encode_body(altered.body);
  altered.encoded = encode_record(altered.body_encoded, altered.signature);
  auto entries = entries_from_records(b.records());
  entries[5].encoded = altered.encoded;
  const LogReport r = check(entries);
  EXPECT_FALSE(r.ok);
  expect_single(r, FindingKind::forged, 5);
  EXPECT_EQ(r.findings[0].seq, 5u);
}

TEST_F(VerifyLog, EveryByteFlipOfARecordIsDetected) {
  const auto entries = typical();
  std::size_t flips = 0;
  for (std::size_t pos = 0; pos < entries[3].encoded.size(); ++pos) {
    auto copy = entries;
    copy[3].encoded[pos] ^= 0x01;
    const LogReport r = check(copy);
    EXPECT_FALSE(r.ok) << "byte " << pos;
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(r.findings[0].index, 3u) << "byte " << pos << ": " << r.findings[0].message;
    ++flips;
  }
  EXPECT_GT(flips, 100u);
}

TEST_F(VerifyLog, RecordSignedByAnotherKeyIsForged) {
  TestPki other("Other Device Maker");
  LogBuilder mine(pki_->signer());
  mine.typical_device_log();
  // The attacker continues the chain correctly (right seq and prev_hash) but with its own key.
  LogBuilder theirs(other.signer());
  theirs.set_head(head_after(mine.records()[7]));
  Record fake = theirs.add(device_kind::kUpdateConfirmed, {{"slot", std::string("B")}, {"seq", std::uint64_t{9}}});
  auto entries = entries_from_records(mine.records());
  entries[8].encoded = fake.encoded;
  const LogReport r = check(entries);
  expect_single(r, FindingKind::forged, 8);
}

TEST_F(VerifyLog, BrokenHashChainIsForged) {
  // Authentic signature, wrong prev_hash: the device key signed a record that does not follow.
  LogBuilder b(pki_->signer());
  for (int i = 0; i < 5; ++i) b.add(device_kind::kUpdateOffered);
  ChainHead wrong = b.head();
  wrong.last_hash[0] ^= 0xff;
  b.set_head(wrong);
  b.add(device_kind::kUpdateOffered);
  b.add(device_kind::kUpdateOffered);
  const LogReport r = check(entries_from_records(b.records()));
  expect_single(r, FindingKind::forged, 5);
}

TEST_F(VerifyLog, DroppedRecordIsAGap) {
  auto entries = typical();
  entries.erase(entries.begin() + 4);
  const LogReport r = check(entries);
  EXPECT_FALSE(r.ok);
  expect_single(r, FindingKind::dropped, 4);
  EXPECT_EQ(r.findings[0].seq, 5u);
}

TEST_F(VerifyLog, DroppedHeadIsAGapUnlessRotationIsAllowed) {
  auto entries = typical();
  entries.erase(entries.begin(), entries.begin() + 3);
  expect_single(check(entries), FindingKind::dropped, 0);
  LogOptions o;
  o.allow_rotated_head = true;
  const LogReport r = check(entries, o);
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.rotated_head);
  EXPECT_EQ(r.first_seq, 3u);
}

TEST_F(VerifyLog, ReplayedRecordIsInserted) {
  auto entries = typical();
  entries.insert(entries.begin() + 7, entries[2]);
  const LogReport r = check(entries);
  EXPECT_FALSE(r.ok);
  expect_single(r, FindingKind::inserted, 7);
}

TEST_F(VerifyLog, RecordOfAnotherChainIsInserted) {
  // The same device key, a second log (e.g. before a re-provisioning): its record with seq 5 is
  // authentic but does not link into this chain.
  LogBuilder a(pki_->signer());
  a.typical_device_log();
  LogBuilder b(pki_->signer());
  for (int i = 0; i < 6; ++i) b.add(device_kind::kUpdateOffered, {{"envelope_size", std::uint64_t{100u + i}}});
  auto entries = entries_from_records(a.records());
  entries.insert(entries.begin() + 6, LogEntry{b.records()[5].encoded, {}});
  const LogReport r = check(entries);
  expect_single(r, FindingKind::inserted, 6);
  // Placed before the original, it is still the foreign one that is reported.
  auto before = entries_from_records(a.records());
  before.insert(before.begin() + 5, LogEntry{b.records()[5].encoded, {}});
  expect_single(check(before), FindingKind::inserted, 5);
}

TEST_F(VerifyLog, SwappedRecordsAreReordered) {
  auto entries = typical();
  std::swap(entries[3], entries[4]);
  const LogReport r = check(entries);
  EXPECT_FALSE(r.ok);
  expect_single(r, FindingKind::reordered, 3);
}

TEST_F(VerifyLog, MovedRecordIsReordered) {
  auto entries = typical();
  const LogEntry moved = entries[9];
  entries.erase(entries.begin() + 9);
  entries.insert(entries.begin() + 2, moved);
  expect_single(check(entries), FindingKind::reordered, 2);
}

TEST_F(VerifyLog, CounterMovingBackwardsIsInconsistent) {
  LogBuilder b(pki_->signer());
  namespace k = device_kind;
  b.add(k::kProvisioned, {{"counter", std::uint64_t{0}}});
  b.add(k::kCounterAdvanced, {{"from", std::uint64_t{0}}, {"to", std::uint64_t{3}}});
  b.add(k::kCounterAdvanced, {{"from", std::uint64_t{3}}, {"to", std::uint64_t{2}}});
  expect_single(check(entries_from_records(b.records())), FindingKind::counter_inconsistent, 2);
}

TEST_F(VerifyLog, CounterJumpNotChainingIsInconsistent) {
  LogBuilder b(pki_->signer());
  namespace k = device_kind;
  b.add(k::kProvisioned, {{"counter", std::uint64_t{0}}});
  b.add(k::kCounterAdvanced, {{"from", std::uint64_t{0}}, {"to", std::uint64_t{3}}});
  b.add(k::kCounterAdvanced, {{"from", std::uint64_t{1}}, {"to", std::uint64_t{4}}});
  expect_single(check(entries_from_records(b.records())), FindingKind::counter_inconsistent, 2);
}

TEST_F(VerifyLog, BootBelowTheMinimumIsInconsistent) {
  LogBuilder b(pki_->signer());
  namespace k = device_kind;
  b.add(k::kProvisioned, {{"counter", std::uint64_t{4}}});
  b.add(k::kBootVerified, {{"slot", std::string("A")}, {"seq", std::uint64_t{3}}, {"minimum", std::uint64_t{4}}});
  expect_single(check(entries_from_records(b.records())), FindingKind::counter_inconsistent, 1);
}

TEST_F(VerifyLog, MinimumBelowTheCounterIsInconsistent) {
  LogBuilder b(pki_->signer());
  namespace k = device_kind;
  b.add(k::kProvisioned, {{"counter", std::uint64_t{0}}});
  b.add(k::kCounterAdvanced, {{"from", std::uint64_t{0}}, {"to", std::uint64_t{5}}});
  b.add(k::kRollbackBlocked, {{"offered", std::uint64_t{1}}, {"minimum", std::uint64_t{2}}});
  expect_single(check(entries_from_records(b.records())), FindingKind::counter_inconsistent, 2);
}

TEST_F(VerifyLog, AfterAGapTheCounterMayHaveMovedButNotBackwards) {
  auto entries = typical();
  // Drop records 5..7 (among them counter_advanced 0 -> 1): boot_verified with minimum 1 follows.
  entries.erase(entries.begin() + 5, entries.begin() + 8);
  const LogReport r = check(entries);
  expect_single(r, FindingKind::dropped, 5);
}

TEST_F(VerifyLog, MacdLogVerifiesWithItsKeyOnly) {
  std::vector<std::uint8_t> secret(32, 0x5a);
  HmacRecordSigner mac(secret);
  LogBuilder b(mac);
  b.typical_device_log();
  const auto entries = entries_from_records(b.records());
  const LogReport ok = verify_log(entries, LogKey::from_hmac(secret));
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.authentic, entries.size());
  secret[31] ^= 1;
  const LogReport wrong = verify_log(entries, LogKey::from_hmac(secret));
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.authentic, 0u);
  EXPECT_EQ(wrong.classification, "forged");
  // A MAC'd record never passes under a signature key, nor the reverse.
  EXPECT_EQ(check(entries).authentic, 0u);
  EXPECT_EQ(verify_log(typical(), LogKey::from_hmac(std::vector<std::uint8_t>(32, 0x5a))).authentic, 0u);
  EXPECT_THROW(HmacRecordSigner(std::vector<std::uint8_t>(16, 1)), host::UserError);
}

TEST_F(VerifyLog, DeviceCertificateMustChainToTheAnchor) {
  TestPki other("Someone Else");
  try {
    (void)LogKey::from_certificates(verify::read_certificates(pki_->path("device-chain.pem")),
                                    other.anchors().anchors().supplier);
    FAIL() << "a device certificate of another PKI was accepted";
  } catch (const host::UserError& e) {
    EXPECT_EQ(e.exit_code(), host::kExitRejected);
    EXPECT_NE(std::string(e.what()).find("cert_untrusted_root"), std::string::npos) << e.what();
  }
  // Leaf alone (no intermediate) does not reach the root either.
  EXPECT_THROW((void)LogKey::from_certificates(verify::read_certificates(pki_->path("device.pem")),
                                               pki_->anchors().anchors().supplier),
               host::UserError);
}

}  // namespace
}  // namespace ft::ledger
