#include "ft/device/device_dir.h"

#include <openssl/x509.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/inspect/describe.h"
#include "ft/ledger/export.h"
#include "ft/ledger/verify_log.h"
#include "ft/pki/certificate.h"
#include "ft/sign/envelope_builder.h"
#include "ft/verify/verify.h"
#include "ft/x509/certificate.h"

namespace ft::device {

namespace fs = std::filesystem;
using host::UserError;
using nlohmann::json;

namespace {

constexpr char kFormat[] = "fieldtrust-device/1";

const char* time_mode_name(trust::TimeMode mode) {
  switch (mode) {
    case trust::TimeMode::clock: return "clock";
    case trust::TimeMode::floor: return "floor";
    case trust::TimeMode::none: return "none";
  }
  return "clock";
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string join(const std::string& dir, const std::string& name) { return (fs::path(dir) / name).string(); }

// der_to_pem returns the PEM text of a DER certificate.
std::string certificate_pem(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  keys::UniqueX509 cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) throw UserError("device identity chain: a certificate does not parse");
  return pki::certificate_pem(cert.get());
}

std::string tpm_label(const ProvisionOptions& o) { return o.vendor_domain + "/" + o.model + "/" + o.serial; }

// Field readers that name device.json and the field when something is wrong.
class ConfigReader {
 public:
  ConfigReader(const json& j, std::string file) : j_(j), file_(std::move(file)) {}

  const json& at(const std::string& path) const {
    const json* cur = &j_;
    std::size_t start = 0;
    while (start <= path.size()) {
      const std::size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!cur->is_object() || !cur->contains(key)) throw UserError(file_ + ": missing field \"" + path + "\"");
      cur = &(*cur)[key];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return *cur;
  }
  std::string text(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_string()) throw UserError(file_ + ": field \"" + path + "\" must be a string");
    return v.get<std::string>();
  }
  std::uint64_t number(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
      throw UserError(file_ + ": field \"" + path + "\" must be a non-negative number");
    }
    return v.get<std::uint64_t>();
  }
  bool flag(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_boolean()) throw UserError(file_ + ": field \"" + path + "\" must be true or false");
    return v.get<bool>();
  }
  std::array<std::uint8_t, 16> uuid(const std::string& path) const {
    const auto bytes = verify::parse_uuid(text(path), file_ + ": field \"" + path + "\"");
    std::array<std::uint8_t, 16> out{};
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
  }
  const std::string& file() const { return file_; }

 private:
  const json& j_;
  std::string file_;
};

std::uint32_t checked32(std::uint64_t v, const std::string& what) {
  if (v > 0xFFFFFFFFull) throw UserError(what + " is out of range");
  return static_cast<std::uint32_t>(v);
}

}  // namespace

