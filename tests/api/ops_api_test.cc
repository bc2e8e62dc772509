// /healthz and /readyz.
#include "api/ops_api.h"

#include <gtest/gtest.h>

#include "api/api_fixture.h"

namespace dynhook::api::test {
namespace {

TEST(OpsApiTest, HealthzAnswersVersion) {
  ApiTestEnv env;
  auto response = env.Call("GET", "/healthz");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, std::string(R"({"status":"ok","version":")") + DYNHOOK_VERSION + "\"}");
}

TEST(OpsApiTest, ReadyzAnswersReadyWhenTheDatabaseAnswers) {
  ApiTestEnv env;
  auto response = env.Call("GET", "/readyz");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"ready"})");
}

}  // namespace
}  // namespace dynhook::api::test
