#include "oem/catalog.h"

#include <cctype>

#include "oem/sim_hash.h"

namespace dynhook::oem {
namespace {

using std::chrono::minutes;
using D = DataPath;

std::vector<DataPath> Caps(bool battery, bool fuel, bool tires, bool security) {
  std::vector<DataPath> caps = {D::kAttributes, D::kLocation, D::kOdometer, D::kVin};
  if (battery) caps.insert(caps.end(), {D::kBattery, D::kCharge});
  if (fuel) caps.insert(caps.end(), {D::kFuel, D::kEngineOil});
  if (tires) caps.push_back(D::kTires);
  if (security) caps.push_back(D::kSecurity);
  return caps;
}

MakeSpec Make(std::string make, std::string display, Powertrain powertrain, bool tires,
              bool security, core::Duration interval, bool push, std::vector<ModelSpec> models) {
  MakeSpec spec;
  const bool battery = powertrain != Powertrain::kCombustion;
  const bool fuel = powertrain != Powertrain::kElectric;
  spec.info = MakeInfo{std::move(make),
                       std::move(display),
                       battery,
                       fuel,
                       Caps(battery, fuel, tires, security),
                       interval,
                       push};
  spec.powertrain = powertrain;
  spec.models = std::move(models);
  return spec;
}

ModelSpec Ev(std::string name, std::string wmi, std::string vds, double kwh, double per100,
             double chargeKw, double tireKpa) {
  return ModelSpec{std::move(name), std::move(wmi), std::move(vds), kwh, per100, 0, 0,
                   chargeKw,        tireKpa};
}

ModelSpec Phev(std::string name, std::string wmi, std::string vds, double kwh, double per100,
               double tank, double litersPer100, double chargeKw, double tireKpa) {
  return ModelSpec{std::move(name), std::move(wmi), std::move(vds), kwh, per100, tank,
                   litersPer100,    chargeKw,       tireKpa};
}

ModelSpec Ice(std::string name, std::string wmi, std::string vds, double tank, double litersPer100,
              double tireKpa) {
  return ModelSpec{std::move(name), std::move(wmi), std::move(vds), 0, 0, tank, litersPer100, 0,
                   tireKpa};
}

// Intervals follow what the makes' connected-car APIs really deliver (Smartcar's published
// frequencies): Tesla streams within seconds to minutes, Polestar/Volvo within 1-3 minutes,
// Hyundai about every 15 minutes, GM brands 30-45 minutes, Toyota 30-60 minutes.
std::vector<MakeSpec> BuildCatalog() {
  const auto kEv = Powertrain::kElectric;
  const auto kPhev = Powertrain::kPluginHybrid;
  const auto kIce = Powertrain::kCombustion;
  return {
      Make("TESLA", "Tesla", kEv, true, true, minutes(1), true,
           {Ev("Model 3", "5YJ", "3E1EA", 57.5, 14.5, 11, 290),
            Ev("Model Y", "7SA", "YGDEE", 75, 16.5, 11, 290),
            Ev("Model S", "5YJ", "SA1E2", 95, 18, 11, 290),
            Ev("Model X", "7SA", "XCBE5", 95, 21, 11, 290)}),
      Make("POLESTAR", "Polestar", kEv, true, false, minutes(2), true,
           {Ev("Polestar 2", "LPS", "ED3KA", 75, 18.5, 11, 250),
            Ev("Polestar 3", "YSM", "KA3FB", 107, 22, 11, 270),
            Ev("Polestar 4", "LPS", "GF4RA", 94, 19.5, 11, 260)}),
      Make("VOLVO", "Volvo", kPhev, true, true, minutes(3), true,
           {Phev("XC60 Recharge", "YV4", "H60DL", 18.8, 23, 71, 8.5, 3.7, 250),
            Phev("XC90 Recharge", "YV4", "BR0CL", 18.8, 25, 71, 9, 3.7, 260),
            Phev("S60 Recharge", "7JR", "BL0FM", 18.8, 20, 60, 7, 3.7, 250)}),
      Make("HYUNDAI", "Hyundai", kEv, false, true, minutes(15), false,
           {Ev("Ioniq 5", "KM8", "KRDAF", 74, 17.5, 10.9, 250),
            Ev("Ioniq 6", "KMH", "M34AA", 74, 15, 10.9, 250),
            Ev("Kona Electric", "KM8", "K33AG", 64, 15.5, 10.9, 250)}),
      Make("CHEVROLET", "Chevrolet", kEv, true, true, minutes(30), false,
           {Ev("Bolt EV", "1G1", "FY6S0", 65, 16, 7.2, 262),
            Ev("Bolt EUV", "1G1", "FZ6S0", 65, 17, 11.5, 262),
            Ev("Equinox EV", "3GN", "7DNRP", 85, 18.5, 11.5, 255),
            Ev("Blazer EV", "3GN", "KDJRJ", 85, 20.5, 11.5, 255)}),
      Make("BMW", "BMW", kPhev, true, true, minutes(30), false,
           {Phev("330e", "3MW", "39FF0", 12, 17, 40, 6.5, 3.7, 240),
            Phev("X5 xDrive50e", "5UX", "43EU0", 25.7, 27, 69, 9, 7.4, 260),
            Phev("X3 30e", "5UX", "53DP0", 15, 22, 65, 8, 3.7, 250)}),
      Make("TOYOTA", "Toyota", kIce, true, false, minutes(30), false,
           {Ice("Camry Hybrid", "4T1", "K31AK", 50, 4.7, 240),
            Ice("RAV4 Hybrid", "2T3", "RWRFV", 55, 5.9, 240),
            Ice("Corolla", "5YF", "B4MCE", 50, 6.5, 240),
            Ice("Tacoma", "3TM", "CZ5AN", 80, 11.5, 240),
            Ice("Highlander", "5TD", "ZARAH", 65, 10, 240)}),
      Make(
          "FORD", "Ford", kIce, true, true, minutes(20), false,
          {Ice("F-150", "1FT", "FW1E5", 98, 12.5, 241), Ice("Escape", "1FM", "CU9GD", 54, 8.4, 241),
           Ice("Explorer", "1FM", "5K8GC", 70, 10.5, 241),
           Ice("Bronco", "1FM", "EE5DP", 64, 12.5, 241)}),
  };
}

int TransliterateVin(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  static constexpr int kValues[] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
                                    5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto pos = kLetters.find(c);
  return pos == std::string_view::npos ? -1 : kValues[pos];
}

char YearCode(int year) {
  static constexpr std::string_view kCodes = "ABCDEFGHJKLMNPRSTVWXY123456789";
  return kCodes[static_cast<size_t>(((year - 1980) % 30 + 30) % 30)];
}

}  // namespace

const std::vector<MakeSpec>& Catalog() {
  static const std::vector<MakeSpec> catalog = BuildCatalog();
  return catalog;
}

const MakeSpec* FindMake(std::string_view make) {
  for (const auto& spec : Catalog()) {
    if (spec.info.make.size() != make.size()) continue;
    bool same = true;
    for (size_t i = 0; i < make.size() && same; ++i) {
      same = std::toupper(static_cast<unsigned char>(make[i])) == spec.info.make[i];
    }
    if (same) return &spec;
  }
  return nullptr;
}

char VinCheckDigit(std::string_view vin) {
  static constexpr int kWeights[] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
  if (vin.size() != 17) return '?';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (i == 8) continue;
    const int value = TransliterateVin(vin[i]);
    if (value < 0) return '?';
    sum += value * kWeights[i];
  }
  const int rest = sum % 11;
  return rest == 10 ? 'X' : static_cast<char>('0' + rest);
}

