#include "connect/scopes.h"

#include <gtest/gtest.h>

namespace dynhook::connect {
namespace {

TEST(Scopes, KnowsEveryPermissionOfTheSpecWithADescription) {
  const std::vector<std::string_view> expected = {
      "read_vehicle_info", "read_battery",  "read_charge",      "read_location",
      "read_odometer",     "read_vin",      "read_fuel",        "read_tires",
      "read_engine_oil",   "read_security", "control_security", "control_charge"};
  EXPECT_EQ(AllPermissions(), expected);
  for (auto name : expected) {
    EXPECT_TRUE(IsKnownPermission(name)) << name;
    EXPECT_FALSE(DescribePermission(name).empty()) << name;
  }
  EXPECT_FALSE(IsKnownPermission("read_thoughts"));
  EXPECT_TRUE(DescribePermission("read_thoughts").empty());
}

TEST(Scopes, ParsesSpaceSeparatedNamesWithRequiredPrefix) {
  auto parsed = ParseScope("required:read_battery  read_charge required:read_vehicle_info");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].name, "read_battery");
  EXPECT_TRUE((*parsed)[0].required);
  EXPECT_EQ((*parsed)[1].name, "read_charge");
  EXPECT_FALSE((*parsed)[1].required);
  EXPECT_TRUE((*parsed)[2].required);
  EXPECT_EQ(PermissionNames(*parsed),
            (std::vector<std::string>{"read_battery", "read_charge", "read_vehicle_info"}));
}

TEST(Scopes, MergesDuplicatesKeepingRequired) {
  auto parsed = ParseScope("read_odometer required:read_odometer read_odometer");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_TRUE((*parsed)[0].required);
}

TEST(Scopes, RejectsUnknownAndEmpty) {
  auto unknown = ParseScope("read_battery read_<script>");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, "VALIDATION");
  EXPECT_NE(unknown.error().description.find("read_<script>"), std::string::npos);
  EXPECT_FALSE(ParseScope("").ok());
  EXPECT_FALSE(ParseScope("   ").ok());
  EXPECT_FALSE(ParseScope("required:").ok());
  EXPECT_FALSE(ParseScope("READ_BATTERY").ok());  // names are case-sensitive, as Smartcar's
}

TEST(Scopes, RejectsAbsurdlyLongLists) {
  std::string scope;
  for (int i = 0; i < 101; ++i) scope += "read_vin ";
  EXPECT_FALSE(ParseScope(scope).ok());
}

}  // namespace
}  // namespace dynhook::connect
