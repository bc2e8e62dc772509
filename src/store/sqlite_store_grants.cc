// SqliteStore: authorization codes, users, grants and tokens (GrantStore).
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

namespace dynhook::store {
namespace {

const char* KindName(TokenKind kind) { return kind == TokenKind::kRefresh ? "refresh" : "access"; }

core::Result<AuthorizationCode> ReadCode(const Query& row) {
  AuthorizationCode code;
  code.codeHash = row.Text(0);
  code.applicationId = row.Text(1);
  code.redirectUri = row.Text(2);
  code.userId = row.Text(3);
  code.oemAccountId = row.Text(4);
  auto vehicles = DecodeList(row.Text(5), "authorization_codes.vehicle_ids");
  if (!vehicles) return vehicles.take_error();
  code.vehicleIds = std::move(*vehicles);
  auto scopes = DecodeList(row.Text(6), "authorization_codes.scopes");
  if (!scopes) return scopes.take_error();
  code.scopes = std::move(*scopes);
  code.mode = row.Text(7);
  code.expiresAt = core::FromMillis(row.Int(8));
  return code;
}

Token ReadToken(const Query& row) {
  Token token;
  token.tokenHash = row.Text(0);
  token.kind = row.Text(1) == "refresh" ? TokenKind::kRefresh : TokenKind::kAccess;
  token.grantId = row.Text(2);
  token.expiresAt = core::FromMillis(row.Int(3));
  if (!row.IsNull(4)) token.usedAt = core::FromMillis(row.Int(4));
  return token;
}

core::Status InsertToken(Database& db, const Token& token) {
  auto query = db.Prepare(
      "INSERT INTO tokens (token_hash, kind, grant_id, expires_at, used_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!query) return query.take_error();
  std::optional<int64_t> usedAt;
  if (token.usedAt) usedAt = core::ToMillis(*token.usedAt);
  query->BindAll(token.tokenHash, KindName(token.kind), token.grantId,
                 core::ToMillis(token.expiresAt), usedAt);
  return query->Run("insert token");
}

core::Result<Token> FindTokenIn(Database& db, const std::string& tokenHash) {
  auto query = db.Prepare(
      "SELECT token_hash, kind, grant_id, expires_at, used_at FROM tokens WHERE token_hash = ?1");
  if (!query) return query.take_error();
  query->Bind(1, tokenHash);
  auto row = query->Step("find token");
  if (!row) return row.take_error();
  if (!*row) return core::errors::NotFound("token not found");
  return ReadToken(*query);
}

core::Status InsertGrant(Database& db, const Grant& grant) {
  auto query = db.Prepare(
      "INSERT INTO grants (id, application_id, user_id, oem_account_id, scopes, mode, created_at, "
      "code_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!query) return query.take_error();
  std::optional<std::string> codeHash;
  if (!grant.codeHash.empty()) codeHash = grant.codeHash;
  query->BindAll(grant.id, grant.applicationId, grant.userId, grant.oemAccountId,
                 EncodeList(grant.scopes), grant.mode, core::ToMillis(grant.createdAt), codeHash);
  return query->Run("insert grant");
}

// Connects `vehicleId` through `grant`, replacing the vehicle's earlier connection to the same
// application (whose grant then no longer reaches this vehicle).
core::Status UpsertConnection(Database& db, const Grant& grant, const std::string& vehicleId) {
  auto query = db.Prepare(
      "INSERT INTO connections (application_id, vehicle_id, grant_id, user_id, mode, "
      "connected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (application_id, vehicle_id) DO UPDATE SET grant_id = excluded.grant_id, "
      "user_id = excluded.user_id, mode = excluded.mode, connected_at = excluded.connected_at");
  if (!query) return query.take_error();
  query->BindAll(grant.applicationId, vehicleId, grant.id, grant.userId, grant.mode,
                 core::ToMillis(grant.createdAt));
  return query->Run("connect vehicle");
}

// The checks of RotateRefreshToken on the stored old token.
core::Status CheckRefreshable(const Token& old, core::TimePoint now, core::Duration reuseWindow) {
  if (old.kind != TokenKind::kRefresh) {
    return core::errors::Authentication("the token is not a refresh token");
  }
  if (now >= old.expiresAt) return core::errors::Authentication("the refresh token has expired");
  if (old.usedAt && *old.usedAt <= now - reuseWindow) {
    return core::errors::Authentication("the refresh token has already been used");
  }
  return {};
}

}  // namespace

core::Status SqliteStore::SaveAuthorizationCode(const AuthorizationCode& code) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare(
        "INSERT INTO authorization_codes (code_hash, application_id, redirect_uri, user_id, "
        "oem_account_id, vehicle_ids, scopes, mode, expires_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!query) return query.take_error();
    query->BindAll(code.codeHash, code.applicationId, code.redirectUri, code.userId,
                   code.oemAccountId, EncodeList(code.vehicleIds), EncodeList(code.scopes),
                   code.mode, core::ToMillis(code.expiresAt));
    return query->Run("insert authorization code");
  });
}

core::Result<AuthorizationCode> SqliteStore::ConsumeAuthorizationCode(const std::string& codeHash,
                                                                      core::TimePoint now) {
  // Delete-returning: whoever deletes the row owns the code. An expired code is deleted (and
  // the deletion committed) as well, then reported as not found.
  auto code = Write([&](Database& db) -> core::Result<AuthorizationCode> {
    auto query = db.Prepare(
        "DELETE FROM authorization_codes WHERE code_hash = ?1 RETURNING code_hash, "
        "application_id, redirect_uri, user_id, oem_account_id, vehicle_ids, scopes, mode, "
        "expires_at");
    if (!query) return query.take_error();
    query->Bind(1, codeHash);
    auto row = query->Step("consume authorization code");
    if (!row) return row.take_error();
    if (!*row) return core::errors::NotFound("authorization code not found or already used");
    auto taken = ReadCode(*query);
    if (auto rest = query->Run("consume authorization code"); !rest) return rest.take_error();
    return taken;
  });
  if (code && now >= code->expiresAt) {
    return core::errors::NotFound("authorization code has expired");
  }
  return code;
}

core::Result<std::string> SqliteStore::UserIdFor(const std::string& applicationId,
                                                 const std::string& oemAccountId,
                                                 const std::string& newUserId) {
  // The no-op update makes RETURNING yield the existing row on conflict.
  return Write([&](Database& db) -> core::Result<std::string> {
    auto query = db.Prepare(
        "INSERT INTO users (application_id, oem_account_id, user_id) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (application_id, oem_account_id) DO UPDATE SET user_id = users.user_id "
        "RETURNING user_id");
    if (!query) return query.take_error();
    query->BindAll(applicationId, oemAccountId, newUserId);
    auto row = query->Step("find user");
    if (!row) return row.take_error();
    if (!*row) return core::errors::Internal("user upsert returned no row");
    std::string userId = query->Text(0);
    if (auto rest = query->Run("find user"); !rest) return rest.take_error();
    return userId;
  });
}

core::Status SqliteStore::CreateGrant(const Grant& grant,
                                      const std::vector<std::string>& vehicleIds,
                                      const Token& access, const Token& refresh) {
  return Write([&](Database& db) -> core::Status {
    if (auto status = InsertGrant(db, grant); !status) return status;
    for (const std::string& vehicleId : vehicleIds) {
      if (auto status = UpsertConnection(db, grant, vehicleId); !status) return status;
    }
    if (auto status = InsertToken(db, access); !status) return status;
    return InsertToken(db, refresh);
  });
}

core::Result<Grant> SqliteStore::FindGrant(const std::string& grantId) {
  return Read([&](Database& db) -> core::Result<Grant> {
    auto query = db.Prepare(
        "SELECT id, application_id, user_id, oem_account_id, scopes, mode, created_at, "
        "code_hash FROM grants WHERE id = ?1");
    if (!query) return query.take_error();
    query->Bind(1, grantId);
    auto row = query->Step("find grant");
    if (!row) return row.take_error();
    if (!*row) return core::errors::NotFound("grant not found");
    Grant grant;
    grant.id = query->Text(0);
    grant.applicationId = query->Text(1);
    grant.userId = query->Text(2);
    grant.oemAccountId = query->Text(3);
    auto scopes = DecodeList(query->Text(4), "grants.scopes");
    if (!scopes) return scopes.take_error();
    grant.scopes = std::move(*scopes);
    grant.mode = query->Text(5);
    grant.createdAt = core::FromMillis(query->Int(6));
    if (!query->IsNull(7)) grant.codeHash = query->Text(7);
    return grant;
  });
}

core::Result<int64_t> SqliteStore::RevokeTokensOfCode(const std::string& codeHash) {
  return Write([&](Database& db) -> core::Result<int64_t> {
    auto query = db.Prepare(
        "DELETE FROM tokens WHERE grant_id IN (SELECT id FROM grants WHERE code_hash = ?1)");
    if (!query) return query.take_error();
    query->Bind(1, codeHash);
    if (auto status = query->Run("revoke tokens of a reused code"); !status) {
      return status.take_error();
    }
    return static_cast<int64_t>(db.Changes());
  });
}

core::Result<int64_t> SqliteStore::PurgeExpiredCredentials(core::TimePoint now, int limit) {
  if (limit < 1) return core::errors::Validation("purge limit must be at least 1");
  // Both through their expires_at indexes.
  constexpr const char* kStatements[] = {
      "DELETE FROM authorization_codes WHERE code_hash IN "
      "(SELECT code_hash FROM authorization_codes WHERE expires_at < ?1 LIMIT ?2)",
      "DELETE FROM tokens WHERE token_hash IN "
      "(SELECT token_hash FROM tokens WHERE expires_at < ?1 LIMIT ?2)",
  };
  return Write([&](Database& db) -> core::Result<int64_t> {
    int64_t purged = 0;
    for (const char* sql : kStatements) {
      auto query = db.Prepare(sql);
      if (!query) return query.take_error();
      query->BindAll(core::ToMillis(now), static_cast<int64_t>(limit));
      if (auto status = query->Run("purge expired credentials"); !status) {
        return status.take_error();
      }
      purged += db.Changes();
    }
    return purged;
  });
}

core::Result<Token> SqliteStore::FindToken(const std::string& tokenHash) {
  return Read([&](Database& db) { return FindTokenIn(db, tokenHash); });
}

core::Status SqliteStore::RotateRefreshToken(const std::string& oldRefreshHash, core::TimePoint now,
                                             core::Duration reuseWindow, const Token& access,
                                             const Token& refresh) {
  return Write([&](Database& db) -> core::Status {
    auto old = FindTokenIn(db, oldRefreshHash);
    if (!old) {
      if (old.error().type == "RESOURCE_NOT_FOUND") {
        return core::errors::Authentication("the refresh token is not valid");
      }
      return old.take_error();
    }
    if (auto status = CheckRefreshable(*old, now, reuseWindow); !status) return status;
    if (access.grantId != old->grantId || refresh.grantId != old->grantId) {
      return core::errors::Validation("rotated tokens must belong to the refresh token's grant");
    }
    if (!old->usedAt) {
      auto mark = db.Prepare("UPDATE tokens SET used_at = ?2 WHERE token_hash = ?1");
      if (!mark) return mark.take_error();
      mark->BindAll(oldRefreshHash, core::ToMillis(now));
      if (auto status = mark->Run("mark refresh token used"); !status) return status;
    }
    if (auto status = InsertToken(db, access); !status) return status;
    return InsertToken(db, refresh);
  });
}

}  // namespace dynhook::store
