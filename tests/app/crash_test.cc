// Crash safety (SPEC §4.5 at-least-once): a real `dynhook serve` child delivering to a receiver
// is killed with SIGKILL several times under load and restarted on the same database. Every
// delivery the platform created (every eventId that fell due) must reach the receiver at least
// once; duplicates after a crash carry the same eventId and are counted, not failed.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/crypto.h"
#include "core/json.h"
#include "platform_client.h"
#include "server_process.h"
#include "store/store.h"
#include "verifying_receiver.h"

namespace dynhook::testing {
namespace {

// Counts every eventId it receives (answering 200).
class RecordingReceiver {
 public:
  RecordingReceiver()
      : receiver_([this](const http::Request& request) {
          if (auto id = request.Header("SC-Event-Id")) {
            std::lock_guard lock(mu_);
            ++received_[std::string(*id)];
          }
          return 200;
        }) {}

  void SetAmt(std::string amt) { receiver_.SetAmt(std::move(amt)); }
  std::string Url() const { return receiver_.Url(); }
  std::map<std::string, int> Received() const {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, int> received_;  // eventId -> times received; guarded by mu_
  VerifyingReceiver receiver_;           // last: stopped first
};

std::vector<std::string> ServeArgs(const std::string& timeScale) {
  return {"--time-scale", timeScale, "--allow-private-callbacks"};
}

// All deliveries of the webhook in the database: id -> status.
std::map<std::string, std::string> DeliveriesInStore(const std::filesystem::path& dir,
                                                     const std::string& webhookId) {
  std::map<std::string, std::string> out;
  auto store = store::OpenStore("sqlite:" + (dir / "dynhook.db").string());
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return out;
  std::string cursor;
  for (int page = 0; page < 10'000; ++page) {
    auto list = (*store)->ListDeliveries(webhookId, "", 100, cursor);
    EXPECT_TRUE(list.ok());
    if (!list.ok()) break;
    for (const auto& d : list->items) out[d.id] = d.status;
    if (list->nextCursor.empty()) break;
    cursor = list->nextCursor;
  }
  return out;
}

TEST(CrashSafety, SigkillUnderLoadLosesNoDelivery) {
  RecordingReceiver receiver;
  const auto dir =
      std::filesystem::temp_directory_path() / ("dynhook-crash-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::string webhookId;
  {
    // Ten platform hours per wall second: each vehicle falls due about ten times a second.
    ServerProcess server(dir, ServeArgs("36000"));
    PlatformClient client(server.base(), ServerProcess::kAdminToken);
    const auto app = client.CreateApplication();
    receiver.SetAmt(app.managementToken);
    std::vector<ConnectedOwner> owners;
    for (const char* make : {"TESLA", "BMW", "TOYOTA"}) {
      owners.push_back(client.Connect(app, make, std::string("crash-") + make + "@example.com"));
    }
    auto created = client.CallJson(
        "POST", "/api/webhooks", app.managementToken,
        R"({"name":"crash","type":"dynamic","callbackUri":")" + receiver.Url() + "\"}");
    ASSERT_EQ(created.status, 201) << created.body;
    webhookId = std::string(PlatformClient::Json(created.body).at("id").as_string());
    for (const auto& owner : owners) {
      for (const auto& vehicle : owner.vehicleIds) {
        auto sub = client.CallJson("POST", "/v2.0/vehicles/" + vehicle + "/webhooks/" + webhookId,
                                   owner.accessToken, "{}");
        ASSERT_EQ(sub.status, 200) << sub.body;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    server.Kill();
  }
  for (int crash = 0; crash < 3; ++crash) {
    ServerProcess server(dir, ServeArgs("36000"));
    std::this_thread::sleep_for(std::chrono::milliseconds(800 + 300 * crash));
    server.Kill();
  }
  // Last run at wall speed: only what fell due while down (caught up once) and what was
  // unfinished is delivered; then everything must be out.
  {
    ServerProcess server(dir, ServeArgs("1"));
    bool drained = false;
    for (int i = 0; i < 300 && !drained; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const auto deliveries = DeliveriesInStore(dir, webhookId);
      drained = std::all_of(deliveries.begin(), deliveries.end(),
                            [](const auto& d) { return d.second == "succeeded"; });
    }
    EXPECT_TRUE(drained) << "deliveries still unfinished after 30 s";
    EXPECT_EQ(server.Terminate(), 0);
  }
  const auto deliveries = DeliveriesInStore(dir, webhookId);
  const auto received = receiver.Received();
  size_t duplicates = 0, missing = 0;
  for (const auto& [id, status] : deliveries) {
    const auto it = received.find(id);
    if (it == received.end()) {
      ++missing;
      ADD_FAILURE() << "delivery " << id << " (" << status << ") never reached the receiver";
    } else {
      duplicates += static_cast<size_t>(it->second - 1);
    }
  }
  std::cout << "crash test: " << deliveries.size() << " deliveries, " << received.size()
            << " distinct eventIds received, " << duplicates << " duplicates, " << missing
            << " missing\n";
  EXPECT_GT(deliveries.size(), 20u);
  EXPECT_EQ(missing, 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dynhook::testing
