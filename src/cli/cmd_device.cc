// fieldtrust device — the simulated instrument (init, install, boot, confirm, status, log export)
// and fieldtrust log verify — check an exported rollback-protection log. docs/device.md.
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "ft/device/device_dir.h"
#include "ft/device/slot.h"
#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/host/hex.h"
#include "ft/ledger/export.h"
#include "ft/ledger/verify_log.h"
#include "ft/verify/anchors.h"
#include "ft/verify/verify.h"

namespace ft::cli {

namespace {

using host::UserError;
using nlohmann::json;

// What every command that runs the device shares: the directory, the clock, a power cut.
struct RunArgs {
  std::string directory;
  std::string at = "now";
  std::int64_t cut_after = -1;  // -1: no power cut
  bool json = false;
};

void add_run_options(CLI::App* cmd, RunArgs& a, bool can_cut) {
  cmd->add_option("directory", a.directory, "device directory (made by `fieldtrust device init`)")->required();
  cmd->add_option("--at", a.at, "device clock: now (default), Unix seconds, or RFC 3339 UTC");
  if (can_cut) {
    cmd->add_option("--cut-after", a.cut_after,
                    "simulate a power cut: N flash writes/erases (and TPM counter increments) complete, the next "
                    "one fails and the device is off")
        ->check(CLI::NonNegativeNumber);
  }
  cmd->add_flag("--json", a.json, "machine-readable output");
}

// run opens the device, arms the power cut, runs work and saves the state. A power cut saves the
// flash as it was at the cut, drops the RAM state and ends with kExitEnvironment.
template <typename Work>
int run(const RunArgs& a, const char* what, Work&& work, bool writes = true) {
  device::DeviceDirectory dir(a.directory, verify::parse_time(a.at, "--at"));
  if (a.cut_after >= 0) dir.supply().cut_after(static_cast<std::uint64_t>(a.cut_after));
  const std::uint64_t ops_before = dir.supply().operations();
  try {
    const int rc = work(dir);
    if (writes) dir.save();
    return rc;
  } catch (const device::PowerCut& cut) {
    dir.power_cut();
    const std::uint64_t done = dir.supply().operations() - ops_before - 1;
    if (a.json) {
      std::cout << json{{"power_cut", true}, {"operation", what}, {"operations_completed", done}, {"message", cut.what()}}.dump(2)
                << "\n";
    } else {
      std::cout << "POWER CUT during " << what << " after " << done << " flash operations (" << cut.what()
                << ").\nThe device is off; the flash keeps what was written. Run `fieldtrust device boot " << a.directory
                << "`.\n";
    }
    return host::kExitEnvironment;
  }
}

std::string slot_text(int slot) { return slot < 0 ? "-" : device::slot_name(slot); }

// ---- init ------------------------------------------------------------------------------------

struct InitArgs {
  std::string directory, pki;
  std::vector<std::string> anchors, owner_anchors;
  std::string identity_root, identity_key, identity_chain, identity_ca, identity_ca_key;
  std::string vendor_domain, model, serial = "0001";
  std::string time_mode = "clock";
  bool require_owner = false, no_raw_keys = false;
  std::string tpm;
  std::string nv_index;
  std::uint32_t sector_size = 4096, write_size = 8, program_chunk = 256;
  std::uint64_t slot_size = 256 * 1024, log_size = 32 * 1024;
  std::string at = "now";
  bool force = false, json = false;
};

int run_init(InitArgs a) {
  device::ProvisionOptions o;
  o.directory = a.directory;
  if (!a.pki.empty()) {
    const auto in_pki = [&](const char* name) { return a.pki + "/" + name; };
    if (a.anchors.empty()) a.anchors.push_back(in_pki("root.pem"));
    if (a.identity_root.empty()) a.identity_root = in_pki("root.pem");
    if (a.tpm.empty()) {
      if (a.identity_key.empty()) a.identity_key = in_pki("device.key.pem");
      if (a.identity_chain.empty()) a.identity_chain = in_pki("device-chain.pem");
    } else {
      if (a.identity_ca.empty()) a.identity_ca = in_pki("intermediate.pem");
      if (a.identity_ca_key.empty()) a.identity_ca_key = in_pki("intermediate.key.pem");
    }
  }
  o.supplier_anchors = a.anchors;
  o.owner_anchors = a.owner_anchors;
  o.identity_root = a.identity_root;
  o.identity_key = a.identity_key;
  o.identity_chain = a.identity_chain;
  o.identity_ca = a.identity_ca;
  o.identity_ca_key = a.identity_ca_key;
  if (!a.tpm.empty()) o.tpm_tcti = a.tpm;
  if (!a.nv_index.empty()) {
    char* end = nullptr;
    const unsigned long v = std::strtoul(a.nv_index.c_str(), &end, 0);
    if (end == a.nv_index.c_str() || *end != '\0' || v < 0x01000000 || v > 0x01FFFFFF) {
      throw UserError("--nv-index: \"" + a.nv_index + "\" is not an NV index (0x01000000..0x01ffffff)", host::kExitUsage);
    }
    o.nv_index = static_cast<std::uint32_t>(v);
  }
  o.vendor_domain = a.vendor_domain;
  o.model = a.model;
  o.serial = a.serial;
  o.policy.time_mode = a.time_mode == "floor" ? trust::TimeMode::floor
                       : a.time_mode == "none" ? trust::TimeMode::none
                                               : trust::TimeMode::clock;
  o.policy.require_asset_owner = a.require_owner;
  o.policy.allow_raw_keys = !a.no_raw_keys;
  o.geometry.sector_size = a.sector_size;
  o.geometry.write_size = a.write_size;
  o.geometry.program_chunk = a.program_chunk;
  o.geometry.sector_count = 0;
  if (a.sector_size == 0) throw UserError("--sector-size must not be 0", host::kExitUsage);
  o.layout.slot_sectors = static_cast<std::uint32_t>((a.slot_size + a.sector_size - 1) / a.sector_size);
  o.layout.log_sectors = static_cast<std::uint32_t>((a.log_size + a.sector_size - 1) / a.sector_size);
  o.now = verify::parse_time(a.at, "--at");
  o.force = a.force;
  const device::ProvisionResult r = device::provision_device(o);
  if (a.json) {
    std::cout << json{{"directory", a.directory}, {"files", r.files}, {"counter", r.counter},
                      {"counter_store", a.tpm.empty() ? "flash" : "tpm"}, {"identity", a.tpm.empty() ? "file" : "tpm"}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "device provisioned in " << a.directory << " (" << a.model << ", counter " << r.counter << " in "
              << (a.tpm.empty() ? "flash" : "the TPM") << ", identity key " << (a.tpm.empty() ? "in a file" : "in the TPM")
              << ")\n";
    for (const auto& f : r.files) std::cout << "  " << f << "\n";
  }
  return host::kExitOk;
}

// ---- install / boot / confirm ----------------------------------------------------------------

int run_install(const RunArgs& a, const std::string& envelope_path, const std::string& payload_path) {
  const auto envelope = host::read_file(envelope_path, 64ull << 20);
  std::optional<std::vector<std::uint8_t>> payload;
  if (!payload_path.empty()) payload = host::read_file(payload_path, 512ull << 20);
  return run(a, "install", [&](device::DeviceDirectory& dir) {
    const std::uint64_t before = dir.supply().operations();
    const device::InstallOutcome o =
        dir.device().install(envelope, payload ? std::optional<Bytes>(Bytes(*payload)) : std::nullopt);
    const std::uint64_t ops = dir.supply().operations() - before;
    if (a.json) {
      json j{{"installed", o.installed}, {"reason", code_name(o.code)}, {"code", static_cast<int>(o.code)},
             {"stage", o.stage}, {"message", o.message}, {"flash_operations", ops}};
      if (o.slot >= 0) j["slot"] = slot_text(o.slot);
      if (o.seq > 0 || o.installed) j["seq"] = o.seq;
      std::cout << j.dump(2) << "\n";
    } else if (o.installed) {
      std::cout << "INSTALLED  " << envelope_path << " (sequence " << o.seq << ") in slot " << slot_text(o.slot) << ", "
                << ops << " flash operations\n  " << o.message << "\n";
    } else {
      std::cout << "REJECTED   " << envelope_path << "\n  reason:  " << code_name(o.code) << " (" << o.stage << ")\n"
                << "  message: " << o.message << "\n  (recorded in the device log)\n";
    }
    return o.installed ? host::kExitOk : host::kExitRejected;
  });
}

int run_boot(const RunArgs& a) {
  return run(a, "boot", [&](device::DeviceDirectory& dir) {
    const device::BootOutcome b = dir.device().boot();
    if (a.json) {
      json j{{"booted", b.booted}, {"minimum", b.minimum}, {"events", b.events}};
      if (b.booted) {
        j["slot"] = slot_text(b.slot);
        j["seq"] = b.seq;
        j["trial"] = b.trial;
      }
      std::cout << j.dump(2) << "\n";
    } else {
      for (const auto& e : b.events) std::cout << "  " << e << "\n";
      if (b.booted) {
        std::cout << "BOOTED  slot " << slot_text(b.slot) << ", sequence " << b.seq << (b.trial ? " on TRIAL (confirm it)" : "")
                  << ", minimum " << b.minimum << "\n";
      } else {
        std::cout << "NO BOOTABLE IMAGE (minimum " << b.minimum << ")\n";
      }
    }
    return b.booted ? host::kExitOk : host::kExitRejected;
  });
}

int run_confirm(const RunArgs& a) {
  return run(a, "confirm", [&](device::DeviceDirectory& dir) {
    if (!dir.device().running()) {
      throw UserError(a.directory + ": the device is not running (ram.json says so); boot it first: fieldtrust device boot " +
                          a.directory,
                      host::kExitRejected);
    }
    const device::ConfirmOutcome c = dir.device().confirm();
    if (a.json) {
      std::cout << json{{"confirmed", c.confirmed}, {"already", c.already}, {"slot", slot_text(c.slot)}, {"seq", c.seq},
                        {"counter_from", c.counter_from}, {"counter_to", c.counter_to}, {"message", c.message}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << (c.confirmed || c.already ? "CONFIRMED  " : "NOT CONFIRMED  ") << c.message;
      if (c.counter_to != c.counter_from) std::cout << "; anti-rollback counter " << c.counter_from << " -> " << c.counter_to;
      std::cout << "\n";
    }
    return c.confirmed || c.already ? host::kExitOk : host::kExitRejected;
  });
}

// ---- status ----------------------------------------------------------------------------------

int run_status(const RunArgs& a) {
  return run(a, "status", [&](device::DeviceDirectory& dir) {
    device::DeviceStatus st = dir.device().status();
    const device::DeviceConfig& cfg = dir.config();
    const device::Layout& layout = dir.device().layout();
    json j;
    j["directory"] = a.directory;
    j["flash"] = {{"size", cfg.geometry.size()},
                  {"sector_size", cfg.geometry.sector_size},
                  {"write_size", cfg.geometry.write_size},
                  {"slot_size", layout.size(layout.slot[0])},
                  {"log_size", layout.size(layout.log)}};
    j["counter"] = {{"store", dir.counter_kind()}, {"value", st.counter}};
    j["identity"] = dir.identity_kind();
    j["boot_control"] = {{"sequence", st.boot_control.control.sequence},
                         {"copy", st.boot_control.copy},
                         {"preferred", slot_text(st.boot_control.control.preferred)},
                         {"time_floor", st.boot_control.control.time_floor}};
    j["slots"] = json::array();
    for (int s = 0; s < device::kSlotCount; ++s) {
      const device::SlotInfo& info = st.slots[s];
      json js{{"slot", device::slot_name(s)},
              {"state", device::slot_state_name(info.state)},
              {"bootable_now", info.verdict == Code::ok},
              {"verdict", code_name(info.verdict)}};
      if (info.has_contents) {
        js["envelope_size"] = info.envelope_size;
        js["payload_size"] = info.payload_size;
      }
      if (info.seq) js["seq"] = *info.seq;
      if (!info.version.empty()) js["version"] = info.version;
      j["slots"].push_back(js);
    }
    j["running"] = st.running ? json{{"slot", slot_text(st.running->slot)}, {"seq", st.running->seq}, {"trial", st.running->trial}}
                              : json(nullptr);
    j["log"] = {{"records", st.log_records}, {"torn_frames", st.log_torn_frames}, {"rotated", st.log_rotated}};
    if (st.log_last_seq) j["log"]["last_seq"] = *st.log_last_seq;
    if (a.json) {
      std::cout << j.dump(2) << "\n";
      return host::kExitOk;
    }
    std::cout << "device " << a.directory << "\n"
              << "  flash:    " << cfg.geometry.size() << " bytes (" << cfg.geometry.sector_count << " x "
              << cfg.geometry.sector_size << "-byte sectors, " << cfg.geometry.write_size << "-byte writes)\n"
              << "  counter:  " << st.counter << " (" << dir.counter_kind() << ")\n"
              << "  running:  "
              << (st.running ? "slot " + slot_text(st.running->slot) + ", sequence " + std::to_string(st.running->seq) +
                                   (st.running->trial ? " (trial)" : "")
                             : std::string("nothing (boot it)"))
              << "\n";
    for (int s = 0; s < device::kSlotCount; ++s) {
      const device::SlotInfo& info = st.slots[s];
      std::cout << "  slot " << device::slot_name(s) << ":   " << device::slot_state_name(info.state);
      if (info.seq) std::cout << ", sequence " << *info.seq;
      if (!info.version.empty()) std::cout << " (" << info.version << ")";
      std::cout << ", " << (info.verdict == Code::ok ? "verifies" : std::string("would not boot: ") + code_name(info.verdict))
                << "\n";
    }
    std::cout << "  log:      " << st.log_records << " records";
    if (st.log_last_seq) std::cout << " (last seq " << *st.log_last_seq << ")";
    if (st.log_torn_frames > 0) std::cout << ", " << st.log_torn_frames << " torn by power cuts";
    if (st.log_rotated) std::cout << ", oldest records rotated out";
    std::cout << "\n";
    return host::kExitOk;
  }, false);
}

// ---- log export / verify ---------------------------------------------------------------------

int run_export(const RunArgs& a, std::string output, const std::string& format) {
  return run(a, "log export", [&](device::DeviceDirectory& dir) {
    const device::LogScan scan = device::scan_log(dir.flash(), dir.device().layout());
    const bool cbor = format == "cbor";
    if (output.empty()) output = a.directory + (cbor ? "/log.cbor" : "/log.jsonl");
    if (cbor) {
      host::write_file_atomic(output, Bytes(ledger::to_cbor_sequence(scan.records, scan.torn_tail)));
    } else {
      host::write_file_atomic(output, ledger::to_jsonl(scan.records, scan.torn_tail));
    }
    json j{{"file", output}, {"format", cbor ? "cbor" : "jsonl"}, {"records", scan.records.size()},
           {"torn_tail", !scan.torn_tail.empty()}, {"rotated", scan.rotated}};
    if (!scan.records.empty()) {
      j["first_seq"] = scan.records.front().body.seq;
      j["last_seq"] = scan.records.back().body.seq;
    }
    if (a.json) {
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << "exported " << scan.records.size() << " records to " << output
                << (scan.torn_tail.empty() ? "" : " (and the torn record a power cut left at the end)") << "\n";
    }
    return host::kExitOk;
  }, false);
}

struct VerifyLogArgs {
  std::string file, device_cert, hmac_key, format = "auto";
  std::vector<std::string> anchors;
  bool allow_rotated = false;
  std::int64_t expect_last_seq = -1;
  bool json = false;
};

int run_verify_log(const VerifyLogArgs& a) {
  const auto data = host::read_file(a.file, 256ull << 20);
  std::vector<ledger::LogEntry> entries;
  if (a.format == "jsonl") {
    entries = ledger::parse_jsonl(std::string(data.begin(), data.end()));
  } else if (a.format == "cbor") {
    entries = ledger::parse_cbor_sequence(data);
  } else {
    entries = ledger::parse_log_export(data);
  }
  std::optional<ledger::LogKey> key;
  if (!a.hmac_key.empty()) {
    const std::string text = host::read_text_file(a.hmac_key, 1 << 16);
    const std::string hex = text.substr(0, text.find_first_of("\r\n"));
    const auto bytes = host::from_hex(hex);
    key = ledger::LogKey::from_hmac(bytes ? *bytes : std::vector<std::uint8_t>(text.begin(), text.end()));
  } else {
    if (a.device_cert.empty() || a.anchors.empty()) {
      throw UserError("log verify: give --device-cert (the device identity chain) and --anchor (its root), or --hmac-key",
                      host::kExitUsage);
    }
    verify::AnchorSet anchors;
    for (const auto& f : a.anchors) anchors.add_file(f, trust::Role::supplier);
    key = ledger::LogKey::from_certificates(verify::read_certificates(a.device_cert), anchors.anchors().supplier);
  }
  ledger::LogOptions options;
  options.allow_rotated_head = a.allow_rotated;
  if (a.expect_last_seq >= 0) options.expected_last_seq = static_cast<std::uint64_t>(a.expect_last_seq);
  const ledger::LogReport r = ledger::verify_log(entries, *key, options);
  if (a.json) {
    json j{{"file", a.file}, {"ok", r.ok}, {"classification", r.classification}, {"entries", r.entries},
           {"authentic", r.authentic}, {"rotated_head", r.rotated_head}, {"key", r.key}, {"head_hash", r.head_hash}};
    if (r.first_seq) j["first_seq"] = *r.first_seq;
    if (r.last_seq) j["last_seq"] = *r.last_seq;
    if (r.final_counter) j["final_counter"] = *r.final_counter;
    j["findings"] = json::array();
    for (const auto& f : r.findings) {
      json jf{{"kind", ledger::finding_kind_name(f.kind)}, {"index", f.index}, {"message", f.message}};
      if (f.seq) jf["seq"] = *f.seq;
      j["findings"].push_back(jf);
    }
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << (r.ok ? "VERIFIED  " : "REJECTED  ") << a.file << " (" << r.classification << ")\n"
              << "  records:  " << r.entries << " entries, " << r.authentic << " authentic";
    if (r.first_seq) std::cout << ", seq " << *r.first_seq << ".." << *r.last_seq;
    std::cout << "\n  key:      " << r.key << "\n";
    if (r.final_counter) std::cout << "  counter:  " << *r.final_counter << " at the end of the log\n";
    if (r.rotated_head) std::cout << "  note:     the log starts after seq 0 (older records rotated out of the device's flash)\n";
    for (const auto& f : r.findings) {
      std::cout << "  " << ledger::finding_kind_name(f.kind) << " at entry " << f.index;
      if (f.seq) std::cout << " (seq " << *f.seq << ")";
      std::cout << ": " << f.message << "\n";
    }
  }
  return r.ok ? host::kExitOk : host::kExitRejected;
}

}  // namespace

void add_device_commands(CLI::App& app, Context& ctx) {
  CLI::App* device = app.add_subcommand("device", "The simulated instrument: secure boot, A/B updates, anti-rollback, its log");
  device->require_subcommand(1);
  device->footer(
      "A device lives in a directory (device.json, flash.bin, ram.json, anchors/, identity/); see docs/device.md.\n"
      "Exit status: 0 done; 1 rejected (an update, a boot with nothing bootable); 2 bad command line;\n"
      "3 bad input file or device directory; 4 environment (TPM, disk) or a simulated power cut.");

  auto init = std::make_shared<InitArgs>();
  CLI::App* i = device->add_subcommand("init", "Provision a device: anchors per role, identity, policy, flash layout");
  i->footer("Example:\n  fieldtrust device init dev --pki pki --vendor-domain acme-instruments.example --model PT-3051\n"
            "  fieldtrust device init dev --pki pki --tpm swtpm:host=127.0.0.1,port=2321 ...   (counter + key in a TPM)");
  i->add_option("directory", init->directory, "directory to create the device in")->required();
  i->add_option("--pki", init->pki,
                "development PKI directory (fieldtrust pki init): root.pem as supplier and identity root, "
                "device.key.pem/device-chain.pem (or intermediate.pem/.key.pem to certify a TPM key)");
  i->add_option("--anchor", init->anchors, "supplier trust anchor file (EDR 3.12); repeatable");
  i->add_option("--owner-anchor", init->owner_anchors, "asset-owner trust anchor file (EDR 3.13); repeatable");
  i->add_flag("--require-owner", init->require_owner, "require an asset-owner approval signature on every update");
  i->add_option("--identity-root", init->identity_root, "root certificate the device identity chains to");
  i->add_option("--identity-key", init->identity_key, "device identity private key (EC P-256, PEM)");
  i->add_option("--identity-chain", init->identity_chain, "device identity certificate chain (PEM, leaf first)");
  i->add_option("--identity-ca", init->identity_ca, "CA certificate that certifies a TPM identity key");
  i->add_option("--identity-ca-key", init->identity_ca_key, "that CA's key (PEM file or PKCS#11 URI)");
  i->add_option("--vendor-domain", init->vendor_domain, "vendor, as the domain its UUIDv5 vendor ID derives from")->required();
  i->add_option("--model", init->model, "model name (class ID = UUIDv5(vendor ID, model))")->required();
  i->add_option("--serial", init->serial, "serial number (identity subject, TPM key label)");
  i->add_option("--time-mode", init->time_mode, "certificate validity: clock (default), floor, none")
      ->check(CLI::IsMember({"clock", "floor", "none"}));
  i->add_flag("--no-raw-keys", init->no_raw_keys, "accept X.509-chained signatures only");
  i->add_option("--tpm", init->tpm, "TCTI of a TPM 2.0 (e.g. swtpm:host=127.0.0.1,port=2321): NV counter and identity key");
  i->add_option("--nv-index", init->nv_index, "NV index of the TPM counter (default 0x01500100)");
  i->add_option("--sector-size", init->sector_size, "flash sector size in bytes (default 4096)");
  i->add_option("--write-size", init->write_size, "flash write unit in bytes (default 8)");
  i->add_option("--program-chunk", init->program_chunk, "largest flash write the drivers issue (default 256)");
  i->add_option("--slot-size", init->slot_size, "size of each of slot A and B in bytes (default 256 KiB)");
  i->add_option("--log-size", init->log_size, "size of the log area in bytes (default 32 KiB)");
  i->add_option("--at", init->at, "time of provisioning (default now)");
  i->add_flag("--force", init->force, "replace a device in this directory");
  i->add_flag("--json", init->json, "machine-readable output");
  i->callback([init, &ctx] { ctx.exit_code = run_init(*init); });

  auto install = std::make_shared<RunArgs>();
  auto envelope = std::make_shared<std::string>();
  auto payload = std::make_shared<std::string>();
  CLI::App* in = device->add_subcommand("install", "Hand a signed envelope to the update agent (into the inactive slot)");
  in->footer("Sizes are checked first, the envelope is verified before and after writing; the new image boots on\n"
             "trial at the next boot. Every outcome is recorded in the device log.\n"
             "Example: fieldtrust device install dev release-2.suit --payload fw-2.bin --cut-after 40");
  add_run_options(in, *install, true);
  in->add_option("envelope", *envelope, "SUIT envelope (.suit)")->required();
  in->add_option("--payload,-p", *payload, "detached firmware image");
  in->callback([install, envelope, payload, &ctx] { ctx.exit_code = run_install(*install, *envelope, *payload); });

  auto boot = std::make_shared<RunArgs>();
  CLI::App* b = device->add_subcommand("boot", "Power on: the bootloader verifies and boots the newest valid slot");
  add_run_options(b, *boot, true);
  b->callback([boot, &ctx] { ctx.exit_code = run_boot(*boot); });

  auto confirm = std::make_shared<RunArgs>();
  CLI::App* c = device->add_subcommand("confirm", "The running firmware confirms its trial image; the counter advances");
  add_run_options(c, *confirm, true);
  c->callback([confirm, &ctx] { ctx.exit_code = run_confirm(*confirm); });

  auto status = std::make_shared<RunArgs>();
  CLI::App* s = device->add_subcommand("status", "Show slots, boot control, counter and log (nothing is written)");
  add_run_options(s, *status, false);
  s->callback([status, &ctx] { ctx.exit_code = run_status(*status); });

  CLI::App* log = device->add_subcommand("log", "The device's rollback-protection log");
  log->require_subcommand(1);
  auto exp = std::make_shared<RunArgs>();
  auto output = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("jsonl");
  CLI::App* e = log->add_subcommand("export", "Export the log from flash as JSON Lines or a CBOR sequence");
  add_run_options(e, *exp, false);
  e->add_option("--output,-o", *output, "output file (default DIRECTORY/log.jsonl or log.cbor)");
  e->add_option("--format", *format, "jsonl (default) or cbor")->check(CLI::IsMember({"jsonl", "cbor"}));
  e->callback([exp, output, format, &ctx] { ctx.exit_code = run_export(*exp, *output, *format); });

  auto vl = std::make_shared<VerifyLogArgs>();
  CLI::App* lg = app.add_subcommand("log", "Tamper-evident logs");
  lg->require_subcommand(1);
  CLI::App* v = lg->add_subcommand("verify", "Verify an exported log: chain, signatures, counter, gaps");
  v->footer("Tells a truncated tail (allowed, reported) from forged, dropped, inserted or reordered records.\n"
            "Exit status: 0 verified (a truncated tail included); 1 findings; 2 bad command line; 3 bad input.\n"
            "Example: fieldtrust log verify dev/log.jsonl --device-cert dev/identity/device-chain.pem --anchor pki/root.pem");
  v->add_option("file", vl->file, "exported log (JSON Lines or CBOR sequence)")->required();
  v->add_option("--device-cert", vl->device_cert, "device identity certificate chain (PEM, leaf first)");
  v->add_option("--anchor", vl->anchors, "root certificate the device identity must chain to; repeatable");
  v->add_option("--hmac-key", vl->hmac_key, "file with the hex HMAC key of a MAC'd log (instead of certificates)");
  v->add_option("--format", vl->format, "auto (default), jsonl or cbor")->check(CLI::IsMember({"auto", "jsonl", "cbor"}));
  v->add_flag("--allow-rotated", vl->allow_rotated, "accept a log that starts after seq 0 (rotated out of flash)");
  v->add_option("--expect-last-seq", vl->expect_last_seq, "the seq the log must reach (missing records at the end: truncated tail)");
  v->add_flag("--json", vl->json, "machine-readable output");
  v->callback([vl, &ctx] { ctx.exit_code = run_verify_log(*vl); });
}

}  // namespace ft::cli
