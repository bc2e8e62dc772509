#include "connect/applications.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "core/ids.h"

namespace dynhook::connect {
namespace {

constexpr std::string_view kClientSecretPrefix = "sk_";
constexpr std::string_view kManagementTokenPrefix = "amt_";

bool IsNotFound(const core::Error& error) { return error.type == "RESOURCE_NOT_FOUND"; }

// Characters, not bytes: UTF-8 continuation bytes are not counted.
size_t CountCodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsSchemeChar(char c, bool first) {
  const auto byte = static_cast<unsigned char>(c);
  if (std::isalpha(byte)) return true;
  return !first && (std::isdigit(byte) || c == '+' || c == '-' || c == '.');
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "http://host..." -> true when the authority (between "//" and the next '/', '?') names a
// host, ignoring any userinfo and port.
bool HasHost(std::string_view rest) {
  if (!rest.starts_with("//")) return false;
  rest.remove_prefix(2);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with("[")) return authority.size() > 2;
  return !authority.substr(0, authority.find(':')).empty();
}

core::Error InvalidUri(std::string_view why) {
  return core::errors::Validation("Invalid redirect URI: " + std::string(why));
}

}  // namespace

core::Status ValidateApplicationName(std::string_view name) {
  const size_t length = CountCodePoints(name);
  if (length == 0 || length > kMaxApplicationNameLength) {
    return core::errors::Validation("The application name must be 1 to 100 characters long.");
  }
  bool blank = true;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return core::errors::Validation("The application name contains a control character.");
    }
    if (!std::isspace(byte)) blank = false;
  }
  if (blank) return core::errors::Validation("The application name must not be blank.");
  return {};
}

core::Status ValidateRedirectUri(std::string_view uri) {
  if (uri.empty()) return InvalidUri("it is empty.");
  if (uri.size() > kMaxRedirectUriLength) return InvalidUri("it is longer than 2048 characters.");
  for (char c : uri) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) {
      return InvalidUri("it contains whitespace or a control character.");
    }
  }
  if (uri.find('#') != std::string_view::npos) return InvalidUri("it must not have a fragment.");
  const size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return InvalidUri("it has no scheme.");
  for (size_t i = 0; i < colon; ++i) {
    if (!IsSchemeChar(uri[i], i == 0)) return InvalidUri("its scheme is malformed.");
  }
  const std::string scheme = Lower(uri.substr(0, colon));
  const std::string_view rest = uri.substr(colon + 1);
  static const std::set<std::string, std::less<>> kForbidden = {"javascript", "data", "vbscript",
                                                                "file",       "blob", "about"};
  if (kForbidden.contains(scheme)) return InvalidUri("the scheme '" + scheme + "' is not allowed.");
  if (scheme == "http" || scheme == "https") {
    if (!HasHost(rest)) return InvalidUri("an http(s) URI needs a host.");
  } else if (rest.empty() || rest == "//") {
    return InvalidUri("it has nothing after the scheme.");
  }
  return {};
}

core::Status ValidateRedirectUris(const std::vector<std::string>& uris) {
  if (uris.empty() || uris.size() > kMaxRedirectUris) {
    return core::errors::Validation("An application needs 1 to 20 redirect URIs.");
  }
  std::set<std::string_view> seen;
  for (const auto& uri : uris) {
    if (auto status = ValidateRedirectUri(uri); !status) return status;
    if (!seen.insert(uri).second) {
      return core::errors::Validation("Redirect URIs must be distinct.");
    }
  }
  return {};
}

core::Result<NewApplication> CreateApplication(store::ApplicationStore& store,
                                               const core::SecretBox& box,
                                               const core::Clock& wallClock, std::string name,
                                               std::vector<std::string> redirectUris,
                                               core::Random& random) {
  if (auto status = ValidateApplicationName(name); !status) return status.take_error();
  if (auto status = ValidateRedirectUris(redirectUris); !status) return status.take_error();
  NewApplication created;
  created.clientSecret = core::RandomToken(kClientSecretPrefix, random);
  created.managementToken = core::RandomToken(kManagementTokenPrefix, random);
  store::Application& app = created.app;
  app.id = core::NewUuid(random);
  app.name = std::move(name);
  app.clientId = core::NewUuid(random);
  app.clientSecretHash = core::Sha256Hex(created.clientSecret);
  app.managementTokenHash = core::Sha256Hex(created.managementToken);
  app.managementTokenSealed = box.Seal(created.managementToken, random);
  app.redirectUris = std::move(redirectUris);
  app.createdAt = wallClock.Now();
  if (auto status = store.CreateApplication(app); !status) return status.take_error();
  return created;
}

core::Result<store::Application> AuthenticateManagementToken(store::ApplicationStore& store,
                                                             std::string_view amt) {
  const auto invalid = [] {
    return core::errors::Authentication("The management token is invalid.");
  };
  if (amt.empty()) return invalid();
  const std::string hash = core::Sha256Hex(amt);
  auto app = store.FindApplicationByTokenHash(hash);
  if (!app) return IsNotFound(app.error()) ? invalid() : app.take_error();
  // The lookup was by hash; compare again in constant time so correctness never rests on the
  // store's own comparison.
  if (!core::ConstantTimeEquals(app->managementTokenHash, hash)) return invalid();
  return app;
}

core::Result<std::string> OpenManagementToken(const store::Application& app,
                                              const core::SecretBox& box) {
  auto amt = box.Open(app.managementTokenSealed);
  if (!amt) {
    return core::errors::Internal("The management token of application " + app.id +
                                  " cannot be decrypted; the secret key may have changed.");
  }
  return std::move(*amt);
}

core::Result<std::string> RotateManagementToken(store::ApplicationStore& store,
                                                const core::SecretBox& box,
                                                const std::string& applicationId,
                                                core::Random& random) {
  auto app = store.FindApplicationById(applicationId);
  if (!app) return app.take_error();
  std::string amt = core::RandomToken(kManagementTokenPrefix, random);
  app->managementTokenHash = core::Sha256Hex(amt);
  app->managementTokenSealed = box.Seal(amt, random);
  if (auto status = store.UpdateApplication(*app); !status) return status.take_error();
  return amt;
}

core::Result<std::string> RotateClientSecret(store::ApplicationStore& store,
                                             const std::string& applicationId,
                                             core::Random& random) {
  auto app = store.FindApplicationById(applicationId);
  if (!app) return app.take_error();
  std::string secret = core::RandomToken(kClientSecretPrefix, random);
  app->clientSecretHash = core::Sha256Hex(secret);
  if (auto status = store.UpdateApplication(*app); !status) return status.take_error();
  return secret;
}

core::Result<store::Application> AuthenticateClient(store::ApplicationStore& store,
                                                    std::string_view clientId,
                                                    std::string_view clientSecret) {
  const auto invalid = [] {
    return core::errors::Authentication("Invalid client id or client secret.");
  };
  // Hash first so an unknown client id costs the same work as a wrong secret.
  const std::string hash = core::Sha256Hex(clientSecret);
  if (clientId.empty() || clientSecret.empty()) return invalid();
  auto app = store.FindApplicationByClientId(std::string(clientId));
  if (!app) return IsNotFound(app.error()) ? invalid() : app.take_error();
  if (!core::ConstantTimeEquals(app->clientSecretHash, hash)) return invalid();
  return app;
}

}  // namespace dynhook::connect
