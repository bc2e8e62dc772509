// The tests' FakeReceiver (tests/support): answers any method and path with its lambda and
// records what it received.
#include "support/fake_receiver.h"

#include <gtest/gtest.h>

#include "support/test_http_client.h"

namespace dynhook::test {
namespace {

TEST(FakeReceiver, RecordsRequestsAndAnswersWithTheLambda) {
  FakeReceiver receiver([](const http::Request& request) {
    return http::Response::Json(request.path == "/fail" ? 500 : 202, R"({"seen":true})");
  });
  EXPECT_EQ(receiver.Url("/hook"), "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook");
  auto accepted = Request("127.0.0.1", receiver.port(), "POST", "/hook?x=1", R"({"a":1})",
                          {{"SC-Signature", "abc"}});
  EXPECT_EQ(accepted.status, 202);
  EXPECT_EQ(accepted.body, R"({"seen":true})");
  EXPECT_EQ(Request("127.0.0.1", receiver.port(), "PUT", "/fail").status, 500);
  ASSERT_TRUE(receiver.WaitForRequests(2));
  auto requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].Query("x"), "1");
  EXPECT_EQ(requests[0].body, R"({"a":1})");
  EXPECT_EQ(requests[0].Header("sc-signature"), "abc");
  EXPECT_EQ(requests[1].method, "PUT");
}

TEST(FakeReceiver, DefaultsTo200AndHandlerCanChange) {
  FakeReceiver receiver;
  EXPECT_EQ(Request("127.0.0.1", receiver.port(), "GET", "/").status, 200);
  receiver.SetHandler([](const http::Request&) { return http::Response::Json(410, "{}"); });
  EXPECT_EQ(Request("127.0.0.1", receiver.port(), "GET", "/").status, 410);
  EXPECT_EQ(receiver.RequestCount(), 2u);
  EXPECT_FALSE(receiver.WaitForRequests(3, std::chrono::milliseconds(1)));
  receiver.Stop();
  EXPECT_FALSE(Request("127.0.0.1", receiver.port(), "GET", "/").ok);
}

}  // namespace
}  // namespace dynhook::test
