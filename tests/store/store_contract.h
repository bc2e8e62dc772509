// The Store contract suite: value-parameterised tests over store harnesses, so every Store
// implementation runs the same tests. The *_contract_test.cc files and store_contract.cc
// instantiate their suites over ContractHarnesses(), which each test binary defines once: the
// SQLite binary (sqlite_store_test.cc) with a temp-file and an in-memory harness; a PostgreSQL
// binary (label `postgres`) can compile the same contract files with its own definition.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/store.h"

namespace dynhook::store::testing {

// Owns one database for one test (temp folder, schema, server connection...).
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  // Opens a (new) Store on the harness's database; several may be open at once.
  virtual std::unique_ptr<Store> Open() = 0;
  // Whether a store opened later sees what an earlier one wrote (false for private memory).
  virtual bool Persistent() const = 0;
};

struct HarnessFactory {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make;
};

inline std::string HarnessName(const ::testing::TestParamInfo<HarnessFactory>& info) {
  return info.param.name;
}

// How GoogleTest prints the parameter (in test listings, hence in CTest's test names): the
// name, not the struct's bytes, which would change from build to build.
inline void PrintTo(const HarnessFactory& factory, std::ostream* out) { *out << factory.name; }

// Defined by the test binary: the harnesses every contract suite runs over.
std::vector<HarnessFactory> ContractHarnesses();

// Instantiates a contract fixture over ContractHarnesses() (use once per fixture, in its file).
#define DYNHOOK_STORE_CONTRACT(fixture)                                                         \
  INSTANTIATE_TEST_SUITE_P(Store, fixture,                                                      \
                           ::testing::ValuesIn(::dynhook::store::testing::ContractHarnesses()), \
                           ::dynhook::store::testing::HarnessName)

class StoreContractTest : public ::testing::TestWithParam<HarnessFactory> {
 protected:
  void SetUp() override;

  // Records with unique ids derived from `n`; the application of a grant must exist first.
  Application MakeApplication(int n) const;
  Grant MakeGrant(const std::string& applicationId, const std::string& grantId,
                  const std::string& userId) const;
  Token MakeToken(const std::string& hash, TokenKind kind, const std::string& grantId) const;
  AuthorizationCode MakeCode(const std::string& hash, const std::string& applicationId) const;

  // Creates application `n` and a grant `grantId` for user `userId` over `vehicles`, with
  // tokens "<grantId>-access" and "<grantId>-refresh". Fails the test on error.
  void CreateGrantWith(const std::string& applicationId, const std::string& grantId,
                       const std::string& userId, const std::vector<std::string>& vehicles);

  core::ManualClock clock_;
  std::unique_ptr<StoreHarness> harness_;
  std::unique_ptr<Store> store_;
};

}  // namespace dynhook::store::testing
