#include "app/secret_key.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dynhook::app {
namespace {

core::Result<core::SecretBox::Key> FromHex(std::string_view hex, const std::string& source) {
  auto raw = core::HexDecode(hex);
  core::SecretBox::Key key{};
  if (!raw || raw->size() != key.size()) {
    return core::errors::Validation(source + ": expected 64 hex characters");
  }
  std::copy(raw->begin(), raw->end(), key.begin());
  return key;
}

}  // namespace

core::Result<core::SecretBox::Key> LoadOrCreateSecretKey(const ServeConfig& config) {
  if (!config.secretKey.empty()) return FromHex(config.secretKey, "--secret-key");
  const std::filesystem::path dir = config.EffectiveDataDir();
  const auto file = dir / "secret.key";
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::string hex = text.str();
    hex.erase(std::remove_if(hex.begin(), hex.end(), ::isspace), hex.end());
    return FromHex(hex, file.string());
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::errors::Internal("cannot create data folder " + dir.string());
  const auto key = core::SecretBox::GenerateKey();
  const auto tmp = dir / "secret.key.tmp";
  {
    const mode_t old = umask(077);
    std::ofstream out(tmp, std::ios::trunc);
    umask(old);
    out << core::HexEncode(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()))
        << "\n";
    out.flush();
    if (!out) return core::errors::Internal("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) return core::errors::Internal("cannot create " + file.string());
  return key;
}

}  // namespace dynhook::app
