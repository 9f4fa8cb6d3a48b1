// The device directory: provisioning, reopening (flash, counter and RAM state persist), a power
// cut that keeps the flash and drops the RAM state, and errors that name the file and field.
#include "ft/device/device_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "testing/device_testing.h"

namespace ft::device {
namespace {

class DeviceDirectoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { lab_ = new testing::Lab(); }
  static void TearDownTestSuite() {
    delete lab_;
    lab_ = nullptr;
  }

  ProvisionOptions options(const std::string& dir) const {
    ProvisionOptions o;
    o.directory = dir;
    o.geometry = testing::test_config().geometry;
    o.geometry.sector_count = 0;
    o.layout = testing::test_config().layout;
    o.vendor_domain = testing::kVendorDomain;
    o.model = testing::kModel;
    o.supplier_anchors = {lab_->pki().path("root.pem")};
    o.identity_root = lab_->pki().path("root.pem");
    o.identity_key = lab_->pki().path("device.key.pem");
    o.identity_chain = lab_->pki().path("device-chain.pem");
    o.now = std::time(nullptr);
    return o;
  }

  static testing::Lab* lab_;
};

testing::Lab* DeviceDirectoryTest::lab_ = nullptr;

TEST_F(DeviceDirectoryTest, ProvisionReopenAndPowerCut) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/dev";
  const ProvisionResult r = provision_device(options(dir));
  EXPECT_EQ(r.counter, 0u);
  for (const char* f : {"device.json", "flash.bin", "ram.json", "identity/device.key.pem", "identity/device-chain.pem",
                        "anchors/identity-root.pem"}) {
    EXPECT_TRUE(host::file_exists(dir + "/" + f)) << f;
  }
  EXPECT_EQ(std::filesystem::status(dir + "/identity/device.key.pem").permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  EXPECT_THROW(provision_device(options(dir)), host::UserError);  // exists, no force

  const testing::Release& r1 = lab_->release(1);
  const std::int64_t now = std::time(nullptr);
  {
    DeviceDirectory d(dir, now);
    EXPECT_EQ(d.device().log().records.size(), 1u);  // provisioned
    ASSERT_TRUE(d.device().install(r1.envelope, r1.payload()).installed);
    ASSERT_TRUE(d.device().boot().trial);
    d.save();
  }
  {
    DeviceDirectory d(dir, now);
    ASSERT_TRUE(d.device().running().has_value());  // from ram.json
    EXPECT_TRUE(d.device().running()->trial);
    ASSERT_TRUE(d.device().confirm().confirmed);
    d.save();
  }
  {
    DeviceDirectory d(dir, now);
    EXPECT_EQ(d.device().counter().read(), 1u);
    const testing::Release& r2 = lab_->release(2);
    d.supply().cut_after(10);
    EXPECT_THROW((void)d.device().install(r2.envelope, r2.payload()), PowerCut);
    d.power_cut();
  }
  EXPECT_FALSE(read_running(dir).has_value());
  DeviceDirectory d(dir, now);
  const BootOutcome b = d.device().boot();
  EXPECT_EQ(b.seq, 1u);
  EXPECT_TRUE(testing::verify_device_log(d.flash(), d.device().layout(), lab_->log_key()).ok);
}

TEST_F(DeviceDirectoryTest, ErrorsNameTheFileAndField) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/dev";
  EXPECT_THROW(DeviceDirectory(dir, 0), host::UserError);  // no device.json
  provision_device(options(dir));
  auto j = nlohmann::json::parse(host::read_text_file(dir + "/device.json"));
  j["policy"]["time_mode"] = "sundial";
  host::write_file_atomic(dir + "/device.json", j.dump());
  try {
    DeviceDirectory d(dir, 0);
    FAIL() << "a bad time mode was accepted";
  } catch (const host::UserError& e) {
    EXPECT_NE(std::string(e.what()).find("policy.time_mode"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("device.json"), std::string::npos) << e.what();
  }
  j["policy"]["time_mode"] = "clock";
  j["flash"].erase("write_size");
  host::write_file_atomic(dir + "/device.json", j.dump());
  try {
    DeviceDirectory d(dir, 0);
    FAIL() << "a missing field was accepted";
  } catch (const host::UserError& e) {
    EXPECT_NE(std::string(e.what()).find("flash.write_size"), std::string::npos) << e.what();
  }
  // A key that is not the identity certificate's.
  ProvisionOptions wrong = options(tmp.path() + "/dev2");
  wrong.identity_key = lab_->pki().path("signer.key.pem");
  EXPECT_THROW(provision_device(wrong), host::UserError);
}

}  // namespace
}  // namespace ft::device
