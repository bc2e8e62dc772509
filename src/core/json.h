// JSON for the wire. Parsing goes through Boost.JSON; writing goes through Stringify, whose
// output is byte-identical to JavaScript's JSON.stringify (SPEC §4.4): compact, raw UTF-8,
// JavaScript number formatting (shortest round-trip digits, `100` not `100.0`, `0.58` not
// `5.8E-1`, `1e-7`, `1e+21`), the same string escapes (\" \\ \b \f \n \r \t, other control
// characters as \u00xx, lone surrogates as \udxxx, U+2028/U+2029 raw). Object members keep their
// insertion order. Signed payloads depend on this: Smartcar's SDK re-serialises to verify.
// Thread-safe (no shared state).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dynhook::core {

std::string Stringify(const boost::json::value& value);
void AppendJson(std::string& out, const boost::json::value& value);
// JavaScript's Number.prototype.toString for finite doubles; NaN and ±Infinity give "null"
// as JSON.stringify does.
std::string JsNumber(double value);
// A JSON string literal with JSON.stringify's escaping (invalid UTF-8 bytes become U+FFFD).
std::string JsonQuote(std::string_view text);

struct ParseLimits {
  size_t maxDepth = 32;
  size_t maxBytes = 1024 * 1024;
};
// Parses untrusted input (strict JSON, valid UTF-8). VALIDATION:PARAMETER error describing the
// problem on anything else.
Result<boost::json::value> ParseJson(std::string_view text, const ParseLimits& limits = {});
// As ParseJson, and the top level must be an object.
Result<boost::json::object> ParseJsonObject(std::string_view text, const ParseLimits& limits = {});

}  // namespace dynhook::core
