#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dynhook::http {
namespace {

Request Make(std::string method, std::string target) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.path = request.target.substr(0, request.target.find('?'));
  request.requestId = "req-1";
  return request;
}

Handler Echo(std::string name) {
  return [name](const Request& request) {
    std::string body = name;
    for (const auto& [key, value] : request.params) body += " " + key + "=" + value;
    return Response::Json(200, body);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/v2.0/vehicles", Echo("list"));
    router_.Add("GET", "/v2.0/vehicles/{id}", Echo("one"));
    router_.Add("DELETE", "/v2.0/vehicles/{id}/webhooks/{webhookId}", Echo("unsub"));
    router_.Add("POST", "/v2.0/vehicles/{id}/webhooks/{webhookId}", Echo("sub"));
    router_.Add("GET", "/", Echo("root"));
    router_.AddPrefix("/dashboard", Echo("dash"));
  }
  Response Dispatch(std::string method, std::string target) {
    Request request = Make(std::move(method), std::move(target));
    return router_.Dispatch(request);
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralsAndParams) {
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles").body, "list");
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles/abc").body, "one id=abc");
  EXPECT_EQ(Dispatch("POST", "/v2.0/vehicles/v1/webhooks/w1").body, "sub id=v1 webhookId=w1");
  EXPECT_EQ(Dispatch("DELETE", "/v2.0/vehicles/v1/webhooks/w1").body, "unsub id=v1 webhookId=w1");
  EXPECT_EQ(Dispatch("GET", "/").body, "root");
}

TEST_F(RouterTest, IgnoresTrailingSlashAndQuery) {
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles/").body, "list");
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles/abc/?x=1").body, "one id=abc");
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles?limit=5").body, "list");
}

TEST_F(RouterTest, DecodesSegmentsAfterSplitting) {
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles/a%2Fb").body, "one id=a/b");
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicle%73/x%20y").body, "one id=x y");
  EXPECT_EQ(Dispatch("GET", "/v2.0/vehicles/%zz").status, 400);
}

TEST_F(RouterTest, UnknownPathIsSmartcarNotFound) {
  Response response = Dispatch("GET", "/v2.0/nothing/here");
  EXPECT_EQ(response.status, 404);
  auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body["type"], "RESOURCE_NOT_FOUND");
  EXPECT_EQ(body["code"], "PATH");
  EXPECT_EQ(body["statusCode"], 404);
  EXPECT_EQ(body["requestId"], "req-1");
  EXPECT_EQ(FindHeader(response.headers, "Content-Type"), "application/json");
  // Inner empty segments are not collapsed.
  EXPECT_EQ(Dispatch("GET", "/v2.0//vehicles").status, 404);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response response = Dispatch("PUT", "/v2.0/vehicles/v1/webhooks/w1");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(FindHeader(response.headers, "Allow"), "DELETE, POST");
  auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body["type"], "RESOURCE_NOT_FOUND");
  EXPECT_EQ(body["statusCode"], 405);
  EXPECT_EQ(Dispatch("HEAD", "/v2.0/vehicles").status, 405);
}

TEST_F(RouterTest, PrefixRoutesGetTheRest) {
  EXPECT_EQ(Dispatch("GET", "/dashboard").body, "dash *=");
  EXPECT_EQ(Dispatch("GET", "/dashboard/").body, "dash *=");
  EXPECT_EQ(Dispatch("GET", "/dashboard/app.js").body, "dash *=app.js");
  EXPECT_EQ(Dispatch("GET", "/dashboard/a/b.css").body, "dash *=a/b.css");
  EXPECT_EQ(Dispatch("GET", "/dashboardx").status, 404);
  EXPECT_EQ(Dispatch("POST", "/dashboard/x").status, 404);
}

TEST_F(RouterTest, UsesDecodedPathWhenThereIsNoTarget) {
  Request request;
  request.method = "GET";
  request.path = "/v2.0/vehicles/a b";
  EXPECT_EQ(router_.Dispatch(request).body, "one id=a b");
}

TEST_F(RouterTest, ListsRoutesAndPrefixesAsRegistered) {
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& route : router_.Routes()) routes.emplace_back(route.method, route.pattern);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"GET", "/v2.0/vehicles"},
      {"GET", "/v2.0/vehicles/{id}"},
      {"DELETE", "/v2.0/vehicles/{id}/webhooks/{webhookId}"},
      {"POST", "/v2.0/vehicles/{id}/webhooks/{webhookId}"},
      {"GET", "/"}};
  EXPECT_EQ(routes, expected);
  EXPECT_EQ(router_.Prefixes(), std::vector<std::string>{"/dashboard"});
}

TEST(Router, ListsPatternsNormalised) {
  Router router;
  router.Add("GET", "/healthz/", Echo("health"));
  router.AddPrefix("/dashboard/", Echo("dash"));
  ASSERT_EQ(router.Routes().size(), 1u);
  EXPECT_EQ(router.Routes()[0].pattern, "/healthz");
  EXPECT_EQ(router.Prefixes(), std::vector<std::string>{"/dashboard"});
  EXPECT_TRUE(Router().Routes().empty());
}

TEST(Router, HandlerExceptionBecomesServerInternal) {
  Router router;
  router.Add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("x"); });
  router.Add("GET", "/boom2", [](const Request&) -> Response { throw 42; });
  for (const char* target : {"/boom", "/boom2"}) {
    Request request = Make("GET", target);
    Response response = router.Dispatch(request);
    EXPECT_EQ(response.status, 500);
    auto body = boost::json::parse(response.body).as_object();
    EXPECT_EQ(body["type"], "SERVER");
    EXPECT_EQ(body["code"], "INTERNAL");
    EXPECT_EQ(body["requestId"], "req-1");
  }
}

TEST(Router, FallbackAnswersEverythingElse) {
  Router router;
  router.Add("GET", "/known", Echo("known"));
  router.SetFallback(Echo("fallback"));
  Request a = Make("POST", "/anything/at/all");
  EXPECT_EQ(router.Dispatch(a).body, "fallback");
  Request b = Make("POST", "/known");
  EXPECT_EQ(router.Dispatch(b).body, "fallback");
  Request c = Make("GET", "/known");
  EXPECT_EQ(router.Dispatch(c).body, "known");
}

}  // namespace
}  // namespace dynhook::http
