// The OpenAPI document the real binary serves passes an OpenAPI validator from npm
// (@apidevtools/swagger-parser, installed by scripts/deps.sh --test), run by
// tests/api/validate_openapi.js. Skipped when node or the package is missing, unless CI is set
// (then it fails).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "server_process.h"
#include "support/run_command.h"

namespace dynhook::testing {
namespace {

namespace fs = std::filesystem;

TEST(OpenApiNode, SwaggerParserValidatesTheServedDocument) {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  const fs::path source = dir ? dir : ".";
  const bool ready = !::dynhook::test::FindOnPath("node").empty() &&
                     fs::exists(source / "node_modules/@apidevtools/swagger-parser");
  if (!ready) {
    if (std::getenv("CI") != nullptr) FAIL() << "node or @apidevtools/swagger-parser is missing";
    GTEST_SKIP() << "node or @apidevtools/swagger-parser missing (scripts/deps.sh --test)";
  }
  ServerProcess server;
  const std::string command = "cd '" + source.string() + "' && OPENAPI_URL='" + server.base() +
                              "/openapi.json' node tests/api/validate_openapi.js 2>&1";
  const auto [status, output] = ::dynhook::test::RunCommand(command);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("openapi: served document valid"), std::string::npos) << output;
  EXPECT_NE(output.find("openapi: broken copy rejected"), std::string::npos) << output;
}

}  // namespace
}  // namespace dynhook::testing
