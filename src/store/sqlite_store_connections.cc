// SqliteStore: connections (GrantStore). Listing pages by keyset on (connected_at, vehicle_id),
// oldest first, so a page costs one index range scan however deep it is, and rows inserted
// while a client pages never shift the pages it has yet to read.
#include <charconv>
#include <limits>

#include "core/crypto.h"
#include "store/sqlite_store.h"

namespace dynhook::store {
namespace {

constexpr const char* kColumns =
    "application_id, grant_id, user_id, vehicle_id, mode, connected_at";

Connection ReadConnection(const Query& row) {
  Connection connection;
  connection.applicationId = row.Text(0);
  connection.grantId = row.Text(1);
  connection.userId = row.Text(2);
  connection.vehicleId = row.Text(3);
  connection.mode = row.Text(4);
  connection.connectedAt = core::FromMillis(row.Int(5));
  return connection;
}

core::Result<std::vector<Connection>> ReadAll(Query& query, std::string_view context) {
  std::vector<Connection> connections;
  while (true) {
    auto row = query.Step(context);
    if (!row) return row.take_error();
    if (!*row) return connections;
    connections.push_back(ReadConnection(query));
  }
}

// The position after the last item of a page: the opaque cursor handed to clients.
struct Position {
  int64_t connectedAt = 0;
  std::string vehicleId;
};

std::string EncodeCursor(const Connection& last) {
  return core::Base64Encode(std::to_string(core::ToMillis(last.connectedAt)) + "|" +
                            last.vehicleId);
}

core::Result<Position> DecodeCursor(const std::string& cursor) {
  auto text = core::Base64Decode(cursor);
  core::Error invalid = core::errors::Validation("invalid paging cursor");
  if (!text) return invalid;
  const size_t bar = text->find('|');
  if (bar == std::string::npos) return invalid;
  Position position;
  auto [end, ec] = std::from_chars(text->data(), text->data() + bar, position.connectedAt);
  if (ec != std::errc() || end != text->data() + bar) return invalid;
  position.vehicleId = text->substr(bar + 1);
  return position;
}

// SQL for a ListConnections page. One statement per filter combination, so each uses its own
// index: (application, vehicle) primary key, (application, user, time, vehicle) or
// (application, time, vehicle). Parameters: ?1 application, ?2 user, ?3 vehicle,
// ?4/?5 cursor position, ?6 limit.
std::string PageSql(bool byUser, bool byVehicle) {
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM connections WHERE application_id = ?1"
                    " AND (connected_at, vehicle_id) > (?4, ?5)";
  if (byUser) sql += " AND user_id = ?2";
  if (byVehicle) sql += " AND vehicle_id = ?3";
  return sql + " ORDER BY connected_at, vehicle_id LIMIT ?6";
}

std::string DeleteSql(bool byUser, bool byVehicle) {
  std::string sql = "DELETE FROM connections WHERE application_id = ?1";
  if (byUser) sql += " AND user_id = ?2";
  if (byVehicle) sql += " AND vehicle_id = ?3";
  return sql + " RETURNING " + kColumns;
}

}  // namespace

core::Result<Connection> SqliteStore::FindConnection(const std::string& grantId,
                                                     const std::string& vehicleId) {
  return Read([&](Database& db) -> core::Result<Connection> {
    auto query = db.Prepare(std::string("SELECT ") + kColumns +
                            " FROM connections WHERE grant_id = ?1 AND vehicle_id = ?2");
    if (!query) return query.take_error();
    query->BindAll(grantId, vehicleId);
    auto row = query->Step("find connection");
    if (!row) return row.take_error();
    if (!*row) return core::errors::NotFound("vehicle is not connected through this grant");
    return ReadConnection(*query);
  });
}

core::Result<std::vector<Connection>> SqliteStore::ListGrantConnections(const std::string& grantId,
                                                                        int limit, int offset,
                                                                        int* total) {
  if (limit < 0 || offset < 0) return core::errors::Validation("limit and offset must be >= 0");
  return Read([&](Database& db) -> core::Result<std::vector<Connection>> {
    auto snapshot = Transaction::Begin(db, Transaction::Kind::kDeferred);  // count and page agree
    if (!snapshot) return snapshot.take_error();
    if (total != nullptr) {
      auto count = db.Prepare("SELECT count(*) FROM connections WHERE grant_id = ?1");
      if (!count) return count.take_error();
      count->Bind(1, grantId);
      auto row = count->Step("count grant connections");
      if (!row) return row.take_error();
      *total = *row ? static_cast<int>(count->Int(0)) : 0;
    }
    auto query = db.Prepare(std::string("SELECT ") + kColumns +
                            " FROM connections WHERE grant_id = ?1 ORDER BY vehicle_id"
                            " LIMIT ?2 OFFSET ?3");
    if (!query) return query.take_error();
    query->BindAll(grantId, limit, offset);
    auto connections = ReadAll(*query, "list grant connections");
    if (!connections) return connections;
    if (auto status = snapshot->Commit(); !status) return status.take_error();
    return connections;
  });
}

core::Result<Page<Connection>> SqliteStore::ListConnections(const ConnectionQuery& query) {
  if (query.limit < 1) return core::errors::Validation("limit must be at least 1");
  Position after{std::numeric_limits<int64_t>::min(), ""};
  if (!query.cursor.empty()) {
    auto position = DecodeCursor(query.cursor);
    if (!position) return position.take_error();
    after = std::move(*position);
  }
  return Read([&](Database& db) -> core::Result<Page<Connection>> {
    auto select = db.Prepare(PageSql(query.userId.has_value(), query.vehicleId.has_value()));
    if (!select) return select.take_error();
    // One extra row tells whether another page follows.
    select->BindAll(query.applicationId, query.userId, query.vehicleId, after.connectedAt,
                    after.vehicleId, static_cast<int64_t>(query.limit) + 1);
    auto rows = ReadAll(*select, "list connections");
    if (!rows) return rows.take_error();
    Page<Connection> page;
    page.items = std::move(*rows);
    if (page.items.size() > static_cast<size_t>(query.limit)) {
      page.items.resize(static_cast<size_t>(query.limit));
      page.nextCursor = EncodeCursor(page.items.back());
    }
    return page;
  });
}

core::Result<std::vector<Connection>> SqliteStore::DeleteConnections(
    const std::string& applicationId, const std::optional<std::string>& userId,
    const std::optional<std::string>& vehicleId) {
  if (!userId && !vehicleId) {
    return core::errors::Validation("a user id or a vehicle id is required");
  }
  return Write([&](Database& db) -> core::Result<std::vector<Connection>> {
    auto query = db.Prepare(DeleteSql(userId.has_value(), vehicleId.has_value()));
    if (!query) return query.take_error();
    query->Bind(1, applicationId);  // bind only the parameters the statement has
    if (userId) query->Bind(2, *userId);
    if (vehicleId) query->Bind(3, *vehicleId);
    return ReadAll(*query, "delete connections");
  });
}

}  // namespace dynhook::store
