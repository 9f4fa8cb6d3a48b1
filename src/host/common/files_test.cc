#include "ft/host/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "ft/host/error.h"
#include "ft/host/hex.h"

namespace ft::host {
namespace {

std::string temp_dir() {
  std::string templ = (std::filesystem::temp_directory_path() / "ft-files-XXXXXX").string();
  return ::mkdtemp(templ.data());
}

TEST(Files, AtomicWriteThenRead) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/key.pem";
  write_file_atomic(path, std::string("secret"), 0600);
  EXPECT_EQ(read_text_file(path), "secret");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary file is left behind.
  int count = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++count;
  EXPECT_EQ(count, 1);
  std::filesystem::remove_all(dir);
}

TEST(Files, ErrorsNameTheFile) {
  try {
    (void)read_file("/nonexistent/firmware.bin");
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/firmware.bin"), std::string::npos);
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
  EXPECT_THROW((void)read_file("/tmp"), UserError);
  EXPECT_THROW(write_file_atomic("/nonexistent/dir/out", std::string("x")), UserError);
}

TEST(Hex, RoundTrip) {
  const std::vector<std::uint8_t> data{0x00, 0xab, 0xff};
  EXPECT_EQ(to_hex(data), "00abff");
  EXPECT_EQ(*from_hex("00ABff"), data);
  EXPECT_FALSE(from_hex("0").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

}  // namespace
}  // namespace ft::host
