// The headers the engine sends, checked by the reference implementations in node: the npm
// `standardwebhooks` package verifies webhook-id/-timestamp/-signature, and Smartcar's Node SDK
// (smartcar.verifyPayload, which re-serialises the parsed body) verifies SC-Signature.
// Skipped when node or the packages are missing, unless CI is set (then it fails).
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "delivery/engine_fixture.h"
#include "support/run_command.h"

extern char** environ;

namespace dynhook::delivery::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNodeScript = R"js(
const fs = require('fs');
const [modules, inPath, outPath] = process.argv.slice(1);
const { Webhook } = require(modules + '/standardwebhooks');
const smartcar = require(modules + '/smartcar');
const lines = [];
for (const c of JSON.parse(fs.readFileSync(inPath, 'utf8'))) {
  try {
    new Webhook(c.secret).verify(c.body, c.headers);
    const sc = smartcar.verifyPayload(c.amt, c.headers['sc-signature'], JSON.parse(c.body));
    lines.push(sc ? 'ok' : 'sc-signature mismatch');
  } catch (e) {
    lines.push('standardwebhooks: ' + e.message);
  }
}
fs.writeFileSync(outPath, lines.join('\n') + '\n');
)js";

using ::dynhook::test::FindOnPath;

class SignatureNodeTest : public EngineTest {
 protected:
  void SetUp() override {
    node_ = FindOnPath("node");
    const char* source = std::getenv("DYNHOOK_SOURCE_DIR");
    modules_ = fs::path(source ? source : ".") / "node_modules";
    const bool ready = !node_.empty() && fs::exists(modules_ / "standardwebhooks") &&
                       fs::exists(modules_ / "smartcar");
    if (!ready) {
      if (std::getenv("CI") != nullptr) FAIL() << "node or the npm packages are missing";
      GTEST_SKIP() << "node, standardwebhooks or smartcar missing (scripts/deps.sh)";
    }
    std::string pattern = (fs::temp_directory_path() / "dynhook-sig-node-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    EngineTest::SetUp();
  }
  void TearDown() override {
    EngineTest::TearDown();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  std::vector<std::string> Verify(const std::string& casesJson) {
    const fs::path in = dir_ / "cases.json", out = dir_ / "results.txt";
    std::ofstream(in, std::ios::binary) << casesJson;
    std::vector<std::string> args = {node_,       "-e",        kNodeScript, modules_.string(),
                                     in.string(), out.string()};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, node_.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      ADD_FAILURE() << "cannot start " << node_;
      return {};
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "node failed";
    std::ifstream results(out);
    std::vector<std::string> lines;
    for (std::string line; std::getline(results, line);) lines.push_back(line);
    return lines;
  }

  std::string node_;
  fs::path modules_;
  fs::path dir_;
};

TEST_F(SignatureNodeTest, ReferenceLibrariesVerifyTheEngineHeaders) {
  wall_.Set(core::RealClock().Now());  // the library checks the timestamp against Date.now()
  const std::string secret = "whsec_" + core::Base64Encode(core::RandomHex(24, random_));
  auto webhook = AddWebhook("https://receiver.test/hook", "enabled", secret);
  auto& engine = MakeEngine();
  std::vector<store::Delivery> deliveries = Commit(webhook, {{"v1"}, {"v2"}});
  deliveries[1].body = R"({"version":"2.0","payload":{"n":0.58,"big":1e+21,"s":"é\u2028ü"}})";
  deliveries[1].body = core::Stringify(*core::ParseJson(deliveries[1].body));
  engine.Enqueue(deliveries);
  engine.Tick();
  boost::json::array cases;
  for (const auto& request : transport_.Requests()) {
    boost::json::object headers;
    for (const auto& [name, value] : request.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers[lower] = value;
    }
    cases.push_back(boost::json::object{
        {"secret", secret}, {"amt", kAmt}, {"body", request.body}, {"headers", headers}});
  }
  ASSERT_EQ(cases.size(), 2u);
  boost::json::object tampered = cases[0].as_object();  // the check can fail
  tampered["body"] = std::string(tampered["body"].as_string()) + " ";
  cases.push_back(tampered);
  auto results = Verify(core::Stringify(cases));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0], "ok");
  EXPECT_EQ(results[1], "ok");
  EXPECT_NE(results[2], "ok");
}

}  // namespace
}  // namespace dynhook::delivery::test
