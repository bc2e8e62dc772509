#include "delivery/address_guard.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>

namespace dynhook::delivery {
namespace {

bool IsPublic(const std::string& text) {
  sockaddr_storage storage{};
  if (text.find(':') == std::string::npos) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &v4->sin_addr), 1) << text;
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr), 1) << text;
  }
  return IsPublicAddress(reinterpret_cast<const sockaddr*>(&storage));
}

TEST(AddressGuardTest, ClassifiesAddresses) {
  struct Case {
    const char* address;
    bool isPublic;
  };
  const Case cases[] = {
      {"8.8.8.8", true},
      {"93.184.216.34", true},
      {"1.1.1.1", true},
      {"172.15.255.255", true},
      {"172.32.0.1", true},
      {"100.63.255.255", true},
      {"100.128.0.1", true},
      {"0.0.0.0", false},
      {"127.0.0.1", false},
      {"127.255.255.254", false},
      {"10.0.0.1", false},
      {"10.255.255.255", false},
      {"172.16.0.1", false},
      {"172.31.255.255", false},
      {"192.168.1.1", false},
      {"100.64.0.1", false},
      {"100.127.255.255", false},
      {"169.254.169.254", false},
      {"169.254.0.1", false},
      {"224.0.0.1", false},
      {"239.255.255.250", false},
      {"255.255.255.255", false},
      {"240.0.0.1", false},
      {"2606:4700:4700::1111", true},
      {"2001:4860:4860::8888", true},
      {"::", false},
      {"::1", false},
      {"fc00::1", false},
      {"fd12:3456::1", false},
      {"fe80::1", false},
      {"febf::1", false},
      {"ff02::1", false},
      {"::ffff:127.0.0.1", false},
      {"::ffff:10.0.0.1", false},
      {"::ffff:169.254.169.254", false},
      {"::ffff:8.8.8.8", true},
      {"::127.0.0.1", false},
      {"64:ff9b::7f00:1", false},
      {"64:ff9b::808:808", true},
      {"2002:7f00:1::", false},
      {"2002:808:808::", true},
      {"2001:db8::1", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsPublic(c.address), c.isPublic) << c.address;
}

TEST(AddressGuardTest, RejectsNullAndOtherFamilies) {
  EXPECT_FALSE(IsPublicAddress(nullptr));
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_FALSE(IsPublicAddress(&other));
}

TEST(AddressGuardTest, ValidatesCallbackUris) {
  struct Case {
    std::string uri;
    bool allowPrivate;
    bool valid;
    const char* descriptionPart;  // expected in the error description
  };
  const Case cases[] = {
      {"https://93.184.216.34/hook", false, true, ""},
      {"https://93.184.216.34:8443/hook?x=1", false, true, ""},
      {"https://[2606:4700:4700::1111]/hook", false, true, ""},
      {"http://93.184.216.34/hook", false, false, "https"},
      {"http://127.0.0.1:8080/hook", true, true, ""},
      {"https://10.1.2.3/hook", true, true, ""},
      {"https://127.0.0.1/hook", false, false, "private"},
      {"https://localhost/hook", false, false, "private"},
      {"https://169.254.169.254/latest/meta-data", false, false, "private"},
      {"https://192.168.0.10/hook", false, false, "private"},
      {"https://[::1]/hook", false, false, "private"},
      {"https://[::ffff:10.0.0.1]/hook", false, false, "private"},
      {"https://2130706433/hook", false, false, "private"},  // 127.0.0.1 as one number
      {"https://0x7f000001/hook", false, false, "private"},
      {"https://user:pass@93.184.216.34/hook", false, false, "user info"},
      {"https://user@93.184.216.34/hook", true, false, "user info"},
      {"ftp://93.184.216.34/hook", true, false, "https"},
      {"https:///hook", false, false, ""},
      {"not a uri", false, false, ""},
      {"/relative/path", true, false, ""},
      {"", false, false, "required"},
      {"https://93.184.216.34/a b", false, false, "whitespace"},
      {"https://93.184.216.34/hook#frag", false, false, "fragment"},
      {"https://93.184.216.34:99999/hook", false, false, ""},
      {"https://93.184.216.34:0/hook", false, false, ""},
  };
  for (const auto& c : cases) {
    auto status = ValidateCallbackUri(c.uri, c.allowPrivate);
    EXPECT_EQ(status.ok(), c.valid) << c.uri;
    if (!status.ok()) {
      EXPECT_EQ(status.error().type, "VALIDATION") << c.uri;
      EXPECT_EQ(status.error().status, 400) << c.uri;
      EXPECT_NE(status.error().description.find(c.descriptionPart), std::string::npos)
          << c.uri << ": " << status.error().description;
    }
  }
}

TEST(AddressGuardTest, LimitsUriLength) {
  std::string base = "https://93.184.216.34/";
  std::string longest = base + std::string(kMaxCallbackUriLength - base.size(), 'a');
  EXPECT_TRUE(ValidateCallbackUri(longest, false).ok());
  auto status = ValidateCallbackUri(longest + "a", false);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().description.find("longer than 2048"), std::string::npos);
}

}  // namespace
}  // namespace dynhook::delivery
