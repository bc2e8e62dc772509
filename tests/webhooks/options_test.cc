#include "webhooks/options.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace dynhook::webhooks {
namespace {

boost::json::object Obj(std::string_view text) { return core::ParseJsonObject(text).value(); }

core::Result<WebhookOptions> Parse(std::string_view text, const WebhookOptions& base = {}) {
  return ParseWebhookOptions(Obj(text), base);
}

void ExpectInvalid(std::string_view text, std::string_view mention) {
  auto result = Parse(text);
  ASSERT_FALSE(result.ok()) << text;
  EXPECT_EQ(result.error().Name(), "VALIDATION:PARAMETER") << text;
  EXPECT_NE(result.error().description.find(mention), std::string::npos)
      << text << " -> " << result.error().description;
}

TEST(WebhookOptions, DefaultsRenderAsSpec) {
  EXPECT_EQ(SerializeOptions(WebhookOptions{}),
            R"({"data":["/battery","/charge","/location"],)"
            R"("trigger":{"signal":"charge.isPluggedIn","equals":true},)"
            R"("intervals":{"default":"PT1H","elevated":"PT30M"},)"
            R"("maxPayloadBytes":262144,"standardWebhooks":false})");
}

TEST(WebhookOptions, EmptyInputKeepsBaseAndSkipsWebhookFields) {
  auto options = Parse(R"({"name":"n","type":"dynamic","callbackUri":"https://x"})");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(*options, WebhookOptions{});
}

TEST(WebhookOptions, ParsesEveryField) {
  auto options = Parse(R"({"data":["battery","/odometer/"],
    "trigger":{"signal":"battery.percentRemaining","below":0.2},
    "intervals":{"default":"PT2H","elevated":"PT10M"},"maxPayloadBytes":4096,
    "standardWebhooks":true,"errorCallbackUri":"https://errors.example.com/hook"})");
  ASSERT_TRUE(options.ok()) << options.error().description;
  EXPECT_EQ(options->data, (std::vector<std::string>{"/battery", "/odometer"}));
  EXPECT_EQ(options->DataPaths(),
            (std::vector<oem::DataPath>{oem::DataPath::kBattery, oem::DataPath::kOdometer}));
  EXPECT_EQ(options->trigger.signal, "battery.percentRemaining");
  EXPECT_EQ(options->trigger.op, Trigger::kBelow);
  EXPECT_EQ(options->defaultInterval, std::chrono::hours(2));
  EXPECT_EQ(options->elevatedInterval, std::chrono::minutes(10));
  EXPECT_EQ(options->maxPayloadBytes, 4096u);
  EXPECT_TRUE(options->standardWebhooks);
  EXPECT_EQ(options->errorCallbackUri, "https://errors.example.com/hook");
}

TEST(WebhookOptions, PatchKeepsUnmentionedFields) {
  WebhookOptions base;
  base.maxPayloadBytes = 2048;
  base.errorCallbackUri = "https://e.example";
  auto options = Parse(R"({"intervals":{"elevated":"PT5M"},"errorCallbackUri":null})", base);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->maxPayloadBytes, 2048u);
  EXPECT_EQ(options->defaultInterval, std::chrono::hours(1));
  EXPECT_EQ(options->elevatedInterval, std::chrono::minutes(5));
  EXPECT_EQ(options->errorCallbackUri, "");
}

