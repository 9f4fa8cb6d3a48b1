// test_release.h — test helper: the release the envelope tests and the golden corpus writer sign
// (ACME Instruments PT-3051, version 1.<sequence>.0), its image integrated or detached as fw.bin.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ft/sign/envelope_builder.h"

namespace ft::testing {

inline sign::Release test_release(const std::vector<std::uint8_t>& image, std::uint64_t sequence, bool integrated) {
  sign::Release r;
  r.sequence_number = sequence;
  r.vendor_id = sign::vendor_id_for_domain("acme-instruments.example");
  r.class_id = sign::class_id_for_model(r.vendor_id, "PT-3051");
  r.vendor_name = "ACME Instruments";
  r.model = "PT-3051";
  r.version = "1." + std::to_string(sequence) + ".0";
  r.image_digest.resize(32);
  unsigned int length = 0;
  EVP_Digest(image.data(), image.size(), r.image_digest.data(), &length, EVP_sha256(), nullptr);
  r.image_size = image.size();
  r.integrated = integrated;
  if (integrated) {
    r.image = image;
  } else {
    r.payload_uri = "fw.bin";
  }
  return r;
}

}  // namespace ft::testing
