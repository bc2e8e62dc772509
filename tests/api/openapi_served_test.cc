// GET /openapi.json of the real binary (`dynhook serve` on 127.0.0.1 port 0) against the route
// table that same process serves (the document's x-dynhook-routes, generated from its router):
// every route is documented with its method, nothing is documented that the server lacks,
// every `{param}` is declared, and each operation's `security` says what its handler demands.
// Adding a route anywhere in the platform without documenting it fails here.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "server_process.h"
#include "support/test_http_client.h"

namespace dynhook::testing {
namespace {

namespace json = boost::json;

constexpr const char* kMethods[] = {"get",     "put",  "post",  "delete",
                                    "options", "head", "patch", "trace"};
// Stands in for every `{param}` when calling an operation; a UUID, so id checks pass and the
// handler goes on to authenticate.
constexpr const char* kParamValue = "00000000-0000-4000-8000-000000000000";

using Operation = std::pair<std::string, std::string>;  // {"GET", "/v2.0/user"}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsMethod(std::string_view key) {
  for (const char* method : kMethods) {
    if (key == method) return true;
  }
  return false;
}

// The `{name}`s of a path template, in order.
std::vector<std::string> TemplateParams(const std::string& path) {
  std::vector<std::string> names;
  for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open)) {
    const size_t close = path.find('}', open);
    names.push_back(path.substr(open + 1, close - open - 1));
    open = close;
  }
  return names;
}

std::string Fill(const std::string& path) {
  std::string out = path;
  for (const auto& name : TemplateParams(path)) {
    const std::string placeholder = "{" + name + "}";
    out.replace(out.find(placeholder), placeholder.size(), name == "file" ? "x" : kParamValue);
  }
  return out;
}

class OpenApiServed : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<ServerProcess>();
    const std::string& address = server_->address();
    port_ = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    auto reply = test::Request("127.0.0.1", port_, "GET", "/openapi.json");
    ASSERT_TRUE(reply.ok) << reply.error;
    ASSERT_EQ(reply.status, 200) << reply.body;
    ASSERT_EQ(reply.Header("Content-Type").value_or(""), "application/json");
    auto parsed = core::ParseJsonObject(reply.body, core::ParseLimits{64, reply.body.size()});
    ASSERT_TRUE(parsed.ok()) << reply.body.substr(0, 200);
    document_ = std::move(*parsed);
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(document_.contains("paths") && document_.contains("x-dynhook-routes"))
        << "the document was not fetched";
  }

  static const json::object& Paths() { return document_.at("paths").as_object(); }

  // Every (METHOD, path) under `paths`.
  static std::set<Operation> Documented() {
    std::set<Operation> out;
    for (const auto& [path, item] : Paths()) {
      for (const auto& [key, value] : item.as_object()) {
        if (IsMethod(key)) out.emplace(Upper(std::string(key)), std::string(path));
      }
    }
    return out;
  }

  static std::set<Operation> Served(const char* member) {
    std::set<Operation> out;
    for (const auto& route : document_.at("x-dynhook-routes").at(member).as_array()) {
      out.emplace(std::string(route.at("method").as_string()),
                  std::string(route.at("path").as_string()));
    }
    return out;
  }

  // A parameter object, following a "#/components/parameters/…" reference.
  static const json::object& Resolve(const json::value& parameter) {
    const auto& object = parameter.as_object();
    const auto* ref = object.if_contains("$ref");
    if (!ref) return object;
    const std::string_view target = ref->as_string();
    constexpr std::string_view kPrefix = "#/components/parameters/";
    EXPECT_EQ(target.substr(0, kPrefix.size()), kPrefix) << target;
    return document_.at("components")
        .at("parameters")
        .at(target.substr(kPrefix.size()))
        .as_object();
  }

  static const json::object& OperationOf(const Operation& operation) {
    return Paths().at(operation.second).at(Lower(operation.first)).as_object();
  }

  static std::unique_ptr<ServerProcess> server_;
  static uint16_t port_;
  static json::object document_;
};

std::unique_ptr<ServerProcess> OpenApiServed::server_;
uint16_t OpenApiServed::port_ = 0;
json::object OpenApiServed::document_;

