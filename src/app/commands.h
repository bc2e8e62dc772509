// The subcommands of `dynhook`, each registering itself on the CLI11 app and running when
// chosen. Private to the app module (cli.cc wires them).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "app/config.h"

namespace dynhook::app {

// A registered subcommand and what runs when it was chosen (returns the exit code).
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command AddServeCommand(CLI::App& root, ServeConfig& config);
Command AddDemoCommand(CLI::App& root, ServeConfig& config);
Command AddAdminCommand(CLI::App& root, ServeConfig& config);
Command AddReceiverCommand(CLI::App& root);

// Applies --log-format/--log-level (text on a TTY unless told otherwise).
void SetUpLogging(const ServeConfig& config);

// Blocks SIGINT and SIGTERM in the calling thread (call before starting threads, which inherit
// the mask) and returns a function that waits for one of them.
std::function<int()> BlockTerminationSignals();

}  // namespace dynhook::app
