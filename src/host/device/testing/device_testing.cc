#include "device_testing.h"

#include <openssl/evp.h>
#include <stdlib.h>

#include <filesystem>
#include <random>

#include "ft/cbor/cbor.h"
#include "ft/device/slot.h"
#include "ft/ledger/cbor_writer.h"
#include "ft/ledger/export.h"
#include "ft/pki/dev_pki.h"

namespace ft::device::testing {

TempDir::TempDir(const std::string& prefix) {
  std::string templ = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Pki::Pki(const std::string& organization, std::optional<std::time_t> leaf_not_after) {
  pki::InitOptions o;
  o.directory = dir_.path();
  o.organization = organization;
  if (leaf_not_after) {
    o.leaf_not_before = *leaf_not_after - 30 * 86400;
    o.leaf_not_after = *leaf_not_after;
  }
  pki::init_pki(o);
}

Signing::Signing(const std::string& key_path, const std::string& chain_path) {
  identity_ = sign::load_signing_identity(key_path, chain_path, chain_path.empty(), signer_);
}

Release make_release(const ReleaseSpec& spec, const std::vector<const Signing*>& signers) {
  Release out;
  out.seq = spec.seq;
  out.detached = spec.detached;
  out.image.resize(spec.image_size);
  std::mt19937 rng(static_cast<unsigned>(spec.seq * 7919 + spec.image_size));
  for (auto& b : out.image) b = static_cast<std::uint8_t>(rng());
  sign::Release r;
  r.sequence_number = spec.seq;
  r.vendor_id = sign::vendor_id_for_domain(kVendorDomain);
  r.class_id = sign::class_id_for_model(r.vendor_id, spec.model);
  r.vendor_name = "ACME Instruments";
  r.model = spec.model;
  r.version = "1." + std::to_string(spec.seq) + ".0";
  r.image_digest.resize(32);
  unsigned int len = 0;
  EVP_Digest(out.image.data(), out.image.size(), r.image_digest.data(), &len, EVP_sha256(), nullptr);
  r.image_size = spec.declared_size.value_or(out.image.size());
  r.integrated = !spec.detached;
  if (spec.detached) {
    r.payload_uri = "fw.bin";
  } else {
    r.image = out.image;
  }
  std::vector<sign::SigningIdentity> ids;
  for (const Signing* s : signers) ids.push_back(s->identity());
  out.envelope = sign::build_envelope(r, ids);
  return out;
}

std::vector<std::uint8_t> strip_signatures(Bytes envelope, bool remove_wrapper) {
  auto fail = [] { return std::runtime_error("strip_signatures: not the envelope ft_sign builds"); };
  cbor::Decoder d(envelope);
  std::uint64_t tag = 0, key = 0;
  std::size_t members = 0, count = 0;
  Bytes wrapper, digest_item;
  if (!d.read_tag(tag).ok() || !d.read_map(members).ok() || !d.read_uint(key).ok() || key != suit::key::kAuthWrapper ||
      !d.read_bstr(wrapper).ok()) {
    throw fail();
  }
  cbor::Decoder w(wrapper);
  if (!w.read_array(count).ok() || !w.read_item(digest_item).ok()) throw fail();
  const Bytes rest = d.rest();  // the manifest and any integrated payload, unchanged
  const auto new_wrapper = ledger::encode_cbor([&](cbor::Encoder& e) {
    e.write_array(1);
    e.write_raw(digest_item);
  });
  return ledger::encode_cbor([&](cbor::Encoder& e) {
    e.write_tag(tag);
    e.write_map(remove_wrapper ? members - 1 : members);
    if (!remove_wrapper) {
      e.write_uint(suit::key::kAuthWrapper);
      e.write_bstr(new_wrapper);
    }
    e.write_raw(rest);
  });
}

DeviceConfig test_config(trust::TimeMode time_mode, bool require_owner) {
  DeviceConfig c;
  c.geometry.sector_size = 1024;
  c.geometry.write_size = 8;
  c.geometry.program_chunk = 256;
  c.geometry.sector_count = 24;
  c.layout.slot_sectors = 6;
  c.layout.log_sectors = 6;
  const auto vendor = sign::vendor_id_for_domain(kVendorDomain);
  c.vendor_id = vendor;
  c.class_id = sign::class_id_for_model(vendor, kModel);
  c.policy.time_mode = time_mode;
  c.policy.require_asset_owner = require_owner;
  return c;
}

SimDevice::SimDevice(const DeviceConfig& config, const verify::AnchorSet& anchors, ledger::RecordSigner& log_signer,
                     CounterStore* external_counter)
    : config_(config),
      anchors_(anchors),
      log_signer_(log_signer),
      flash_(config.geometry, supply_),
      layout_(make_layout(config.geometry, config.layout)),
      counter_(external_counter),
      clock_(static_cast<std::int64_t>(std::time(nullptr))) {
  if (counter_ == nullptr) {
    flash_counter_ = std::make_unique<FlashCounterStore>(flash_, layout_);
    counter_ = flash_counter_.get();
  }
  reboot();
}

void SimDevice::reboot() {
  supply_.restore();
  device_.reset();
  device_ = std::make_unique<Device>(config_, DeviceParts{flash_, *counter_, log_signer_, anchors_.anchors(), clock_});
}

SimDevice::Snapshot SimDevice::snapshot() const { return Snapshot{flash_.image(), device_->running()}; }

void SimDevice::restore(const Snapshot& snapshot) {
  supply_.restore();
  flash_.load_image(snapshot.flash);
  reboot();
  device_->set_running(snapshot.running);
}

Lab::Lab()
    : supplier_(pki_.path("signer.key.pem"), pki_.path("signer-chain.pem")), releases_(6) {
  anchors_.add_file(pki_.path("root.pem"), trust::Role::supplier);
  identity_ = keys::open_signer(pki_.path("device.key.pem"));
  log_signer_ = std::make_unique<ledger::KeyRecordSigner>(*identity_);
}

ledger::LogKey Lab::log_key() const {
  return ledger::LogKey::from_certificates(verify::read_certificates(pki_.path("device-chain.pem")),
                                           anchors_.anchors().supplier);
}

const Release& Lab::release(std::uint64_t seq) {
  if (seq == 0 || seq >= releases_.size()) throw std::out_of_range("Lab::release: seq 1..5");
  if (!releases_[seq]) {
    ReleaseSpec spec;
    spec.seq = seq;
    spec.image_size = 1536 + 256 * seq;
    releases_[seq] = make_release(spec, {&supplier_});
  }
  return *releases_[seq];
}

bool Lab::is_authentic(Bytes envelope) const {
  for (const auto& r : releases_) {
    if (r && bytes_equal(r->envelope, envelope)) return true;
  }
  for (const auto& e : extra_) {
    if (bytes_equal(e, envelope)) return true;
  }
  return false;
}

ledger::LogReport verify_device_log(const Flash& flash, const Layout& layout, const ledger::LogKey& key) {
  const LogScan scan = scan_log(flash, layout);
  const auto exported = ledger::to_cbor_sequence(scan.records, scan.torn_tail);
  ledger::LogOptions options;
  options.allow_rotated_head = true;
  return ledger::verify_log(ledger::parse_cbor_sequence(exported), key, options);
}

::testing::AssertionResult check_invariants(SimDevice& sim, const Lab& lab, const ledger::LogKey& key,
                                            const InvariantOptions& options) {
  Device& d = sim.device();
  const std::uint64_t counter = sim.counter().read();
  if (counter < options.counter_before) {
    return ::testing::AssertionFailure() << "counter decreased from " << options.counter_before << " to " << counter;
  }
  if (const auto& running = d.running()) {
    const auto contents = read_slot(sim.flash(), d.layout(), running->slot);
    if (!contents) return ::testing::AssertionFailure() << "running slot " << slot_name(running->slot) << " has no contents";
    if (!lab.is_authentic(sim.flash().view(contents->envelope_offset, contents->envelope_size))) {
      return ::testing::AssertionFailure() << "running slot " << slot_name(running->slot) << " holds no authentic release";
    }
    if (running->seq < counter) {
      return ::testing::AssertionFailure() << "running seq " << running->seq << " is below the minimum " << counter;
    }
  } else if (options.booted && options.expect_booted) {
    return ::testing::AssertionFailure() << "nothing booted although a confirmed release exists";
  }
  for (int s = 0; s < kSlotCount; ++s) {
    const SlotInfo info = d.check_slot(s, counter);
    if (info.verdict != Code::ok) continue;
    if (!info.seq || *info.seq < counter) {
      return ::testing::AssertionFailure() << "slot " << slot_name(s) << " would boot seq "
                                           << info.seq.value_or(0) << " below the minimum " << counter;
    }
    const auto contents = read_slot(sim.flash(), d.layout(), s);
    if (!contents || !lab.is_authentic(sim.flash().view(contents->envelope_offset, contents->envelope_size))) {
      return ::testing::AssertionFailure() << "slot " << slot_name(s) << " verifies but is not an authentic release";
    }
  }
  const ledger::LogReport log = verify_device_log(sim.flash(), d.layout(), key);
  if (!log.ok) {
    return ::testing::AssertionFailure() << "log: " << log.classification << ": "
                                         << (log.findings.empty() ? "" : log.findings[0].message) << " (entry "
                                         << (log.findings.empty() ? 0 : log.findings[0].index) << ")";
  }
  for (const auto& f : log.findings) {
    if (f.kind != ledger::FindingKind::truncated_tail) return ::testing::AssertionFailure() << "log finding " << f.message;
  }
  if (log.final_counter) {
    if (options.booted && *log.final_counter != counter) {
      return ::testing::AssertionFailure() << "after boot the log ends with counter " << *log.final_counter
                                           << " but the counter is " << counter;
    }
    if (*log.final_counter > counter) {
      return ::testing::AssertionFailure() << "the log claims counter " << *log.final_counter << " above the store's "
                                           << counter;
    }
  }
  return ::testing::AssertionSuccess();
}

void bring_up(SimDevice& sim, const Release& release) {
  const InstallOutcome installed = sim.device().install(release.envelope, release.payload());
  ASSERT_TRUE(installed.installed) << code_name(installed.code) << ": " << installed.message;
  sim.reboot();
  const BootOutcome booted = sim.device().boot();
  ASSERT_TRUE(booted.booted);
  ASSERT_TRUE(booted.trial);
  ASSERT_EQ(booted.seq, release.seq);
  const ConfirmOutcome confirmed = sim.device().confirm();
  ASSERT_TRUE(confirmed.confirmed) << confirmed.message;
}

}  // namespace ft::device::testing
