// Store contract: concurrent callers. Bounded thread and iteration counts; no timing asserts.
#include <atomic>
#include <set>
#include <thread>

#include "store/store_contract.h"

namespace dynhook::store::testing {
namespace {

constexpr int kThreads = 8;

TEST_P(StoreContractTest, ExactlyOneRacerConsumesACode) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  for (int round = 0; round < 5; ++round) {
    const std::string hash = "code-" + std::to_string(round);
    ASSERT_TRUE(store_->SaveAuthorizationCode(MakeCode(hash, "app-1")).ok());
    std::atomic<int> winners{0};
    std::atomic<int> notFound{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        auto result = store_->ConsumeAuthorizationCode(hash, clock_.Now());
        if (result.ok()) {
          ++winners;
        } else if (result.error().type == "RESOURCE_NOT_FOUND") {
          ++notFound;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(winners.load(), 1);
    EXPECT_EQ(notFound.load(), kThreads - 1);
  }
}

TEST_P(StoreContractTest, ConcurrentWritersAndReadersAllSucceed) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  constexpr int kGrantsPerThread = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kGrantsPerThread; ++i) {
        const std::string id = "grant-" + std::to_string(t) + "-" + std::to_string(i);
        const std::string vehicle = "v-" + std::to_string(t) + "-" + std::to_string(i);
        auto created = store_->CreateGrant(MakeGrant("app-1", id, "user-" + std::to_string(t)),
                                           {vehicle}, MakeToken(id + "-a", TokenKind::kAccess, id),
                                           MakeToken(id + "-r", TokenKind::kRefresh, id));
        auto user = store_->UserIdFor("app-1", "oem-shared", "user-" + std::to_string(t));
        auto found = store_->FindConnection(id, vehicle);  // reads its own write
        GrantStore::ConnectionQuery query;
        query.applicationId = "app-1";
        query.limit = 5;
        auto page = store_->ListConnections(query);
        if (!created.ok() || !user.ok() || !found.ok() || !page.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);

  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  query.limit = 1000;
  auto all = store_->ListConnections(query);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), static_cast<size_t>(kThreads * kGrantsPerThread));
  // Every racer got the same, first-created user for the shared OEM account.
  auto user = store_->UserIdFor("app-1", "oem-shared", "late");
  ASSERT_TRUE(user.ok());
  EXPECT_NE(*user, "late");
}

TEST_P(StoreContractTest, ConcurrentRotationOfOneTokenKeepsEveryPair) {
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  CreateGrantWith("app-1", "grant-1", "user-1", {"v1"});
  std::atomic<int> rotated{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string next = "next-" + std::to_string(t);
      auto status =
          store_->RotateRefreshToken("grant-1-refresh", clock_.Now(), std::chrono::minutes(1),
                                     MakeToken(next + "-a", TokenKind::kAccess, "grant-1"),
                                     MakeToken(next + "-r", TokenKind::kRefresh, "grant-1"));
      if (status.ok()) ++rotated;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(rotated.load(), kThreads);  // all within the reuse window
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(store_->FindToken("next-" + std::to_string(t) + "-r").ok());
  }
}

}  // namespace
}  // namespace dynhook::store::testing
