#include "connect/token_endpoint.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "connect/applications.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"

namespace dynhook::connect {
namespace {

struct TokenError {
  std::string error;  // RFC 6749 error code
  std::string description;
};

struct ClientCredentials {
  std::string id;
  std::string secret;
};

struct TokenPair {
  std::string accessToken;
  std::string refreshToken;
  store::Token access;
  store::Token refresh;
};

http::Response ErrorResponse(const TokenError& error, std::string_view requestId) {
  core::Error smartcar;
  if (error.error == "invalid_client") {
    smartcar = core::errors::Authentication(error.description);
  } else if (error.error == "server_error") {
    smartcar = core::errors::Internal(error.description);
  } else {
    smartcar = core::errors::Validation(error.description);
  }
  boost::json::object body;
  body["error"] = error.error;
  body["error_description"] = error.description;
  // ErrorBody is the one writer of Smartcar's error object; its fields follow the RFC ones.
  const boost::json::value smartcarBody = boost::json::parse(http::ErrorBody(smartcar, requestId));
  for (const auto& field : smartcarBody.as_object()) body[field.key()] = field.value();
  http::Response response = http::Response::Json(smartcar.status, core::Stringify(body));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  if (error.error == "invalid_client") {
    response.SetHeader("WWW-Authenticate", "Basic realm=\"dynhook\", charset=\"UTF-8\"");
  }
  return response;
}

http::Response ServerError(const core::Error& cause, std::string_view requestId) {
  spdlog::error("oauth/token: {} ({}) (request {})", cause.Name(), cause.description, requestId);
  return ErrorResponse({"server_error", "The server could not complete the request."}, requestId);
}

bool IsNotFoundOrAuth(const core::Error& error) {
  return error.type == "RESOURCE_NOT_FOUND" || error.type == "AUTHENTICATION";
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined and base64-encoded.
std::string FormDecode(std::string_view text) {
  return http::PercentDecode(text, true).value_or(std::string(text));
}

std::optional<ClientCredentials> ReadCredentials(const http::Request& request,
                                                 const http::Fields& form) {
  if (auto header = request.Header("Authorization")) {
    std::string_view value = *header;
    if (!StartsWithIgnoreCase(value, "basic ")) return std::nullopt;
    value.remove_prefix(6);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    auto decoded = core::Base64Decode(value);
    if (!decoded) return std::nullopt;
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return ClientCredentials{FormDecode(decoded->substr(0, colon)),
                             FormDecode(decoded->substr(colon + 1))};
  }
  auto id = http::Find(form, "client_id");
  auto secret = http::Find(form, "client_secret");
  if (!id || !secret) return std::nullopt;
  return ClientCredentials{std::string(*id), std::string(*secret)};
}

// RFC 6749 §3.2: request parameters must not be repeated.
bool HasRepeatedParameter(const http::Fields& form) {
  for (size_t i = 0; i < form.size(); ++i) {
    for (size_t j = i + 1; j < form.size(); ++j) {
      if (form[i].first == form[j].first) return true;
    }
  }
  return false;
}

TokenPair NewTokenPair(const ConnectDeps& deps, const std::string& grantId, core::TimePoint now) {
  TokenPair pair;
  pair.accessToken = core::RandomToken("at_", deps.random);
  pair.refreshToken = core::RandomToken("rt_", deps.random);
  pair.access = {core::Sha256Hex(pair.accessToken), store::TokenKind::kAccess, grantId,
                 now + kAccessTokenLifetime, std::nullopt};
  pair.refresh = {core::Sha256Hex(pair.refreshToken), store::TokenKind::kRefresh, grantId,
                  now + kRefreshTokenLifetime, std::nullopt};
  return pair;
}

http::Response Success(const TokenPair& pair) {
  boost::json::object body;
  body["access_token"] = pair.accessToken;
  body["token_type"] = "Bearer";
  body["expires_in"] =
      std::chrono::duration_cast<std::chrono::seconds>(kAccessTokenLifetime).count();
  body["refresh_token"] = pair.refreshToken;
  body["refresh_expires_in"] =
      std::chrono::duration_cast<std::chrono::seconds>(kRefreshTokenLifetime).count();
  http::Response response = http::Response::Json(200, core::Stringify(body));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  return response;
}

http::Response ExchangeCode(const ConnectDeps& deps, const store::Application& app,
                            const http::Fields& form, std::string_view requestId) {
  const std::string_view code = http::Find(form, "code").value_or("");
  const std::string_view redirectUri = http::Find(form, "redirect_uri").value_or("");
  if (code.empty() || redirectUri.empty()) {
    return ErrorResponse({"invalid_request", "The code and redirect_uri parameters are required."},
                         requestId);
  }
  const core::TimePoint now = deps.wallClock.Now();
  const std::string codeHash = core::Sha256Hex(code);
  auto consumed = deps.store.ConsumeAuthorizationCode(codeHash, now);
  if (!consumed) {
    if (!IsNotFoundOrAuth(consumed.error())) return ServerError(consumed.error(), requestId);
    // Used before? Then someone else may hold it: the tokens it gave are revoked (RFC 6749
    // §4.1.2), and the legitimate client must connect again.
    if (auto revoked = deps.store.RevokeTokensOfCode(codeHash); !revoked) {
      return ServerError(revoked.error(), requestId);
    } else if (*revoked > 0) {
      spdlog::warn(
          "connect: an authorization code was presented again; revoked the {} tokens "
          "issued for it",
          *revoked);
    }
    return ErrorResponse(
        {"invalid_grant", "The authorization code is invalid, expired or already used."},
        requestId);
  }
  if (consumed->applicationId != app.id) {
    return ErrorResponse({"invalid_grant", "The authorization code was issued to another client."},
                         requestId);
  }
  if (consumed->redirectUri != redirectUri) {
    return ErrorResponse(
        {"invalid_grant", "The redirect_uri does not match the one of the authorization request."},
        requestId);
  }
  store::Grant grant{core::NewUuid(deps.random),
                     app.id,
                     consumed->userId,
                     consumed->oemAccountId,
                     consumed->scopes,
                     consumed->mode,
                     now,
                     codeHash};
  TokenPair pair = NewTokenPair(deps, grant.id, now);
  if (auto status = deps.store.CreateGrant(grant, consumed->vehicleIds, pair.access, pair.refresh);
      !status) {
    return ServerError(status.error(), requestId);
  }
  return Success(pair);
}

http::Response RefreshTokens(const ConnectDeps& deps, const store::Application& app,
                             const http::Fields& form, std::string_view requestId) {
  const std::string_view refreshToken = http::Find(form, "refresh_token").value_or("");
  if (refreshToken.empty()) {
    return ErrorResponse({"invalid_request", "The refresh_token parameter is required."},
                         requestId);
  }
  const TokenError invalid{"invalid_grant", "The refresh token is invalid, expired or revoked."};
  const std::string hash = core::Sha256Hex(refreshToken);
  auto token = deps.store.FindToken(hash);
  if (!token) {
    return IsNotFoundOrAuth(token.error()) ? ErrorResponse(invalid, requestId)
                                           : ServerError(token.error(), requestId);
  }
  if (token->kind != store::TokenKind::kRefresh) return ErrorResponse(invalid, requestId);
  auto grant = deps.store.FindGrant(token->grantId);
  if (!grant) {
    return IsNotFoundOrAuth(grant.error()) ? ErrorResponse(invalid, requestId)
                                           : ServerError(grant.error(), requestId);
  }
  if (grant->applicationId != app.id) return ErrorResponse(invalid, requestId);
  const core::TimePoint now = deps.wallClock.Now();
  TokenPair pair = NewTokenPair(deps, grant->id, now);
  if (auto status =
          deps.store.RotateRefreshToken(hash, now, kRefreshReuseWindow, pair.access, pair.refresh);
      !status) {
    return IsNotFoundOrAuth(status.error()) ? ErrorResponse(invalid, requestId)
                                            : ServerError(status.error(), requestId);
  }
  return Success(pair);
}

}  // namespace

http::Response HandleToken(const ConnectDeps& deps, const http::Request& request) {
  auto form = http::ParseUrlEncoded(request.body);
  if (!form) {
    return ErrorResponse({"invalid_request", "The request body is not a valid form."},
                         request.requestId);
  }
  auto credentials = ReadCredentials(request, *form);
  if (!credentials) {
    return ErrorResponse({"invalid_client", "Client authentication is missing or malformed."},
                         request.requestId);
  }
  auto app = AuthenticateClient(deps.store, credentials->id, credentials->secret);
  if (!app) {
    if (app.error().type != "AUTHENTICATION") return ServerError(app.error(), request.requestId);
    return ErrorResponse({"invalid_client", "Invalid client id or client secret."},
                         request.requestId);
  }
  if (HasRepeatedParameter(*form)) {
    return ErrorResponse({"invalid_request", "A request parameter is repeated."},
                         request.requestId);
  }
  const std::string_view grantType = http::Find(*form, "grant_type").value_or("");
  if (grantType == "authorization_code") return ExchangeCode(deps, *app, *form, request.requestId);
  if (grantType == "refresh_token") return RefreshTokens(deps, *app, *form, request.requestId);
  if (grantType.empty()) {
    return ErrorResponse({"invalid_request", "The grant_type parameter is required."},
                         request.requestId);
  }
  return ErrorResponse(
      {"unsupported_grant_type", "The grant_type must be 'authorization_code' or 'refresh_token'."},
      request.requestId);
}

}  // namespace dynhook::connect
