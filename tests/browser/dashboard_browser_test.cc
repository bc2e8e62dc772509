// The dashboard in a real browser (label `browser`): runs tests/browser/dashboard.spec.mjs
// (node + playwright-core + /usr/bin/chromium, installed by scripts/deps.sh) against the real
// `dynhook serve` on 127.0.0.1 port 0. Screenshots go to <build dir>/screenshots.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "platform_client.h"
#include "server_process.h"
#include "support/run_command.h"

namespace dynhook::testing {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  return dir ? dir : ".";
}

TEST(DashboardBrowser, WizardVerifiesAWebhookThatTheListShows) {
  ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0) << "node is required";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium")) << "apt-get install chromium";
  ServerProcess server({"--allow-private-callbacks", "--time-scale", "3600"});
  PlatformClient client(server.base(), ServerProcess::kAdminToken);
  const AppCredentials app = client.CreateApplication();
  const ConnectedOwner owner = client.Connect(app, "TESLA", "browser@example.com");
  ASSERT_FALSE(owner.vehicleIds.empty());
  const auto shots = std::filesystem::current_path() / "screenshots";
  const std::string command = "cd '" + SourceDir() + "' && DYNHOOK_BASE='" + server.base() +
                              "' DYNHOOK_AMT='" + app.managementToken + "' DYNHOOK_ACCESS_TOKEN='" +
                              owner.accessToken + "' DYNHOOK_VEHICLE_ID='" +
                              owner.vehicleIds.front() + "' DYNHOOK_ADMIN_TOKEN='" +
                              ServerProcess::kAdminToken + "' DYNHOOK_SCREENSHOT_DIR='" +
                              shots.string() + "' node tests/browser/dashboard.spec.mjs 2>&1";
  const auto [status, output] = ::dynhook::test::RunCommand(command);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("dashboard browser test: passed"), std::string::npos) << output;
}

}  // namespace
}  // namespace dynhook::testing
