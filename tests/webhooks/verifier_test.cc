// Verifier against real callbacks on loopback (CurlMultiTransport + FakeReceiver): the
// challenge's shape and signature, and every failure reason.
#include "webhooks/verifier.h"

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "core/json.h"
#include "delivery/curl_transport.h"
#include "support/fake_receiver.h"
#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

using dynhook::test::FakeReceiver;
using namespace std::chrono_literals;

constexpr char kAmt[] = "amt_0123456789abcdef";

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : transport_(Options()) {}
  static delivery::CurlTransportOptions Options() {
    delivery::CurlTransportOptions options;
    options.allowPrivateAddresses = true;
    return options;
  }
  store::Webhook Hook(std::string uri) {
    store::Webhook webhook;
    webhook.id = "3b8f2a4e-7c1d-4f6a-9e2b-5d8c1a7f3e90";
    webhook.callbackUri = std::move(uri);
    return webhook;
  }
  VerificationResult Run(const std::string& uri, std::chrono::milliseconds timeout = 10s) {
    return Verifier(transport_, timeout).Verify(Hook(uri), kAmt);
  }
  delivery::CurlMultiTransport transport_;
};

TEST_F(VerifierTest, ACorrectAnswerVerifies) {
  FakeReceiver receiver(test::AnswerChallenges(kAmt));
  const auto result = Run(receiver.Url("/hook"));
  EXPECT_TRUE(result.verified) << result.reason;
  ASSERT_EQ(receiver.RequestCount(), 1u);
  const auto request = receiver.Requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/hook");
  auto body = core::ParseJsonObject(request.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->at("version"), "2.0");
  EXPECT_EQ(body->at("webhookId"), "3b8f2a4e-7c1d-4f6a-9e2b-5d8c1a7f3e90");
  EXPECT_EQ(body->at("eventName"), "verify");
  const auto& challenge = body->at("payload").at("challenge").as_string();
  EXPECT_GE(challenge.size(), 32u);
  EXPECT_EQ(request.Header("SC-Signature"), core::HmacSha256Hex(kAmt, request.body));
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(core::Stringify(boost::json::value(*body)), request.body);  // compact JSON
}

TEST_F(VerifierTest, EveryChallengeIsFresh) {
  FakeReceiver receiver(test::AnswerChallenges(kAmt));
  ASSERT_TRUE(Run(receiver.Url()).verified);
  ASSERT_TRUE(Run(receiver.Url()).verified);
  const auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].body, requests[1].body);
}

TEST_F(VerifierTest, AWrongAnswerFails) {
  FakeReceiver receiver(test::AnswerWrongly());
  const auto result = Run(receiver.Url());
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(result.reason, "wrong challenge answer");
}

TEST_F(VerifierTest, AnErrorStatusFails) {
  FakeReceiver receiver(test::AnswerStatus(500));
  EXPECT_EQ(Run(receiver.Url()).reason, "callback answered HTTP 500");
  receiver.SetHandler(test::AnswerStatus(201));
  EXPECT_EQ(Run(receiver.Url()).reason, "callback answered HTTP 201");
}

TEST_F(VerifierTest, ARedirectIsNotFollowed) {
  FakeReceiver target(test::AnswerChallenges(kAmt));
  FakeReceiver receiver([&](const http::Request&) {
    http::Response response;
    response.status = 307;
    response.SetHeader("Location", target.Url());
    return response;
  });
  EXPECT_EQ(Run(receiver.Url()).reason, "callback answered HTTP 307 (redirects are not followed)");
  EXPECT_EQ(target.RequestCount(), 0u);
}

TEST_F(VerifierTest, ANonJsonAnswerFails) {
  FakeReceiver receiver(test::AnswerText("ok"));
  EXPECT_EQ(Run(receiver.Url()).reason, "response was not JSON");
}

TEST_F(VerifierTest, JsonWithoutAChallengeFails) {
  FakeReceiver receiver(test::AnswerStatus(200));  // "{}"
  EXPECT_EQ(Run(receiver.Url()).reason, "response has no \"challenge\" string");
  receiver.SetHandler(test::AnswerText(R"({"challenge":42})"));
  EXPECT_EQ(Run(receiver.Url()).reason, "response has no \"challenge\" string");
  receiver.SetHandler(test::AnswerText("[1,2]"));
  EXPECT_EQ(Run(receiver.Url()).reason, "response has no \"challenge\" string");
}

TEST_F(VerifierTest, AnOverlongAnswerFails) {
  FakeReceiver receiver(test::AnswerText(std::string(5000, ' ') + "{}"));
  EXPECT_EQ(Run(receiver.Url()).reason, "response was longer than 4096 bytes");
}

TEST_F(VerifierTest, ASilentCallbackTimesOut) {
  FakeReceiver receiver(test::AnswerLate(kAmt, 1500ms));
  EXPECT_EQ(Run(receiver.Url(), 200ms).reason, "timeout");
}

TEST_F(VerifierTest, AClosedPortIsRefused) {
  std::string url;
  {
    FakeReceiver receiver;
    url = receiver.Url("/gone");
  }
  EXPECT_EQ(Run(url).reason, "connection refused");
}

TEST(ApplyVerification, SuccessEnablesAPendingWebhook) {
  store::Webhook webhook;
  webhook.verificationError = "timeout";
  const auto now = core::FromMillis(1'000);
  ApplyVerification(webhook, {true, ""}, now);
  EXPECT_EQ(webhook.status, "enabled");
  EXPECT_EQ(webhook.verifiedAt, now);
  EXPECT_EQ(webhook.verificationError, "");
}

TEST(ApplyVerification, FailureReturnsAnEnabledWebhookToPending) {
  store::Webhook webhook;
  webhook.status = "enabled";
  webhook.verifiedAt = core::FromMillis(1);
  ApplyVerification(webhook, {false, "timeout"}, core::FromMillis(2));
  EXPECT_EQ(webhook.status, "pending_verification");
  EXPECT_EQ(webhook.verificationError, "timeout");
  EXPECT_FALSE(webhook.verifiedAt);
}

TEST(ApplyVerification, ADisabledWebhookStaysDisabled) {
  store::Webhook webhook;
  webhook.status = "disabled";
  ApplyVerification(webhook, {true, ""}, core::FromMillis(2));
  EXPECT_EQ(webhook.status, "disabled");
  ApplyVerification(webhook, {false, "wrong challenge answer"}, core::FromMillis(3));
  EXPECT_EQ(webhook.status, "disabled");
  EXPECT_EQ(webhook.verificationError, "wrong challenge answer");
}

}  // namespace
}  // namespace dynhook::webhooks
