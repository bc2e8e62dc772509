// SqliteStore: webhooks (WebhookStore). Lookups are scoped by application where the caller
// passes one, so one application never sees another's webhooks (NotFound, not Forbidden).
#include "store/sqlite_store.h"
#include "store/sqlite_webhook_rows.h"

namespace dynhook::store {
namespace {

core::Result<std::vector<Webhook>> ReadWebhooks(Query& query, std::string_view context) {
  std::vector<Webhook> webhooks;
  while (true) {
    auto row = query.Step(context);
    if (!row) return row.take_error();
    if (!*row) return webhooks;
    webhooks.push_back(ReadWebhook(query));
  }
}

}  // namespace

core::Status SqliteStore::CreateWebhook(const Webhook& webhook) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare(
        "INSERT INTO webhooks (id, application_id, name, type, callback_uri, status, "
        "disabled_reason, disabled_at, verification_error, verified_at, options_json, "
        "signing_secret_sealed, discarded_count, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    if (!query) return query.take_error();
    query->BindAll(webhook.id, webhook.applicationId, webhook.name, webhook.type,
                   webhook.callbackUri, webhook.status, webhook.disabledReason,
                   OptionalMillis(webhook.disabledAt), webhook.verificationError,
                   OptionalMillis(webhook.verifiedAt), webhook.optionsJson,
                   webhook.signingSecretSealed, webhook.discardedCount,
                   core::ToMillis(webhook.createdAt), core::ToMillis(webhook.updatedAt));
    return query->Run("insert webhook");
  });
}

core::Result<Webhook> SqliteStore::FindWebhook(const std::string& applicationId,
                                               const std::string& webhookId) {
  return Read([&](Database& db) -> core::Result<Webhook> {
    auto query = db.Prepare(std::string("SELECT ") + kWebhookColumns +
                            " FROM webhooks WHERE id = ?1 AND (?2 = '' OR application_id = ?2)");
    if (!query) return query.take_error();
    query->BindAll(webhookId, applicationId);
    auto row = query->Step("find webhook");
    if (!row) return row.take_error();
    if (!*row) return core::errors::NotFound("webhook not found");
    return ReadWebhook(*query);
  });
}

core::Result<std::vector<Webhook>> SqliteStore::ListWebhooks(const std::string& applicationId) {
  return Read([&](Database& db) -> core::Result<std::vector<Webhook>> {
    auto query = db.Prepare(std::string("SELECT ") + kWebhookColumns +
                            " FROM webhooks WHERE application_id = ?1 ORDER BY created_at, id");
    if (!query) return query.take_error();
    query->Bind(1, applicationId);
    return ReadWebhooks(*query, "list webhooks");
  });
}

core::Result<std::vector<Webhook>> SqliteStore::ListAllWebhooks() {
  return Read([&](Database& db) -> core::Result<std::vector<Webhook>> {
    auto query = db.Prepare(std::string("SELECT ") + kWebhookColumns +
                            " FROM webhooks ORDER BY application_id, created_at, id");
    if (!query) return query.take_error();
    return ReadWebhooks(*query, "list all webhooks");
  });
}

core::Status SqliteStore::UpdateWebhook(const Webhook& webhook) {
  return Write([&](Database& db) -> core::Status {
    auto query = db.Prepare(
        "UPDATE webhooks SET name = ?3, callback_uri = ?4, status = ?5, disabled_reason = ?6, "
        "disabled_at = ?7, verification_error = ?8, verified_at = ?9, options_json = ?10, "
        "signing_secret_sealed = ?11, discarded_count = ?12, updated_at = ?13 "
        "WHERE id = ?1 AND application_id = ?2");
    if (!query) return query.take_error();
    query->BindAll(webhook.id, webhook.applicationId, webhook.name, webhook.callbackUri,
                   webhook.status, webhook.disabledReason, OptionalMillis(webhook.disabledAt),
                   webhook.verificationError, OptionalMillis(webhook.verifiedAt),
                   webhook.optionsJson, webhook.signingSecretSealed, webhook.discardedCount,
                   core::ToMillis(webhook.updatedAt));
    return RunExpectingOneRow(db, *query, "webhook");
  });
}

core::Status SqliteStore::DeleteWebhook(const std::string& applicationId,
                                        const std::string& webhookId) {
  // The webhook row goes (its subscriptions with it, by cascade); its deliveries stay as
  // history, the unfinished ones cancelled so nothing attempts them again.
  return Write([&](Database& db) -> core::Status {
    auto remove =
        db.Prepare("DELETE FROM webhooks WHERE id = ?1 AND (?2 = '' OR application_id = ?2)");
    if (!remove) return remove.take_error();
    remove->BindAll(webhookId, applicationId);
    if (auto status = RunExpectingOneRow(db, *remove, "webhook"); !status) return status;
    auto cancel = db.Prepare(
        "UPDATE deliveries SET status = 'cancelled' "
        "WHERE webhook_id = ?1 AND status IN ('pending', 'held')");
    if (!cancel) return cancel.take_error();
    cancel->Bind(1, webhookId);
    return cancel->Run("cancel deliveries of deleted webhook");
  });
}

}  // namespace dynhook::store
