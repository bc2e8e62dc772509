// `dynhook demo` (SPEC §1.1): a fresh platform in a new data folder with the simulated fleet, a
// demo application and a few connected simulated vehicles, at a time scale where one platform
// hour passes in about ten seconds. It prints the credentials and, every platform hour, one
// line per demo vehicle with what the platform reads from it, until Ctrl-C.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/cli_options.h"
#include "app/commands.h"
#include "app/demo_fleet.h"
#include "app/platform.h"

namespace dynhook::app {
namespace {

struct DemoArgs {
  std::string dataDir;
  bool keep = false;
};

std::string FreshDataDir(const std::string& requested) {
  if (!requested.empty()) return requested;
  const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  return (std::filesystem::temp_directory_path() / ("dynhook-demo-" + std::to_string(stamp)))
      .string();
}

int RunDemo(ServeConfig config, const DemoArgs& args) {
  const bool tty = isatty(STDOUT_FILENO);
  const std::string dir = FreshDataDir(args.dataDir);
  config.database = "sqlite:" + dir + "/dynhook.db";
  config.dataDir = dir;
  if (config.timeScale == 1.0) config.timeScale = 360;  // one platform hour in ten seconds
  if (config.adminToken.empty()) config.adminToken = "demo-admin-token";
  config.allowPrivateCallbacks = true;  // the sample receiver listens on 127.0.0.1
  if (config.logLevel == "info") config.logLevel = "error";  // the demo's own lines tell the story
  if (auto ok = config.Validate(); !ok) {
    std::cerr << "dynhook demo: " << ok.error().description << "\n";
    return 2;
  }
  SetUpLogging(config);
  auto waitForSignal = BlockTerminationSignals();
  std::cout << "dynhook demo: starting the platform in " << dir << " ..." << std::endl;
  auto platform = Platform::Create(config);
  if (!platform) {
    std::cerr << "dynhook demo: " << platform.error().description << "\n";
    return 1;
  }
  if (auto started = (*platform)->Start(); !started) {
    std::cerr << "dynhook demo: " << started.error().description << "\n";
    return 1;
  }
  std::cout << "listening on http://" << (*platform)->address() << std::endl;
  auto fleet = DemoFleet::Create(**platform, std::cout, tty);
  if (!fleet) {
    std::cerr << "dynhook demo: " << fleet.error().description << "\n";
    return 1;
  }
  (*fleet)->PrintIntroduction();
  (*fleet)->StartScript();
  waitForSignal();
  std::cout << "\nstopping..." << std::endl;
  (*fleet)->StopScript();
  (*platform)->Stop();
  if (!args.keep && args.dataDir.empty()) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

Command AddDemoCommand(CLI::App& root, ServeConfig& config) {
  auto* demo = root.add_subcommand("demo", "show the whole product working, in one command");
  auto args = std::make_shared<DemoArgs>();
  demo->add_option("--listen", config.listen, "HOST:PORT (default 127.0.0.1:8080)");
  demo->add_option("--time-scale", config.timeScale, "platform clock speed (default 360)");
  demo->add_option("--data-dir", args->dataDir, "data folder (default: a fresh temp folder)");
  demo->add_flag("--keep", args->keep, "keep the data folder on exit");
  demo->add_option("--log-level", config.logLevel, "log level (default info)");
  return {demo, [&config, args] { return RunDemo(config, *args); }};
}

}  // namespace dynhook::app