bool IsValidVin(std::string_view vin) {
  if (vin.size() != 17) return false;
  const char check = VinCheckDigit(vin);
  return check != '?' && check == vin[8];
}

std::string MakeVin(std::string_view wmi, std::string_view vds, int year, char plant,
                    uint32_t serial) {
  std::string vin;
  vin.append(wmi.substr(0, 3)).append(vds.substr(0, 5)).push_back('0');
  vin.push_back(YearCode(year));
  vin.push_back(plant);
  const std::string digits = std::to_string(100000 + serial % 900000);
  vin.append(digits);
  vin[8] = VinCheckDigit(vin);
  return vin;
}

GeneratedVehicle GenerateVehicle(const MakeSpec& make, uint64_t seed) {
  static constexpr std::string_view kPlants = "ABCFKLNPRSUZ1234";
  GeneratedVehicle vehicle;
  vehicle.model = &make.models[sim::Mix(seed, 1) % make.models.size()];
  const int span = make.lastYear - make.firstYear + 1;
  vehicle.year = make.firstYear + static_cast<int>(sim::Mix(seed, 2) % span);
  const char plant = kPlants[sim::Mix(seed, 3) % kPlants.size()];
  vehicle.vin = MakeVin(vehicle.model->wmi, vehicle.model->vds, vehicle.year, plant,
                        static_cast<uint32_t>(sim::Mix(seed, 4) % 900000));
  return vehicle;
}

}  // namespace dynhook::oem
