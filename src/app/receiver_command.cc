#include <iostream>
#include <memory>

#include "app/commands.h"
#include "receiver/cli.h"

namespace dynhook::app {

Command AddReceiverCommand(CLI::App& root) {
  auto* command = root.add_subcommand(
      "receiver",
      "a sample callback server: answers challenges, checks SC-Signature, prints "
      "each payload as a JSON line, can simulate an unhealthy endpoint");
  auto options = std::make_shared<receiver::ReceiverOptions>();
  receiver::AddReceiverOptions(*command, *options);
  return {command, [options] {
            auto wait = BlockTerminationSignals();
            return receiver::RunReceiver(*options, std::cout, std::cerr, [&wait] { wait(); });
          }};
}

}  // namespace dynhook::app