TEST(WebhookOptions, RejectsBadInput) {
  ExpectInvalid(R"({"colour":"red"})", "'colour'");
  ExpectInvalid(R"({"data":[]})", "'data'");
  ExpectInvalid(R"({"data":"/battery"})", "'data'");
  ExpectInvalid(R"({"data":["/battery","/warp"]})", "'/warp'");
  ExpectInvalid(R"({"data":["/battery","battery"]})", "twice");
  ExpectInvalid(R"({"data":[1]})", "strings");
  ExpectInvalid(R"({"trigger":true})", "'trigger'");
  ExpectInvalid(R"({"trigger":{"equals":true}})", "trigger.signal");
  ExpectInvalid(R"({"trigger":{"signal":"odometer.distance","above":3}})", "trigger.signal");
  ExpectInvalid(R"({"trigger":{"signal":"charge.isPluggedIn"}})", "exactly one");
  ExpectInvalid(R"({"trigger":{"signal":"charge.isPluggedIn","equals":true,"above":1}})",
                "exactly one");
  ExpectInvalid(R"({"trigger":{"signal":"charge.isPluggedIn","equals":"yes"}})", "boolean");
  ExpectInvalid(R"({"trigger":{"signal":"charge.isPluggedIn","below":1}})", "boolean");
  ExpectInvalid(R"({"trigger":{"signal":"charge.state","equals":"BOILING"}})", "CHARGING");
  ExpectInvalid(R"({"trigger":{"signal":"battery.percentRemaining","equals":0.5}})", "below");
  ExpectInvalid(R"({"trigger":{"signal":"battery.percentRemaining","below":20}})", "0 to 1");
  ExpectInvalid(R"({"trigger":{"signal":"charge.state","equals":"CHARGING","x":1}})", "trigger.x");
  ExpectInvalid(R"({"intervals":"PT1H"})", "'intervals'");
  ExpectInvalid(R"({"intervals":{"fast":"PT1M"}})", "intervals.fast");
  ExpectInvalid(R"({"intervals":{"default":3600}})", "intervals.default");
  ExpectInvalid(R"({"intervals":{"default":"1 hour"}})", "ISO-8601");
  ExpectInvalid(R"({"intervals":{"default":"PT4M"}})", "PT5M to PT24H");
  ExpectInvalid(R"({"intervals":{"default":"P2D"}})", "PT5M to PT24H");
  ExpectInvalid(R"({"intervals":{"elevated":"PT30S"}})", "PT1M");
  ExpectInvalid(R"({"intervals":{"default":"PT10M"}})", "intervals.elevated");
  ExpectInvalid(R"({"maxPayloadBytes":1023})", "1024");
  ExpectInvalid(R"({"maxPayloadBytes":10485761})", "1024");
  ExpectInvalid(R"({"maxPayloadBytes":2048.5})", "integer");
  ExpectInvalid(R"({"maxPayloadBytes":"2048"})", "integer");
  ExpectInvalid(R"({"standardWebhooks":"true"})", "boolean");
  ExpectInvalid(R"({"errorCallbackUri":"ftp://x"})", "errorCallbackUri");
  ExpectInvalid(R"({"errorCallbackUri":"https://"})", "errorCallbackUri");
  ExpectInvalid(R"({"errorCallbackUri":5})", "errorCallbackUri");
}

TEST(WebhookOptions, AcceptsBoundaryValues) {
  EXPECT_TRUE(Parse(R"({"intervals":{"default":"PT5M","elevated":"PT5M"}})").ok());
  EXPECT_TRUE(Parse(R"({"intervals":{"default":"PT24H","elevated":"PT1M"}})").ok());
  EXPECT_TRUE(Parse(R"({"maxPayloadBytes":1024})").ok());
  EXPECT_TRUE(Parse(R"({"maxPayloadBytes":10485760})").ok());
  EXPECT_TRUE(Parse(R"({"maxPayloadBytes":2048.0})").ok());
  EXPECT_TRUE(Parse(R"({"trigger":{"signal":"battery.percentRemaining","above":1}})").ok());
}

TEST(WebhookOptions, RoundTripsThroughTheStore) {
  auto options = Parse(R"({"data":["/vin","/"],
    "trigger":{"signal":"charge.state","equals":"FULLY_CHARGED"},
    "intervals":{"default":"PT1H30M","elevated":"PT90S"},"errorCallbackUri":"http://e.test/x"})");
  ASSERT_TRUE(options.ok()) << options.error().description;
  const std::string stored = SerializeOptions(*options);
  auto back = DeserializeOptions(stored);
  ASSERT_TRUE(back.ok()) << back.error().description;
  EXPECT_EQ(*back, *options);
  EXPECT_EQ(SerializeOptions(*back), stored);
  EXPECT_NE(stored.find(R"("intervals":{"default":"PT1H30M","elevated":"PT1M30S"})"),
            std::string::npos);
  EXPECT_NE(stored.find(R"("errorCallbackUri":"http://e.test/x")"), std::string::npos);
  EXPECT_EQ(*DeserializeOptions("{}"), WebhookOptions{});
  EXPECT_EQ(*DeserializeOptions(""), WebhookOptions{});
  EXPECT_FALSE(DeserializeOptions("not json").ok());
}

TEST(Trigger, EvaluatesEachSignal) {
  auto plugged = Parse(R"({})")->trigger;
  EXPECT_EQ(plugged.Path(), oem::DataPath::kCharge);
  EXPECT_EQ(plugged.Evaluate(Obj(R"({"isPluggedIn":true,"state":"CHARGING"})")), true);
  EXPECT_EQ(plugged.Evaluate(Obj(R"({"isPluggedIn":false,"state":"NOT_CHARGING"})")), false);
  EXPECT_EQ(plugged.Evaluate(Obj(R"({"state":"CHARGING"})")), std::nullopt);
  EXPECT_EQ(plugged.Evaluate(Obj(R"({"isPluggedIn":"yes"})")), std::nullopt);

  auto full = Parse(R"({"trigger":{"signal":"charge.state","equals":"FULLY_CHARGED"}})")->trigger;
  EXPECT_EQ(full.Evaluate(Obj(R"({"isPluggedIn":true,"state":"FULLY_CHARGED"})")), true);
  EXPECT_EQ(full.Evaluate(Obj(R"({"isPluggedIn":true,"state":"CHARGING"})")), false);

  auto low = Parse(R"({"trigger":{"signal":"battery.percentRemaining","below":0.2}})")->trigger;
  EXPECT_EQ(low.Paths(), std::vector<oem::DataPath>{oem::DataPath::kBattery});
  EXPECT_EQ(low.Evaluate(Obj(R"({"percentRemaining":0.1,"range":30})")), true);
  EXPECT_EQ(low.Evaluate(Obj(R"({"percentRemaining":0.2})")), false);
  EXPECT_EQ(low.Evaluate(Obj(R"({"percentRemaining":0})")), true);
  EXPECT_EQ(low.Evaluate(Obj(R"({"isPluggedIn":true})"), Obj(R"({"percentRemaining":0.5})")),
            false);

  auto high = Parse(R"({"trigger":{"signal":"battery.percentRemaining","above":0.8}})")->trigger;
  EXPECT_EQ(high.Evaluate(Obj(R"({"percentRemaining":0.9})")), true);
  EXPECT_EQ(high.Evaluate(Obj(R"({"percentRemaining":1})")), true);
  EXPECT_EQ(high.Evaluate(Obj(R"({"percentRemaining":0.8})")), false);
}

}  // namespace
}  // namespace dynhook::webhooks