ProvisionResult provision_device(const ProvisionOptions& o) {
  if (o.directory.empty()) throw UserError("device init: no directory given", host::kExitUsage);
  if (o.vendor_domain.empty() || o.model.empty()) {
    throw UserError("device init: --vendor-domain and --model say which firmware the device accepts", host::kExitUsage);
  }
  if (o.supplier_anchors.empty()) throw UserError("device init: at least one supplier anchor (--anchor) is needed", host::kExitUsage);
  if (o.identity_root.empty()) throw UserError("device init: --identity-root (the PKI root of the device identity) is needed", host::kExitUsage);
  if (!o.tpm_tcti && (o.identity_key.empty() || o.identity_chain.empty())) {
    throw UserError("device init: give --identity-key and --identity-chain, or --tpm with --identity-ca and --identity-ca-key",
                    host::kExitUsage);
  }
  if (o.tpm_tcti && (o.identity_ca.empty() || o.identity_ca_key.empty())) {
    throw UserError("device init: with --tpm the identity certificate is issued by --identity-ca with --identity-ca-key",
                    host::kExitUsage);
  }
  const std::string dir = o.directory;
  if (host::file_exists(join(dir, "device.json")) && !o.force) {
    throw UserError(join(dir, "device.json") + " exists: this directory holds a device already (use --force to replace it)",
                    host::kExitUsage);
  }
  DeviceConfig config;
  config.geometry = o.geometry;
  config.layout = o.layout;
  if (config.geometry.sector_count == 0) config.geometry.sector_count = 4 + o.layout.log_sectors + 2 * o.layout.slot_sectors;
  (void)make_layout(config.geometry, config.layout);  // throws for a layout that does not fit
  const auto vendor = sign::vendor_id_for_domain(o.vendor_domain);
  config.vendor_id = vendor;
  config.class_id = sign::class_id_for_model(vendor, o.model);
  config.policy = o.policy;

  std::error_code ec;
  for (const char* sub : {"anchors/supplier", "anchors/asset-owner", "identity"}) {
    fs::create_directories(join(dir, sub), ec);
    if (ec) throw UserError(join(dir, sub) + ": cannot create directory: " + ec.message(), host::kExitEnvironment);
  }
  ProvisionResult result;
  json anchors_json = {{"supplier", json::array()}, {"asset_owner", json::array()}};
  verify::AnchorSet check;
  const auto copy_anchors = [&](const std::vector<std::string>& files, const char* sub, const char* key, trust::Role role) {
    int n = 0;
    for (const std::string& f : files) {
      check.add_file(f, role);  // throws naming the file when it holds no anchor
      const std::string name = std::string("anchors/") + sub + "/" + std::to_string(++n) + "-" + fs::path(f).filename().string();
      host::write_file_atomic(join(dir, name), Bytes(host::read_file(f, 1 << 20)));
      anchors_json[key].push_back(name);
      result.files.push_back(name);
    }
  };
  copy_anchors(o.supplier_anchors, "supplier", "supplier", trust::Role::supplier);
  copy_anchors(o.owner_anchors, "asset-owner", "asset_owner", trust::Role::asset_owner);
  host::write_file_atomic(join(dir, "anchors/identity-root.pem"), Bytes(host::read_file(o.identity_root, 1 << 20)));
  result.files.push_back("anchors/identity-root.pem");
  verify::AnchorSet identity_anchor;
  identity_anchor.add_file(o.identity_root, trust::Role::supplier);

  json identity_json;
  json counter_json;
  std::vector<std::vector<std::uint8_t>> chain;
  std::unique_ptr<TpmConnection> tpm;
  std::unique_ptr<keys::Signer> identity;
  std::unique_ptr<CounterStore> counter;
  PowerSupply supply;
  auto flash = std::make_unique<Flash>(config.geometry, supply);
  const Layout layout = make_layout(config.geometry, config.layout);

  if (o.tpm_tcti) {
    tpm = std::make_unique<TpmConnection>(*o.tpm_tcti);
    TpmCounterStore::define_counter(*tpm, o.nv_index);
    counter = std::make_unique<TpmCounterStore>(*tpm, o.nv_index);
    identity = std::make_unique<TpmSigner>(*tpm, tpm_label(o));
    auto ca_key = keys::open_signer(o.identity_ca_key);
    auto ca_certs = pki::load_certificates(o.identity_ca);
    result.identity_subject = "/O=" + o.vendor_domain + "/CN=" + o.model + " SN " + o.serial;
    pki::CertificateRequest request{pki::CertificateRole::device_identity, result.identity_subject, identity.get(),
                                    ca_key.get(), ca_certs.front().get(), pki::validity_for_days(3650)};
    const keys::UniqueX509 cert = pki::issue_certificate(request);
    const std::string leaf_pem = pki::certificate_pem(cert.get());
    host::write_file_atomic(join(dir, "identity/device.pem"), leaf_pem);
    host::write_file_atomic(join(dir, "identity/device-chain.pem"), leaf_pem + pki::certificate_pem(ca_certs.front().get()));
    identity_json = {{"kind", "tpm"}, {"tpm_label", tpm_label(o)}};
    counter_json = {{"kind", "tpm"}, {"tcti", *o.tpm_tcti}, {"nv_index", hex32(o.nv_index)}};
  } else {
    identity = keys::open_signer(o.identity_key);
    if (identity->algorithm() != keys::SignatureAlgorithm::es256) {
      throw UserError(o.identity_key + ": the device identity key must be EC P-256 (log records are ES256)");
    }
    chain = verify::read_certificates(o.identity_chain);
    const auto leaf = x509::parse_certificate(chain.front());
    if (!leaf.ok() || !bytes_equal(leaf->spki, identity->public_key_spki_der())) {
      throw UserError(o.identity_chain + ": its first certificate is not the certificate of " + o.identity_key);
    }
    std::string chain_pem;
    for (const auto& der : chain) chain_pem += certificate_pem(der);
    host::write_file_atomic(join(dir, "identity/device.pem"), certificate_pem(chain.front()));
    host::write_file_atomic(join(dir, "identity/device-chain.pem"), chain_pem);
    host::write_file_atomic(join(dir, "identity/device.key.pem"), Bytes(host::read_file(o.identity_key, 1 << 20)), 0600);
    result.files.push_back("identity/device.key.pem");
    identity_json = {{"kind", "file"}, {"key", "identity/device.key.pem"}};
    counter = std::make_unique<FlashCounterStore>(*flash, layout);
    counter_json = {{"kind", "flash"}};
  }
  result.files.push_back("identity/device.pem");
  result.files.push_back("identity/device-chain.pem");
  identity_json["certificate_chain"] = "identity/device-chain.pem";
  identity_json["root"] = "anchors/identity-root.pem";
  identity_json["serial"] = o.serial;
  // The identity must verify where the log will be checked: its chain to the identity root.
  (void)ledger::LogKey::from_certificates(verify::read_certificates(join(dir, "identity/device-chain.pem")),
                                          identity_anchor.anchors().supplier);

  // The first record, on a blank flash.
  ledger::KeyRecordSigner log_signer(*identity);
  FixedClock clock(o.now);
  Device device(config, DeviceParts{*flash, *counter, log_signer, check.anchors(), clock});
  device.provision();
  result.counter = counter->read();
  save_flash(*flash, join(dir, "flash.bin"));
  write_running(dir, std::nullopt);
  result.files.push_back("flash.bin");
  result.files.push_back("ram.json");

  json j;
  j["format"] = kFormat;
  j["created"] = inspect::format_time(o.now);
  j["vendor_domain"] = o.vendor_domain;
  j["model"] = o.model;
  j["vendor_id"] = inspect::uuid_text(config.vendor_id);
  j["class_id"] = inspect::uuid_text(config.class_id);
  j["flash"] = {{"sector_size", config.geometry.sector_size},
                {"write_size", config.geometry.write_size},
                {"sector_count", config.geometry.sector_count},
                {"program_chunk", config.geometry.program_chunk}};
  j["layout"] = {{"slot_sectors", config.layout.slot_sectors}, {"log_sectors", config.layout.log_sectors}};
  j["policy"] = {{"time_mode", time_mode_name(config.policy.time_mode)},
                 {"require_asset_owner", config.policy.require_asset_owner},
                 {"allow_raw_keys", config.policy.allow_raw_keys}};
  j["anchors"] = anchors_json;
  j["identity"] = identity_json;
  j["counter"] = counter_json;
  host::write_file_atomic(join(dir, "device.json"), j.dump(2) + "\n");
  result.files.push_back("device.json");
  return result;
}

