// Bad input never crashes the server or earns a 5xx (SPEC §7): a few thousand malformed
// requests — broken HTTP framing, oversized parts, bad UTF-8, wrong JSON types, unknown fields,
// SQL and path-traversal strings, wrong credentials — each get a 4xx answer in Smartcar's error
// format (RFC 6749 JSON on /oauth/token), and the server keeps serving afterwards.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>

#include "app/http_call.h"
#include "core/crypto.h"
#include "core/json.h"
#include "server_process.h"

namespace dynhook::testing {
namespace {

// Sends raw bytes on a fresh connection, half-closes, returns everything the server answered.
std::string SendRaw(const std::string& address, const std::string& bytes) {
  const auto colon = address.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    char buf[8192];
    for (int i = 0; i < 1000; ++i) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      reply.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return reply;
}

int StatusOf(const std::string& reply) {
  return reply.size() > 12 && reply.rfind("HTTP/1.", 0) == 0 ? std::stoi(reply.substr(9, 3)) : 0;
}

// Every error body carries Smartcar's fields (or RFC 6749's "error" on the token endpoint).
bool IsErrorJson(std::string_view body) {
  auto parsed = core::ParseJsonObject(body);
  return parsed.ok() && (parsed->contains("type") || parsed->contains("error"));
}

std::vector<std::string> RawCases(std::mt19937& rng) {
  std::vector<std::string> cases = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET /v2.0/user HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'b') + "\r\n\r\n",
      "GET /v2.0/vehicles/\xff\xfe\xc0\xaf HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v2.0/vehicles/%ff%c0%af%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v2.0/vehicles?limit=%% HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
  };
  // Truncations and byte flips of a valid request.
  const std::string valid =
      "POST /api/admin/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n"
      "Content-Type: application/json\r\nContent-Length: "
      "27\r\n\r\n{\"name\":\"a\",\"redirectUris\"}";
  for (int i = 0; i < 300; ++i) {
    std::string c = valid;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) c[rng() % c.size()] = static_cast<char>(rng() % 256);
    if (rng() % 2) c.resize(rng() % c.size());
    cases.push_back(c);
  }
  return cases;
}

TEST(MalformedRequests, RawHttpGetsFourHundredsAndServerSurvives) {
  ServerProcess server;
  std::mt19937 rng(1234);
  int answered = 0;
  for (const auto& bytes : RawCases(rng)) {
    const std::string reply = SendRaw(server.address(), bytes);
    if (reply.empty()) continue;  // a half-sent request may simply be closed
    ++answered;
    const int status = StatusOf(reply);
    ASSERT_GE(status, 400) << bytes.substr(0, 200) << "\n=> " << reply.substr(0, 300);
    ASSERT_LT(status, 500) << bytes.substr(0, 200) << "\n=> " << reply.substr(0, 300);
    const auto body = reply.substr(reply.find("\r\n\r\n") + 4);
    EXPECT_TRUE(IsErrorJson(body)) << reply.substr(0, 400);
  }
  EXPECT_GT(answered, 50);
  ASSERT_TRUE(server.running());
  auto health = app::HttpCall("GET", server.base() + "/healthz", {});
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
}

struct ApiCase {
  std::string method, path, body;
  std::vector<std::string> headers;
};

