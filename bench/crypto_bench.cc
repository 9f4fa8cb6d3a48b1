// crypto_bench — ES256 verify and SHA-256 throughput of the OpenSSL and mbed TLS ports.
// Benchmarks, not timed tests: run by hand (build/<dir>/bench/crypto_bench) and compare the rows
// of the two ports measured in the same run.
#include <benchmark/benchmark.h>

#include <vector>

#include "ft/ports/mbedtls.h"
#include "ft/ports/openssl.h"
#include "ft/ports/testing/test_keys.h"

namespace ft {
namespace {

using testing::ByteVector;
using testing::bytes_of;
using testing::TestKey;

// A message the size of an encoded SUIT Sig_structure (context, protected header, digest).
const ByteVector kMessage(96, 0x5a);

void es256_verify(benchmark::State& state, CryptoPort& port, bool with_spki) {
  const TestKey key = TestKey::generate(KeyType::ec_p256);
  const ByteVector signature = key.sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  Result<VerifyingKey> vk = make_verifying_key(key.public_key(with_spki), SigScheme::ecdsa_p256_sha256_p1363);
  if (!vk.ok()) {
    state.SkipWithError("make_verifying_key failed");
    return;
  }
  for (auto _ : state) {
    Status status = port.verify(*vk, bytes_of(kMessage), bytes_of(signature));
    if (!status.ok()) {
      state.SkipWithError(code_name(status.code()));
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void sha256_throughput(benchmark::State& state, CryptoPort& port) {
  const ByteVector data(static_cast<std::size_t>(state.range(0)), 0xa5);
  Digest out;
  for (auto _ : state) {
    if (!digest(port, HashAlg::sha256, bytes_of(data), out).ok()) {
      state.SkipWithError("digest failed");
      return;
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK_CAPTURE(es256_verify, openssl_raw_key, openssl_crypto(), false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(es256_verify, openssl_spki, openssl_crypto(), true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(es256_verify, mbedtls_raw_key, mbedtls_crypto(), false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(es256_verify, mbedtls_spki, mbedtls_crypto(), true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(sha256_throughput, openssl, openssl_crypto())->Arg(64)->Arg(4096)->Arg(1 << 20);
BENCHMARK_CAPTURE(sha256_throughput, mbedtls, mbedtls_crypto())->Arg(64)->Arg(4096)->Arg(1 << 20);

}  // namespace
}  // namespace ft
