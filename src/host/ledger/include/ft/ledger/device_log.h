// ft/ledger/device_log.h — the record kinds and field names of a device's rollback-protection log
// (DESIGN.md "Tamper-evident logs"). verify_log checks the counter rules below on these kinds.
#pragma once

namespace ft::ledger::device_kind {

// First record of a device log: fields counter (the anti-rollback counter at provisioning),
// vendor_id, class_id (UUID text), counter_store ("flash" | "tpm").
inline constexpr char kProvisioned[] = "provisioned";
// A slot verified and was booted: slot, seq, minimum, trial (bool), version.
inline constexpr char kBootVerified[] = "boot_verified";
// A slot did not boot: slot, reason (code name, or "trial_not_confirmed", "no_bootable_image").
inline constexpr char kBootFailed[] = "boot_failed";
// An envelope reached the update agent: envelope_sha256, envelope_size, payload_size.
inline constexpr char kUpdateOffered[] = "update_offered";
// The agent refused it: reason (code name from ft/base/error.h), stage, minimum, seq when known.
inline constexpr char kUpdateRejected[] = "update_rejected";
// Written and verified in a slot, bootable on trial: slot, seq, version.
inline constexpr char kUpdateInstalled[] = "update_installed";
// The running firmware confirmed its trial image: slot, seq.
inline constexpr char kUpdateConfirmed[] = "update_confirmed";
// The anti-rollback counter moved: from, to (to > from; from equals the previous to).
inline constexpr char kCounterAdvanced[] = "counter_advanced";
// A release below the minimum was refused (update or boot): offered, minimum, slot (boot only).
inline constexpr char kRollbackBlocked[] = "rollback_blocked";

}  // namespace ft::ledger::device_kind
