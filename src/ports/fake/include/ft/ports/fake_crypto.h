// ft/ports/fake_crypto.h — a fault-injecting CryptoPort for tests.
//
// FaultyCrypto wraps a real port, counts every fallible operation and makes the N-th one fail with
// crypto_failure — the countdown fakes of SQLite's test harness and MCUboot's simulator. A caller's
// "fail at N" loop runs N = 1, 2, ... until the operation under test completes without the fault
// firing; at each N it checks that the failure surfaced as an error and nothing leaked.
#pragma once

#include <cstdint>

#include "ft/ports/crypto.h"

namespace ft {

// FaultMode — whether an armed fault fires once or keeps failing every later operation too.
enum class FaultMode : std::uint8_t { once, persistent };

// FaultyCrypto — forwards to inner (not owned; must outlive this) and fails on demand.
//
// Counted operations: hash_begin, hash_update, hash_finish and verify (hash_abort cannot fail and
// is forwarded uncounted). An injected failure behaves as a real backend failure would:
// hash_begin leaves ctx inactive; hash_update leaves ctx active (the caller still aborts it);
// hash_finish releases ctx; verify returns crypto_failure without asking inner.
class FaultyCrypto final : public CryptoPort {
 public:
  explicit FaultyCrypto(CryptoPort& inner) : inner_(inner) {}
  // Not copyable: a copy would silently share inner_ yet count apart. To wrap another
  // FaultyCrypto, pass it as a CryptoPort: FaultyCrypto outer(static_cast<CryptoPort&>(inner)).
  FaultyCrypto(const FaultyCrypto&) = delete;
  FaultyCrypto& operator=(const FaultyCrypto&) = delete;

  // fail_at arms the fault: the n-th counted operation from now (1 = the next one) fails. n = 0
  // disarms. Resets fault_fired().
  void fail_at(std::uint64_t n, FaultMode mode = FaultMode::once);

  // operations returns how many counted operations were attempted since construction (including
  // failed ones); faults_injected how many of them were failed on purpose.
  [[nodiscard]] std::uint64_t operations() const { return operations_; }
  [[nodiscard]] std::uint64_t faults_injected() const { return faults_injected_; }
  // fault_fired returns true when the armed fault has fired since the last fail_at.
  [[nodiscard]] bool fault_fired() const { return fired_; }

  Status hash_begin(HashAlg alg, HashContext& ctx) override;
  Status hash_update(HashContext& ctx, Bytes data) override;
  Status hash_finish(HashContext& ctx, Digest& out) override;
  void hash_abort(HashContext& ctx) override;
  Status verify(const VerifyingKey& key, Bytes message, Bytes signature) override;

 private:
  // next_fails counts one operation and returns true when it is to fail.
  bool next_fails();

  CryptoPort& inner_;
  std::uint64_t operations_ = 0;
  std::uint64_t faults_injected_ = 0;
  std::uint64_t countdown_ = 0;  // 0: disarmed; 1: the next operation fails
  FaultMode mode_ = FaultMode::once;
  bool fired_ = false;
};

}  // namespace ft
