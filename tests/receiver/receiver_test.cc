// The sample receiver over real HTTP on 127.0.0.1 (port 0): challenges, signatures, the
// printed line, simulated failures and delays.
#include "receiver/receiver.h"

#include <gtest/gtest.h>

#include <mutex>
#include <sstream>
#include <streambuf>

#include "core/crypto.h"
#include "core/json.h"
#include "support/test_http_client.h"

namespace dynhook::receiver {
namespace {

constexpr const char* kAmt = "amt_receiver_test_token";

// An ostream whose text may be read while worker threads write to it.
class LockedStream : public std::ostream {
 public:
  LockedStream() : std::ostream(&buffer_) {}
  std::string Text() const {
    std::lock_guard lock(buffer_.mu);
    return buffer_.text;
  }

 private:
  struct Buffer : std::streambuf {
    mutable std::mutex mu;
    std::string text;  // guarded by mu
    int_type overflow(int_type c) override {
      if (c != traits_type::eof()) {
        std::lock_guard lock(mu);
        text += static_cast<char>(c);
      }
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      std::lock_guard lock(mu);
      text.append(s, static_cast<size_t>(n));
      return n;
    }
  };
  Buffer buffer_;
};

const std::string kPayload =
    R"({"version":"2.0","eventId":"5b0c3b4e-1f7a-4c1e-9a55-0d1f2a3b4c5d","webhookId":"wh_1",)"
    R"("eventName":"dynamic","mode":"live","payload":{"vehicles":[{"vehicleId":"v1",)"
    R"("requestId":"r1","data":[{"path":"/battery","code":200,"body":{"range":283.24,)"
    R"("percentRemaining":0.58},"headers":{"sc-unit-system":"metric"}}]}]}})";

std::string VerifyBody(const std::string& challenge) {
  return R"({"version":"2.0","webhookId":"wh_1","eventName":"verify","payload":{"challenge":")" +
         challenge + R"("}})";
}

class ReceiverTest : public ::testing::Test {
 protected:
  void Start(ReceiverOptions options = {}) {
    options.listen = "127.0.0.1:0";
    if (options.amt.empty()) options.amt = kAmt;
    receiver_ = std::make_unique<Receiver>(options, out_, clock_);
    ASSERT_TRUE(receiver_->Start().ok());
  }
  test::HttpResult Post(const std::string& body, http::Fields headers = {}) {
    return test::Request("127.0.0.1", receiver_->port(), "POST", "/webhooks/dynhook", body,
                         headers);
  }
  test::HttpResult PostSigned(const std::string& body) {
    return Post(body, {{"SC-Signature", core::HmacSha256Hex(kAmt, body)}});
  }
  void TearDown() override {
    if (receiver_) receiver_->Stop();
  }

  core::ManualClock clock_;
  LockedStream out_;
  std::unique_ptr<Receiver> receiver_;
};

TEST_F(ReceiverTest, AnswersVerificationChallenge) {
  Start();
  const auto result = Post(VerifyBody("f3a9c2-challenge_0.1~"));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body,
            R"({"challenge":")" + core::HmacSha256Hex(kAmt, "f3a9c2-challenge_0.1~") + R"("})");
  EXPECT_EQ(out_.Text(), "");  // challenges are not payloads
}

TEST_F(ReceiverTest, ChallengeSignatureIsOptionalButMustBeValid) {
  Start();
  const std::string body = VerifyBody("abc123");
  EXPECT_EQ(PostSigned(body).status, 200);
  EXPECT_EQ(Post(body, {{"SC-Signature", std::string(64, '0')}}).status, 401);
}

TEST_F(ReceiverTest, RefusesChallengesThatCouldForgeSignatures) {
  Start();
  for (const std::string& challenge :
       std::vector<std::string>{"", "{\\\"a\\\":1}", "has space", std::string(513, 'a')}) {
    EXPECT_EQ(Post(VerifyBody(challenge)).status, 400) << challenge;
  }
  EXPECT_EQ(Post(R"({"eventName":"verify","payload":{}})").status, 400);
}

TEST_F(ReceiverTest, AcceptsSignedPayloadAndPrintsOneLine) {
  Start();
  const auto result = PostSigned(kPayload);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, R"({"status":"success"})");
  EXPECT_EQ(out_.Text(), R"({"receivedAt":")" + core::FormatIso8601(clock_.Now()) +
                             R"(","eventId":"5b0c3b4e-1f7a-4c1e-9a55-0d1f2a3b4c5d",)"
                             R"("webhookId":"wh_1","eventName":"dynamic","vehicles":1,"payload":)" +
                             kPayload + "}\n");
  EXPECT_EQ(receiver_->AcceptedCount(), 1u);
}

TEST_F(ReceiverTest, SignatureComparisonAcceptsUpperCaseHex) {
  Start();
  std::string signature = core::HmacSha256Hex(kAmt, kPayload);
  for (char& c : signature) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Post(kPayload, {{"SC-Signature", signature}}).status, 200);
}

