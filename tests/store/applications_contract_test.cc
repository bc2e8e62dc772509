// Store contract: applications.
#include "store/store_contract.h"

namespace dynhook::store::testing {
namespace {

void ExpectSameApplication(const Application& a, const Application& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.clientId, b.clientId);
  EXPECT_EQ(a.clientSecretHash, b.clientSecretHash);
  EXPECT_EQ(a.managementTokenHash, b.managementTokenHash);
  EXPECT_EQ(a.managementTokenSealed, b.managementTokenSealed);
  EXPECT_EQ(a.redirectUris, b.redirectUris);
  EXPECT_EQ(a.createdAt, b.createdAt);
}

TEST_P(StoreContractTest, CreatedApplicationIsFoundByEveryKey) {
  const Application app = MakeApplication(1);
  ASSERT_TRUE(store_->CreateApplication(app).ok());

  auto byId = store_->FindApplicationById(app.id);
  ASSERT_TRUE(byId.ok());
  ExpectSameApplication(*byId, app);
  auto byClient = store_->FindApplicationByClientId(app.clientId);
  ASSERT_TRUE(byClient.ok());
  ExpectSameApplication(*byClient, app);
  auto byToken = store_->FindApplicationByTokenHash(app.managementTokenHash);
  ASSERT_TRUE(byToken.ok());
  ExpectSameApplication(*byToken, app);
}

TEST_P(StoreContractTest, UnknownApplicationIsNotFound) {
  for (auto result :
       {store_->FindApplicationById("nope"), store_->FindApplicationByClientId("nope"),
        store_->FindApplicationByTokenHash("nope")}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().Name(), "RESOURCE_NOT_FOUND:PATH");
  }
}

TEST_P(StoreContractTest, DuplicateApplicationKeysConflict) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  Application sameClient = MakeApplication(2);
  sameClient.clientId = "client-1";
  Application sameToken = MakeApplication(3);
  sameToken.managementTokenHash = "amt-hash-1";
  Application sameId = MakeApplication(4);
  sameId.id = "app-1";
  for (const Application& app : {sameClient, sameToken, sameId}) {
    auto status = store_->CreateApplication(app);
    ASSERT_FALSE(status.ok()) << app.id;
    EXPECT_EQ(status.error().Name(), "VALIDATION:CONFLICT");
    EXPECT_EQ(status.error().status, 409);
  }
}

TEST_P(StoreContractTest, ApplicationsAreListedInCreationOrder) {
  for (int n = 1; n <= 3; ++n) {
    ASSERT_TRUE(store_->CreateApplication(MakeApplication(n)).ok());
    clock_.Advance(std::chrono::seconds(1));
  }
  auto apps = store_->ListApplications();
  ASSERT_TRUE(apps.ok());
  ASSERT_EQ(apps->size(), 3u);
  EXPECT_EQ((*apps)[0].id, "app-1");
  EXPECT_EQ((*apps)[2].id, "app-3");
}

TEST_P(StoreContractTest, UpdateApplicationReplacesSecrets) {
  Application app = MakeApplication(1);
  ASSERT_TRUE(store_->CreateApplication(app).ok());
  app.name = "Renamed";
  app.managementTokenHash = "amt-hash-rotated";
  app.managementTokenSealed = "sealed-rotated";
  app.clientSecretHash = "secret-rotated";
  app.redirectUris = {};
  ASSERT_TRUE(store_->UpdateApplication(app).ok());

  EXPECT_FALSE(store_->FindApplicationByTokenHash("amt-hash-1").ok());
  auto found = store_->FindApplicationByTokenHash("amt-hash-rotated");
  ASSERT_TRUE(found.ok());
  ExpectSameApplication(*found, app);
}

TEST_P(StoreContractTest, UpdateUnknownApplicationIsNotFound) {
  auto status = store_->UpdateApplication(MakeApplication(9));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "RESOURCE_NOT_FOUND");
}

TEST_P(StoreContractTest, UpdateToAnotherApplicationsTokenConflicts) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  Application second = MakeApplication(2);
  ASSERT_TRUE(store_->CreateApplication(second).ok());
  second.managementTokenHash = "amt-hash-1";
  auto status = store_->UpdateApplication(second);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().Name(), "VALIDATION:CONFLICT");
}

TEST_P(StoreContractTest, InjectionLookingStringsAreStoredVerbatim) {
  Application app = MakeApplication(1);
  app.name = "Robert'); DROP TABLE applications;--";
  app.clientId = "' OR '1'='1";
  app.managementTokenHash = "\" OR 1=1 --";
  app.redirectUris = {"https://x.example/?q=1'; DELETE FROM grants; --", "\"]\\u0000[\"",
                      "ünïcødé ✓"};
  ASSERT_TRUE(store_->CreateApplication(app).ok());
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(2)).ok());

  auto found = store_->FindApplicationByClientId("' OR '1'='1");
  ASSERT_TRUE(found.ok());
  ExpectSameApplication(*found, app);
  EXPECT_FALSE(store_->FindApplicationByClientId("' OR '1'='2").ok());
  auto byToken = store_->FindApplicationByTokenHash("\" OR 1=1 --");
  ASSERT_TRUE(byToken.ok());
  EXPECT_EQ(byToken->id, "app-1");
  auto all = store_->ListApplications();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

}  // namespace
}  // namespace dynhook::store::testing
