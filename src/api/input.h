// Validation of untrusted request input for the api handlers: JSON bodies with a closed set of
// fields, typed field access, integer query parameters and identifiers. Every failure is a
// VALIDATION:PARAMETER error (400) whose description names the offending field, never a crash
// or a 500 (SPEC §7). Stateless and thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace dynhook::api {

// Longest identifier or free-text field accepted anywhere in the API.
inline constexpr size_t kMaxFieldLength = 256;

// Parses the body as a JSON object whose members are all in `allowed`. An empty body is an
// error unless `emptyIsObject`, in which case it reads as {}.
core::Result<boost::json::object> ParseBody(const http::Request& request,
                                            std::initializer_list<std::string_view> allowed,
                                            bool emptyIsObject = false);

// Typed members. Missing required members, wrong types, empty or over-long strings are errors.
core::Result<std::string> RequireString(const boost::json::object& body, std::string_view name,
                                        size_t maxLength = kMaxFieldLength);
core::Result<std::optional<std::string>> OptionalString(const boost::json::object& body,
                                                        std::string_view name,
                                                        size_t maxLength = kMaxFieldLength);
// A JSON number with an integral value in [min, max].
core::Result<int64_t> RequireInteger(const boost::json::object& body, std::string_view name,
                                     int64_t min, int64_t max);
// An array of non-empty strings, at most `maxItems`.
core::Result<std::vector<std::string>> RequireStringArray(const boost::json::object& body,
                                                          std::string_view name, size_t maxItems,
                                                          size_t maxLength = kMaxFieldLength);

// Query parameter `name` as a decimal integer in [min, max]; `fallback` when absent. Signs,
// spaces, hex, fractions and out-of-range values are errors ("limit=abc", "limit=1000").
core::Result<int> QueryInteger(const http::Request& request, std::string_view name, int fallback,
                               int min, int max);
// Optional query parameter that must be a UUID when present.
core::Result<std::optional<std::string>> QueryUuid(const http::Request& request,
                                                   std::string_view name);

// A path parameter that must be a UUID (vehicle ids, webhook ids, ...).
core::Result<std::string> PathUuid(const http::Request& request, const std::string& name,
                                   std::string_view what);

}  // namespace dynhook::api
