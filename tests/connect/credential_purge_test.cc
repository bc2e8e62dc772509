// PurgeExpiredCredentials over SQLite in memory: chunks until nothing expired is left, and
// stops between chunks when asked.
#include "connect/credential_purge.h"

#include <gtest/gtest.h>

#include "store/store.h"

namespace dynhook::connect {
namespace {

class CredentialPurgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Migrate().ok());
    store::Application app{"app", "app", "client", "h", "amt-hash", "sealed", {}, now_};
    ASSERT_TRUE(store_->CreateApplication(app).ok());
  }
  void SaveCode(const std::string& hash, core::TimePoint expiresAt) {
    store::AuthorizationCode code;
    code.codeHash = hash;
    code.applicationId = "app";
    code.redirectUri = "https://app.example/cb";
    code.mode = "live";
    code.expiresAt = expiresAt;
    ASSERT_TRUE(store_->SaveAuthorizationCode(code).ok());
  }

  const core::TimePoint now_ = core::FromMillis(1'800'000'000'000);
  std::unique_ptr<store::Store> store_;
};

TEST_F(CredentialPurgeTest, PurgesEveryExpiredRowInChunks) {
  for (int i = 0; i < 5; ++i) SaveCode("old-" + std::to_string(i), now_ - std::chrono::seconds(1));
  SaveCode("live", now_ + std::chrono::minutes(5));
  auto purged = PurgeExpiredCredentials(*store_, now_, 2, [] { return false; });
  ASSERT_TRUE(purged.ok()) << purged.error().description;
  EXPECT_EQ(*purged, 5);
  EXPECT_FALSE(store_->ConsumeAuthorizationCode("old-0", now_ - std::chrono::minutes(1)).ok());
  EXPECT_TRUE(store_->ConsumeAuthorizationCode("live", now_).ok());
}

TEST_F(CredentialPurgeTest, StopsBetweenChunksWhenAsked) {
  for (int i = 0; i < 5; ++i) SaveCode("old-" + std::to_string(i), now_ - std::chrono::seconds(1));
  int chunks = 0;
  auto purged = PurgeExpiredCredentials(*store_, now_, 2, [&] { return chunks++ == 1; });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);  // one chunk, then asked to stop
}

}  // namespace
}  // namespace dynhook::connect
