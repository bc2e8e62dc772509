// The dashboard in a real browser (label `browser`): runs tests/browser/*.spec.mjs (node +
// playwright-core + /usr/bin/chromium, installed by scripts/deps.sh) against the real
// `dynhook serve` on 127.0.0.1 port 0. Screenshots go to <build dir>/screenshots.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "platform_client.h"
#include "server_process.h"
#include "support/run_command.h"

namespace dynhook::testing {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  return dir ? dir : ".";
}

// Runs `node tests/browser/<spec>` with `env` (NAME=value pairs, quoted here) and expects it to
// print "<what>: passed".
void RunSpec(const std::string& spec, const std::string& what,
             const std::vector<std::pair<std::string, std::string>>& env) {
  ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0) << "node is required";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium")) << "apt-get install chromium";
  const auto shots = std::filesystem::current_path() / "screenshots";
  std::string command = "cd '" + SourceDir() + "' &&";
  for (const auto& [name, value] : env) command += " " + name + "='" + value + "'";
  command +=
      " DYNHOOK_SCREENSHOT_DIR='" + shots.string() + "' node tests/browser/" + spec + " 2>&1";
  const auto [status, output] = ::dynhook::test::RunCommand(command);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find(what + ": passed"), std::string::npos) << output;
}

TEST(DashboardBrowser, WizardVerifiesAWebhookThatTheListShows) {
  ServerProcess server({"--allow-private-callbacks", "--time-scale", "3600"});
  PlatformClient client(server.base(), ServerProcess::kAdminToken);
  const AppCredentials app = client.CreateApplication();
  const ConnectedOwner owner = client.Connect(app, "TESLA", "browser@example.com");
  ASSERT_FALSE(owner.vehicleIds.empty());
  RunSpec("dashboard.spec.mjs", "dashboard browser test",
          {{"DYNHOOK_BASE", server.base()},
           {"DYNHOOK_AMT", app.managementToken},
           {"DYNHOOK_ACCESS_TOKEN", owner.accessToken},
           {"DYNHOOK_VEHICLE_ID", owner.vehicleIds.front()},
           {"DYNHOOK_ADMIN_TOKEN", ServerProcess::kAdminToken}});
}

// An owner with five simulated vehicles: more subscriptions than one page of the paging spec.
TEST(DashboardBrowser, LoadMorePagesTheDeliveryLogAndSubscriptions) {
  ServerProcess server({"--allow-private-callbacks", "--time-scale", "3600"});
  PlatformClient client(server.base(), ServerProcess::kAdminToken);
  const AppCredentials app = client.CreateApplication();
  const auto account = client.CallJson(
      "POST", "/api/admin/sim/accounts", ServerProcess::kAdminToken,
      R"({"make":"TESLA","username":"fleet@example.com","password":"pw","vehicles":5})");
  ASSERT_EQ(account.status, 201) << account.body;
  const ConnectedOwner owner = client.Connect(app, "TESLA", "fleet@example.com");
  ASSERT_EQ(owner.vehicleIds.size(), 5u);
  std::string vehicleIds;
  for (const auto& id : owner.vehicleIds) vehicleIds += (vehicleIds.empty() ? "" : ",") + id;
  RunSpec("paging.spec.mjs", "dashboard paging test",
          {{"DYNHOOK_BASE", server.base()},
           {"DYNHOOK_AMT", app.managementToken},
           {"DYNHOOK_ACCESS_TOKEN", owner.accessToken},
           {"DYNHOOK_VEHICLE_IDS", vehicleIds},
           {"DYNHOOK_ADMIN_TOKEN", ServerProcess::kAdminToken}});
}

}  // namespace
}  // namespace dynhook::testing
