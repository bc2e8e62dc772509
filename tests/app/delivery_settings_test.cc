// Delivery settings reach the engine (SPEC §4.5 "configurable"): the real `dynhook serve` with
// one retry and a 100 ms backoff, against a receiver that answers the verification challenge
// and then fails every delivery, disables the webhook after exactly two attempts. With the
// defaults (6 retries from 30 s) that would take half an hour.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <thread>

#include "core/crypto.h"
#include "core/json.h"
#include "platform_client.h"
#include "server_process.h"
#include "verifying_receiver.h"

namespace dynhook::testing {
namespace {

TEST(DeliverySettings, RetriesAndBackoffFromTheCommandLine) {
  std::atomic<int> deliveries{0};
  VerifyingReceiver receiver([&](const http::Request&) {
    ++deliveries;
    return 500;
  });
  ServerProcess server({"--allow-private-callbacks", "--delivery-retries", "1", "--backoff-base-ms",
                        "100", "--backoff-max-ms", "200"});
  PlatformClient client(server.base(), ServerProcess::kAdminToken);
  const auto app = client.CreateApplication();
  receiver.SetAmt(app.managementToken);
  const auto owner = client.Connect(app, "TESLA", "settings@example.com");
  auto created = client.CallJson(
      "POST", "/api/webhooks", app.managementToken,
      R"({"name":"settings","type":"dynamic","callbackUri":")" + receiver.Url() + "\"}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(PlatformClient::Json(created.body).at("id").as_string());
  auto sub = client.CallJson("POST", "/v2.0/vehicles/" + owner.vehicleIds.at(0) + "/webhooks/" + id,
                             owner.accessToken, "{}");
  ASSERT_EQ(sub.status, 200) << sub.body;

  boost::json::object webhook;
  for (int i = 0; i < 200; ++i) {  // bounded: 20 s at most
    webhook = PlatformClient::Json(
        client.CallJson("GET", "/api/webhooks/" + id, app.managementToken).body);
    if (webhook.at("status") == "disabled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(webhook.at("status"), "disabled") << boost::json::serialize(webhook);
  EXPECT_NE(std::string(webhook.at("disabledReason").as_string()).find("2 consecutive failed"),
            std::string::npos)
      << boost::json::serialize(webhook);
  EXPECT_EQ(deliveries.load(), 2);  // the first attempt and one retry
}

TEST(DeliverySettings, OutOfRangeSettingsStopServeWithTheirName) {
  const std::string binary = DynhookBinary();
  const std::string command = binary + " serve --listen 127.0.0.1:0 --delivery-retries 99 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_NE(status, 0);
  EXPECT_NE(output.find("delivery-retries"), std::string::npos) << output;
}

}  // namespace
}  // namespace dynhook::testing
