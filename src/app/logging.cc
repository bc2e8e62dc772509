#include <unistd.h>

#include "app/commands.h"
#include "core/log.h"

namespace dynhook::app {

void SetUpLogging(const ServeConfig& config) {
  core::LogOptions options;
  const bool tty = isatty(STDERR_FILENO);
  options.format =
      config.logFormat.empty()
          ? (tty ? core::LogFormat::kText : core::LogFormat::kJson)
          : (config.logFormat == "json" ? core::LogFormat::kJson : core::LogFormat::kText);
  options.level = config.logLevel;
  core::InitLogging(options);
}

}  // namespace dynhook::app
