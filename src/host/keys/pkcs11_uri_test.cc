#include "ft/keys/pkcs11_uri.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "ft/host/error.h"

namespace ft::keys {
namespace {

using host::UserError;

// error_of returns the UserError message parse_pkcs11_uri throws for text ("" if it parses).
std::string error_of(const std::string& text) {
  try {
    (void)parse_pkcs11_uri(text);
  } catch (const UserError& e) {
    EXPECT_EQ(e.exit_code(), host::kExitInput);
    return e.what();
  }
  return "";
}

TEST(Pkcs11Uri, ParsesAllSupportedAttributes) {
  const Pkcs11Uri uri = parse_pkcs11_uri(
      "pkcs11:token=My%20Token;manufacturer=SoftHSM%20project;serial=abc123;model=SoftHSM%20v2;"
      "slot-id=42;object=fw%3Bsigner;id=%01%02%ff;type=private"
      "?pin-value=12%2634&module-path=/usr/lib/x.so");
  EXPECT_EQ(uri.token, "My Token");
  EXPECT_EQ(uri.manufacturer, "SoftHSM project");
  EXPECT_EQ(uri.serial, "abc123");
  EXPECT_EQ(uri.model, "SoftHSM v2");
  EXPECT_EQ(uri.slot_id, 42u);
  EXPECT_EQ(uri.object, "fw;signer");
  EXPECT_EQ(uri.id, (std::vector<std::uint8_t>{0x01, 0x02, 0xff}));
  EXPECT_EQ(uri.type, "private");
  EXPECT_EQ(uri.pin_value, "12&34");
  EXPECT_EQ(uri.module_path, "/usr/lib/x.so");
  EXPECT_FALSE(uri.pin_source);
}

TEST(Pkcs11Uri, EmptyPathAndPlainIdAreAccepted) {
  EXPECT_FALSE(parse_pkcs11_uri("pkcs11:").token);
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:id=AB").id, (std::vector<std::uint8_t>{'A', 'B'}));
}

TEST(Pkcs11Uri, ToStringDropsThePinAndRoundTrips) {
  const Pkcs11Uri uri = parse_pkcs11_uri(
      "pkcs11:token=ft%20test;object=a%2Fb;id=%00%10;type=private?pin-value=secret&module-path=/m.so");
  const std::string text = uri.to_string();
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(text.find("pin-value"), std::string::npos);
  EXPECT_EQ(text, "pkcs11:token=ft%20test;object=a%2Fb;id=%00%10;type=private?module-path=/m.so");
  const Pkcs11Uri back = parse_pkcs11_uri(text);
  EXPECT_EQ(back.token, uri.token);
  EXPECT_EQ(back.object, uri.object);
  EXPECT_EQ(back.id, uri.id);
  EXPECT_EQ(back.module_path, uri.module_path);
}

TEST(Pkcs11Uri, RejectsUnknownAttributesByName) {
  EXPECT_NE(error_of("pkcs11:token=a;colour=blue").find("\"colour\""), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a?pin=1").find("\"pin\""), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a;x-vendor=1").find("\"x-vendor\""), std::string::npos);
  // module-name is RFC 7512 but not supported: still named.
  EXPECT_NE(error_of("pkcs11:token=a?module-name=softhsm2").find("\"module-name\""), std::string::npos);
}

TEST(Pkcs11Uri, RejectsMalformedInput) {
  EXPECT_NE(error_of("pkcs12:token=a").find("pkcs11:"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a;token=b").find("appears twice"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:object=%4").find("percent escape"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:object=%zz").find("\"object\""), std::string::npos);
  EXPECT_NE(error_of("pkcs11:object=a/b").find("'/'"), std::string::npos);  // "/" must be encoded in the path
  EXPECT_NE(error_of("pkcs11:object=a b").find("must be percent-encoded"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token").find("not name=value"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a;;object=b").find("not name=value"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:=a").find("not name=value"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a?").find("empty query"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:type=cert").find("\"type\""), std::string::npos);
  EXPECT_NE(error_of("pkcs11:slot-id=1x").find("\"slot-id\""), std::string::npos);
  EXPECT_NE(error_of("pkcs11:id=").find("\"id\""), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a?pin-value=1&pin-source=/f").find("not both"), std::string::npos);
  EXPECT_NE(error_of("pkcs11:token=a?pin-value=1&module-path=a&b").find("not name=value"), std::string::npos);
}

TEST(Pkcs11Uri, ErrorsNeverShowThePin) {
  const std::string message = error_of("pkcs11:token=a;bogus=1?pin-value=hunter2");
  ASSERT_FALSE(message.empty());
  EXPECT_EQ(message.find("hunter2"), std::string::npos);
  const std::string bad_pin = error_of("pkcs11:token=a?pin-value=hunter2%");
  ASSERT_FALSE(bad_pin.empty());
  EXPECT_EQ(bad_pin.find("hunter2"), std::string::npos);
}

TEST(Pkcs11Uri, PinAndModuleResolutionOrder) {
  ::setenv("FT_PKCS11_PIN", "from-env", 1);
  ::setenv("FT_PKCS11_MODULE", "/env/module.so", 1);
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a").resolved_pin(), "from-env");
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a").resolved_module(), "/env/module.so");
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a?pin-value=uri").resolved_pin(), "uri");
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a?module-path=/uri.so").resolved_module(), "/uri.so");

  char dir[] = "/tmp/ft-uri-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string pin_file = std::string(dir) + "/pin";
  std::ofstream(pin_file) << "from-file\nsecond line ignored\n";
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a?pin-source=file:" + pin_file).resolved_pin(), "from-file");
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a?pin-source=" + pin_file).resolved_pin(), "from-file");
  EXPECT_THROW((void)parse_pkcs11_uri("pkcs11:token=a?pin-source=/nonexistent/pin").resolved_pin(), UserError);
  ::unlink(pin_file.c_str());
  ::rmdir(dir);

  ::unsetenv("FT_PKCS11_PIN");
  ::unsetenv("FT_PKCS11_MODULE");
  EXPECT_FALSE(parse_pkcs11_uri("pkcs11:token=a").resolved_pin());
  EXPECT_EQ(parse_pkcs11_uri("pkcs11:token=a").resolved_module(), kDefaultPkcs11Module);
}

}  // namespace
}  // namespace ft::keys
