#include "scheduler/payload.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "scheduler/schedule_heap.h"

namespace dynhook::scheduler {
namespace {

core::SeededRandom random(7);

std::vector<EntryJson> Entries(const std::vector<size_t>& sizes) {
  std::vector<EntryJson> out;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const std::string id = "v" + std::to_string(i);
    std::string json = R"({"vehicleId":")" + id + R"(","pad":")";
    json += std::string(sizes[i] - json.size() - 2, 'x') + "\"}";
    out.push_back(EntryJson{id, json});
  }
  return out;
}

TEST(Payload, SplitsSoNoBodyExceedsTheLimit) {
  const auto entries = Entries({300, 300, 300, 300, 300, 300, 300});
  const auto payloads = BuildPayloads("wh", "live", entries, 1024, random);
  ASSERT_EQ(payloads.size(), 4u);  // 2 + 2 + 2 + 1: a third entry would not fit the envelope
  size_t vehicles = 0;
  for (const auto& p : payloads) {
    EXPECT_LE(p.body.size(), 1024u);
    if (&p != &payloads.back()) {
      EXPECT_GT(p.body.size() + 301, 1024u);  // packed greedily
    }
    auto body = core::ParseJsonObject(p.body).value();
    EXPECT_EQ(core::Stringify(body), p.body);
    EXPECT_EQ(body.at("eventId").as_string(), p.eventId);
    EXPECT_EQ(body.at("payload").at("vehicles").as_array().size(), p.vehicleIds.size());
    vehicles += p.vehicleIds.size();
  }
  EXPECT_EQ(vehicles, 7u);
  EXPECT_EQ(payloads[0].vehicleIds, (std::vector<std::string>{"v0", "v1"}));
}

TEST(Payload, AnOversizedVehicleGoesAlone) {
  const auto entries = Entries({100, 5000, 100});
  const auto payloads = BuildPayloads("wh", "live", entries, 1024, random);
  ASSERT_EQ(payloads.size(), 3u);
  EXPECT_EQ(payloads[1].vehicleIds, std::vector<std::string>{"v1"});
  EXPECT_GT(payloads[1].body.size(), 1024u);
}

TEST(Payload, ExactFitIsAllowed) {
  auto entries = Entries({200, 200});
  const size_t total = BuildPayloads("wh", "live", entries, 1 << 20, random)[0].body.size();
  EXPECT_EQ(BuildPayloads("wh", "live", entries, total, random).size(), 1u);
  EXPECT_EQ(BuildPayloads("wh", "live", entries, total - 1, random).size(), 2u);
  EXPECT_TRUE(BuildPayloads("wh", "live", {}, 1024, random).empty());
}

TEST(Payload, ItemsOnSuccessAndError) {
  Readings readings;
  readings.emplace(
      oem::DataPath::kBattery,
      oem::Reading{core::ParseJsonObject(R"({"percentRemaining":0.58,"range":283.24})").value(),
                   core::FromMillis(1'795'000'000'000), core::FromMillis(0)});
  readings.emplace(oem::DataPath::kCharge,
                   core::errors::VehicleState("ASLEEP", "The vehicle is asleep."));
  EXPECT_EQ(core::Stringify(DataItem(oem::DataPath::kBattery, readings, true, "r")),
            R"({"path":"/battery","code":200,"body":{"percentRemaining":0.58,"range":283.24},)"
            R"("headers":{"sc-data-age":")" +
                core::FormatIso8601(core::FromMillis(1'795'000'000'000)) +
                R"(","sc-unit-system":"metric"}})");
  const auto asleep = DataItem(oem::DataPath::kCharge, readings, true, "r");
  EXPECT_EQ(asleep.at("code"), 409);
  EXPECT_EQ(asleep.at("body").at("code"), "ASLEEP");
  EXPECT_EQ(asleep.at("body").at("requestId"), "r");
  EXPECT_EQ(DataItem(oem::DataPath::kOdometer, readings, true, "r").at("code"), 500);
  EXPECT_EQ(DataItem(oem::DataPath::kBattery, readings, false, "r").at("code"), 403);
  EXPECT_TRUE(Permits({"read_battery"}, oem::DataPath::kBattery));
  EXPECT_FALSE(Permits({"read_battery"}, oem::DataPath::kCharge));
}

TEST(ScheduleHeap, PopsInDueOrderAndVisitsOnlyDueEntries) {
  ScheduleHeap heap;
  for (uint32_t i = 0; i < 100; ++i) heap.Push(HeapEntry{(i * 37) % 100, i, 0});
  size_t due = 0;
  heap.ForEachDueBy(9, [&](const HeapEntry& e) {
    EXPECT_LE(e.dueMs, 9);
    ++due;
  });
  EXPECT_EQ(due, 10u);
  int64_t last = -1;
  while (!heap.Empty()) {
    const auto e = heap.Pop();
    EXPECT_GE(e.dueMs, last);
    last = e.dueMs;
  }
}

}  // namespace
}  // namespace dynhook::scheduler
