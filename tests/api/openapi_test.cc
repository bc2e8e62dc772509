// GET /openapi.json in process: the embedded file is the one in the source tree, served as JSON
// with this build's version and the router's route table. (openapi_served_test.cc checks the
// document against the real server's routes; openapi_node_test.cc validates it.)
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "api/api_fixture.h"
#include "api/ops_api.h"
#include "core/json.h"

namespace dynhook::api::test {
namespace {

std::string ReadSourceFile(const std::string& relative) {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(dir ? dir : ".") / relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

http::Response Ok(const http::Request&) { return http::Response::Json(200, "{}"); }

TEST(OpenApiTest, EmbedsTheSourceFileByteForByte) {
  const std::string source = ReadSourceFile("src/api/openapi/openapi.json");
  ASSERT_FALSE(source.empty()) << "DYNHOOK_SOURCE_DIR must name the source tree";
  // Not EXPECT_EQ: a failure would print the whole file twice.
  EXPECT_TRUE(OpenApiJson() == source)
      << "the embedded document (" << OpenApiJson().size() << " bytes) differs from the file ("
      << source.size() << " bytes): rebuild";
  EXPECT_NO_THROW(ParseOpenApiJson());
}

TEST(OpenApiTest, DocumentListsTheRouterTableAndTheVersion) {
  http::Router router;
  router.Add("GET", "/a/{id}", Ok);
  router.Add("POST", "/b/", Ok);
  router.AddPrefix("/files", Ok);
  const boost::json::object document = OpenApiDocument(ParseOpenApiJson(), router);
  EXPECT_EQ(document.at("info").at("version").as_string(), DYNHOOK_VERSION);
  EXPECT_EQ(core::Stringify(document.at("x-dynhook-routes")),
            R"({"routes":[{"method":"GET","path":"/a/{id}"},{"method":"POST","path":"/b"}],)"
            R"("prefixes":[{"method":"GET","path":"/files"}]})");
  EXPECT_EQ(document.at("paths"), ParseOpenApiJson().at("paths"));
}

TEST(OpenApiTest, WithoutTheAdminApiItsPathsAreNotRevealed) {
  http::Router router;
  router.Add("GET", "/api/admin/applications", Ok);
  router.Add("GET", "/healthz", Ok);
  const boost::json::object on = OpenApiDocument(ParseOpenApiJson(), router, true);
  ASSERT_TRUE(on.at("paths").as_object().contains("/api/admin/applications"));
  const boost::json::object off = OpenApiDocument(ParseOpenApiJson(), router, false);
  for (const auto& [path, item] : off.at("paths").as_object()) {
    EXPECT_NE(std::string(path).rfind("/api/admin", 0), 0u) << path;
  }
  EXPECT_TRUE(off.at("paths").as_object().contains("/healthz"));
  EXPECT_EQ(core::Stringify(off.at("x-dynhook-routes").at("routes")),
            R"([{"method":"GET","path":"/healthz"}])");
}

TEST(OpenApiTest, ServedAsJsonWithTheRoutes) {
  ApiTestEnv env;
  auto response = env.Call("GET", "/openapi.json");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/json");
  auto document = JsonOf(response);
  ASSERT_TRUE(document.is_object()) << response.body.substr(0, 200);
  EXPECT_EQ(document.at("openapi"), "3.0.3");
  const std::string routes = core::Stringify(document.at("x-dynhook-routes"));
  EXPECT_NE(routes.find(R"({"method":"POST","path":"/oauth/token"})"), std::string::npos);
  EXPECT_NE(routes.find(R"({"method":"GET","path":"/openapi.json"})"), std::string::npos);
  EXPECT_NE(routes.find(R"({"method":"GET","path":"/v2.0/vehicles/{id}/battery"})"),
            std::string::npos);
}

TEST(OpenApiTest, ListsRoutesAddedAfterIt) {
  ApiTestEnv env;
  http::Router router;
  OpsApi(env.store()).RegisterRoutes(router);
  router.Add("DELETE", "/later/{x}", Ok);
  http::Request request;
  request.method = "GET";
  request.target = request.path = "/openapi.json";
  const http::Response response = router.Dispatch(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find(R"({"method":"DELETE","path":"/later/{x}"})"), std::string::npos);
}

}  // namespace
}  // namespace dynhook::api::test
