#include "api/units.h"

#include <gtest/gtest.h>

namespace dynhook::api {
namespace {

TEST(UnitsTest, ParsesTheHeader) {
  EXPECT_EQ(*ParseUnitSystem(std::nullopt), UnitSystem::kMetric);
  EXPECT_EQ(*ParseUnitSystem("metric"), UnitSystem::kMetric);
  EXPECT_EQ(*ParseUnitSystem("Imperial"), UnitSystem::kImperial);
  for (auto bad : {"", "metric ", "si", "imperial\n"}) {
    auto parsed = ParseUnitSystem(std::string_view(bad));
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().status, 400);
  }
}

TEST(UnitsTest, ConvertsOnlyTheDocumentedFields) {
  boost::json::object fuel{
      {"range", 160.9344}, {"percentRemaining", 0.5}, {"amountRemaining", 37.85411784}};
  ConvertUnits(oem::DataPath::kFuel, UnitSystem::kImperial, fuel);
  EXPECT_DOUBLE_EQ(fuel.at("range").as_double(), 100);
  EXPECT_DOUBLE_EQ(fuel.at("amountRemaining").as_double(), 10);
  EXPECT_DOUBLE_EQ(fuel.at("percentRemaining").as_double(), 0.5);

  boost::json::object tires{
      {"frontLeft", 250}, {"frontRight", 250}, {"backLeft", 250}, {"backRight", "n/a"}};
  ConvertUnits(oem::DataPath::kTires, UnitSystem::kImperial, tires);
  EXPECT_NEAR(tires.at("frontLeft").as_double(), 36.2594, 1e-4);
  EXPECT_EQ(tires.at("backRight"), "n/a");

  boost::json::object odometer{{"distance", 1609.344}};
  ConvertUnits(oem::DataPath::kOdometer, UnitSystem::kMetric, odometer);
  EXPECT_DOUBLE_EQ(odometer.at("distance").as_double(), 1609.344);
  ConvertUnits(oem::DataPath::kOdometer, UnitSystem::kImperial, odometer);
  EXPECT_DOUBLE_EQ(odometer.at("distance").as_double(), 1000);

  boost::json::object location{{"latitude", 1.5}, {"longitude", 2.5}};
  ConvertUnits(oem::DataPath::kLocation, UnitSystem::kImperial, location);
  EXPECT_EQ(location, (boost::json::object{{"latitude", 1.5}, {"longitude", 2.5}}));
}

}  // namespace
}  // namespace dynhook::api
