#include "app/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "app/cli_options.h"

namespace dynhook::app {
namespace {

TEST(ServeConfig, DefaultsAreValid) {
  ServeConfig config;
  EXPECT_TRUE(config.Validate().ok());
  EXPECT_EQ(config.ListenHost(), "127.0.0.1");
  EXPECT_EQ(config.ListenPort(), 8080);
  EXPECT_EQ(config.EffectiveDataDir(), "./dynhook-data");
}

TEST(ServeConfig, RejectsBadSettingsWithTheirName) {
  const std::vector<std::pair<std::function<void(ServeConfig&)>, std::string>> cases = {
      {[](ServeConfig& c) { c.listen = "nohostport"; }, "listen"},
      {[](ServeConfig& c) { c.listen = "127.0.0.1:70000"; }, "listen"},
      {[](ServeConfig& c) { c.database = "mysql://x"; }, "database"},
      {[](ServeConfig& c) { c.timeScale = 0; }, "time-scale"},
      {[](ServeConfig& c) { c.logFormat = "xml"; }, "log-format"},
      {[](ServeConfig& c) { c.logLevel = "loud"; }, "log-level"},
      {[](ServeConfig& c) { c.secretKey = "abc"; }, "secret-key"},
      {[](ServeConfig& c) { c.simLatencyMinMs = 10, c.simLatencyMaxMs = 5; }, "sim-latency"},
      {[](ServeConfig& c) { c.deliveryTimeoutMs = 10; }, "delivery-timeout-ms"},
      {[](ServeConfig& c) { c.deliveryRetries = -1; }, "delivery-retries"},
      {[](ServeConfig& c) { c.backoffBaseMs = 5; }, "backoff-base-ms"},
      {[](ServeConfig& c) { c.backoffMaxMs = 1'000; }, "backoff-max-ms"},  // below the base
      {[](ServeConfig& c) { c.deliveryConcurrency = 0; }, "delivery-concurrency"},
      {[](ServeConfig& c) { c.heldRetentionHours = 0; }, "held-retention-hours"},
      {[](ServeConfig& c) { c.deliveryHistoryDays = -1; }, "delivery-history-days"},
  };
  for (const auto& [mutate, name] : cases) {
    ServeConfig config;
    mutate(config);
    auto status = config.Validate();
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_EQ(status.error().type, "VALIDATION");
    EXPECT_NE(status.error().description.find(name), std::string::npos)
        << status.error().description;
  }
}

TEST(ServeConfig, DataDirFollowsTheSqliteFile) {
  ServeConfig config;
  config.database = "sqlite:/var/lib/dynhook/main.db";
  EXPECT_EQ(config.EffectiveDataDir(), "/var/lib/dynhook");
  config.dataDir = "/elsewhere";
  EXPECT_EQ(config.EffectiveDataDir(), "/elsewhere");
}

TEST(ConfigFile, TomlSetsKeysByFlagName) {
  ServeConfig config;
  ASSERT_TRUE(ApplyTomlText("listen = \"0.0.0.0:9000\"\ntime_scale = 60.0\n"
                            "allow-private-callbacks = true\nsim-seed = 7\n",
                            "test.toml", config)
                  .ok());
  EXPECT_EQ(config.listen, "0.0.0.0:9000");
  EXPECT_EQ(config.timeScale, 60.0);
  EXPECT_TRUE(config.allowPrivateCallbacks);
  EXPECT_EQ(config.simSeed, 7u);
}

TEST(ConfigFile, DeliverySettingsByFlagName) {
  ServeConfig config;
  ASSERT_TRUE(ApplyTomlText("delivery-retries = 3\nbackoff_base_ms = 1000\n"
                            "backoff-max-ms = 60000\ndelivery-timeout-ms = 5000\n"
                            "delivery-concurrency = 4\nheld-retention-hours = 48\n"
                            "delivery-history-days = 0\n",
                            "test.toml", config)
                  .ok());
  EXPECT_EQ(config.deliveryRetries, 3);
  EXPECT_EQ(config.backoffBaseMs, 1000);
  EXPECT_EQ(config.backoffMaxMs, 60000);
  EXPECT_EQ(config.deliveryTimeoutMs, 5000);
  EXPECT_EQ(config.deliveryConcurrency, 4);
  EXPECT_EQ(config.heldRetentionHours, 48);
  EXPECT_EQ(config.deliveryHistoryDays, 0);
  EXPECT_TRUE(config.Validate().ok());
}

TEST(ConfigFile, UnknownKeysWrongTypesAndSyntaxAreErrors) {
  for (const char* bad :
       {"nope = 1", "listen = 5", "time-scale = \"fast\"", "listen = ", "sim-seed = -1"}) {
    ServeConfig config;
    EXPECT_FALSE(ApplyTomlText(bad, "bad.toml", config).ok()) << bad;
  }
}

TEST(CommandLine, FlagBeatsEnvironmentBeatsFile) {
  ServeConfig config;
  ASSERT_TRUE(ApplyTomlText("listen = \"1.1.1.1:1\"\nadmin-token = \"from-file\"\n"
                            "log-level = \"debug\"",
                            "t.toml", config)
                  .ok());
  setenv("DYNHOOK_ADMIN_TOKEN", "from-env", 1);
  setenv("DYNHOOK_LISTEN", "2.2.2.2:2", 1);
  CLI::App command;
  AddServeOptions(command, config);
  const char* argv[] = {"serve", "--listen", "3.3.3.3:3"};
  command.parse(3, const_cast<char**>(argv));
  unsetenv("DYNHOOK_ADMIN_TOKEN");
  unsetenv("DYNHOOK_LISTEN");
  EXPECT_EQ(config.listen, "3.3.3.3:3");     // flag
  EXPECT_EQ(config.adminToken, "from-env");  // environment
  EXPECT_EQ(config.logLevel, "debug");       // file
}

}  // namespace
}  // namespace dynhook::app
