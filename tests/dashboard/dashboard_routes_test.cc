// The dashboard's routes, through Router::Dispatch: index, assets with their content types and
// headers, and Smartcar's 404 for an unknown file.
#include "dashboard/dashboard_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "dashboard/assets.h"

namespace dynhook::dashboard {
namespace {

class DashboardRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterRoutes(router_); }

  http::Response Get(const std::string& path, const std::string& method = "GET") {
    http::Request request;
    request.method = method;
    request.target = path;
    request.path = path;
    request.requestId = "req-1";
    return router_.Dispatch(request);
  }

  static std::string HeaderOf(const http::Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }

  http::Router router_;
};

TEST_F(DashboardRoutesTest, ServesIndexAsHtml) {
  for (const std::string path : {"/dashboard", "/dashboard/index.html"}) {
    const http::Response response = Get(path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(HeaderOf(response, "Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_NE(response.body.find("<!doctype html>"), std::string::npos) << path;
    EXPECT_NE(response.body.find("/dashboard/app.js"), std::string::npos) << path;
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-cache") << path;
    EXPECT_NE(HeaderOf(response, "Content-Security-Policy").find("default-src 'self'"),
              std::string::npos)
        << path;
  }
}

TEST_F(DashboardRoutesTest, ServesAssetsWithTheirContentTypes) {
  const http::Response script = Get("/dashboard/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(HeaderOf(script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(HeaderOf(script, "Cache-Control").find("max-age"), std::string::npos);
  EXPECT_FALSE(script.body.empty());

  const http::Response style = Get("/dashboard/style.css");
  EXPECT_EQ(style.status, 200);
  EXPECT_EQ(HeaderOf(style, "Content-Type"), "text/css; charset=utf-8");
}

TEST_F(DashboardRoutesTest, EmbedsEveryFileByteForByte) {
  ASSERT_GE(EmbeddedAssets().size(), 3u);
  for (const Asset& asset : EmbeddedAssets()) {
    const http::Response response = Get("/dashboard/" + std::string(asset.path));
    EXPECT_EQ(response.status, 200) << asset.path;
    EXPECT_EQ(response.body, asset.body) << asset.path;
    EXPECT_EQ(response.body.find('\0'), std::string::npos) << asset.path;
  }
}

TEST_F(DashboardRoutesTest, UnknownAssetIsSmartcarNotFound) {
  for (const std::string path :
       {"/dashboard/missing.js", "/dashboard/../CMakeLists.txt", "/dashboard/app.js/extra"}) {
    const http::Response response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    auto body = core::ParseJsonObject(response.body);
    ASSERT_TRUE(body.ok()) << response.body;
    EXPECT_EQ(std::string(body->at("type").as_string()), "RESOURCE_NOT_FOUND") << path;
    EXPECT_EQ(std::string(body->at("requestId").as_string()), "req-1");
  }
}

TEST_F(DashboardRoutesTest, OtherMethodsAreNotServed) {
  EXPECT_EQ(Get("/dashboard/app.js", "POST").status, 404);
}

}  // namespace
}  // namespace dynhook::dashboard
