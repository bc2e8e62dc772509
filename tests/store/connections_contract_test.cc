// Store contract: connections (listing, paging, deleting).
#include <map>
#include <set>

#include "store/store_contract.h"

namespace dynhook::store::testing {
namespace {

std::string VehicleName(int n) {
  char name[16];
  std::snprintf(name, sizeof name, "v%03d", n);
  return name;
}

class ConnectionsTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
    ASSERT_TRUE(store_->CreateApplication(MakeApplication(2)).ok());
  }

  std::vector<Connection> ListAll(GrantStore::ConnectionQuery query) {
    std::vector<Connection> all;
    for (int page = 0; page < 1000; ++page) {
      auto result = store_->ListConnections(query);
      EXPECT_TRUE(result.ok()) << result.error().description;
      if (!result.ok()) break;
      all.insert(all.end(), result->items.begin(), result->items.end());
      if (result->nextCursor.empty()) break;
      query.cursor = result->nextCursor;
    }
    return all;
  }
};

TEST_P(ConnectionsTest, CursorPagingVisitsEveryConnectionOnce) {
  // 250 vehicles over 25 grants; many share a connectedAt, so the cursor must break ties.
  for (int g = 0; g < 25; ++g) {
    std::vector<std::string> vehicles;
    for (int v = 0; v < 10; ++v) vehicles.push_back(VehicleName(g * 10 + v));
    CreateGrantWith("app-1", "grant-" + std::to_string(g), "user-" + std::to_string(g % 3),
                    vehicles);
    if (g % 2 == 0) clock_.Advance(std::chrono::seconds(1));
  }
  CreateGrantWith("app-2", "grant-other", "user-0", {"other-vehicle"});

  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  query.limit = 7;
  std::map<std::string, int> seen;
  int pages = 0;
  core::TimePoint last{};
  for (; pages < 100; ++pages) {
    auto page = store_->ListConnections(query);
    ASSERT_TRUE(page.ok()) << page.error().description;
    ASSERT_LE(page->items.size(), 7u);
    for (const Connection& c : page->items) {
      ++seen[c.vehicleId];
      EXPECT_EQ(c.applicationId, "app-1");
      EXPECT_GE(c.connectedAt, last);  // oldest first
      last = c.connectedAt;
    }
    if (page->nextCursor.empty()) break;
    query.cursor = page->nextCursor;
  }
  EXPECT_EQ(pages + 1, 36);  // ceil(250 / 7)
  ASSERT_EQ(seen.size(), 250u);
  for (const auto& [vehicle, count] : seen) EXPECT_EQ(count, 1) << vehicle;
}

TEST_P(ConnectionsTest, ExactPageHasNoNextCursor) {
  CreateGrantWith("app-1", "grant-1", "user-1", {"a", "b", "c", "d"});
  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  query.limit = 4;
  auto page = store_->ListConnections(query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 4u);
  EXPECT_TRUE(page->nextCursor.empty());
}

TEST_P(ConnectionsTest, ListFiltersByUserAndVehicle) {
  CreateGrantWith("app-1", "grant-1", "user-1", {"a", "b"});
  CreateGrantWith("app-1", "grant-2", "user-2", {"c"});
  CreateGrantWith("app-2", "grant-3", "user-1", {"d"});
  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  query.userId = "user-1";
  EXPECT_EQ(ListAll(query).size(), 2u);
  query.vehicleId = "b";
  auto both = ListAll(query);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].grantId, "grant-1");
  query.userId.reset();
  query.vehicleId = "c";
  EXPECT_EQ(ListAll(query).size(), 1u);
  query.vehicleId = "d";  // belongs to the other application
  EXPECT_TRUE(ListAll(query).empty());
}

TEST_P(ConnectionsTest, BadCursorOrLimitIsValidationError) {
  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  for (const char* cursor : {"!!!", "bm9waXBl", "YWJjfGQ="}) {  // not base64, no '|', not a time
    query.cursor = cursor;
    auto page = store_->ListConnections(query);
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.error().type, "VALIDATION");
  }
  query.cursor.clear();
  query.limit = 0;
  EXPECT_FALSE(store_->ListConnections(query).ok());
}

TEST_P(ConnectionsTest, GrantConnectionsPageByOffsetInVehicleOrder) {
  CreateGrantWith("app-1", "grant-1", "user-1", {"c", "a", "e", "b", "d"});
  int total = 0;
  auto page = store_->ListGrantConnections("grant-1", 2, 1, &total);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(total, 5);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].vehicleId, "b");
  EXPECT_EQ((*page)[1].vehicleId, "c");
  auto tail = store_->ListGrantConnections("grant-1", 10, 4, nullptr);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].vehicleId, "e");
  auto none = store_->ListGrantConnections("grant-x", 10, 0, &total);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(total, 0);
}

TEST_P(ConnectionsTest, DeleteByVehicleReturnsRemovedAndEndsAccess) {
  CreateGrantWith("app-1", "grant-1", "user-1", {"a", "b"});
  CreateGrantWith("app-2", "grant-2", "user-1", {"a"});
  auto removed = store_->DeleteConnections("app-1", std::nullopt, std::string("a"));
  ASSERT_TRUE(removed.ok());
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_EQ((*removed)[0].vehicleId, "a");
  EXPECT_EQ((*removed)[0].userId, "user-1");
  EXPECT_EQ(store_->FindConnection("grant-1", "a").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_TRUE(store_->FindConnection("grant-1", "b").ok());
  EXPECT_TRUE(store_->FindConnection("grant-2", "a").ok());  // other application keeps it
  EXPECT_TRUE(store_->FindToken("grant-1-access").ok());     // token finds no connection now
}

TEST_P(ConnectionsTest, DeleteByUserAndByBoth) {
  CreateGrantWith("app-1", "grant-1", "user-1", {"a", "b"});
  CreateGrantWith("app-1", "grant-2", "user-2", {"c", "d"});
  auto none = store_->DeleteConnections("app-1", std::string("user-1"), std::string("c"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto one = store_->DeleteConnections("app-1", std::string("user-2"), std::string("c"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto user = store_->DeleteConnections("app-1", std::string("user-1"), std::nullopt);
  ASSERT_TRUE(user.ok());
  std::set<std::string> vehicles;
  for (const Connection& c : *user) vehicles.insert(c.vehicleId);
  EXPECT_EQ(vehicles, (std::set<std::string>{"a", "b"}));
  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  auto rest = ListAll(query);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].vehicleId, "d");
}

TEST_P(ConnectionsTest, DeleteNeedsUserOrVehicle) {
  CreateGrantWith("app-1", "grant-1", "user-1", {"a"});
  auto result = store_->DeleteConnections("app-1", std::nullopt, std::nullopt);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().type, "VALIDATION");
  EXPECT_TRUE(store_->FindConnection("grant-1", "a").ok());
}

TEST_P(ConnectionsTest, InjectionLookingIdsAreMatchedVerbatim) {
  const std::string evil = "x' OR '1'='1";
  CreateGrantWith("app-1", "grant-1", "user-1", {evil, "plain"});
  GrantStore::ConnectionQuery query;
  query.applicationId = "app-1";
  query.vehicleId = evil;
  auto found = ListAll(query);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].vehicleId, evil);
  auto removed = store_->DeleteConnections("app-1", std::nullopt, std::string("' OR 1=1 --"));
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(removed->empty());
  query.vehicleId.reset();
  EXPECT_EQ(ListAll(query).size(), 2u);
}

DYNHOOK_STORE_CONTRACT(ConnectionsTest);

}  // namespace
}  // namespace dynhook::store::testing
