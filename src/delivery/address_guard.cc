#include "delivery/address_guard.h"

#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "core/error.h"

namespace dynhook::delivery {
namespace {

struct Ipv4Range {
  uint32_t network;
  int prefix;
};

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

// Everything that is not a routable public unicast address.
constexpr std::array<Ipv4Range, 16> kBlockedIpv4 = {{
    {Ip(0, 0, 0, 0), 8},        // "this network", unspecified
    {Ip(10, 0, 0, 0), 8},       // private
    {Ip(100, 64, 0, 0), 10},    // carrier-grade NAT
    {Ip(127, 0, 0, 0), 8},      // loopback
    {Ip(169, 254, 0, 0), 16},   // link-local, cloud metadata 169.254.169.254
    {Ip(172, 16, 0, 0), 12},    // private
    {Ip(192, 0, 0, 0), 24},     // IETF protocol assignments
    {Ip(192, 0, 2, 0), 24},     // documentation
    {Ip(192, 88, 99, 0), 24},   // 6to4 relay anycast
    {Ip(192, 168, 0, 0), 16},   // private
    {Ip(198, 18, 0, 0), 15},    // benchmarking
    {Ip(198, 51, 100, 0), 24},  // documentation
    {Ip(203, 0, 113, 0), 24},   // documentation
    {Ip(224, 0, 0, 0), 4},      // multicast
    {Ip(240, 0, 0, 0), 4},      // reserved, broadcast
    {Ip(255, 255, 255, 255), 32},
}};

bool IsPublicIpv4(uint32_t address) {  // host byte order
  for (const auto& range : kBlockedIpv4) {
    uint32_t mask = range.prefix == 0 ? 0 : ~uint32_t(0) << (32 - range.prefix);
    if ((address & mask) == range.network) return false;
  }
  return true;
}

uint32_t Ipv4At(const uint8_t* bytes) {
  return (uint32_t(bytes[0]) << 24) | (uint32_t(bytes[1]) << 16) | (uint32_t(bytes[2]) << 8) |
         uint32_t(bytes[3]);
}

bool AllZero(const uint8_t* bytes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

bool IsPublicIpv6(const uint8_t* b) {
  if (AllZero(b, 10) && b[10] == 0xff && b[11] == 0xff) return IsPublicIpv4(Ipv4At(b + 12));
  if (AllZero(b, 12)) return false;  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  static constexpr uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) return IsPublicIpv4(Ipv4At(b + 12));
  if (b[0] == 0x20 && b[1] == 0x02) return IsPublicIpv4(Ipv4At(b + 2));  // 6to4 2002::/16
  if ((b[0] & 0xfe) == 0xfc) return false;                               // unique local fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;               // link-local fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;               // site-local fec0::/10
  if (b[0] == 0xff) return false;                                        // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  if (b[0] == 0x01 && AllZero(b + 1, 7)) return false;  // discard-only 100::/64
  return true;
}

core::Status Invalid(std::string description) {
  return core::errors::Validation(std::move(description));
}

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlString {
  char* text = nullptr;
  ~CurlString() { curl_free(text); }
};

// The part, or nullopt when the URI has none.
std::optional<std::string> Part(CURLU* url, CURLUPart part) {
  CurlString value;
  if (curl_url_get(url, part, &value.text, 0) != CURLUE_OK || value.text == nullptr) {
    return std::nullopt;
  }
  return std::string(value.text);
}

core::Status CheckResolvesPublic(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return Invalid("callbackUri host cannot be resolved");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, &freeaddrinfo);
  for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    if (!IsPublicAddress(entry->ai_addr)) {
      return Invalid(
          "callbackUri resolves to a loopback, private, link-local or otherwise non-public "
          "address");
    }
  }
  return {};
}

bool HasBadCharacter(std::string_view uri) {
  for (unsigned char c : uri) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return IsPublicIpv4(ntohl(v4->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    return IsPublicIpv6(v6->sin6_addr.s6_addr);
  }
  return false;
}

core::Status ValidateCallbackUri(std::string_view uri, bool allowPrivate) {
  if (uri.empty()) return Invalid("callbackUri is required");
  if (uri.size() > kMaxCallbackUriLength) {
    return Invalid("callbackUri is longer than " + std::to_string(kMaxCallbackUriLength) +
                   " characters");
  }
  if (HasBadCharacter(uri)) return Invalid("callbackUri contains whitespace or control characters");
  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url) return core::errors::Internal("out of memory");
  if (curl_url_set(url.get(), CURLUPART_URL, std::string(uri).c_str(), 0) != CURLUE_OK) {
    return Invalid("callbackUri is not a valid absolute URI");
  }
  auto scheme = Part(url.get(), CURLUPART_SCHEME).value_or("");
  if (scheme != "https" && !(scheme == "http" && allowPrivate)) {
    return Invalid("callbackUri must use https");
  }
  if (Part(url.get(), CURLUPART_USER) || Part(url.get(), CURLUPART_PASSWORD)) {
    return Invalid("callbackUri must not contain credentials (user info)");
  }
  if (Part(url.get(), CURLUPART_FRAGMENT)) return Invalid("callbackUri must not have a fragment");
  auto host = Part(url.get(), CURLUPART_HOST).value_or("");
  if (host.empty()) return Invalid("callbackUri must have a host");
  if (auto port = Part(url.get(), CURLUPART_PORT); port && std::stoi(*port) == 0) {
    return Invalid("callbackUri has an invalid port");
  }
  if (allowPrivate) return {};
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (auto zone = host.find('%'); zone != std::string::npos) host.resize(zone);
  return CheckResolvesPublic(host);
}

}  // namespace dynhook::delivery
