// ReceiverOptions validation, the flag binding and RunReceiver end to end (in process).
#include "receiver/cli.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <vector>

#include "core/crypto.h"
#include "support/test_http_client.h"

namespace dynhook::receiver {
namespace {

core::Status Parse(std::vector<std::string> args, ReceiverOptions& options) {
  CLI::App app("test");
  AddReceiverOptions(app, options);
  std::vector<const char*> argv{"receiver"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return core::errors::Validation(e.what());
  }
  return {};
}

TEST(ReceiverOptions, DefaultsNeedOnlyTheAmt) {
  ReceiverOptions options;
  EXPECT_FALSE(options.Validate().ok());
  options.amt = "amt_x";
  EXPECT_TRUE(options.Validate().ok());
  EXPECT_EQ(options.ListenHost(), "127.0.0.1");
  EXPECT_EQ(options.ListenPort(), 8090);
  EXPECT_EQ(options.FailureProbability(), 0);
  EXPECT_EQ(options.FailureStatus(), 500);
}

TEST(ReceiverOptions, FailureProbabilityFollowsFlags) {
  ReceiverOptions options;
  options.status = 503;
  EXPECT_EQ(options.FailureProbability(), 1);
  EXPECT_EQ(options.FailureStatus(), 503);
  options.failRate = 0.25;
  EXPECT_EQ(options.FailureProbability(), 0.25);
}

TEST(ReceiverOptions, RejectsBadValuesNamingTheFlag) {
  const auto expectInvalid = [](auto change, const std::string& flag) {
    ReceiverOptions options;
    options.amt = "amt_x";
    change(options);
    const auto valid = options.Validate();
    ASSERT_FALSE(valid.ok()) << flag;
    EXPECT_EQ(valid.error().type, "VALIDATION");
    EXPECT_NE(valid.error().description.find(flag), std::string::npos) << valid.error().description;
  };
  expectInvalid([](auto& o) { o.listen = "localhost"; }, "--listen");
  expectInvalid([](auto& o) { o.listen = ":80"; }, "--listen");
  expectInvalid([](auto& o) { o.listen = "127.0.0.1:70000"; }, "--listen");
  expectInvalid([](auto& o) { o.failRate = 1.5; }, "--fail-rate");
  expectInvalid([](auto& o) { o.failRate = -0.1; }, "--fail-rate");
  expectInvalid([](auto& o) { o.status = 200; }, "--status");
  expectInvalid([](auto& o) { o.status = 600; }, "--status");
  expectInvalid([](auto& o) { o.delayMs = -1; }, "--delay");
  expectInvalid([](auto& o) { o.logFormat = "xml"; }, "--log-format");
  expectInvalid([](auto& o) { o.logLevel = "loud"; }, "--log-level");
}

TEST(ReceiverOptions, IPv6ListenAddress) {
  ReceiverOptions options;
  options.amt = "amt_x";
  options.listen = "[::1]:0";
  EXPECT_TRUE(options.Validate().ok());
  EXPECT_EQ(options.ListenHost(), "::1");
  EXPECT_EQ(options.ListenPort(), 0);
}

TEST(AddReceiverOptions, BindsEveryFlag) {
  ReceiverOptions options;
  ASSERT_TRUE(Parse({"--listen", "0.0.0.0:9000", "--amt", "amt_y", "--fail-rate", "0.25",
                     "--status", "503", "--delay", "10", "--seed", "7"},
                    options)
                  .ok());
  EXPECT_EQ(options.listen, "0.0.0.0:9000");
  EXPECT_EQ(options.amt, "amt_y");
  EXPECT_EQ(options.failRate, 0.25);
  EXPECT_EQ(options.status, 503);
  EXPECT_EQ(options.delayMs, 10);
  EXPECT_EQ(options.seed, 7u);
}

TEST(AddReceiverOptions, OptionalFlagsStayUnsetAndEnvironmentWorks) {
  ::setenv("DYNHOOK_AMT", "amt_from_env", 1);
  ReceiverOptions options;
  const auto parsed = Parse({}, options);
  ::unsetenv("DYNHOOK_AMT");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(options.amt, "amt_from_env");
  EXPECT_FALSE(options.failRate.has_value());
  EXPECT_FALSE(options.status.has_value());
  EXPECT_FALSE(options.seed.has_value());
  EXPECT_FALSE(Parse({"--fail-rate", "lots"}, options).ok());
}

TEST(RunReceiver, InvalidOptionsExitWith2) {
  std::ostringstream out, err;
  ReceiverOptions options;  // no AMT
  EXPECT_EQ(RunReceiver(options, out, err, [] { FAIL() << "must not start"; }), 2);
  EXPECT_NE(err.str().find("dynhook receiver: --amt is required"), std::string::npos);
  EXPECT_EQ(out.str(), "");
}

TEST(RunReceiver, PrintsListeningLineThenPayloadLines) {
  std::ostringstream out, err;
  ReceiverOptions options;
  options.listen = "127.0.0.1:0";
  options.amt = "amt_run";
  options.logLevel = "off";
  const std::string body = R"({"eventId":"e1","webhookId":"w1","eventName":"dynamic"})";
  int status = 0;
  // waitForStop runs on this thread once the receiver is up: `out` then holds the first line.
  const int code = RunReceiver(options, out, err, [&] {
    const std::string first = out.str();
    const std::string prefix = "listening on http://127.0.0.1:";
    ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
    const auto port = static_cast<uint16_t>(std::stoi(first.substr(prefix.size())));
    status = test::Request("127.0.0.1", port, "POST", "/hook", body,
                           {{"SC-Signature", core::HmacSha256Hex("amt_run", body)}})
                 .status;
  });
  EXPECT_EQ(code, 0);
  EXPECT_EQ(status, 200);
  const std::string text = out.str();
  const auto newline = text.find('\n');
  ASSERT_NE(newline, std::string::npos);
  const std::string second = text.substr(newline + 1);
  EXPECT_EQ(second.rfind(R"({"receivedAt":")", 0), 0u) << second;
  EXPECT_NE(second.find(R"("eventId":"e1","webhookId":"w1","eventName":"dynamic","vehicles":0,)"
                        R"("payload":)" +
                        body + "}\n"),
            std::string::npos)
      << second;
}

TEST(RunReceiver, BindFailureExitsWith1) {
  std::ostringstream out, err;
  ReceiverOptions options;
  options.listen = "192.0.2.1:0";  // TEST-NET address: not local, cannot be bound
  options.amt = "amt_run";
  options.logLevel = "off";
  EXPECT_EQ(RunReceiver(options, out, err, [] {}), 1);
  EXPECT_NE(err.str().find("dynhook receiver:"), std::string::npos);
}

}  // namespace
}  // namespace dynhook::receiver
