// Address guard (SPEC §7): keeps webhook deliveries away from the platform's own network.
// A callback URI is checked when a webhook is created (ValidateCallbackUri: scheme, shape, and
// where its host resolves now) and every connection is checked again when it is opened
// (IsPublicAddress, called by CurlMultiTransport), so a name that later resolves to an internal
// address (DNS rebinding) still cannot be reached.
//
// Thread-safety: pure functions; ValidateCallbackUri blocks on DNS (getaddrinfo).
#pragma once

#include <sys/socket.h>

#include <string_view>

#include "core/result.h"

namespace dynhook::delivery {

// False for loopback, private (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), link-local
// (169.254/16, which holds the cloud metadata address 169.254.169.254), multicast, broadcast,
// unspecified and reserved ranges (0/8, 240/4), IPv6 ::, ::1, unique-local fc00::/7,
// link-local fe80::/10, site-local fec0::/10, multicast ff00::/8, and any IPv6 form embedding a
// non-public IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
// 64:ff9b::/96). False for a null pointer or a family other than AF_INET/AF_INET6.
bool IsPublicAddress(const sockaddr* address);

// Longest callback URI accepted.
inline constexpr size_t kMaxCallbackUriLength = 2048;

// Create-time check of a webhook's callback URI: an absolute https:// URI (http:// only with
// `allowPrivate`), at most kMaxCallbackUriLength characters, with a host, without userinfo
// ("user:pass@"), an optional numeric port 1-65535, no fragment and no whitespace or control
// characters. Unless `allowPrivate`, the host must resolve (getaddrinfo) and every address it
// resolves to must be public. Fails with a VALIDATION:PARAMETER error whose description names
// the problem ("callbackUri must use https", "callbackUri resolves to a private address", ...).
core::Status ValidateCallbackUri(std::string_view uri, bool allowPrivate);

}  // namespace dynhook::delivery
