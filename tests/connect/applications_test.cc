#include "connect/applications.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/clock.h"
#include "core/ids.h"

namespace dynhook::connect {
namespace {

class ApplicationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().description;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Migrate().ok());
  }

  NewApplication Create(std::string name = "Fleet App") {
    auto created = CreateApplication(*store_, box_, clock_, std::move(name),
                                     {"https://app.example/callback"}, random_);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().description);
    return created.ok() ? *created : NewApplication{};
  }

  core::ManualClock clock_;
  core::SeededRandom random_{7};
  core::SecretBox box_{core::SecretBox::GenerateKey(random_)};
  std::unique_ptr<store::Store> store_;
};

TEST_F(ApplicationsTest, CreateGeneratesIdsAndPrefixedSecrets) {
  NewApplication created = Create();
  EXPECT_TRUE(core::IsUuid(created.app.id));
  EXPECT_TRUE(core::IsUuid(created.app.clientId));
  EXPECT_TRUE(created.clientSecret.starts_with("sk_"));
  EXPECT_EQ(created.clientSecret.size(), 3u + 64u);
  EXPECT_TRUE(created.managementToken.starts_with("amt_"));
  EXPECT_EQ(created.app.name, "Fleet App");
  EXPECT_EQ(created.app.createdAt, clock_.Now());
}

TEST_F(ApplicationsTest, StoresOnlyHashesAndTheSealedToken) {
  NewApplication created = Create();
  auto stored = store_->FindApplicationById(created.app.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->clientSecretHash, core::Sha256Hex(created.clientSecret));
  EXPECT_EQ(stored->managementTokenHash, core::Sha256Hex(created.managementToken));
  for (const std::string* field : {&stored->clientSecretHash, &stored->managementTokenHash,
                                   &stored->managementTokenSealed, &stored->name}) {
    EXPECT_EQ(field->find(created.clientSecret), std::string::npos);
    EXPECT_EQ(field->find(created.managementToken), std::string::npos);
    EXPECT_EQ(field->find(created.managementToken.substr(4)), std::string::npos);
  }
}

TEST_F(ApplicationsTest, ManagementTokenRecoverableOnlyThroughTheSecretBox) {
  NewApplication created = Create();
  auto stored = store_->FindApplicationById(created.app.id);
  ASSERT_TRUE(stored.ok());
  auto opened = OpenManagementToken(*stored, box_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, created.managementToken);
  core::SecretBox otherBox(core::SecretBox::GenerateKey(random_));
  auto wrong = OpenManagementToken(*stored, otherBox);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().type, "SERVER");
}

TEST_F(ApplicationsTest, AuthenticatesManagementTokens) {
  NewApplication created = Create();
  auto found = AuthenticateManagementToken(*store_, created.managementToken);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, created.app.id);
  for (std::string_view bad : {std::string_view(""), std::string_view("amt_nope"),
                               std::string_view(created.clientSecret)}) {
    auto rejected = AuthenticateManagementToken(*store_, bad);
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error().type, "AUTHENTICATION");
  }
}

TEST_F(ApplicationsTest, RotationReplacesTheManagementToken) {
  NewApplication created = Create();
  auto rotated = RotateManagementToken(*store_, box_, created.app.id, random_);
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(*rotated, created.managementToken);
  EXPECT_TRUE(rotated->starts_with("amt_"));
  EXPECT_FALSE(AuthenticateManagementToken(*store_, created.managementToken).ok());
  auto found = AuthenticateManagementToken(*store_, *rotated);
  ASSERT_TRUE(found.ok());
  auto opened = OpenManagementToken(*found, box_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, *rotated);
  // The client credentials are untouched.
  EXPECT_TRUE(AuthenticateClient(*store_, created.app.clientId, created.clientSecret).ok());
  EXPECT_FALSE(RotateManagementToken(*store_, box_, "no-such-app", random_).ok());
}

TEST_F(ApplicationsTest, AuthenticatesClients) {
  NewApplication created = Create();
  auto found = AuthenticateClient(*store_, created.app.clientId, created.clientSecret);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, created.app.id);
  EXPECT_EQ(AuthenticateClient(*store_, created.app.clientId, "sk_wrong").error().type,
            "AUTHENTICATION");
  EXPECT_EQ(AuthenticateClient(*store_, "unknown-client", created.clientSecret).error().type,
            "AUTHENTICATION");
  EXPECT_FALSE(AuthenticateClient(*store_, created.app.clientId, "").ok());
  EXPECT_FALSE(AuthenticateClient(*store_, created.app.clientId, created.managementToken).ok());
}

TEST_F(ApplicationsTest, RotatingTheClientSecret) {
  NewApplication created = Create();
  auto secret = RotateClientSecret(*store_, created.app.id, random_);
  ASSERT_TRUE(secret.ok());
  EXPECT_FALSE(AuthenticateClient(*store_, created.app.clientId, created.clientSecret).ok());
  EXPECT_TRUE(AuthenticateClient(*store_, created.app.clientId, *secret).ok());
  EXPECT_TRUE(AuthenticateManagementToken(*store_, created.managementToken).ok());
}

TEST_F(ApplicationsTest, ValidatesTheName) {
  EXPECT_TRUE(ValidateApplicationName("A").ok());
  EXPECT_TRUE(ValidateApplicationName(std::string(100, 'x')).ok());
  EXPECT_TRUE(ValidateApplicationName("Flottenmanagement für Ärzte").ok());
  EXPECT_FALSE(ValidateApplicationName("").ok());
  EXPECT_FALSE(ValidateApplicationName("   ").ok());
  EXPECT_FALSE(ValidateApplicationName(std::string(101, 'x')).ok());
  EXPECT_FALSE(ValidateApplicationName("line\nbreak").ok());
  auto rejected = CreateApplication(*store_, box_, clock_, "", {"https://a.example/cb"}, random_);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().type, "VALIDATION");
}

TEST_F(ApplicationsTest, ValidatesRedirectUris) {
  for (const char* good :
       {"https://app.example/callback", "http://localhost:8000/cb",
        "https://app.example/cb?tenant=1", "myapp://oauth/callback", "sc1234abcd://exchange",
        "com.example.app:/oauth2redirect", "http://[::1]:9000/cb"}) {
    EXPECT_TRUE(ValidateRedirectUri(good).ok()) << good;
  }
  for (const char* bad : {"", "/relative/path", "app.example/cb", "https://app.example/cb#frag",
                          "javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,x",
                          "file:///etc/passwd", "https:///nohost", "http://", "https://a b/",
                          "1http://x", "myapp:", "https://app.example/\x01"}) {
    EXPECT_FALSE(ValidateRedirectUri(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateRedirectUri("https://app.example/" + std::string(2048, 'a')).ok());
  EXPECT_FALSE(ValidateRedirectUris({}).ok());
  EXPECT_FALSE(ValidateRedirectUris({"https://a.example/cb", "https://a.example/cb"}).ok());
  std::vector<std::string> many;
  for (int i = 0; i < 21; ++i) many.push_back("https://a.example/cb" + std::to_string(i));
  EXPECT_FALSE(ValidateRedirectUris(many).ok());
  many.pop_back();
  EXPECT_TRUE(ValidateRedirectUris(many).ok());
}

}  // namespace
}  // namespace dynhook::connect
