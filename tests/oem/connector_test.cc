#include "oem/connector.h"

#include <gtest/gtest.h>

namespace dynhook::oem {
namespace {

TEST(ConnectorTest, PathsRoundTrip) {
  for (auto path : {DataPath::kAttributes, DataPath::kBattery, DataPath::kCharge,
                    DataPath::kLocation, DataPath::kOdometer, DataPath::kFuel, DataPath::kTires,
                    DataPath::kEngineOil, DataPath::kVin, DataPath::kSecurity}) {
    EXPECT_EQ(ParseDataPath(PathOf(path)), path) << PathOf(path);
  }
}

TEST(ConnectorTest, ParsesVariants) {
  EXPECT_EQ(PathOf(DataPath::kBattery), "/battery");
  EXPECT_EQ(ParseDataPath("battery"), DataPath::kBattery);
  EXPECT_EQ(ParseDataPath("/battery/"), DataPath::kBattery);
  EXPECT_EQ(ParseDataPath("tires/pressure"), DataPath::kTires);
  EXPECT_EQ(ParseDataPath("/engine/oil"), DataPath::kEngineOil);
  EXPECT_EQ(ParseDataPath("/"), DataPath::kAttributes);
  EXPECT_EQ(ParseDataPath("/nope"), std::nullopt);
  EXPECT_EQ(ParseDataPath("/tires"), std::nullopt);
}

TEST(ConnectorTest, Permissions) {
  EXPECT_EQ(PermissionOf(DataPath::kAttributes), "read_vehicle_info");
  EXPECT_EQ(PermissionOf(DataPath::kBattery), "read_battery");
  EXPECT_EQ(PermissionOf(DataPath::kTires), "read_tires");
  EXPECT_EQ(PermissionOf(DataPath::kEngineOil), "read_engine_oil");
  EXPECT_EQ(PermissionOf(DataPath::kSecurity), "read_security");
  EXPECT_EQ(PermissionOf(DataPath::kVin), "read_vin");
}

}  // namespace
}  // namespace dynhook::oem
