// The simulated OEM's catalog (SPEC §5): the makes the simulator offers, their capabilities and
// optimal data intervals (following the frequencies real makes offer through Smartcar), their
// models with the physical parameters the vehicle model needs, and VIN generation.
// Each make has one powertrain kind; everything here is immutable static data, so all
// functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "oem/connector.h"

namespace dynhook::oem {

enum class Powertrain { kElectric, kPluginHybrid, kCombustion };

struct ModelSpec {
  std::string name;        // "Model 3"
  std::string wmi;         // VIN positions 1-3, "5YJ"
  std::string vds;         // VIN positions 4-8, "3E1EA"
  double batteryKwh = 0;   // usable capacity; 0 without a traction battery
  double kwhPer100Km = 0;  // electric consumption
  double tankLiters = 0;   // 0 without a fuel tank
  double litersPer100Km = 0;
  double homeChargeKw = 0;  // AC charging power at home
  double tireKpa = 250;     // recommended cold pressure
};

struct MakeSpec {
  MakeInfo info;
  Powertrain powertrain = Powertrain::kCombustion;
  std::vector<ModelSpec> models;
  int firstYear = 2019;  // model years offered
  int lastYear = 2026;
};

// Every make of the catalog, in a stable order.
const std::vector<MakeSpec>& Catalog();
// Case-insensitive lookup ("tesla" finds TESLA); nullptr when unknown.
const MakeSpec* FindMake(std::string_view make);

// What a new simulated vehicle of a make looks like, deterministic in `seed`.
struct GeneratedVehicle {
  const ModelSpec* model = nullptr;
  int year = 0;
  std::string vin;
};
GeneratedVehicle GenerateVehicle(const MakeSpec& make, uint64_t seed);

// VIN helpers (ISO 3779 / North American check digit in position 9).
// `serial` is the 6-digit production number (positions 12-17).
std::string MakeVin(std::string_view wmi, std::string_view vds, int year, char plant,
                    uint32_t serial);
char VinCheckDigit(std::string_view vin);  // of a 17-character VIN; '?' when malformed
bool IsValidVin(std::string_view vin);     // 17 legal characters and a correct check digit

}  // namespace dynhook::oem
