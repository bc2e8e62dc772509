#include "store/store_contract.h"

namespace dynhook::store::testing {

DYNHOOK_STORE_CONTRACT(StoreContractTest);

void StoreContractTest::SetUp() {
  harness_ = GetParam().make();
  ASSERT_NE(harness_, nullptr);
  store_ = harness_->Open();
  ASSERT_NE(store_, nullptr);
  auto migrated = store_->Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().description;
}

Application StoreContractTest::MakeApplication(int n) const {
  const std::string suffix = std::to_string(n);
  Application app;
  app.id = "app-" + suffix;
  app.name = "Application " + suffix;
  app.clientId = "client-" + suffix;
  app.clientSecretHash = "secret-hash-" + suffix;
  app.managementTokenHash = "amt-hash-" + suffix;
  app.managementTokenSealed = "sealed-" + suffix;
  app.redirectUris = {"https://app" + suffix + ".example/callback", "http://localhost:8000/cb"};
  app.createdAt = clock_.Now();
  return app;
}

Grant StoreContractTest::MakeGrant(const std::string& applicationId, const std::string& grantId,
                                   const std::string& userId) const {
  Grant grant;
  grant.id = grantId;
  grant.applicationId = applicationId;
  grant.userId = userId;
  grant.oemAccountId = "oem-" + userId;
  grant.scopes = {"read_battery", "read_charge", "read_location"};
  grant.mode = "simulated";
  grant.createdAt = clock_.Now();
  return grant;
}

Token StoreContractTest::MakeToken(const std::string& hash, TokenKind kind,
                                   const std::string& grantId) const {
  Token token;
  token.tokenHash = hash;
  token.kind = kind;
  token.grantId = grantId;
  token.expiresAt =
      clock_.Now() + (kind == TokenKind::kAccess ? std::chrono::hours(2) : std::chrono::hours(24));
  return token;
}

AuthorizationCode StoreContractTest::MakeCode(const std::string& hash,
                                              const std::string& applicationId) const {
  AuthorizationCode code;
  code.codeHash = hash;
  code.applicationId = applicationId;
  code.redirectUri = "https://app.example/callback";
  code.userId = "user-1";
  code.oemAccountId = "oem-1";
  code.vehicleIds = {"vehicle-a", "vehicle-b"};
  code.scopes = {"read_odometer", "required:read_vin"};
  code.mode = "live";
  code.expiresAt = clock_.Now() + std::chrono::minutes(10);
  return code;
}

void StoreContractTest::CreateGrantWith(const std::string& applicationId,
                                        const std::string& grantId, const std::string& userId,
                                        const std::vector<std::string>& vehicles) {
  auto status = store_->CreateGrant(MakeGrant(applicationId, grantId, userId), vehicles,
                                    MakeToken(grantId + "-access", TokenKind::kAccess, grantId),
                                    MakeToken(grantId + "-refresh", TokenKind::kRefresh, grantId));
  ASSERT_TRUE(status.ok()) << status.error().description;
}

}  // namespace dynhook::store::testing
