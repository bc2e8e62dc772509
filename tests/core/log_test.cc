#include "core/log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"

namespace dynhook::core {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

class LogTest : public ::testing::Test {
 protected:
  void Init(LogFormat format, std::string level = "info") {
    InitLogging({.format = format,
                 .level = level,
                 .sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)});
  }
  void TearDown() override { InitLogging({}); }

  std::ostringstream out_;
};

TEST_F(LogTest, JsonLinesParseAndStayOneLine) {
  Init(LogFormat::kJson);
  spdlog::info("say \"hi\"\nsecond line\r\tand \\ {}", "\x01");
  spdlog::warn("plain");
  spdlog::debug("filtered out");
  const auto lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 2u) << out_.str();

  auto first = ParseJsonObject(lines[0]);
  ASSERT_TRUE(first.ok()) << lines[0];
  EXPECT_EQ(first->at("msg").as_string(), "say \"hi\"\nsecond line\r\tand \\ \x01");
  EXPECT_EQ(first->at("level").as_string(), "info");
  const std::string time(first->at("time").as_string());
  ASSERT_EQ(time.size(), 24u) << time;  // 2026-11-26T10:00:00.123Z
  EXPECT_EQ(time[10], 'T');
  EXPECT_EQ(time.back(), 'Z');
  EXPECT_EQ(lines[0].rfind("{\"time\":", 0), 0u);

  auto second = ParseJsonObject(lines[1]);
  ASSERT_TRUE(second.ok()) << lines[1];
  EXPECT_EQ(second->at("level").as_string(), "warn");
}

TEST_F(LogTest, JsonFieldsFollowTheMessage) {
  Init(LogFormat::kJson);
  LogWithFields(spdlog::level::err, "delivery failed",
                {{"webhookId", "w1"}, {"attempt", 3}, {"status", nullptr}});
  spdlog::info("no fields after");
  const auto lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 2u);
  const std::string tail = R"("msg":"delivery failed","webhookId":"w1","attempt":3,"status":null})";
  EXPECT_EQ(lines[0].substr(lines[0].size() - tail.size()), tail) << lines[0];
  EXPECT_NE(lines[0].find("\"level\":\"error\""), std::string::npos);
  EXPECT_EQ(lines[1].find("webhookId"), std::string::npos);
}

TEST_F(LogTest, TextFormatIsReadable) {
  Init(LogFormat::kText, "debug");
  spdlog::debug("hello {}", 42);
  LogWithFields(spdlog::level::info, "sent", {{"webhookId", "w1"}, {"ms", 12.5}});
  const auto lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("debug hello 42"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("sent webhookId=w1 ms=12.5"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[0].find('\x1b'), std::string::npos);  // no colour off a terminal
}

TEST(LogOptionsTest, ParsesNames) {
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_FALSE(ParseLogFormat("xml"));
  EXPECT_EQ(ParseLogLevel("warn"), spdlog::level::warn);
  EXPECT_EQ(ParseLogLevel("error"), spdlog::level::err);
  EXPECT_FALSE(ParseLogLevel("loud"));
  EXPECT_THROW(InitLogging({.format = LogFormat::kText, .level = "loud", .sink = nullptr}),
               std::invalid_argument);
}

TEST(RedactTest, HidesSecrets) {
  const std::string amt = "amt_" + std::string(64, 'a');
  EXPECT_EQ(Redact("token " + amt + " used"), "token amt_[REDACTED] used");
  EXPECT_EQ(Redact("sk_live12345678,rt_abcdefgh12,at_ZZZZZZZZ-yy whsec_c2VjcmV0c2VjcmV0"),
            "sk_[REDACTED],rt_[REDACTED],at_[REDACTED] whsec_[REDACTED]");
  EXPECT_EQ(Redact("Authorization: Bearer eyJhbGciOi.J9.x-y_z"),
            "Authorization: Bearer [REDACTED]");
  EXPECT_EQ(Redact("authorization=basic dXNlcjpwYXNz=="), "authorization=basic [REDACTED]");
  const std::string hex64(64, 'f');
  EXPECT_EQ(Redact("sig=" + hex64), "sig=[REDACTED]");
  EXPECT_EQ(Redact("xyz" + hex64), "xyz[REDACTED]");
  EXPECT_EQ(Redact("{\"challenge\":\"" + hex64 + "\"}"), "{\"challenge\":\"[REDACTED]\"}");
}

TEST(RedactTest, KeepsOrdinaryText) {
  const std::string uuid = "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b";
  EXPECT_EQ(Redact("vehicle " + uuid), "vehicle " + uuid);
  EXPECT_EQ(Redact("start_time at_home restart_abcdefghij"),
            "start_time at_home restart_abcdefghij");
  EXPECT_EQ(Redact("deadbeef 0123456789abcdef"), "deadbeef 0123456789abcdef");
  EXPECT_EQ(Redact(""), "");
  EXPECT_EQ(Redact("caf\xC3\xA9 \"quoted\"\n"), "caf\xC3\xA9 \"quoted\"\n");
}

}  // namespace
}  // namespace dynhook::core