DeviceDirectory::DeviceDirectory(const std::string& directory, std::int64_t now) : directory_(directory), clock_(now) {
  const std::string file = join(directory, "device.json");
  if (!host::file_exists(file)) {
    throw UserError(directory + ": not a device directory (no device.json; create one with `fieldtrust device init`)");
  }
  const json j = json::parse(host::read_text_file(file, 1 << 20), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw UserError(file + ": not JSON");
  const ConfigReader r(j, file);
  if (r.text("format") != kFormat) throw UserError(file + ": field \"format\" is not \"" + std::string(kFormat) + "\"");
  config_.geometry.sector_size = checked32(r.number("flash.sector_size"), file + ": flash.sector_size");
  config_.geometry.write_size = checked32(r.number("flash.write_size"), file + ": flash.write_size");
  config_.geometry.sector_count = checked32(r.number("flash.sector_count"), file + ": flash.sector_count");
  config_.geometry.program_chunk = checked32(r.number("flash.program_chunk"), file + ": flash.program_chunk");
  config_.layout.slot_sectors = checked32(r.number("layout.slot_sectors"), file + ": layout.slot_sectors");
  config_.layout.log_sectors = checked32(r.number("layout.log_sectors"), file + ": layout.log_sectors");
  config_.vendor_id = r.uuid("vendor_id");
  config_.class_id = r.uuid("class_id");
  const std::string mode = r.text("policy.time_mode");
  if (mode == "clock") {
    config_.policy.time_mode = trust::TimeMode::clock;
  } else if (mode == "floor") {
    config_.policy.time_mode = trust::TimeMode::floor;
  } else if (mode == "none") {
    config_.policy.time_mode = trust::TimeMode::none;
  } else {
    throw UserError(file + ": field \"policy.time_mode\" must be clock, floor or none");
  }
  config_.policy.require_asset_owner = r.flag("policy.require_asset_owner");
  config_.policy.allow_raw_keys = r.flag("policy.allow_raw_keys");
  for (const auto& [key, role] : {std::pair{"supplier", trust::Role::supplier}, std::pair{"asset_owner", trust::Role::asset_owner}}) {
    const json& list = r.at(std::string("anchors.") + key);
    if (!list.is_array()) throw UserError(file + ": field \"anchors." + key + "\" must be a list of files");
    for (const auto& name : list) {
      if (!name.is_string()) throw UserError(file + ": field \"anchors." + key + "\" must be a list of files");
      anchors_.add_file(join(directory, name.get<std::string>()), role);
    }
  }
  layout_ = make_layout(config_.geometry, config_.layout);
  flash_ = std::make_unique<Flash>(config_.geometry, supply_);
  load_flash(*flash_, join(directory, "flash.bin"));

  const std::string counter_kind = r.text("counter.kind");
  identity_kind_ = r.text("identity.kind");
  if (counter_kind == "tpm" || identity_kind_ == "tpm") tpm_ = std::make_unique<TpmConnection>(r.text("counter.tcti"));
  if (counter_kind == "tpm") {
    const std::string index_text = r.text("counter.nv_index");
    char* end = nullptr;
    const unsigned long index = std::strtoul(index_text.c_str(), &end, 0);
    if (end == index_text.c_str() || *end != '\0') throw UserError(file + ": field \"counter.nv_index\" is not a number");
    counter_ = std::make_unique<TpmCounterStore>(*tpm_, static_cast<std::uint32_t>(index), &supply_);
  } else if (counter_kind == "flash") {
    counter_ = std::make_unique<FlashCounterStore>(*flash_, layout_);
  } else {
    throw UserError(file + ": field \"counter.kind\" must be flash or tpm");
  }
  if (identity_kind_ == "tpm") {
    identity_ = std::make_unique<TpmSigner>(*tpm_, r.text("identity.tpm_label"));
  } else if (identity_kind_ == "file") {
    identity_ = keys::open_signer(join(directory, r.text("identity.key")));
  } else {
    throw UserError(file + ": field \"identity.kind\" must be file or tpm");
  }
  log_signer_ = std::make_unique<ledger::KeyRecordSigner>(*identity_);
  device_ = std::make_unique<Device>(config_, DeviceParts{*flash_, *counter_, *log_signer_, anchors_.anchors(), clock_});
  device_->set_running(read_running(directory));
}

DeviceDirectory::~DeviceDirectory() = default;

void DeviceDirectory::save() {
  save_flash(*flash_, join(directory_, "flash.bin"));
  write_running(directory_, device_->running());
}

void DeviceDirectory::power_cut() {
  save_flash(*flash_, join(directory_, "flash.bin"));
  write_running(directory_, std::nullopt);
}

std::optional<Running> read_running(const std::string& directory) {
  const std::string file = join(directory, "ram.json");
  if (!host::file_exists(file)) return std::nullopt;
  const json j = json::parse(host::read_text_file(file, 1 << 16), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("running")) throw UserError(file + ": not the RAM state of a device");
  const json& r = j["running"];
  if (r.is_null()) return std::nullopt;
  const ConfigReader reader(j, file);
  Running out;
  const std::string slot = reader.text("running.slot");
  if (slot != "A" && slot != "B") throw UserError(file + ": field \"running.slot\" must be A or B");
  out.slot = slot == "A" ? 0 : 1;
  out.seq = reader.number("running.seq");
  out.trial = reader.flag("running.trial");
  return out;
}

void write_running(const std::string& directory, const std::optional<Running>& running) {
  json j;
  if (running) {
    j["running"] = {{"slot", slot_name(running->slot)}, {"seq", running->seq}, {"trial", running->trial}};
  } else {
    j["running"] = nullptr;
  }
  host::write_file_atomic(join(directory, "ram.json"), j.dump(2) + "\n");
}

}  // namespace ft::device
