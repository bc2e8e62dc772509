// Smartcar's official Node SDK (npm `smartcar`, installed by scripts/deps.sh --test) runs
// unchanged against the real binary; only its base URLs point at the server.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "core/json.h"
#include "server_process.h"
#include "support/run_command.h"

namespace dynhook::testing {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  return dir ? dir : ".";
}

TEST(SmartcarNodeSdk, RunsUnchangedAgainstDynhook) {
  const std::string script = SourceDir() + "/tests/sdk/smartcar_node_sdk.js";
  ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0) << "node is required";
  ServerProcess server;
  const std::string redirect = "http://127.0.0.1:9/sdk-callback";
  auto app = core::ParseJsonObject(server.CreateApplication(redirect));
  ASSERT_TRUE(app.ok());
  const auto field = [&](const char* k) { return std::string(app->at(k).as_string()); };
  const std::string command = "cd '" + SourceDir() + "' && DYNHOOK_BASE='" + server.base() +
                              "' DYNHOOK_CLIENT_ID='" + field("clientId") +
                              "' DYNHOOK_CLIENT_SECRET='" + field("clientSecret") +
                              "' DYNHOOK_AMT='" + field("managementToken") +
                              "' DYNHOOK_REDIRECT_URI='" + redirect + "' node " + script + " 2>&1";
  const auto [status, output] = ::dynhook::test::RunCommand(command);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("smartcar sdk: all steps passed"), std::string::npos) << output;
}

}  // namespace
}  // namespace dynhook::testing
