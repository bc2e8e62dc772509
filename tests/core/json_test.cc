#include "core/json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

namespace dynhook::core {
namespace {

TEST(JsNumberTest, FormatsLikeJavaScript) {
  EXPECT_EQ(JsNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(JsNumber(1e21), "1e+21");
  EXPECT_EQ(JsNumber(1e20), "100000000000000000000");
  EXPECT_EQ(JsNumber(1e-7), "1e-7");
  EXPECT_EQ(JsNumber(100.0), "100");
  EXPECT_EQ(JsNumber(-0.0), "0");
  EXPECT_EQ(JsNumber(0.0), "0");
  EXPECT_EQ(JsNumber(5e-324), "5e-324");
  EXPECT_EQ(JsNumber(-5e-324), "-5e-324");
  EXPECT_EQ(JsNumber(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(JsNumber(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(JsNumber(0.000001), "0.000001");
  EXPECT_EQ(JsNumber(1.5e-6), "0.0000015");
  EXPECT_EQ(JsNumber(1.5e-7), "1.5e-7");
  EXPECT_EQ(JsNumber(0.58), "0.58");
  EXPECT_EQ(JsNumber(283.24), "283.24");
  EXPECT_EQ(JsNumber(-1.5e300), "-1.5e+300");
  EXPECT_EQ(JsNumber(1234.5), "1234.5");
}

TEST(JsNumberTest, NonFiniteIsNull) {
  EXPECT_EQ(JsNumber(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(JsNumber(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(JsNumber(-std::numeric_limits<double>::infinity()), "null");
}

TEST(StringifyTest, IntegersBeyondTwoToThe53AreDoubles) {
  const int64_t twoTo53 = int64_t{1} << 53;
  EXPECT_EQ(Stringify(boost::json::value(twoTo53)), "9007199254740992");
  EXPECT_EQ(Stringify(boost::json::value(-twoTo53)), "-9007199254740992");
  EXPECT_EQ(Stringify(boost::json::value(twoTo53 + 1)), "9007199254740992");
  EXPECT_EQ(Stringify(boost::json::value(twoTo53 + 2)), "9007199254740994");
  EXPECT_EQ(Stringify(boost::json::value(std::numeric_limits<int64_t>::max())),
            "9223372036854776000");
  EXPECT_EQ(Stringify(boost::json::value(std::numeric_limits<int64_t>::min())),
            "-9223372036854776000");
  EXPECT_EQ(Stringify(boost::json::value(std::numeric_limits<uint64_t>::max())),
            "18446744073709552000");
  EXPECT_EQ(Stringify(boost::json::value(uint64_t{42})), "42");
  EXPECT_EQ(Stringify(boost::json::value(int64_t{-7})), "-7");
}

// tests/core/data/json_numbers.tsv: a literal and what JSON.stringify(JSON.parse(literal)) gives
// in node 20 (generated once with node; the node-labelled test re-checks thousands more live).
TEST(StringifyTest, NumberCorpusMatchesNode) {
  std::ifstream in(std::string(DYNHOOK_CORE_TEST_DATA) + "/json_numbers.tsv");
  ASSERT_TRUE(in) << "missing corpus";
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    auto parsed = ParseJson(line.substr(0, tab));
    ASSERT_TRUE(parsed.ok()) << line << ": " << parsed.error().description;
    EXPECT_EQ(Stringify(*parsed), line.substr(tab + 1)) << "literal " << line.substr(0, tab);
    ++count;
  }
  EXPECT_GT(count, 50);
}

TEST(JsonQuoteTest, EscapesAsJsonStringify) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(JsonQuote("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(JsonQuote("\x7f"), "\"\x7f\"");  // DEL stays raw
}

TEST(JsonQuoteTest, EveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    std::string expected;
    switch (c) {
      case '\b':
        expected = "\\b";
        break;
      case '\f':
        expected = "\\f";
        break;
      case '\n':
        expected = "\\n";
        break;
      case '\r':
        expected = "\\r";
        break;
      case '\t':
        expected = "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        expected = buf;
      }
    }
    EXPECT_EQ(JsonQuote(std::string(1, static_cast<char>(c))), "\"" + expected + "\"") << c;
  }
}

TEST(JsonQuoteTest, UnicodeStaysRaw) {
  EXPECT_EQ(JsonQuote("\xE2\x80\xA8\xE2\x80\xA9"), "\"\xE2\x80\xA8\xE2\x80\xA9\"");  // U+2028/9
  EXPECT_EQ(JsonQuote("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");  // U+1F600 (a surrogate pair)
  EXPECT_EQ(JsonQuote("\xC3\xA9t\xC3\xA9"), "\"\xC3\xA9t\xC3\xA9\"");
  EXPECT_EQ(JsonQuote("\xEF\xBF\xBF\xF4\x8F\xBF\xBF"), "\"\xEF\xBF\xBF\xF4\x8F\xBF\xBF\"");
}

// Each maximal ill-formed subpart becomes one U+FFFD, as TextDecoder decodes it.
TEST(JsonQuoteTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(JsonQuote("a\xFF"
                      "b"),
            "\"a" + r + "b\"");
  EXPECT_EQ(JsonQuote("\x80"), "\"" + r + "\"");
  EXPECT_EQ(JsonQuote("\xC0\xAF"), "\"" + r + r + "\"");                  // overlong
  EXPECT_EQ(JsonQuote("\xE0\x80\x80"), "\"" + r + r + r + "\"");          // overlong
  EXPECT_EQ(JsonQuote("\xED\xA0\x80"), "\"" + r + r + r + "\"");          // a surrogate
  EXPECT_EQ(JsonQuote("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // above U+10FFFF
  EXPECT_EQ(JsonQuote("\xF0\x9F\x98"), "\"" + r + "\"");                  // truncated at end
  EXPECT_EQ(JsonQuote("\xF0\x9F\x98x"), "\"" + r + "x\"");                // truncated
  EXPECT_EQ(JsonQuote("\xE2\x80\""), "\"" + r + "\\\"\"");                // then an escape
}

TEST(StringifyTest, KeepsKeyOrderAndNesting) {
  boost::json::object inner;
  inner["z"] = 1;
  inner["a"] = boost::json::array{true, false, nullptr, "x\ny", 0.5};
  boost::json::object outer;
  outer["version"] = "2.0";
  outer["b"] = std::move(inner);
  outer["a"] = boost::json::object{};
  outer["e"] = boost::json::array{};
  EXPECT_EQ(Stringify(outer),
            R"({"version":"2.0","b":{"z":1,"a":[true,false,null,"x\ny",0.5]},"a":{},"e":[]})");
  std::string appended = "prefix:";
  AppendJson(appended, boost::json::value(1.0));
  EXPECT_EQ(appended, "prefix:1");
}

TEST(StringifyTest, KeysAreEscaped) {
  boost::json::object o;
  o["a\"b\x01"] = "v";
  EXPECT_EQ(Stringify(o), R"({"a\"b\u0001":"v"})");
}

TEST(ParseJsonTest, RoundTripsPayload) {
  const std::string prefix =
      R"({"version":"2.0","payload":{"vehicles":[{"data":[{"path":"/battery","code":200,)"
      R"("body":{"range":283.24,"percentRemaining":0.58}}]}]},"emoji":"😀","ls":")";
  auto parsed = ParseJson(prefix + R"(\u2028"})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().description;
  EXPECT_EQ(Stringify(*parsed), prefix + "\xE2\x80\xA8\"}");
}

TEST(ParseJsonTest, ParsesDoublesExactly) {
  // Boost 1.81's own conversion gets these one ulp wrong.
  for (const char* text : {"1.3927926388013963e-143", "5.409760742964738e+124",
                           "6.689921856898562e-217", "-2.128409656321987e-239"}) {
    auto parsed = ParseJson(text);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->as_double(), std::strtod(text, nullptr)) << text;
    EXPECT_EQ(Stringify(*parsed), text);
  }
}

void ExpectRejected(std::string_view text, const ParseLimits& limits = {}) {
  auto parsed = ParseJson(text, limits);
  ASSERT_FALSE(parsed.ok()) << "accepted: " << text;
  EXPECT_EQ(parsed.error().type, "VALIDATION");
  EXPECT_EQ(parsed.error().code, "PARAMETER");
  EXPECT_EQ(parsed.error().status, 400);
  EXPECT_NE(parsed.error().description.find("invalid JSON"), std::string::npos);
}

TEST(ParseJsonTest, RejectsBadInput) {
  ExpectRejected("");
  ExpectRejected("   ");
  ExpectRejected(R"({"a":1)");         // truncated
  ExpectRejected(R"("abc)");           // truncated string
  ExpectRejected("[1,2,]");            // trailing comma
  ExpectRejected(R"({"a":1,})");       // trailing comma
  ExpectRejected("NaN");               // not JSON
  ExpectRejected("[Infinity]");        // not JSON
  ExpectRejected("{'a':1}");           // single quotes
  ExpectRejected("[1] [2]");           // trailing garbage
  ExpectRejected("{} x");              // trailing garbage
  ExpectRejected("[1]/*c*/");          // no comments
  ExpectRejected("\"\xFF\"");          // bad UTF-8
  ExpectRejected("\"\xED\xA0\x80\"");  // encoded surrogate
  ExpectRejected(R"("\ud800")");       // lone surrogate escape
  ExpectRejected("01");                // leading zero
  ExpectRejected("[\"a\nb\"]");        // raw control character
}

TEST(ParseJsonTest, ErrorNamesTheOffset) {
  auto parsed = ParseJson("[1,2,]");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().description, "invalid JSON at offset 5: syntax error");
}

TEST(ParseJsonTest, EnforcesDepthAndSize) {
  const std::string deep33 = std::string(33, '[') + std::string(33, ']');
  const std::string deep32 = std::string(32, '[') + std::string(32, ']');
  EXPECT_TRUE(ParseJson(deep32).ok());
  ExpectRejected(deep33);
  ExpectRejected("[[[1]]]", ParseLimits{.maxDepth = 2});
  EXPECT_TRUE(ParseJson("[[1]]", ParseLimits{.maxDepth = 2}).ok());

  const std::string big = "\"" + std::string(100, 'x') + "\"";
  EXPECT_TRUE(ParseJson(big, ParseLimits{.maxBytes = big.size()}).ok());
  ExpectRejected(big, ParseLimits{.maxBytes = big.size() - 1});
}

TEST(ParseJsonTest, OutOfRangeNumbersBehaveAsInJavaScript) {
  auto huge = ParseJson("[1e400,-1e400,1e-400,-1e-400]");
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(Stringify(*huge), "[null,null,0,0]");
  EXPECT_TRUE(std::isinf(huge->as_array()[0].as_double()));
  EXPECT_TRUE(std::signbit(huge->as_array()[3].as_double()));
}

TEST(ParseJsonObjectTest, RequiresAnObject) {
  auto object = ParseJsonObject(R"({"a":[1]})");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object->at("a").as_array().size(), 1u);
  EXPECT_FALSE(ParseJsonObject("[1]").ok());
  EXPECT_FALSE(ParseJsonObject("\"x\"").ok());
  EXPECT_FALSE(ParseJsonObject("{").ok());
}

}  // namespace
}  // namespace dynhook::core
