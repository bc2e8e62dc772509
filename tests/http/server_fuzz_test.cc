// Robustness: randomly mutated and truncated requests (seeded, bounded). Every reply, if any, is
// a 4xx Smartcar JSON error or a normal answer, and the server keeps answering afterwards.
#include <gtest/gtest.h>

#include <random>

#include "http/server.h"
#include "http/server_fixture.h"

namespace dynhook::http {
namespace {

constexpr int kCases = 2000;

const std::vector<std::string>& Seeds() {
  static const std::vector<std::string> seeds = {
      "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /echo?a=1&b=%20 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\n\r\n{\"a\":1}",
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n",
      "GET /items/%41%42/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
  };
  return seeds;
}

std::string Mutate(std::mt19937& rng, std::string text) {
  static const std::string kAlphabet = "\r\n :%/?&=\t\x00\xff\x80GETPOSTH0123456789abcdef-";
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const int edits = 1 + static_cast<int>(pick(6));
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const size_t at = pick(text.size());
    switch (pick(5)) {
      case 0:
        text[at] = kAlphabet[pick(kAlphabet.size())];
        break;
      case 1:
        text.insert(at, 1, kAlphabet[pick(kAlphabet.size())]);
        break;
      case 2:
        text.erase(at, 1 + pick(4));
        break;
      case 3:
        text.insert(at, text.substr(pick(text.size()), 1 + pick(16)));
        break;
      default:
        text.resize(at);  // truncate
        break;
    }
  }
  return text;
}

TEST(ServerFuzz, MutatedRequestsGetA4xxJsonOrAnAnswer) {
  auto router = std::make_shared<Router>();
  router->Add("GET", "/ok", [](const Request&) { return Response::Json(200, "{}"); });
  router->Add("POST", "/echo", [](const Request& r) { return Response::Json(200, r.body); });
  router->Add("GET", "/items/{id}", [](const Request&) { return Response::Json(200, "{}"); });
  ServerOptions options;
  options.maxHeaderBytes = 512;
  options.maxBodyBytes = 64;
  options.requestTimeout = std::chrono::milliseconds(30);  // a 408 is a fine answer too
  options.idleTimeout = std::chrono::milliseconds(30);
  TestServer server(router, options);

  std::mt19937 rng(20261126);
  int answered = 0;
  for (int i = 0; i < kCases; ++i) {
    const std::string& seed = Seeds()[static_cast<size_t>(i) % Seeds().size()];
    const std::string input = Mutate(rng, seed);
    // Half-close so a truncated request is seen as such at once instead of after the timeout.
    const std::string raw = server.Raw(input, std::chrono::seconds(5), /*halfClose=*/i % 8 != 0);
    for (const auto& reply : test::ParseResponses(raw)) {
      if (!reply.ok) continue;  // a reply cut by the close of a half-sent pipeline
      ++answered;
      if (reply.status == 200) continue;
      ASSERT_GE(reply.status, 400) << "case " << i << ": " << testing::PrintToString(input);
      ASSERT_LT(reply.status, 500) << "case " << i << ": " << testing::PrintToString(input);
      auto body = ErrorBodyOf(reply);
      ASSERT_EQ(body["statusCode"], reply.status) << "case " << i << ": " << reply.body;
      ASSERT_EQ(reply.Header("Content-Type"), "application/json");
    }
  }
  EXPECT_GT(answered, kCases / 2);
  EXPECT_EQ(server.Get("/ok").status, 200);
}

}  // namespace
}  // namespace dynhook::http
