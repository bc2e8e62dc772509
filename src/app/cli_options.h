// Binding of ServeConfig to the command line, DYNHOOK_* environment variables and a TOML file
// (SPEC §1: every flag is also `DYNHOOK_<FLAG_IN_UPPER_SNAKE>` and a key of the --config file).
// Precedence, lowest first: defaults, TOML file, environment, flags.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "app/config.h"
#include "core/result.h"

namespace dynhook::app {

// Adds the serve flags to `command`, bound to `config` (environment names included). Flags
// shared by every subcommand that opens the database (--database, --data-dir, --secret-key,
// --config) are added with `storeOnly`.
void AddServeOptions(CLI::App& command, ServeConfig& config);
void AddStoreOptions(CLI::App& command, ServeConfig& config);

// Applies the TOML file named by `--config FILE`/`--config=FILE` in argv or DYNHOOK_CONFIG to
// `config`, before the flags are parsed. Keys are the flag names ("listen", "time-scale"; an
// underscore may replace the dash). Unknown keys and wrong types are errors.
core::Status ApplyConfigFile(int argc, const char* const* argv, ServeConfig& config);
core::Status ApplyTomlText(std::string_view toml, const std::string& source, ServeConfig& config);

}  // namespace dynhook::app
