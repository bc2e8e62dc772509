#include "oem/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace dynhook::oem {
namespace {

bool Has(const MakeInfo& make, DataPath path) {
  return std::find(make.capabilities.begin(), make.capabilities.end(), path) !=
         make.capabilities.end();
}

TEST(CatalogTest, OffersTheRequiredKindsOfMakes) {
  ASSERT_GE(Catalog().size(), 4u);
  const MakeSpec* tesla = FindMake("TESLA");
  ASSERT_NE(tesla, nullptr);
  EXPECT_EQ(tesla->powertrain, Powertrain::kElectric);
  EXPECT_TRUE(tesla->info.pushesChanges);
  EXPECT_LE(tesla->info.optimalInterval, std::chrono::minutes(5));
  int electric = 0, hybrid = 0, combustion = 0;
  for (const auto& spec : Catalog()) {
    electric += spec.powertrain == Powertrain::kElectric;
    hybrid += spec.powertrain == Powertrain::kPluginHybrid;
    combustion += spec.powertrain == Powertrain::kCombustion;
  }
  EXPECT_GE(electric, 2);
  EXPECT_GE(hybrid, 1);
  EXPECT_GE(combustion, 1);
}

TEST(CatalogTest, CapabilitiesFollowThePowertrain) {
  for (const auto& spec : Catalog()) {
    const MakeInfo& info = spec.info;
    SCOPED_TRACE(info.make);
    EXPECT_EQ(info.electric, Has(info, DataPath::kBattery));
    EXPECT_EQ(info.electric, Has(info, DataPath::kCharge));
    EXPECT_EQ(info.combustion, Has(info, DataPath::kFuel));
    EXPECT_EQ(info.electric, spec.powertrain != Powertrain::kCombustion);
    EXPECT_EQ(info.combustion, spec.powertrain != Powertrain::kElectric);
    EXPECT_TRUE(Has(info, DataPath::kAttributes));
    EXPECT_TRUE(Has(info, DataPath::kOdometer));
    EXPECT_GE(info.optimalInterval, std::chrono::minutes(1));
    EXPECT_LE(info.optimalInterval, std::chrono::minutes(60));
    EXPECT_FALSE(spec.models.empty());
    for (const auto& model : spec.models) {
      EXPECT_EQ(model.batteryKwh > 0, info.electric) << model.name;
      EXPECT_EQ(model.tankLiters > 0, info.combustion) << model.name;
    }
  }
  EXPECT_GE(FindMake("TOYOTA")->info.optimalInterval, std::chrono::minutes(30));
}

TEST(CatalogTest, FindMakeIsCaseInsensitive) {
  EXPECT_EQ(FindMake("tesla"), FindMake("TESLA"));
  EXPECT_EQ(FindMake("Volvo"), FindMake("VOLVO"));
  EXPECT_EQ(FindMake("DELOREAN"), nullptr);
  EXPECT_EQ(FindMake(""), nullptr);
}

TEST(CatalogTest, VinCheckDigit) {
  EXPECT_TRUE(IsValidVin("1M8GDM9AXKP042788"));  // the textbook example, check digit X
  EXPECT_TRUE(IsValidVin("11111111111111111"));
  EXPECT_FALSE(IsValidVin("1M8GDM9A1KP042788"));
  EXPECT_FALSE(IsValidVin("1M8GDM9AXKP04278"));
  EXPECT_FALSE(IsValidVin("IM8GDM9AXKP042788"));  // I is not a VIN character
}

TEST(CatalogTest, GeneratedVehiclesAreValidAndDeterministic) {
  for (const auto& spec : Catalog()) {
    for (uint64_t seed = 0; seed < 200; ++seed) {
      const GeneratedVehicle v = GenerateVehicle(spec, seed);
      ASSERT_TRUE(IsValidVin(v.vin)) << v.vin;
      EXPECT_EQ(v.vin.substr(0, 3), v.model->wmi);
      EXPECT_GE(v.year, spec.firstYear);
      EXPECT_LE(v.year, spec.lastYear);
      const GeneratedVehicle again = GenerateVehicle(spec, seed);
      EXPECT_EQ(again.vin, v.vin);
      EXPECT_EQ(again.model, v.model);
    }
  }
  EXPECT_NE(GenerateVehicle(Catalog()[0], 1).vin, GenerateVehicle(Catalog()[0], 2).vin);
}

TEST(CatalogTest, VinEncodesTheModelYear) {
  EXPECT_EQ(MakeVin("5YJ", "3E1EA", 2024, 'F', 123456)[9], 'R');
  EXPECT_EQ(MakeVin("5YJ", "3E1EA", 2021, 'F', 123456)[9], 'M');
  EXPECT_TRUE(IsValidVin(MakeVin("5YJ", "3E1EA", 2026, 'F', 1)));
}

}  // namespace
}  // namespace dynhook::oem
