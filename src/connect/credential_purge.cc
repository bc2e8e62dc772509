#include "connect/credential_purge.h"

namespace dynhook::connect {

core::Result<int64_t> PurgeExpiredCredentials(store::GrantStore& store, core::TimePoint now,
                                              int chunk, const std::function<bool()>& stopping) {
  int64_t total = 0;
  while (!stopping()) {
    auto purged = store.PurgeExpiredCredentials(now, chunk);
    if (!purged) return purged.take_error();
    total += *purged;
    if (*purged < chunk) break;  // each table had fewer than a chunk left
  }
  return total;
}

}  // namespace dynhook::connect
