#include <spdlog/spdlog.h>

#include <iostream>

#include "app/cli_options.h"
#include "app/commands.h"
#include "app/platform.h"

namespace dynhook::app {

Command AddServeCommand(CLI::App& root, ServeConfig& config) {
  auto* serve = root.add_subcommand("serve",
                                    "run the platform: API, Connect, dashboard, "
                                    "scheduler and delivery engine");
  AddServeOptions(*serve, config);
  return {serve, [&config] {
            if (auto ok = config.Validate(); !ok) {
              std::cerr << "dynhook serve: " << ok.error().description << "\n";
              return 2;
            }
            SetUpLogging(config);
            auto waitForSignal = BlockTerminationSignals();
            auto platform = Platform::Create(config);
            if (!platform) {
              std::cerr << "dynhook serve: " << platform.error().description << "\n";
              return 1;
            }
            if (auto started = (*platform)->Start(); !started) {
              std::cerr << "dynhook serve: " << started.error().description << "\n";
              return 1;
            }
            // The first line on stdout, before anything is served to others (SPEC §1).
            std::cout << "listening on http://" << (*platform)->address() << std::endl;
            const int signal = waitForSignal();
            spdlog::info("signal {} received, shutting down", signal);
            (*platform)->Stop();
            return 0;
          }};
}

}  // namespace dynhook::app
