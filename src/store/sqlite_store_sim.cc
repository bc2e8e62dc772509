// SqliteStore: the simulated OEM's accounts and vehicles (SimFleetStore).
#include <bit>

#include "store/sqlite_store.h"

namespace dynhook::store {
namespace {

constexpr const char* kVehicleColumns =
    "id, account_id, make, model, year, vin, seed, state_override, fault";

core::Status InsertVehicle(Database& db, const SimVehicle& vehicle) {
  auto query = db.Prepare(std::string("INSERT INTO sim_vehicles (") + kVehicleColumns +
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!query) return query.take_error();
  // SQLite integers are signed 64-bit: the seed is stored with the same bits.
  query->BindAll(vehicle.id, vehicle.accountId, vehicle.make, vehicle.model, vehicle.year,
                 vehicle.vin, std::bit_cast<int64_t>(vehicle.seed),
                 vehicle.stateOverrideJson.empty() ? "{}" : vehicle.stateOverrideJson,
                 vehicle.fault);
  return query->Run("insert simulated vehicle");
}

}  // namespace

core::Status SqliteStore::CreateSimAccount(const SimAccount& account,
                                           const std::vector<SimVehicle>& vehicles) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare(
        "INSERT INTO sim_accounts (id, make, username, password_hash, salt, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!query) return query.take_error();
    query->BindAll(account.id, account.make, account.username, account.passwordHash, account.salt,
                   core::ToMillis(account.createdAt));
    if (auto status = query->Run("insert simulated account"); !status) return status;
    for (const SimVehicle& vehicle : vehicles) {
      if (auto status = InsertVehicle(db, vehicle); !status) return status;
    }
    return {};
  });
}

core::Result<std::vector<SimAccount>> SqliteStore::ListSimAccounts() {
  return Read([](Database& db) -> core::Result<std::vector<SimAccount>> {
    auto query = db.Prepare(
        "SELECT id, make, username, password_hash, salt, created_at FROM sim_accounts "
        "ORDER BY created_at, id");
    if (!query) return query.take_error();
    std::vector<SimAccount> accounts;
    while (true) {
      auto row = query->Step("list simulated accounts");
      if (!row) return row.take_error();
      if (!*row) return accounts;
      SimAccount& account = accounts.emplace_back();
      account.id = query->Text(0);
      account.make = query->Text(1);
      account.username = query->Text(2);
      account.passwordHash = query->Text(3);
      account.salt = query->Text(4);
      account.createdAt = core::FromMillis(query->Int(5));
    }
  });
}

core::Result<std::vector<SimVehicle>> SqliteStore::ListSimVehicles() {
  return Read([](Database& db) -> core::Result<std::vector<SimVehicle>> {
    auto query = db.Prepare(std::string("SELECT ") + kVehicleColumns +
                            " FROM sim_vehicles ORDER BY account_id, id");
    if (!query) return query.take_error();
    std::vector<SimVehicle> vehicles;
    while (true) {
      auto row = query->Step("list simulated vehicles");
      if (!row) return row.take_error();
      if (!*row) return vehicles;
      SimVehicle& vehicle = vehicles.emplace_back();
      vehicle.id = query->Text(0);
      vehicle.accountId = query->Text(1);
      vehicle.make = query->Text(2);
      vehicle.model = query->Text(3);
      vehicle.year = static_cast<int>(query->Int(4));
      vehicle.vin = query->Text(5);
      vehicle.seed = std::bit_cast<uint64_t>(query->Int(6));
      vehicle.stateOverrideJson = query->Text(7);
      vehicle.fault = query->Text(8);
    }
  });
}

core::Status SqliteStore::UpdateSimAccountPassword(const std::string& accountId,
                                                   const std::string& passwordHash,
                                                   const std::string& salt) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare("UPDATE sim_accounts SET password_hash = ?2, salt = ?3 WHERE id = ?1");
    if (!query) return query.take_error();
    query->BindAll(accountId, passwordHash, salt);
    return RunExpectingOneRow(db, *query, "simulated account");
  });
}

core::Status SqliteStore::SetSimVehicleOverride(const std::string& vehicleId,
                                                const std::string& stateOverrideJson) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare("UPDATE sim_vehicles SET state_override = ?2 WHERE id = ?1");
    if (!query) return query.take_error();
    query->BindAll(vehicleId, stateOverrideJson.empty() ? "{}" : stateOverrideJson);
    return RunExpectingOneRow(db, *query, "simulated vehicle");
  });
}

core::Status SqliteStore::SetSimVehicleFault(const std::string& vehicleId,
                                             const std::string& fault) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare("UPDATE sim_vehicles SET fault = ?2 WHERE id = ?1");
    if (!query) return query.take_error();
    query->BindAll(vehicleId, fault);
    return RunExpectingOneRow(db, *query, "simulated vehicle");
  });
}

}  // namespace dynhook::store
