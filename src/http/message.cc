#include "http/message.h"

#include <boost/json.hpp>
#include <cctype>
#include <utility>

#include "core/json.h"

namespace dynhook::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

boost::json::value NullIfEmpty(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::string(text);
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  return Find(query, name);
}

std::string_view Request::Param(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end()) return {};
  return it->second;
}

Response& Response::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.SetHeader("Content-Type", "application/json");
  return response;
}

Response Response::Html(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  return response;
}

Response Response::Redirect(std::string location) {
  Response response;
  response.status = 302;
  response.SetHeader("Location", std::move(location));
  return response;
}

Response Response::Error(const core::Error& error, std::string_view requestId) {
  Response response = Json(error.status, ErrorBody(error, requestId));
  if (error.retryAfterSeconds) {
    response.SetHeader("Retry-After", std::to_string(*error.retryAfterSeconds));
  }
  return response;
}

Response Response::Stream(int status, std::string contentType, StreamStarter start) {
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", std::move(contentType));
  response.SetHeader("Cache-Control", "no-cache");
  response.stream = std::move(start);
  return response;
}

std::string Printable(std::string_view text, size_t maxBytes) {
  std::string out;
  for (char c : text.substr(0, maxBytes)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

std::string ErrorDocUrl(std::string_view type) {
  std::string url = "https://dynhook.dev/docs/errors#";
  for (char c : type) url += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return url;
}

std::string ErrorBody(const core::Error& error, std::string_view requestId) {
  boost::json::object resolution;
  resolution["type"] = NullIfEmpty(error.resolution);
  boost::json::object body;
  body["type"] = error.type;
  body["code"] = NullIfEmpty(error.code);
  body["description"] = error.description;
  body["docURL"] = ErrorDocUrl(error.type);
  body["statusCode"] = error.status;
  body["requestId"] = requestId;
  body["resolution"] = std::move(resolution);
  body["suggestedUserMessage"] = error.suggestedUserMessage;
  return core::Stringify(body);
}

std::optional<std::string> PercentDecode(std::string_view text, bool plusIsSpace) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::optional<Fields> ParseUrlEncoded(std::string_view text) {
  Fields fields;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::optional<std::string_view> Find(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> FindHeader(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (EqualsIgnoreCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace dynhook::http