std::vector<ApiCase> ApiCases(std::mt19937& rng, const std::vector<std::string>& validAuths) {
  const std::vector<std::string> evil = {"' OR 1=1 --",
                                         "../../../../etc/passwd",
                                         "%2e%2e%2f%2e%2e%2f",
                                         "\xff\xfe",
                                         "null",
                                         "{}",
                                         "[]",
                                         "1e999",
                                         "-1",
                                         "99999999999999999999",
                                         std::string(5000, 'x'),
                                         "\"",
                                         "\\",
                                         "<script>alert(1)</script>",
                                         "00000000-0000-0000-0000-000000000000",
                                         "%00",
                                         ""};
  std::vector<std::string> auths = {"",
                                    "Authorization: Bearer",
                                    "Authorization: Bearer x",
                                    "Authorization: Basic !!!",
                                    "Authorization: Basic ZGVmYXVsdDp4",
                                    "Authorization: Bearer " + std::string(9000, 'a'),
                                    "Authorization: Digest abc"};
  auths.insert(auths.end(), validAuths.begin(), validAuths.end());
  const std::vector<std::string> paths = {"/v2.0/user",
                                          "/v2.0/vehicles",
                                          "/v2.0/vehicles/{e}",
                                          "/v2.0/vehicles/{e}/battery",
                                          "/v2.0/vehicles/{e}/batch",
                                          "/v2.0/vehicles/{e}/security",
                                          "/v2.0/vehicles/{e}/charge",
                                          "/v2.0/vehicles/{e}/application",
                                          "/v2.0/management/connections?vehicle_id={e}",
                                          "/v2.0/vehicles?limit={e}&offset={e}",
                                          "/api/admin/applications",
                                          "/api/admin/sim/accounts",
                                          "/api/admin/sim/vehicles/{e}/state",
                                          "/api/admin/sim/vehicles/{e}/fault",
                                          "/oauth/token",
                                          "/{e}"};
  const std::vector<std::string> bodies = {"",
                                           "{",
                                           "{\"requests\":5}",
                                           "{\"requests\":[{\"path\":{e}}]}",
                                           "{\"action\":{e}}",
                                           "{\"name\":{e},\"redirectUris\":{e}}",
                                           "{\"make\":\"TESLA\",\"vehicles\":{e}}",
                                           "{\"fault\":{e}}",
                                           "{\"isPluggedIn\":{e}}",
                                           "grant_type={e}&code={e}",
                                           "[1,2,3]",
                                           "{\"a\":" + std::string(200, '[') + "}"};
  const std::vector<std::string> methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
  auto fill = [&](std::string text, bool url) {
    for (size_t at; (at = text.find("{e}")) != std::string::npos;) {
      std::string e = pick(evil);
      if (url) {
        std::string enc;
        for (unsigned char c : e) {
          char hex[4];
          std::snprintf(hex, sizeof hex, "%%%02X", c);
          enc += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : std::string(hex);
        }
        e = enc;
      }
      text.replace(at, 3, e);
    }
    return text;
  };
  std::vector<ApiCase> cases;
  for (int i = 0; i < 2500; ++i) {
    ApiCase c{pick(methods), fill(pick(paths), true), fill(pick(bodies), false), {}};
    if (const auto auth = pick(auths); !auth.empty()) c.headers.push_back(auth);
    c.headers.push_back(rng() % 2 ? "Content-Type: application/json"
                                  : "Content-Type: application/x-www-form-urlencoded");
    cases.push_back(std::move(c));
  }
  return cases;
}

// Credentials that pass authentication, so malformed input also reaches the handlers.
std::vector<std::string> ValidAuths(ServerProcess& server) {
  auto app = core::ParseJsonObject(server.CreateApplication("http://127.0.0.1:9/cb"));
  if (!app.ok()) return {};
  const std::string amt(app->at("managementToken").as_string());
  return {"Authorization: Bearer " + std::string(ServerProcess::kAdminToken),
          "Authorization: Bearer " + amt,
          "Authorization: Basic " + core::Base64Encode("default:" + amt),
          "Authorization: Basic " +
              core::Base64Encode(std::string(app->at("clientId").as_string()) + ":" +
                                 std::string(app->at("clientSecret").as_string()))};
}

TEST(MalformedRequests, ApiInputGetsSmartcarFourHundreds) {
  ServerProcess server;
  std::mt19937 rng(99);
  int rejected = 0;
  for (const auto& c : ApiCases(rng, ValidAuths(server))) {
    auto reply = app::HttpCall(c.method, server.base() + c.path, c.headers, c.body);
    ASSERT_TRUE(reply.ok()) << c.method << " " << c.path << ": " << reply.error().description;
    ASSERT_LT(reply->status, 500) << c.method << " " << c.path << " " << c.body << "\n"
                                  << reply->body;
    if (reply->status < 400) continue;  // e.g. GET /api/admin/applications with the admin token
    ++rejected;
    ASSERT_TRUE(IsErrorJson(reply->body)) << c.method << " " << c.path << "\n" << reply->body;
  }
  EXPECT_GT(rejected, 2000);
  auto health = app::HttpCall("GET", server.base() + "/healthz", {});
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace dynhook::testing
