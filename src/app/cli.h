// The `dynhook` command line (SPEC §1): serve, demo, admin. main() only calls RunCli.
#pragma once

namespace dynhook::app {

// Parses argv, runs the chosen subcommand, returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace dynhook::app
