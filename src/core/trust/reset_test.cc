// The all-zero default of every struct the core resets with reset_in_place (ft/base/reset.h): in
// the device profile (FT_CORE_MESSAGES=0) the reset is a memset, so a default member initializer
// other than zero, false, null or the first enumerator would silently be lost. Value-initialising
// these structs zeroes padding first, so their bytes can be compared with zeros.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "ft/base/config.h"
#include "ft/base/reset.h"
#include "ft/cose/sign1.h"
#include "ft/suit/suit.h"
#include "ft/trust/verifier.h"
#include "ft/x509/certificate.h"
#include "ft/x509/path.h"

namespace ft {
namespace {

template <typename T>
bool default_is_all_zero() {
  auto value = std::make_unique<T>();  // value-initialised; large types do not fit a test's stack
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.get());
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    if (bytes[i] != 0) {
      ADD_FAILURE() << "byte " << i << " of the default is " << int(bytes[i]);
      return false;
    }
  }
  return true;
}

template <typename T>
void expect_reset_restores_default() {
  auto dirty = std::make_unique<T>();
  std::memset(static_cast<void*>(dirty.get()), 0xA5, sizeof(T));
  reset_in_place(*dirty);
  auto fresh = std::make_unique<T>();
  if constexpr (config::kZeroDefaults) {
    EXPECT_EQ(std::memcmp(dirty.get(), fresh.get(), sizeof(T)), 0);
  }
}

TEST(ResetInPlace, EveryResetTypeDefaultsToZeroBytesInTheDeviceProfile) {
  if (!config::kZeroDefaults) GTEST_SKIP() << "with messages, Error's default message is \"\" (device-profile tests this)";
  EXPECT_TRUE(default_is_all_zero<cose::Sign1>()) << "cose::Sign1";
  EXPECT_TRUE(default_is_all_zero<suit::Envelope>()) << "suit::Envelope";
  EXPECT_TRUE(default_is_all_zero<suit::Manifest>()) << "suit::Manifest";
  EXPECT_TRUE(default_is_all_zero<suit::ProcessReport>()) << "suit::ProcessReport";
  EXPECT_TRUE(default_is_all_zero<x509::Certificate>()) << "x509::Certificate";
  EXPECT_TRUE(default_is_all_zero<x509::CertificateList>()) << "x509::CertificateList";
  EXPECT_TRUE(default_is_all_zero<x509::PathReport>()) << "x509::PathReport";
  EXPECT_TRUE(default_is_all_zero<trust::Verdict>()) << "trust::Verdict";
}

TEST(ResetInPlace, ResetRestoresTheDefault) {
  expect_reset_restores_default<cose::Sign1>();
  expect_reset_restores_default<suit::Manifest>();
  expect_reset_restores_default<x509::PathReport>();
  expect_reset_restores_default<trust::Verdict>();

  auto verdict = std::make_unique<trust::Verdict>();
  verdict->stage = trust::Stage::payload;
  verdict->signatures[1].certificate_failed = true;
  verdict->signature_count = 2;
  verdict->report.payload_used = true;
  reset_in_place(*verdict);
  EXPECT_EQ(verdict->stage, trust::Stage::envelope);
  EXPECT_FALSE(verdict->signatures[1].certificate_failed);
  EXPECT_EQ(verdict->signature_count, 0u);
  EXPECT_FALSE(verdict->report.payload_used);
  EXPECT_TRUE(verdict->accepted());
}

}  // namespace
}  // namespace ft
