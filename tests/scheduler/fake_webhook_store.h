// FakeWebhookStore: an in-memory WebhookStore + SubscriptionStore + DeliveryStore + GrantStore
// (FindGrant only) for the scheduler's tests, with a switch that makes the next CommitFetch
// calls fail. Implements what the scheduler uses faithfully (CommitFetch assigns sequences and
// applies schedule updates of existing subscriptions); the rest answers SERVER:INTERNAL.
// Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "store/webhook_store.h"

namespace dynhook::scheduler::testing {

inline core::Error Unsupported() { return core::errors::Internal("not in the fake"); }

class FakeWebhookStore final : public store::WebhookStore,
                               public store::SubscriptionStore,
                               public store::DeliveryStore,
                               public store::GrantStore {
 public:
  // Test set-up and inspection.
  void PutGrant(const store::Grant& grant) {
    std::lock_guard lock(mu_);
    grants_[grant.id] = grant;
  }
  void FailNextCommits(int count) {
    std::lock_guard lock(mu_);
    commitFailures_ = count;
  }
  std::vector<store::Delivery> Deliveries() {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  store::Subscription Sub(const std::string& webhookId, const std::string& vehicleId) {
    std::lock_guard lock(mu_);
    return subs_.at({webhookId, vehicleId});
  }
  int commits = 0;  // guarded by mu_ (read after the scheduler is idle)

  // WebhookStore.
  core::Status CreateWebhook(const store::Webhook& webhook) override {
    std::lock_guard lock(mu_);
    webhooks_[webhook.id] = webhook;
    return {};
  }
  core::Result<store::Webhook> FindWebhook(const std::string& appId,
                                           const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = webhooks_.find(id);
    if (it == webhooks_.end() || (!appId.empty() && it->second.applicationId != appId)) {
      return core::errors::NotFound("no webhook");
    }
    return it->second;
  }
  core::Result<std::vector<store::Webhook>> ListWebhooks(const std::string&) override {
    return Unsupported();
  }
  core::Result<std::vector<store::Webhook>> ListAllWebhooks() override {
    std::lock_guard lock(mu_);
    std::vector<store::Webhook> out;
    for (const auto& [id, w] : webhooks_) out.push_back(w);
    return out;
  }
  core::Status UpdateWebhook(const store::Webhook& webhook) override {
    std::lock_guard lock(mu_);
    webhooks_[webhook.id] = webhook;
    return {};
  }
  core::Status DeleteWebhook(const std::string&, const std::string& id) override {
    std::lock_guard lock(mu_);
    webhooks_.erase(id);
    std::erase_if(subs_, [&](const auto& entry) { return entry.first.first == id; });
    return {};
  }

  // SubscriptionStore.
  core::Result<store::Subscription> UpsertSubscription(const store::Subscription& sub,
                                                       bool* created) override {
    std::lock_guard lock(mu_);
    auto [it, added] = subs_.try_emplace({sub.webhookId, sub.vehicleId}, sub);
    if (created) *created = added;
    return it->second;
  }
  core::Result<bool> DeleteSubscription(const std::string& webhookId,
                                        const std::string& vehicleId) override {
    std::lock_guard lock(mu_);
    return subs_.erase({webhookId, vehicleId}) > 0;
  }
  core::Result<std::vector<store::Subscription>> DeleteVehicleSubscriptions(
      const std::string&, const std::string&) override {
    return Unsupported();
  }
  core::Result<store::Page<store::Subscription>> ListSubscriptions(const std::string&, int,
                                                                   const std::string&) override {
    return Unsupported();
  }
  core::Result<int64_t> CountSubscriptions(const std::string&) override { return Unsupported(); }
  core::Status ForEachSubscription(
      const std::function<void(const store::Subscription&)>& fn) override {
    std::lock_guard lock(mu_);
    for (const auto& [key, sub] : subs_) fn(sub);
    return {};
  }

  // DeliveryStore.
  core::Status CommitFetch(std::vector<store::Delivery>& deliveries,
                           const std::vector<store::ScheduleUpdate>& schedules) override {
    std::lock_guard lock(mu_);
    if (commitFailures_ > 0) {
      --commitFailures_;
      return core::errors::Internal("injected commit failure");
    }
    ++commits;
    for (auto& delivery : deliveries) {
      delivery.sequence = ++sequences_[delivery.webhookId];
      deliveries_.push_back(delivery);
    }
    for (const auto& update : schedules) {
      auto it = subs_.find({update.webhookId, update.vehicleId});
      if (it == subs_.end()) continue;
      it->second.nextDueAt = update.nextDueAt;
      it->second.interval = update.interval;
      it->second.triggerActive = update.triggerActive;
      it->second.lastFetchAt = update.lastFetchAt;
    }
    return {};
  }
  core::Status InsertDelivery(store::Delivery&) override { return Unsupported(); }
  core::Status RecordAttempts(const std::vector<store::AttemptOutcome>&, core::TimePoint) override {
    return Unsupported();
  }
  core::Status ForEachUnfinishedDelivery(
      const std::function<void(const store::Delivery&)>&) override {
    return Unsupported();
  }
  core::Result<store::Delivery> FindDelivery(const std::string&, const std::string&) override {
    return Unsupported();
  }
  core::Result<std::vector<store::DeliveryAttempt>> ListAttempts(const std::string&) override {
    return Unsupported();
  }
  core::Result<store::Page<store::Delivery>> ListDeliveries(const std::string&, const std::string&,
                                                            int, const std::string&) override {
    return Unsupported();
  }
  core::Result<int64_t> HoldPending(const std::string&) override { return Unsupported(); }
  core::Result<int64_t> ReleaseHeld(const std::string&, bool, core::TimePoint) override {
    return Unsupported();
  }
  core::Result<int64_t> DiscardHeldBefore(core::TimePoint) override { return Unsupported(); }
  core::Result<int64_t> PurgeFinishedBefore(core::TimePoint, int) override { return Unsupported(); }
  core::Result<DeliveryCounts> CountDeliveries(const std::string&, core::TimePoint) override {
    return Unsupported();
  }

  // GrantStore: FindGrant only.
  core::Result<store::Grant> FindGrant(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = grants_.find(id);
    if (it == grants_.end()) return core::errors::NotFound("no grant");
    return it->second;
  }
  core::Result<int64_t> RevokeTokensOfCode(const std::string&) override { return Unsupported(); }
  core::Result<int64_t> PurgeExpiredCredentials(core::TimePoint, int) override {
    return Unsupported();
  }

  core::Status SaveAuthorizationCode(const store::AuthorizationCode&) override {
    return Unsupported();
  }
  core::Result<store::AuthorizationCode> ConsumeAuthorizationCode(const std::string&,
                                                                  core::TimePoint) override {
    return Unsupported();
  }
  core::Result<std::string> UserIdFor(const std::string&, const std::string&,
                                      const std::string&) override {
    return Unsupported();
  }
  core::Status CreateGrant(const store::Grant&, const std::vector<std::string>&,
                           const store::Token&, const store::Token&) override {
    return Unsupported();
  }
  core::Result<store::Token> FindToken(const std::string&) override { return Unsupported(); }
  core::Status RotateRefreshToken(const std::string&, core::TimePoint, core::Duration,
                                  const store::Token&, const store::Token&) override {
    return Unsupported();
  }
  core::Result<store::Connection> FindConnection(const std::string&, const std::string&) override {
    return Unsupported();
  }
  core::Result<std::vector<store::Connection>> ListGrantConnections(const std::string&, int, int,
                                                                    int*) override {
    return Unsupported();
  }
  core::Result<store::Page<store::Connection>> ListConnections(const ConnectionQuery&) override {
    return Unsupported();
  }
  core::Result<std::vector<store::Connection>> DeleteConnections(
      const std::string&, const std::optional<std::string>&,
      const std::optional<std::string>&) override {
    return Unsupported();
  }

 private:
  std::mutex mu_;
  std::map<std::string, store::Webhook> webhooks_;                           // guarded by mu_
  std::map<std::pair<std::string, std::string>, store::Subscription> subs_;  // guarded by mu_
  std::vector<store::Delivery> deliveries_;                                  // guarded by mu_
  std::map<std::string, int64_t> sequences_;                                 // guarded by mu_
  std::map<std::string, store::Grant> grants_;                               // guarded by mu_
  int commitFailures_ = 0;                                                   // guarded by mu_
};

}  // namespace dynhook::scheduler::testing
