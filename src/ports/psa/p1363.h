// p1363.h — DER Ecdsa-Sig-Value to the IEEE P1363 form (r||s) the PSA Crypto API verifies.
// Private to ft_port_psa. Freestanding: no heap; reads with the core's strict DER reader.
#pragma once

#include <cstddef>

#include "ft/base/bytes.h"
#include "ft/base/error.h"

namespace ft::psa_port {

// kMaxEcdsaP1363Size — r||s for the largest curve the port accepts (P-384: 2 x 48 bytes).
inline constexpr std::size_t kMaxEcdsaP1363Size = 96;

// ecdsa_der_to_p1363 converts a DER Ecdsa-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) into r||s,
// each scalar left-padded with zeros to coordinate_size bytes, written to the front of out.
//
// Returns the 2 * coordinate_size bytes written (a prefix of out). Fails with bad_signature when
// der is not exactly one SEQUENCE of two INTEGERs in strict DER (minimal lengths, canonical
// integers, nothing after the SEQUENCE or inside it after s), when r or s is negative, or when a
// value needs more than coordinate_size bytes (it cannot be below the group order); with
// invalid_argument when coordinate_size is 0 or out holds fewer than 2 * coordinate_size bytes.
// Zero values are converted (the PSA implementation rejects them as out of range).
Result<Bytes> ecdsa_der_to_p1363(Bytes der, std::size_t coordinate_size, MutableBytes out);

}  // namespace ft::psa_port