TEST_F(ReceiverTest, RejectsBadOrMissingSignatureWithSmartcarError) {
  Start();
  const std::string other = core::HmacSha256Hex("amt_another_application", kPayload);
  for (const http::Fields& headers : {http::Fields{}, http::Fields{{"SC-Signature", other}},
                                      http::Fields{{"SC-Signature", "not-hex"}}}) {
    const auto result = Post(kPayload, headers);
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.status, 401);
    EXPECT_EQ(result.Header("Content-Type"), "application/json");
    auto error = core::ParseJsonObject(result.body);
    ASSERT_TRUE(error.ok()) << result.body;
    EXPECT_EQ(error->at("type").as_string(), "AUTHENTICATION");
    EXPECT_EQ(error->at("statusCode").as_int64(), 401);
  }
  // A body changed after signing fails too.
  const std::string tampered = std::string(kPayload).replace(kPayload.find("283.24"), 6, "999.99");
  EXPECT_EQ(Post(tampered, {{"SC-Signature", core::HmacSha256Hex(kAmt, kPayload)}}).status, 401);
  EXPECT_EQ(out_.Text(), "");
}

TEST_F(ReceiverTest, SignedBodyThatIsNotAnObjectIs400) {
  Start();
  EXPECT_EQ(PostSigned("not json").status, 400);
  EXPECT_EQ(PostSigned("[1,2]").status, 400);
  EXPECT_EQ(out_.Text(), "");
}

TEST_F(ReceiverTest, OnlyPostIsAccepted) {
  Start();
  const auto result = test::Request("127.0.0.1", receiver_->port(), "GET", "/anything");
  EXPECT_EQ(result.status, 405);
  EXPECT_EQ(result.Header("Allow"), "POST");
}

TEST_F(ReceiverTest, StatusAloneFailsEveryPayloadButStillVerifies) {
  ReceiverOptions options;
  options.status = 503;
  Start(options);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(PostSigned(kPayload).status, 503);
  EXPECT_EQ(Post(VerifyBody("abc")).status, 200);
  EXPECT_EQ(out_.Text(), "");
}

TEST_F(ReceiverTest, RedirectStatusCarriesLocation) {
  ReceiverOptions options;
  options.status = 302;
  Start(options);
  const auto result = PostSigned(kPayload);
  EXPECT_EQ(result.status, 302);
  EXPECT_TRUE(result.Header("Location").has_value());
}

TEST_F(ReceiverTest, FailRateWithSeedGivesBothOutcomes) {
  ReceiverOptions options;
  options.failRate = 0.5;
  options.seed = 42;
  Start(options);
  std::vector<int> statuses;
  bool ok = false, failed = false;
  for (int i = 0; i < 64 && !(ok && failed); ++i) {
    statuses.push_back(PostSigned(kPayload).status);
    ok |= statuses.back() == 200;
    failed |= statuses.back() == 500;
  }
  EXPECT_TRUE(ok && failed);

  // The same seed draws the same sequence.
  LockedStream otherOut;
  options.listen = "127.0.0.1:0";
  options.amt = kAmt;
  Receiver other(options, otherOut, clock_);
  ASSERT_TRUE(other.Start().ok());
  for (int expected : statuses) {
    EXPECT_EQ(test::Request("127.0.0.1", other.port(), "POST", "/", kPayload,
                            {{"SC-Signature", core::HmacSha256Hex(kAmt, kPayload)}})
                  .status,
              expected);
  }
}

TEST_F(ReceiverTest, FailureModeCanChangeAtRunTime) {
  Start();
  EXPECT_EQ(PostSigned(kPayload).status, 200);
  receiver_->SetFailureMode(std::nullopt, 502);
  EXPECT_EQ(PostSigned(kPayload).status, 502);
  receiver_->SetFailureMode(std::nullopt, std::nullopt);
  EXPECT_EQ(PostSigned(kPayload).status, 200);
  EXPECT_EQ(receiver_->AcceptedCount(), 2u);
}

TEST_F(ReceiverTest, DelayedResponseArrives) {
  ReceiverOptions options;
  options.delayMs = 30;
  Start(options);
  const auto result = PostSigned(kPayload);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.status, 200);
}

TEST_F(ReceiverTest, ObserverSeesAcceptedPayloads) {
  Start();
  std::mutex mu;
  std::vector<std::string> seen;
  receiver_->SetObserver([&](const http::Request&, const boost::json::object& body) {
    std::lock_guard lock(mu);
    seen.emplace_back(body.at("eventId").as_string());
  });
  EXPECT_EQ(PostSigned(kPayload).status, 200);
  receiver_->Stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, std::vector<std::string>{"5b0c3b4e-1f7a-4c1e-9a55-0d1f2a3b4c5d"});
}

TEST_F(ReceiverTest, StartRejectsInvalidOptions) {
  ReceiverOptions options;
  options.listen = "127.0.0.1:0";
  Receiver receiver(options, out_, clock_);  // no AMT
  const auto started = receiver.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().description.find("--amt"), std::string::npos);
}

}  // namespace
}  // namespace dynhook::receiver
