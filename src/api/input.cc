#include "api/input.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "core/ids.h"
#include "core/json.h"

namespace dynhook::api {
namespace {

using core::errors::Validation;

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// A member name from untrusted input, made safe and short for an error description.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte >= 0x20 && byte < 0x7F) ? c : '?';
  }
  return out;
}

const boost::json::value* Member(const boost::json::object& body, std::string_view name) {
  auto it = body.find(name);
  return it == body.end() ? nullptr : &it->value();
}

core::Result<std::string> CheckString(const boost::json::value& value, std::string_view name,
                                      size_t maxLength) {
  if (!value.is_string()) return Validation(Quoted(name) + " must be a string.");
  const auto& text = value.get_string();
  if (text.empty()) return Validation(Quoted(name) + " must not be empty.");
  if (text.size() > maxLength) {
    return Validation(Quoted(name) + " is longer than " + std::to_string(maxLength) +
                      " characters.");
  }
  return std::string(text);
}

}  // namespace

core::Result<boost::json::object> ParseBody(const http::Request& request,
                                            std::initializer_list<std::string_view> allowed,
                                            bool emptyIsObject) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (emptyIsObject) return boost::json::object();
    return Validation("The request body must be a JSON object.");
  }
  auto body = core::ParseJsonObject(request.body);
  if (!body) return body.take_error();
  for (const auto& member : *body) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return Validation("Unknown field " + Quoted(Printable(member.key())) + " in the body.");
    }
  }
  return body;
}

core::Result<std::string> RequireString(const boost::json::object& body, std::string_view name,
                                        size_t maxLength) {
  const boost::json::value* value = Member(body, name);
  if (value == nullptr) return Validation("Missing required field " + Quoted(name) + ".");
  return CheckString(*value, name, maxLength);
}

core::Result<std::optional<std::string>> OptionalString(const boost::json::object& body,
                                                        std::string_view name, size_t maxLength) {
  const boost::json::value* value = Member(body, name);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  auto text = CheckString(*value, name, maxLength);
  if (!text) return text.take_error();
  return std::optional<std::string>(std::move(*text));
}

core::Result<int64_t> RequireInteger(const boost::json::object& body, std::string_view name,
                                     int64_t min, int64_t max) {
  const boost::json::value* value = Member(body, name);
  if (value == nullptr) return Validation("Missing required field " + Quoted(name) + ".");
  const std::string range = " between " + std::to_string(min) + " and " + std::to_string(max);
  int64_t number = 0;
  if (value->is_int64()) {
    number = value->get_int64();
  } else if (value->is_uint64()) {
    if (value->get_uint64() > static_cast<uint64_t>(max)) {
      return Validation(Quoted(name) + " must be an integer" + range + ".");
    }
    number = static_cast<int64_t>(value->get_uint64());
  } else if (value->is_double()) {
    const double d = value->get_double();
    if (std::trunc(d) != d || d < static_cast<double>(min) || d > static_cast<double>(max)) {
      return Validation(Quoted(name) + " must be an integer" + range + ".");
    }
    number = static_cast<int64_t>(d);
  } else {
    return Validation(Quoted(name) + " must be an integer" + range + ".");
  }
  if (number < min || number > max) {
    return Validation(Quoted(name) + " must be an integer" + range + ".");
  }
  return number;
}

core::Result<std::vector<std::string>> RequireStringArray(const boost::json::object& body,
                                                          std::string_view name, size_t maxItems,
                                                          size_t maxLength) {
  const boost::json::value* value = Member(body, name);
  if (value == nullptr) return Validation("Missing required field " + Quoted(name) + ".");
  if (!value->is_array()) return Validation(Quoted(name) + " must be an array of strings.");
  const auto& array = value->get_array();
  if (array.size() > maxItems) {
    return Validation(Quoted(name) + " has more than " + std::to_string(maxItems) + " items.");
  }
  std::vector<std::string> out;
  for (const auto& item : array) {
    auto text = CheckString(item, std::string(name) + "[]", maxLength);
    if (!text) return text.take_error();
    out.push_back(std::move(*text));
  }
  return out;
}

core::Result<int> QueryInteger(const http::Request& request, std::string_view name, int fallback,
                               int min, int max) {
  auto text = request.Query(name);
  if (!text) return fallback;
  const std::string message = "Query parameter " + Quoted(name) + " must be an integer between " +
                              std::to_string(min) + " and " + std::to_string(max) + ".";
  const bool digitsOnly =
      !text->empty() && text->size() <= 9 &&
      std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digitsOnly) return Validation(message);
  int value = 0;
  std::from_chars(text->data(), text->data() + text->size(), value);
  if (value < min || value > max) return Validation(message);
  return value;
}

core::Result<std::optional<std::string>> QueryUuid(const http::Request& request,
                                                   std::string_view name) {
  auto text = request.Query(name);
  if (!text) return std::optional<std::string>();
  if (!core::IsUuid(*text)) {
    return Validation("Query parameter " + Quoted(name) + " must be a UUID.");
  }
  return std::optional<std::string>(std::string(*text));
}

core::Result<std::string> PathUuid(const http::Request& request, const std::string& name,
                                   std::string_view what) {
  const std::string_view text = request.Param(name);
  if (!core::IsUuid(text)) {
    return Validation("The " + std::string(what) + " in the path must be a UUID.");
  }
  return std::string(text);
}

}  // namespace dynhook::api
