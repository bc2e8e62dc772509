// POST /oauth/token (SPEC §2, RFC 6749 §4.1.3 and §6): exchanges an authorization code or a
// refresh token for a new token pair. Clients authenticate with HTTP Basic
// (base64(clientId:clientSecret)) or with client_id/client_secret form fields.
//
// Success: {"access_token","token_type":"Bearer","expires_in":7200,"refresh_token",
// "refresh_expires_in":5184000} with Cache-Control: no-store. Access tokens live 2 hours and
// refresh tokens 60 days of wall time; a used refresh token keeps working for 1 minute (so a
// client that lost the answer can retry), then fails.
//
// Errors carry RFC 6749's fields and Smartcar's in one JSON object, so both OAuth libraries
// and Smartcar's SDKs (whose SmartcarError reads `error`/`error_description` as type and
// description) understand them:
//   {"error":"invalid_grant","error_description":"…","type":"VALIDATION","code":"PARAMETER",
//    "description":"…","docURL":"…","statusCode":400,"requestId":"…","resolution":{"type":null},
//    "suggestedUserMessage":"…"}
// invalid_client is 401 with WWW-Authenticate: Basic; invalid_request, invalid_grant and
// unsupported_grant_type are 400; a store failure is server_error 500.
// Internal to the connect module. Thread-safe (ConnectDeps is).
#pragma once

#include <chrono>

#include "connect/connect_deps.h"
#include "http/message.h"

namespace dynhook::connect {

constexpr core::Duration kAccessTokenLifetime = std::chrono::hours(2);
constexpr core::Duration kRefreshTokenLifetime = std::chrono::hours(24 * 60);
constexpr core::Duration kRefreshReuseWindow = std::chrono::minutes(1);

http::Response HandleToken(const ConnectDeps& deps, const http::Request& request);

}  // namespace dynhook::connect
