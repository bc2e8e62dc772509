// Smartcar's Node SDK accepts dynhook's signatures: smartcar.verifyPayload(amt, signature,
// JSON.parse(body)) is true for a body signed as deliveries are signed, and the receiver's
// challenge answer equals smartcar.hashChallenge. Needs node and the npm `smartcar` package.
//
// The signature is computed with core::HmacSha256Hex(amt, body), which is the definition of
// delivery::ScSignature (src/delivery/engine.h); switch to ScSignature once the test can link
// dynhook_delivery without pulling in the rest of the engine.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/json.h"
#include "receiver/receiver.h"
#include "support/test_http_client.h"

namespace dynhook::receiver {
namespace {

// The repository (for node_modules and the script): the test environment's
// DYNHOOK_SOURCE_DIR, else the source folder this test was built from.
std::string SourceDir() {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  return dir ? dir : DYNHOOK_TEST_SOURCE_DIR;
}

// A delivery body built as the engine builds it: core::Stringify of the payload object, with
// numbers and strings whose serialisation JavaScript is particular about.
std::string DeliveryBody() {
  auto parsed = core::ParseJson(
      R"({"version":"2.0","eventId":"0f8e-uuid","webhookId":"wh_1","eventName":"dynamic",)"
      R"("mode":"live","payload":{"vehicles":[{"vehicleId":"v1","requestId":"r1","data":[)"
      R"({"path":"/battery","code":200,"body":{"range":283.24,"percentRemaining":0.58}},)"
      R"({"path":"/odometer","code":200,"body":{"distance":100.0,"tiny":1e-7,"big":1e21}},)"
      R"({"path":"/location","code":400,"body":{"description":"caf\u00e9 \"quoted\"\n\u2028"}})"
      R"(]}]}})");
  return core::Stringify(parsed.value());
}

TEST(SmartcarNodeSdk, VerifiesDynhookSignaturesAndChallengeAnswers) {
  ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0) << "node is required";
  const std::string amt = "amt_node_sdk_check";
  std::ostringstream out;
  ReceiverOptions options;
  options.listen = "127.0.0.1:0";
  options.amt = amt;
  Receiver receiver(options, out);
  ASSERT_TRUE(receiver.Start().ok());

  const std::string challenge = "c0ffee-challenge";
  const std::string verify =
      R"({"eventName":"verify","payload":{"challenge":")" + challenge + R"("}})";
  const auto answered = test::Request("127.0.0.1", receiver.port(), "POST", "/", verify);
  ASSERT_EQ(answered.status, 200) << answered.body;
  auto answer = core::ParseJsonObject(answered.body);
  ASSERT_TRUE(answer.ok());

  const std::string body = DeliveryBody();
  const auto bodyFile = std::filesystem::temp_directory_path() /
                        ("dynhook-receiver-body-" + std::to_string(receiver.port()) + ".json");
  std::ofstream(bodyFile, std::ios::binary) << body;
  const std::string command =
      "cd '" + SourceDir() + "' && AMT='" + amt + "' SIGNATURE='" + core::HmacSha256Hex(amt, body) +
      "' BODY_FILE='" + bodyFile.string() + "' CHALLENGE='" + challenge + "' ANSWER='" +
      std::string(answer->at("challenge").as_string()) + "' RECEIVER_URL='" +
      receiver.Url("/hook") + "' node tests/receiver/smartcar_verify.js 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int status = pclose(pipe);
  std::filesystem::remove(bodyFile);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("smartcar verify: all checks passed"), std::string::npos) << output;
}

}  // namespace
}  // namespace dynhook::receiver
