// The contract fixture of the webhook part of the Store (webhooks, subscriptions, deliveries):
// a StoreContractTest with applications "app-1" and "app-2" created, and record builders.
// Instantiated over ContractHarnesses() in webhook_contract.cc.
#pragma once

#include <string>
#include <vector>

#include "store/store_contract.h"

namespace dynhook::store::testing {

class WebhookContractTest : public StoreContractTest {
 protected:
  void SetUp() override;

  Webhook MakeWebhook(const std::string& applicationId, const std::string& id) const;
  Subscription MakeSubscription(const std::string& applicationId, const std::string& webhookId,
                                const std::string& vehicleId) const;
  // A pending delivery created and due now, with a body naming it.
  Delivery MakeDelivery(const std::string& webhookId, const std::string& id) const;
  AttemptOutcome MakeOutcome(const std::string& deliveryId, int number, int statusCode,
                             const std::string& newStatus) const;

  // Create, or commit, failing the test on error.
  void CreateWebhook(const std::string& applicationId, const std::string& id);
  void Subscribe(const std::string& applicationId, const std::string& webhookId,
                 const std::string& vehicleId);
  std::vector<Delivery> Commit(std::vector<Delivery> deliveries);

  // Ids of every unfinished delivery, in stream order.
  std::vector<std::string> UnfinishedIds();
  std::string StatusOf(const std::string& deliveryId);
};

}  // namespace dynhook::store::testing
