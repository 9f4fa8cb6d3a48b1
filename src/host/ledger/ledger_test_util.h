// ledger_test_util.h — a development PKI with a device identity certificate, and helpers that
// build signed device logs, for the ledger tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ft/keys/signer.h"
#include "ft/ledger/chain.h"
#include "ft/ledger/device_log.h"
#include "ft/ledger/record_signer.h"
#include "ft/ledger/verify_log.h"
#include "ft/pki/dev_pki.h"
#include "ft/verify/anchors.h"

namespace ft::ledger::testing {

// TestPki — `pki init` in a temporary directory (removed at the end).
class TestPki {
 public:
  explicit TestPki(const std::string& organization = "Ledger Test") {
    std::string templ = (std::filesystem::temp_directory_path() / "ft-ledger-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data());
    pki::InitOptions o;
    o.directory = dir_;
    o.organization = organization;
    pki::init_pki(o);
    anchors_.add_file(path("root.pem"), trust::Role::supplier);
    device_signer_ = keys::open_signer(path("device.key.pem"));
    record_signer_ = std::make_unique<KeyRecordSigner>(*device_signer_);
  }
  ~TestPki() { std::filesystem::remove_all(dir_); }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/" + name; }
  [[nodiscard]] RecordSigner& signer() { return *record_signer_; }
  [[nodiscard]] const verify::AnchorSet& anchors() const { return anchors_; }

  // device_key returns the LogKey of device-chain.pem validated against root.pem.
  [[nodiscard]] LogKey device_key() const {
    return LogKey::from_certificates(verify::read_certificates(path("device-chain.pem")), anchors_.anchors().supplier);
  }

 private:
  std::string dir_;
  verify::AnchorSet anchors_;
  std::unique_ptr<keys::Signer> device_signer_;
  std::unique_ptr<RecordSigner> record_signer_;
};

// LogBuilder — appends device records to a chain.
class LogBuilder {
 public:
  explicit LogBuilder(RecordSigner& signer) : signer_(signer) {}

  const Record& add(const std::string& kind, const Fields& fields = {}) {
    records_.push_back(make_record(head_, 1767225600 + static_cast<std::int64_t>(records_.size()), kind, fields, signer_));
    head_ = head_after(records_.back());
    return records_.back();
  }

  // typical_device_log: provisioning, two updates with boots, confirmations and counter moves,
  // and a blocked rollback: 12 records whose counter rules hold.
  LogBuilder& typical_device_log() {
    namespace k = device_kind;
    add(k::kProvisioned, {{"counter", std::uint64_t{0}}, {"counter_store", std::string("flash")}});
    add(k::kUpdateOffered, {{"envelope_size", std::uint64_t{900}}});
    add(k::kUpdateInstalled, {{"slot", std::string("A")}, {"seq", std::uint64_t{1}}});
    add(k::kBootVerified, {{"slot", std::string("A")}, {"seq", std::uint64_t{1}}, {"minimum", std::uint64_t{0}}, {"trial", true}});
    add(k::kUpdateConfirmed, {{"slot", std::string("A")}, {"seq", std::uint64_t{1}}});
    add(k::kCounterAdvanced, {{"from", std::uint64_t{0}}, {"to", std::uint64_t{1}}});
    add(k::kUpdateOffered, {{"envelope_size", std::uint64_t{950}}});
    add(k::kUpdateInstalled, {{"slot", std::string("B")}, {"seq", std::uint64_t{2}}});
    add(k::kBootVerified, {{"slot", std::string("B")}, {"seq", std::uint64_t{2}}, {"minimum", std::uint64_t{1}}, {"trial", true}});
    add(k::kUpdateConfirmed, {{"slot", std::string("B")}, {"seq", std::uint64_t{2}}});
    add(k::kCounterAdvanced, {{"from", std::uint64_t{1}}, {"to", std::uint64_t{2}}});
    add(k::kRollbackBlocked, {{"offered", std::uint64_t{1}}, {"minimum", std::uint64_t{2}}, {"reason", std::string("trust_rollback")}});
    return *this;
  }

  [[nodiscard]] const std::vector<Record>& records() const { return records_; }
  [[nodiscard]] ChainHead head() const { return head_; }
  void set_head(ChainHead head) { head_ = head; }

 private:
  RecordSigner& signer_;
  ChainHead head_;
  std::vector<Record> records_;
};

}  // namespace ft::ledger::testing
