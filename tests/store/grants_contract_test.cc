// Store contract: authorization codes, users, grants and tokens.
#include "store/store_contract.h"

namespace dynhook::store::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST_P(StoreContractTest, AuthorizationCodeIsConsumedOnce) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  const AuthorizationCode code = MakeCode("code-hash", "app-1");
  ASSERT_TRUE(store_->SaveAuthorizationCode(code).ok());

  auto taken = store_->ConsumeAuthorizationCode("code-hash", clock_.Now());
  ASSERT_TRUE(taken.ok()) << taken.error().description;
  EXPECT_EQ(taken->applicationId, "app-1");
  EXPECT_EQ(taken->redirectUri, code.redirectUri);
  EXPECT_EQ(taken->userId, code.userId);
  EXPECT_EQ(taken->oemAccountId, code.oemAccountId);
  EXPECT_EQ(taken->vehicleIds, code.vehicleIds);
  EXPECT_EQ(taken->scopes, code.scopes);
  EXPECT_EQ(taken->mode, "live");
  EXPECT_EQ(taken->expiresAt, code.expiresAt);

  auto again = store_->ConsumeAuthorizationCode("code-hash", clock_.Now());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "RESOURCE_NOT_FOUND");
}

TEST_P(StoreContractTest, RevokeTokensOfCodeDeletesOnlyThatGrantsTokens) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  Grant fromCode = MakeGrant("app-1", "grant-1", "user-1");
  fromCode.codeHash = "code-hash";
  ASSERT_TRUE(store_
                  ->CreateGrant(fromCode, {"v1"}, MakeToken("a1", TokenKind::kAccess, "grant-1"),
                                MakeToken("r1", TokenKind::kRefresh, "grant-1"))
                  .ok());
  Grant other = MakeGrant("app-1", "grant-2", "user-2");
  ASSERT_TRUE(store_
                  ->CreateGrant(other, {"v2"}, MakeToken("a2", TokenKind::kAccess, "grant-2"),
                                MakeToken("r2", TokenKind::kRefresh, "grant-2"))
                  .ok());
  EXPECT_EQ(store_->FindGrant("grant-1")->codeHash, "code-hash");
  EXPECT_EQ(store_->FindGrant("grant-2")->codeHash, "");

  EXPECT_EQ(*store_->RevokeTokensOfCode("unknown-code"), 0);
  auto revoked = store_->RevokeTokensOfCode("code-hash");
  ASSERT_TRUE(revoked.ok()) << revoked.error().description;
  EXPECT_EQ(*revoked, 2);
  EXPECT_FALSE(store_->FindToken("a1").ok());
  EXPECT_FALSE(store_->FindToken("r1").ok());
  EXPECT_TRUE(store_->FindToken("a2").ok());
  EXPECT_TRUE(store_->FindToken("r2").ok());
  EXPECT_EQ(*store_->RevokeTokensOfCode("code-hash"), 0);
}

TEST_P(StoreContractTest, PurgeExpiredCredentialsKeepsLiveOnes) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  ASSERT_TRUE(store_->SaveAuthorizationCode(MakeCode("old-code", "app-1")).ok());
  Token oldAccess = MakeToken("old-access", TokenKind::kAccess, "grant-1");
  oldAccess.expiresAt = clock_.Now() + minutes(1);
  Token liveRefresh = MakeToken("live-refresh", TokenKind::kRefresh, "grant-1");
  liveRefresh.expiresAt = clock_.Now() + minutes(60);
  ASSERT_TRUE(
      store_->CreateGrant(MakeGrant("app-1", "grant-1", "user-1"), {"v1"}, oldAccess, liveRefresh)
          .ok());
  clock_.Advance(minutes(30));  // the code (10 min) and the access token (1 min) have expired
  ASSERT_TRUE(store_->SaveAuthorizationCode(MakeCode("new-code", "app-1")).ok());

  auto purged = store_->PurgeExpiredCredentials(clock_.Now(), 100);
  ASSERT_TRUE(purged.ok()) << purged.error().description;
  EXPECT_EQ(*purged, 2);
  EXPECT_FALSE(store_->FindToken("old-access").ok());
  EXPECT_TRUE(store_->FindToken("live-refresh").ok());
  EXPECT_TRUE(store_->ConsumeAuthorizationCode("new-code", clock_.Now()).ok());
  EXPECT_EQ(*store_->PurgeExpiredCredentials(clock_.Now(), 100), 0);
  EXPECT_FALSE(store_->PurgeExpiredCredentials(clock_.Now(), 0).ok());
}

