#include "app/cli.h"

#include <iostream>
#include <vector>

#include "app/cli_options.h"
#include "app/commands.h"

namespace dynhook::app {

int RunCli(int argc, char** argv) {
  ServeConfig config;
  CLI::App root{"dynhook " DYNHOOK_VERSION
                " — connected-vehicle data delivered through dynamic webhooks"};
  root.set_version_flag("--version", std::string(DYNHOOK_VERSION));
  root.require_subcommand(1);

  const std::vector<Command> commands = {AddServeCommand(root, config),
                                         AddDemoCommand(root, config),
                                         AddAdminCommand(root, config), AddReceiverCommand(root)};

  if (auto status = ApplyConfigFile(argc, argv, config); !status) {
    std::cerr << "dynhook: " << status.error().description << "\n";
    return 2;
  }
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return root.exit(e);
  }
  for (const auto& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return 2;
}

}  // namespace dynhook::app
