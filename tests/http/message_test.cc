#include "http/message.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace dynhook::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%e2%82%AC", false), "\xE2\x82\xAC");
  EXPECT_EQ(PercentDecode("", false), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%2", false));
  EXPECT_FALSE(PercentDecode("abc%", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
  EXPECT_FALSE(PercentDecode("%2g", false));
}

TEST(PercentEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(PercentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(PercentEncode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
  EXPECT_EQ(PercentEncode("\xE2\x82\xAC"), "%E2%82%AC");
  EXPECT_EQ(PercentDecode(PercentEncode(std::string("\0\xff+", 3)), false),
            std::string("\0\xff+", 3));
}

TEST(ParseUrlEncoded, KeepsOrderAndDuplicates) {
  auto fields = ParseUrlEncoded("vehicle=a&vehicle=b&scope=read_odometer+read_vin&x=%26");
  ASSERT_TRUE(fields);
  ASSERT_EQ(fields->size(), 4u);
  EXPECT_EQ((*fields)[0], (std::pair<std::string, std::string>("vehicle", "a")));
  EXPECT_EQ((*fields)[1].second, "b");
  EXPECT_EQ((*fields)[2].second, "read_odometer read_vin");
  EXPECT_EQ((*fields)[3].second, "&");
}

TEST(ParseUrlEncoded, EdgeCases) {
  EXPECT_TRUE(ParseUrlEncoded("")->empty());
  EXPECT_TRUE(ParseUrlEncoded("&&")->empty());
  auto fields = ParseUrlEncoded("a&b=&=c&d=1=2");
  ASSERT_TRUE(fields);
  ASSERT_EQ(fields->size(), 4u);
  EXPECT_EQ((*fields)[0], (std::pair<std::string, std::string>("a", "")));
  EXPECT_EQ((*fields)[1], (std::pair<std::string, std::string>("b", "")));
  EXPECT_EQ((*fields)[2], (std::pair<std::string, std::string>("", "c")));
  EXPECT_EQ((*fields)[3], (std::pair<std::string, std::string>("d", "1=2")));
  EXPECT_FALSE(ParseUrlEncoded("a=%"));
  EXPECT_FALSE(ParseUrlEncoded("a=1&%zz=2"));
}

TEST(Request, LooksUpHeadersCaseInsensitivelyAndQueryExactly) {
  Request request;
  request.headers = {{"Content-Type", "text/plain"}, {"X-A", "1"}, {"x-a", "2"}};
  request.query = {{"limit", "5"}, {"Limit", "6"}};
  request.params = {{"id", "v1"}};
  EXPECT_EQ(request.Header("content-type"), "text/plain");
  EXPECT_EQ(request.Header("X-a"), "1");
  EXPECT_FALSE(request.Header("Authorization"));
  EXPECT_EQ(request.Query("limit"), "5");
  EXPECT_EQ(request.Query("Limit"), "6");
  EXPECT_FALSE(request.Query("LIMIT"));
  EXPECT_EQ(request.Param("id"), "v1");
  EXPECT_EQ(request.Param("missing"), "");
}

TEST(Response, HelpersSetContentTypeAndLocation) {
  EXPECT_EQ(FindHeader(Response::Json(201, "{}").headers, "content-type"), "application/json");
  EXPECT_EQ(Response::Json(201, "{}").status, 201);
  EXPECT_EQ(FindHeader(Response::Html(200, "<p>").headers, "Content-Type"),
            "text/html; charset=utf-8");
  Response redirect = Response::Redirect("https://app/cb?code=1");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(FindHeader(redirect.headers, "Location"), "https://app/cb?code=1");
  redirect.SetHeader("location", "/other");
  EXPECT_EQ(redirect.headers.size(), 1u);
  EXPECT_EQ(FindHeader(redirect.headers, "Location"), "/other");
}

TEST(Response, ErrorRendersSmartcarFormatExactly) {
  Response response = Response::Error(core::errors::Validation("Bad limit."), "req-1");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(FindHeader(response.headers, "Content-Type"), "application/json");
  EXPECT_FALSE(FindHeader(response.headers, "Retry-After"));
  EXPECT_EQ(response.body,
            R"({"type":"VALIDATION","code":"PARAMETER","description":"Bad limit.",)"
            R"("docURL":"https://dynhook.dev/docs/errors#validation","statusCode":400,)"
            R"("requestId":"req-1","resolution":{"type":null},"suggestedUserMessage":)"
            R"("The request could not be completed. Please contact the application developer."})");
}

TEST(Response, ErrorWithoutCodeAndWithRetryAfter) {
  Response auth = Response::Error(core::errors::Authentication("Bad token."), "r");
  auto body = boost::json::parse(auth.body).as_object();
  EXPECT_TRUE(body["code"].is_null());
  EXPECT_EQ(body["resolution"].as_object()["type"], "REAUTHENTICATE");
  EXPECT_EQ(body["statusCode"], 401);
  EXPECT_EQ(body["docURL"], "https://dynhook.dev/docs/errors#authentication");

  Response limited = Response::Error(core::errors::RateLimit("VEHICLE", 42), "r");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(FindHeader(limited.headers, "Retry-After"), "42");
  EXPECT_EQ(ErrorDocUrl("RATE_LIMIT"), "https://dynhook.dev/docs/errors#rate_limit");
}

TEST(Response, ErrorBodyIsValidJsonEvenForBadUtf8) {
  Response response =
      Response::Error(core::errors::Validation("bad \xff\xfe \"quoted\"\n"), "r\x80");
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);  // Boost.JSON rejects invalid UTF-8
  ASSERT_FALSE(ec) << response.body;
  EXPECT_EQ(value.as_object()["description"], "bad \xEF\xBF\xBD\xEF\xBF\xBD \"quoted\"\n");
}

TEST(Response, StreamHelperSetsStarter) {
  bool started = false;
  Response response = Response::Stream(200, "text/event-stream",
                                       [&](std::shared_ptr<StreamSink>) { started = true; });
  EXPECT_EQ(FindHeader(response.headers, "Content-Type"), "text/event-stream");
  ASSERT_TRUE(response.stream);
  response.stream(nullptr);
  EXPECT_TRUE(started);
}

}  // namespace
}  // namespace dynhook::http
