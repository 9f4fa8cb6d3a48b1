// ft/device/counter_store.h — the anti-rollback counter port: a monotonic number that survives
// power cuts. Implementations: FlashCounterStore (two flash sectors, append-only) and
// TpmCounterStore (a TPM 2.0 NV counter index, ft/device/tpm.h).
#pragma once

#include <cstdint>
#include <string>

namespace ft::device {

// CounterStore — read returns the current value; advance(to) raises it to `to` and never lowers
// it (a `to` at or below the current value changes nothing). Both throw PowerCut when the device
// loses power mid-operation (the value is then the old one or `to`, or for a TPM any value in
// between), and host::UserError for a failing backend.
class CounterStore {
 public:
  virtual ~CounterStore() = default;
  [[nodiscard]] virtual std::uint64_t read() = 0;
  virtual void advance(std::uint64_t to) = 0;
  // kind returns "flash" or "tpm" (recorded in the log and device.json).
  [[nodiscard]] virtual const char* kind() const = 0;
};

}  // namespace ft::device
