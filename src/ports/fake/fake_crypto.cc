#include "ft/ports/fake_crypto.h"

namespace ft {

namespace {
constexpr Error kInjected = make_error(Code::crypto_failure, "injected fault (FaultyCrypto)");
}  // namespace

void FaultyCrypto::fail_at(std::uint64_t n, FaultMode mode) {
  countdown_ = n;
  mode_ = mode;
  fired_ = false;
}

bool FaultyCrypto::next_fails() {
  ++operations_;
  if (fired_ && mode_ == FaultMode::persistent) {
    ++faults_injected_;
    return true;
  }
  if (countdown_ == 0) return false;
  if (--countdown_ != 0) return false;
  fired_ = true;
  ++faults_injected_;
  return true;
}

Status FaultyCrypto::hash_begin(HashAlg alg, HashContext& ctx) {
  if (next_fails()) {
    ctx.alg = alg;
    ctx.active = false;
    return kInjected;
  }
  return inner_.hash_begin(alg, ctx);
}

Status FaultyCrypto::hash_update(HashContext& ctx, Bytes data) {
  if (next_fails()) return kInjected;
  return inner_.hash_update(ctx, data);
}

Status FaultyCrypto::hash_finish(HashContext& ctx, Digest& out) {
  if (next_fails()) {
    inner_.hash_abort(ctx);  // finish releases ctx whatever the outcome
    return kInjected;
  }
  return inner_.hash_finish(ctx, out);
}

void FaultyCrypto::hash_abort(HashContext& ctx) { inner_.hash_abort(ctx); }

Status FaultyCrypto::verify(const VerifyingKey& key, Bytes message, Bytes signature) {
  if (next_fails()) return kInjected;
  return inner_.verify(key, message, signature);
}

}  // namespace ft
