// Authentication of API callers, one function per credential kind (SPEC §3, §4.1, §5):
//   AuthenticateVehicleToken    `Authorization: Bearer <access token>` -> the token's grant
//   AuthenticateApplication     `Authorization: Bearer <AMT>`           -> the application
//   AuthenticateManagementBasic `Authorization: Basic base64("default:" + AMT)` -> the application
//   AuthenticateAdmin           `Authorization: Bearer <admin token>` (`--admin-token`)
// Every failure (missing, malformed, unknown, expired credentials) is AUTHENTICATION (401) with
// a description that never repeats the credential. A store failure other than "not found" is
// passed through (SERVER:INTERNAL). Secrets are only compared by hash lookup or constant-time.
//
// The admin API is off when no admin token is configured: AuthenticateAdmin then answers
// RESOURCE_NOT_FOUND (404), so a server started without `--admin-token` does not even reveal
// that the admin routes exist.
//
// Thread-safe: free functions over thread-safe stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "http/message.h"
#include "store/records.h"
#include "store/store.h"

namespace dynhook::api {

// Longest credential accepted in an Authorization header.
inline constexpr size_t kMaxCredentialLength = 1024;

// The credential of `Authorization: <scheme> <credential>` when the header is well formed
// (scheme matched case-insensitively, one space, RFC 7235 token68 characters).
std::optional<std::string_view> ParseAuthorization(const http::Request& request,
                                                   std::string_view scheme);

core::Result<store::Grant> AuthenticateVehicleToken(store::Store& store,
                                                    const http::Request& request,
                                                    const core::Clock& wall);
core::Result<store::Application> AuthenticateApplication(store::Store& store,
                                                         const http::Request& request);
core::Result<store::Application> AuthenticateManagementBasic(store::Store& store,
                                                             const http::Request& request);
core::Status AuthenticateAdmin(const http::Request& request, std::string_view adminToken);

}  // namespace dynhook::api
