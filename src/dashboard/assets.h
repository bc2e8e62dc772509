// The dashboard's static files (src/dashboard/web), embedded into the binary at build time by
// embed.cmake. Immutable data: safe to read from any thread.
#pragma once

#include <span>
#include <string_view>

namespace dynhook::dashboard {

struct Asset {
  std::string_view path;         // relative to web/: "index.html", "app.js"
  std::string_view contentType;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

std::span<const Asset> EmbeddedAssets();

}  // namespace dynhook::dashboard