TEST_F(OpenApiServed, IsOpenApi3) {
  EXPECT_EQ(std::string(document_.at("openapi").as_string()).substr(0, 2), "3.");
  EXPECT_EQ(document_.at("info").at("version").as_string(), DYNHOOK_VERSION);
  // The route table is really the server's: it holds the routes of every module.
  const auto served = Served("routes");
  for (const Operation& known : {Operation{"GET", "/openapi.json"},
                                 {"GET", "/healthz"},
                                 {"POST", "/oauth/token"},
                                 {"GET", "/v2.0/vehicles/{id}/battery"},
                                 {"POST", "/api/webhooks"},
                                 {"GET", "/api/events"},
                                 {"GET", "/metrics"},
                                 {"PUT", "/api/admin/sim/vehicles/{id}/fault"}}) {
    EXPECT_TRUE(served.contains(known)) << known.first << " " << known.second;
  }
  EXPECT_TRUE(Served("prefixes").contains({"GET", "/dashboard"}));
}

TEST_F(OpenApiServed, DocumentsEveryRouteOfTheServer) {
  const auto documented = Documented();
  for (const auto& route : Served("routes")) {
    EXPECT_TRUE(documented.contains(route)) << route.first << " " << route.second
                                            << " is served but not in src/api/openapi/openapi.json";
  }
  for (const auto& prefix : Served("prefixes")) {
    EXPECT_TRUE(documented.contains(prefix))
        << "prefix " << prefix.second << " is served but not documented";
  }
}

TEST_F(OpenApiServed, DocumentsNothingTheServerLacks) {
  const auto routes = Served("routes");
  const auto prefixes = Served("prefixes");
  for (const auto& operation : Documented()) {
    if (routes.contains(operation)) continue;
    bool underPrefix = false;
    for (const auto& [method, prefix] : prefixes) {
      underPrefix |= operation.first == method &&
                     (operation.second == prefix || operation.second.starts_with(prefix + "/"));
    }
    EXPECT_TRUE(underPrefix) << operation.first << " " << operation.second
                             << " is documented but the server has no such route";
  }
}

TEST_F(OpenApiServed, DeclaresEveryPathParameter) {
  for (const auto& operation : Documented()) {
    const json::object& op = OperationOf(operation);
    std::map<std::string, const json::object*> declared;  // in: path, by name
    for (const auto* list : {Paths().at(operation.second).as_object().if_contains("parameters"),
                             op.if_contains("parameters")}) {
      if (list == nullptr) continue;
      for (const auto& parameter : list->as_array()) {
        const json::object& p = Resolve(parameter);
        if (p.at("in") == "path") declared[std::string(p.at("name").as_string())] = &p;
      }
    }
    const auto names = TemplateParams(operation.second);
    for (const auto& name : names) {
      ASSERT_TRUE(declared.contains(name))
          << operation.first << " " << operation.second << " does not declare {" << name << "}";
      EXPECT_EQ(declared[name]->at("required"), true) << operation.second << " {" << name << "}";
    }
    EXPECT_EQ(declared.size(), names.size())
        << operation.first << " " << operation.second << " declares a path parameter it lacks";
  }
}

TEST_F(OpenApiServed, EveryOperationHasSummarySecurityAndResponses) {
  for (const auto& operation : Documented()) {
    const json::object& op = OperationOf(operation);
    const std::string name = operation.first + " " + operation.second;
    ASSERT_TRUE(op.contains("summary") && op.at("summary").is_string()) << name;
    EXPECT_FALSE(op.at("summary").as_string().empty()) << name;
    // Explicit, even when empty: whoever adds an operation decides what it needs.
    EXPECT_TRUE(op.contains("security") && op.at("security").is_array()) << name;
    ASSERT_TRUE(op.contains("responses") && op.at("responses").is_object()) << name;
    bool success = false;
    for (const auto& response : op.at("responses").as_object()) {
      success |= response.key().starts_with("2") || response.key().starts_with("3");
    }
    EXPECT_TRUE(success) << name << " documents no success answer";
  }
}

// An operation whose security names a credential answers 401 without one; an operation without
// security never does. The status it answers is one the document lists for it.
TEST_F(OpenApiServed, SecurityMatchesWhatTheHandlersDemand) {
  for (const auto& operation : Documented()) {
    const json::object& op = OperationOf(operation);
    const auto& security = op.at("security").as_array();
    bool optional = security.empty();
    for (const auto& requirement : security) optional |= requirement.as_object().empty();
    auto reply = test::Request("127.0.0.1", port_, operation.first, Fill(operation.second));
    const std::string name = operation.first + " " + operation.second;
    ASSERT_TRUE(reply.ok) << name << ": " << reply.error;
    if (security.empty()) {
      EXPECT_NE(reply.status, 401) << name << " has no security but demands a credential";
    } else if (!optional) {
      EXPECT_EQ(reply.status, 401) << name << " has security but answered without a credential";
    }
    EXPECT_TRUE(op.at("responses").as_object().contains(std::to_string(reply.status)))
        << name << " answered " << reply.status << ", which it does not document";
  }
}

}  // namespace
}  // namespace dynhook::testing
