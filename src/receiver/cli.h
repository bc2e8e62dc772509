// The command-line face of `dynhook receiver` (SPEC §1.2), kept in this module so the app
// module (which owns the CLI) only wires it:
//
//   auto* cmd = root.add_subcommand("receiver", "sample callback server for integrators");
//   receiver::AddReceiverOptions(*cmd, options);
//   run = [&] {
//     auto wait = BlockTerminationSignals();  // before RunReceiver starts threads
//     return receiver::RunReceiver(options, std::cout, std::cerr, [&] { wait(); });
//   };
//
// Flags (each also DYNHOOK_<FLAG>): --listen HOST:PORT [127.0.0.1:8090], --amt TOKEN (required),
// --fail-rate P, --status CODE, --delay MS, --seed N, --log-format json|text, --log-level.
// Not thread-safe: start-up code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>

#include "receiver/options.h"

namespace dynhook::receiver {

// Adds the receiver's flags to `command`, bound to `options`.
void AddReceiverOptions(CLI::App& command, ReceiverOptions& options);

// Validates `options` (exit code 2 with the reason on `err`), sets up logging (stderr), starts
// the receiver (exit code 1 if it cannot bind), prints `listening on http://HOST:PORT` as the
// first line on `out` followed by one JSON line per accepted payload, blocks in `waitForStop`
// (e.g. until SIGINT/SIGTERM), stops and returns 0.
int RunReceiver(const ReceiverOptions& options, std::ostream& out, std::ostream& err,
                const std::function<void()>& waitForStop);

}  // namespace dynhook::receiver