TEST_P(StoreContractTest, ExpiredAuthorizationCodeIsNotFound) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  ASSERT_TRUE(store_->SaveAuthorizationCode(MakeCode("code-hash", "app-1")).ok());
  auto taken = store_->ConsumeAuthorizationCode("code-hash", clock_.Now() + minutes(10));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().type, "RESOURCE_NOT_FOUND");
}

TEST_P(StoreContractTest, DuplicateAuthorizationCodeConflicts) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  ASSERT_TRUE(store_->SaveAuthorizationCode(MakeCode("code-hash", "app-1")).ok());
  auto status = store_->SaveAuthorizationCode(MakeCode("code-hash", "app-1"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().Name(), "VALIDATION:CONFLICT");
}

TEST_P(StoreContractTest, UserIdIsStablePerApplicationAndOemAccount) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(2)).ok());
  auto first = store_->UserIdFor("app-1", "oem-7", "user-a");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "user-a");
  auto again = store_->UserIdFor("app-1", "oem-7", "user-b");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "user-a");
  auto otherApp = store_->UserIdFor("app-2", "oem-7", "user-c");
  ASSERT_TRUE(otherApp.ok());
  EXPECT_EQ(*otherApp, "user-c");
  auto otherAccount = store_->UserIdFor("app-1", "oem-8", "user-d");
  ASSERT_TRUE(otherAccount.ok());
  EXPECT_EQ(*otherAccount, "user-d");
}

TEST_P(StoreContractTest, CreateGrantStoresGrantConnectionsAndTokens) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  CreateGrantWith("app-1", "grant-1", "user-1", {"v1", "v2"});

  auto grant = store_->FindGrant("grant-1");
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->applicationId, "app-1");
  EXPECT_EQ(grant->userId, "user-1");
  EXPECT_EQ(grant->oemAccountId, "oem-user-1");
  EXPECT_EQ(grant->scopes, MakeGrant("app-1", "grant-1", "user-1").scopes);
  EXPECT_EQ(grant->mode, "simulated");
  EXPECT_EQ(grant->createdAt, clock_.Now());

  auto access = store_->FindToken("grant-1-access");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->kind, TokenKind::kAccess);
  EXPECT_EQ(access->grantId, "grant-1");
  EXPECT_EQ(access->expiresAt, clock_.Now() + std::chrono::hours(2));
  EXPECT_FALSE(access->usedAt.has_value());
  auto refresh = store_->FindToken("grant-1-refresh");
  ASSERT_TRUE(refresh.ok());
  EXPECT_EQ(refresh->kind, TokenKind::kRefresh);

  auto connection = store_->FindConnection("grant-1", "v2");
  ASSERT_TRUE(connection.ok());
  EXPECT_EQ(connection->applicationId, "app-1");
  EXPECT_EQ(connection->userId, "user-1");
  EXPECT_EQ(connection->mode, "simulated");
  EXPECT_EQ(connection->connectedAt, clock_.Now());
  EXPECT_FALSE(store_->FindConnection("grant-1", "v3").ok());
  EXPECT_EQ(store_->FindGrant("grant-x").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(store_->FindToken("token-x").error().type, "RESOURCE_NOT_FOUND");
}

TEST_P(StoreContractTest, NewGrantReplacesEarlierConnectionOfSameVehicle) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(2)).ok());
  CreateGrantWith("app-1", "grant-1", "user-1", {"v1", "v2"});
  CreateGrantWith("app-2", "grant-other-app", "user-9", {"v1"});
  clock_.Advance(minutes(5));
  CreateGrantWith("app-1", "grant-2", "user-2", {"v1"});

  EXPECT_FALSE(store_->FindConnection("grant-1", "v1").ok());
  EXPECT_TRUE(store_->FindConnection("grant-1", "v2").ok());
  auto moved = store_->FindConnection("grant-2", "v1");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->userId, "user-2");
  EXPECT_EQ(moved->connectedAt, clock_.Now());
  EXPECT_TRUE(store_->FindConnection("grant-other-app", "v1").ok());  // other app untouched
}

