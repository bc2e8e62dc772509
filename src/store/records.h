// The records the store keeps: plain values, no behaviour. Times are core::TimePoint (UTC,
// milliseconds). Secrets are never stored in the clear: tokens and client secrets as SHA-256
// hex of the secret (looked up by hash), the AMT additionally sealed with core::SecretBox
// because it must sign payloads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace dynhook::store {

struct Application {
  std::string id;  // UUID
  std::string name;
  std::string clientId;                   // UUID, public
  std::string clientSecretHash;           // Sha256Hex(clientSecret)
  std::string managementTokenHash;        // Sha256Hex(AMT), unique: how an AMT finds its app
  std::string managementTokenSealed;      // SecretBox::Seal(AMT)
  std::vector<std::string> redirectUris;  // exact-match allow-list
  core::TimePoint createdAt;
};

// An OAuth authorization code, between the Connect page's approval and /oauth/token.
struct AuthorizationCode {
  std::string codeHash;  // Sha256Hex(code), primary key
  std::string applicationId;
  std::string redirectUri;  // must match on exchange
  std::string userId;
  std::string oemAccountId;
  std::vector<std::string> vehicleIds;  // approved vehicles
  std::vector<std::string> scopes;      // granted permissions
  std::string mode;                     // "live" | "test" | "simulated"
  core::TimePoint expiresAt;            // wall clock
};

// What one approval of Connect granted one application: vehicles and permissions.
struct Grant {
  std::string id;  // UUID
  std::string applicationId;
  std::string userId;
  std::string oemAccountId;
  std::vector<std::string> scopes;
  std::string mode;
  core::TimePoint createdAt;
  // SHA-256 of the authorization code exchanged for this grant ("" when none): a second
  // exchange of the code revokes the grant's tokens (RFC 6749 §4.1.2).
  std::string codeHash;
};

// One vehicle connected to one application through a grant (Smartcar's "connection").
struct Connection {
  std::string applicationId;
  std::string grantId;
  std::string userId;
  std::string vehicleId;
  std::string mode;
  core::TimePoint connectedAt;
};

enum class TokenKind { kAccess, kRefresh };

struct Token {
  std::string tokenHash;  // Sha256Hex(token), primary key
  TokenKind kind = TokenKind::kAccess;
  std::string grantId;
  core::TimePoint expiresAt;              // wall clock
  std::optional<core::TimePoint> usedAt;  // refresh tokens: first exchange
};

// A page of results. `nextCursor` is opaque to callers (empty on the last page); pass it back
// unchanged to get the next page.
template <class T>
struct Page {
  std::vector<T> items;
  std::string nextCursor;
};

// The simulated OEM's persistent part (SPEC §5): accounts, vehicles and the test controls.
// The simulator derives everything else from the seed and the clock.
struct SimAccount {
  std::string id;  // UUID
  std::string make;
  std::string username;      // unique within a make
  std::string passwordHash;  // Sha256Hex(salt + password)
  std::string salt;
  core::TimePoint createdAt;
};

struct SimVehicle {
  std::string id;  // UUID; also the platform's vehicle id
  std::string accountId;
  std::string make;
  std::string model;
  int year = 0;
  std::string vin;
  uint64_t seed = 0;
  std::string stateOverrideJson;  // pinned state fields ("{}" when none)
  std::string fault;              // injected fault name, "" when none
};

}  // namespace dynhook::store
