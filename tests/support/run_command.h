// Helpers for tests that run another program (node scripts, the browser test): find an
// executable on PATH, run a shell command and capture what it printed. Stateless.
#pragma once

#include <string>

namespace dynhook::test {

struct CommandResult {
  int status = -1;     // as returned by pclose (0 on success)
  std::string output;  // stdout (add 2>&1 to the command for stderr too)
};

// Runs `command` with /bin/sh and waits for it.
CommandResult RunCommand(const std::string& command);

// The full path of executable `name` on $PATH, or "" when there is none.
std::string FindOnPath(const std::string& name);

}  // namespace dynhook::test