TEST_P(StoreContractTest, CreateGrantIsAtomic) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  CreateGrantWith("app-1", "grant-1", "user-1", {"v1"});
  // The refresh token collides with an existing one: nothing of grant-2 may remain.
  auto status = store_->CreateGrant(MakeGrant("app-1", "grant-2", "user-2"), {"v1", "v2"},
                                    MakeToken("grant-2-access", TokenKind::kAccess, "grant-2"),
                                    MakeToken("grant-1-refresh", TokenKind::kRefresh, "grant-2"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().Name(), "VALIDATION:CONFLICT");
  EXPECT_FALSE(store_->FindGrant("grant-2").ok());
  EXPECT_FALSE(store_->FindToken("grant-2-access").ok());
  EXPECT_FALSE(store_->FindConnection("grant-2", "v2").ok());
  EXPECT_TRUE(store_->FindConnection("grant-1", "v1").ok());
}

TEST_P(StoreContractTest, GrantForUnknownApplicationFails) {
  auto status = store_->CreateGrant(MakeGrant("app-missing", "grant-1", "user-1"), {"v1"},
                                    MakeToken("a", TokenKind::kAccess, "grant-1"),
                                    MakeToken("r", TokenKind::kRefresh, "grant-1"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "VALIDATION");
}

class RotationTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
    CreateGrantWith("app-1", "grant-1", "user-1", {"v1"});
  }
  core::Status Rotate(const std::string& old, const std::string& next) {
    return store_->RotateRefreshToken(old, clock_.Now(), minutes(1),
                                      MakeToken(next + "-access", TokenKind::kAccess, "grant-1"),
                                      MakeToken(next + "-refresh", TokenKind::kRefresh, "grant-1"));
  }
};

TEST_P(RotationTest, RotationIssuesNewPairAndMarksOldUsed) {
  const core::TimePoint usedAt = clock_.Now();
  ASSERT_TRUE(Rotate("grant-1-refresh", "second").ok());
  auto old = store_->FindToken("grant-1-refresh");
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(old->usedAt.has_value());
  EXPECT_EQ(*old->usedAt, usedAt);
  EXPECT_TRUE(store_->FindToken("second-access").ok());
  EXPECT_TRUE(store_->FindToken("second-refresh").ok());
}

TEST_P(RotationTest, UsedTokenWorksWithinReuseWindowOnly) {
  const core::TimePoint firstUse = clock_.Now();
  ASSERT_TRUE(Rotate("grant-1-refresh", "second").ok());
  clock_.Advance(seconds(59));
  auto retry = Rotate("grant-1-refresh", "third");
  ASSERT_TRUE(retry.ok()) << retry.error().description;
  EXPECT_EQ(*store_->FindToken("grant-1-refresh")->usedAt, firstUse);  // first use is kept

  clock_.Advance(seconds(1));
  auto late = Rotate("grant-1-refresh", "fourth");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().type, "AUTHENTICATION");
  EXPECT_NE(late.error().description.find("already been used"), std::string::npos);
  EXPECT_FALSE(store_->FindToken("fourth-access").ok());
  EXPECT_TRUE(Rotate("second-refresh", "fifth").ok());  // the new one still works
}

TEST_P(RotationTest, RotationRejectsWrongTokens) {
  auto access = Rotate("grant-1-access", "x");
  ASSERT_FALSE(access.ok());
  EXPECT_EQ(access.error().type, "AUTHENTICATION");
  auto unknown = Rotate("nope", "y");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, "AUTHENTICATION");
  clock_.Advance(std::chrono::hours(24));
  auto expired = Rotate("grant-1-refresh", "z");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().type, "AUTHENTICATION");
  EXPECT_NE(expired.error().description.find("expired"), std::string::npos);
}

TEST_P(RotationTest, FailedRotationChangesNothing) {
  // The new access token collides: the old token must stay unused.
  auto status =
      store_->RotateRefreshToken("grant-1-refresh", clock_.Now(), minutes(1),
                                 MakeToken("grant-1-access", TokenKind::kAccess, "grant-1"),
                                 MakeToken("new-refresh", TokenKind::kRefresh, "grant-1"));
  ASSERT_FALSE(status.ok());
  EXPECT_FALSE(store_->FindToken("grant-1-refresh")->usedAt.has_value());
  EXPECT_FALSE(store_->FindToken("new-refresh").ok());
}

DYNHOOK_STORE_CONTRACT(RotationTest);

}  // namespace
}  // namespace dynhook::store::testing
