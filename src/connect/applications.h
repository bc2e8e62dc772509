// Applications: creating them and authenticating their credentials (SPEC §2). Used by the CLI
// (`dynhook admin app create`), by `POST /api/admin/applications`, by /oauth/token (client
// credentials) and by every endpoint authenticated with a management token (AMT).
//
// Secrets are generated here and shown to the caller once (NewApplication). At rest the store
// keeps only SHA-256 hashes of the client secret and the AMT, plus the AMT sealed with the
// platform's SecretBox because the AMT keys payload signatures (OpenManagementToken).
// Every comparison of a secret is constant-time.
//
// Thread-safe: free functions; the store and SecretBox they receive are thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/random.h"
#include "core/result.h"
#include "store/records.h"
#include "store/store.h"

namespace dynhook::connect {

// A freshly created application with its plaintext secrets (never retrievable again, except
// the AMT through OpenManagementToken).
struct NewApplication {
  store::Application app;
  std::string clientSecret;     // "sk_" + 64 hex
  std::string managementToken;  // "amt_" + 64 hex
};

constexpr size_t kMaxApplicationNameLength = 100;
constexpr size_t kMaxRedirectUris = 20;
constexpr size_t kMaxRedirectUriLength = 2048;

// VALIDATION:PARAMETER unless `name` is 1–100 characters and not blank.
core::Status ValidateApplicationName(std::string_view name);
// VALIDATION:PARAMETER unless `uri` is an absolute URI usable as an OAuth redirect: a scheme,
// no fragment, no whitespace or control characters, at most 2048 characters; http(s) URIs need
// a host; custom app schemes ("myapp://callback") are accepted, but never javascript:, data:,
// vbscript:, file: or blob:.
core::Status ValidateRedirectUri(std::string_view uri);
// 1–20 valid, distinct URIs.
core::Status ValidateRedirectUris(const std::vector<std::string>& uris);

// Validates, generates id, clientId (UUIDs), client secret and AMT, stores the application.
core::Result<NewApplication> CreateApplication(store::ApplicationStore& store,
                                               const core::SecretBox& box,
                                               const core::Clock& wallClock, std::string name,
                                               std::vector<std::string> redirectUris,
                                               core::Random& random = core::DefaultRandom());

// The application whose AMT this is. AUTHENTICATION error for an empty or unknown token;
// a store failure is passed through.
core::Result<store::Application> AuthenticateManagementToken(store::ApplicationStore& store,
                                                             std::string_view amt);

// The plaintext AMT of `app` (to sign payloads and answer verification challenges).
// SERVER:INTERNAL when the sealed token does not open with `box` (wrong key, tampering).
core::Result<std::string> OpenManagementToken(const store::Application& app,
                                              const core::SecretBox& box);

// Replaces the AMT of application `applicationId` and returns the new one; the old one stops
// working at once. NotFound when there is no such application.
core::Result<std::string> RotateManagementToken(store::ApplicationStore& store,
                                                const core::SecretBox& box,
                                                const std::string& applicationId,
                                                core::Random& random = core::DefaultRandom());

// Replaces the client secret and returns the new one.
core::Result<std::string> RotateClientSecret(store::ApplicationStore& store,
                                             const std::string& applicationId,
                                             core::Random& random = core::DefaultRandom());

// The application with this client id whose secret matches. AUTHENTICATION error otherwise
// (the same description whether the id or the secret is wrong).
core::Result<store::Application> AuthenticateClient(store::ApplicationStore& store,
                                                    std::string_view clientId,
                                                    std::string_view clientSecret);

}  // namespace dynhook::connect
