// psa_stubs.cc — weak stand-ins for the PSA Crypto API functions the PSA port calls, so the
// footprint image links without a crypto library. Every one answers PSA_ERROR_NOT_SUPPORTED, so
// the image rejects every envelope (verify_envelope stops at the first hash). They exist so that
// bench/footprint.sh measures the verifier core, the port and the bootloader frame WITHOUT the
// crypto primitives (SHA-2, ECDSA), which a product takes from its own PSA implementation (TF-M,
// Mbed TLS, a secure element) and which are counted there.
//
// A product links its PSA library instead: its strong definitions win over these weak ones. Keep
// this library last on the link line (or leave it out): an archive member is only pulled in for
// symbols that are still undefined.
#include <psa/crypto.h>

#include <cstddef>
#include <cstdint>

// The declarations in psa/crypto.h give these C linkage.
#define FT_PSA_STUB [[gnu::weak]]

FT_PSA_STUB psa_status_t psa_crypto_init() { return PSA_ERROR_NOT_SUPPORTED; }

FT_PSA_STUB psa_status_t psa_hash_setup(psa_hash_operation_t*, psa_algorithm_t) { return PSA_ERROR_NOT_SUPPORTED; }

FT_PSA_STUB psa_status_t psa_hash_update(psa_hash_operation_t*, const std::uint8_t*, std::size_t) {
  return PSA_ERROR_NOT_SUPPORTED;
}

FT_PSA_STUB psa_status_t psa_hash_finish(psa_hash_operation_t*, std::uint8_t*, std::size_t, std::size_t* hash_length) {
  *hash_length = 0;
  return PSA_ERROR_NOT_SUPPORTED;
}

// Aborting succeeds, as it must for an operation that never started.
FT_PSA_STUB psa_status_t psa_hash_abort(psa_hash_operation_t*) { return PSA_SUCCESS; }

FT_PSA_STUB psa_status_t psa_import_key(const psa_key_attributes_t*, const std::uint8_t*, std::size_t, psa_key_id_t* key) {
  *key = 0;
  return PSA_ERROR_NOT_SUPPORTED;
}

FT_PSA_STUB psa_status_t psa_verify_message(psa_key_id_t, psa_algorithm_t, const std::uint8_t*, std::size_t,
                                            const std::uint8_t*, std::size_t) {
  return PSA_ERROR_NOT_SUPPORTED;
}

// Key 0 is the null key: destroying it succeeds.
FT_PSA_STUB psa_status_t psa_destroy_key(psa_key_id_t) { return PSA_SUCCESS; }
