#include "api/auth.h"

#include <cctype>

#include "connect/applications.h"
#include "core/crypto.h"

namespace dynhook::api {
namespace {

using core::errors::Authentication;

bool IsToken68Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/';
}

bool IsToken68(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  if (end == 0) return false;
  for (size_t i = 0; i < end; ++i) {
    if (!IsToken68Char(text[i])) return false;
  }
  return true;
}

bool SchemeMatches(std::string_view given, std::string_view scheme) {
  if (given.size() != scheme.size()) return false;
  for (size_t i = 0; i < given.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(given[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i]))) {
      return false;
    }
  }
  return true;
}

core::Error MissingOrMalformed(const http::Request& request, std::string_view scheme) {
  if (!request.Header("Authorization")) {
    return Authentication("The Authorization header is missing.");
  }
  return Authentication("The Authorization header is malformed: expected '" + std::string(scheme) +
                        " <credentials>'.");
}

// A not-found lookup means the credential is unknown; anything else is the store's failure.
core::Error UnknownOr(core::Error error, std::string_view what) {
  if (error.type == "RESOURCE_NOT_FOUND") {
    return Authentication("The " + std::string(what) + " is invalid or expired.");
  }
  return error;
}

}  // namespace

std::optional<std::string_view> ParseAuthorization(const http::Request& request,
                                                   std::string_view scheme) {
  auto header = request.Header("Authorization");
  if (!header) return std::nullopt;
  const size_t space = header->find(' ');
  if (space == std::string_view::npos || !SchemeMatches(header->substr(0, space), scheme)) {
    return std::nullopt;
  }
  const std::string_view credential = header->substr(space + 1);
  if (credential.size() > kMaxCredentialLength || !IsToken68(credential)) return std::nullopt;
  return credential;
}

core::Result<store::Grant> AuthenticateVehicleToken(store::Store& store,
                                                    const http::Request& request,
                                                    const core::Clock& wall) {
  auto token = ParseAuthorization(request, "Bearer");
  if (!token) return MissingOrMalformed(request, "Bearer");
  auto record = store.FindToken(core::Sha256Hex(*token));
  if (!record) return UnknownOr(record.take_error(), "access token");
  if (record->kind != store::TokenKind::kAccess || record->expiresAt <= wall.Now()) {
    return Authentication("The access token is invalid or expired.");
  }
  auto grant = store.FindGrant(record->grantId);
  if (!grant) return UnknownOr(grant.take_error(), "access token");
  return grant;
}

core::Result<store::Application> AuthenticateApplication(store::Store& store,
                                                         const http::Request& request) {
  auto token = ParseAuthorization(request, "Bearer");
  if (!token) return MissingOrMalformed(request, "Bearer");
  return connect::AuthenticateManagementToken(store, *token);
}

core::Result<store::Application> AuthenticateManagementBasic(store::Store& store,
                                                             const http::Request& request) {
  auto credential = ParseAuthorization(request, "Basic");
  if (!credential) return MissingOrMalformed(request, "Basic");
  auto decoded = core::Base64Decode(*credential);
  constexpr std::string_view kUser = "default:";
  if (!decoded || decoded->size() <= kUser.size() || decoded->compare(0, kUser.size(), kUser)) {
    return Authentication(
        "The Authorization header must be 'Basic base64(\"default:\" + management token)'.");
  }
  return connect::AuthenticateManagementToken(store,
                                              std::string_view(*decoded).substr(kUser.size()));
}

core::Status AuthenticateAdmin(const http::Request& request, std::string_view adminToken) {
  if (adminToken.empty()) {
    return core::errors::NotFound("The admin API is disabled (start with --admin-token).");
  }
  auto token = ParseAuthorization(request, "Bearer");
  if (!token) return MissingOrMalformed(request, "Bearer");
  // Hashing first keeps the comparison independent of the lengths involved.
  if (!core::ConstantTimeEquals(core::Sha256Hex(*token), core::Sha256Hex(adminToken))) {
    return Authentication("The admin token is invalid.");
  }
  return {};
}

}  // namespace dynhook::api
