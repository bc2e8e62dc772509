#include "store/store.h"

#include <filesystem>
#include <string_view>
#include <system_error>

#include "store/sqlite_store.h"

namespace dynhook::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

core::Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
  if (path.empty()) return core::errors::Validation("database URL sqlite: needs a path");
  if (path != ":memory:") {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) {
      return core::errors::Internal("cannot create database folder " + parent.string() + ": " +
                                    error.message());
    }
  }
  SqliteStore::Options options;
  options.path = path;
  auto store = SqliteStore::Open(options);
  if (!store) return store.take_error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace

core::Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.starts_with(kSqlitePrefix)) return OpenSqlite(url.substr(kSqlitePrefix.size()));
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return core::errors::Validation("PostgreSQL support is not built yet");
  }
  return core::errors::Validation(
      "unknown database URL scheme (expected sqlite:PATH or postgresql://...)");
}

}  // namespace dynhook::store
