#include "ft/base/error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ft {
namespace {

TEST(Error, NamesAreUniqueAndStable) {
  std::set<std::string> names;
  std::set<int> values;
#define FT_CHECK_(name, value, description)            \
  EXPECT_STREQ(code_name(Code::name), #name);          \
  EXPECT_TRUE(names.insert(#name).second) << #name;    \
  EXPECT_TRUE(values.insert(value).second) << #name;
  FT_ERROR_CODES(FT_CHECK_)
#undef FT_CHECK_
  EXPECT_STREQ(code_name(static_cast<Code>(9999)), "unknown");
}

Status fails() { return Status(Code::truncated, "short"); }
Status propagates() {
  FT_TRY(fails());
  return Status();
}

TEST(Error, TryPropagates) {
  const Status s = propagates();
  EXPECT_EQ(s.code(), Code::truncated);
  EXPECT_STREQ(s.error().message, FT_CORE_MESSAGES ? "short" : "");  // messages can be compiled out
  Result<int> r = 5;
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
  Result<int> e = make_error(Code::malformed, "x");
  EXPECT_FALSE(e.ok());
}

}  // namespace
}  // namespace ft
