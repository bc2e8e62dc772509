// SqliteStore: applications (ApplicationStore).
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

namespace dynhook::store {
namespace {

constexpr const char* kColumns =
    "id, name, client_id, client_secret_hash, management_token_hash, management_token_sealed, "
    "redirect_uris, created_at";

core::Result<Application> ReadApplication(const Query& row) {
  Application app;
  app.id = row.Text(0);
  app.name = row.Text(1);
  app.clientId = row.Text(2);
  app.clientSecretHash = row.Text(3);
  app.managementTokenHash = row.Text(4);
  app.managementTokenSealed = row.Text(5);
  auto uris = DecodeList(row.Text(6), "applications.redirect_uris");
  if (!uris) return uris.take_error();
  app.redirectUris = std::move(*uris);
  app.createdAt = core::FromMillis(row.Int(7));
  return app;
}

// Runs a one-parameter SELECT of kColumns and reads its single row, or NotFound.
core::Result<Application> FindOne(Database& db, const std::string& where,
                                  const std::string& value) {
  auto query = db.Prepare(std::string("SELECT ") + kColumns + " FROM applications WHERE " + where);
  if (!query) return query.take_error();
  query->Bind(1, value);
  auto row = query->Step("find application");
  if (!row) return row.take_error();
  if (!*row) return core::errors::NotFound("application not found");
  return ReadApplication(*query);
}

}  // namespace

core::Status SqliteStore::CreateApplication(const Application& app) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare(std::string("INSERT INTO applications (") + kColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!query) return query.take_error();
    query->BindAll(app.id, app.name, app.clientId, app.clientSecretHash, app.managementTokenHash,
                   app.managementTokenSealed, EncodeList(app.redirectUris),
                   core::ToMillis(app.createdAt));
    return query->Run("insert application");
  });
}

core::Result<Application> SqliteStore::FindApplicationById(const std::string& id) {
  return Read([&](Database& db) { return FindOne(db, "id = ?1", id); });
}

core::Result<Application> SqliteStore::FindApplicationByClientId(const std::string& clientId) {
  return Read([&](Database& db) { return FindOne(db, "client_id = ?1", clientId); });
}

core::Result<Application> SqliteStore::FindApplicationByTokenHash(const std::string& amtHash) {
  return Read([&](Database& db) { return FindOne(db, "management_token_hash = ?1", amtHash); });
}

core::Result<std::vector<Application>> SqliteStore::ListApplications() {
  return Read([](Database& db) -> core::Result<std::vector<Application>> {
    auto query = db.Prepare(std::string("SELECT ") + kColumns +
                            " FROM applications ORDER BY created_at, id");
    if (!query) return query.take_error();
    std::vector<Application> apps;
    while (true) {
      auto row = query->Step("list applications");
      if (!row) return row.take_error();
      if (!*row) return apps;
      auto app = ReadApplication(*query);
      if (!app) return app.take_error();
      apps.push_back(std::move(*app));
    }
  });
}

core::Status SqliteStore::UpdateApplication(const Application& app) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare(
        "UPDATE applications SET name = ?2, client_secret_hash = ?3, management_token_hash = ?4, "
        "management_token_sealed = ?5, redirect_uris = ?6 WHERE id = ?1");
    if (!query) return query.take_error();
    query->BindAll(app.id, app.name, app.clientSecretHash, app.managementTokenHash,
                   app.managementTokenSealed, EncodeList(app.redirectUris));
    return RunExpectingOneRow(db, *query, "application");
  });
}

}  // namespace dynhook::store
