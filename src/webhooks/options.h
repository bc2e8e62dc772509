// WebhookOptions: what a dynamic webhook delivers and how often (SPEC §4.1, §4.3) — the data
// paths, the trigger that elevates the cadence, the default/elevated intervals, the payload size
// limit, Standard Webhooks signing and the optional error callback. Parsed and validated here
// once (from the create/PATCH body and from the store's optionsJson), rendered here for the
// webhook's API representation. Plain values; every function is stateless and thread-safe.
//
// JSON shape (the webhook's API fields, also the stored optionsJson):
//   {"data":["/battery","/charge","/location"],
//    "trigger":{"signal":"charge.isPluggedIn","equals":true},
//    "intervals":{"default":"PT1H","elevated":"PT30M"},
//    "maxPayloadBytes":262144,"standardWebhooks":false,"errorCallbackUri":"https://…"}
// errorCallbackUri is omitted when unset. Triggers:
//   {"signal":"charge.isPluggedIn","equals":true|false}
//   {"signal":"charge.state","equals":"CHARGING"|"FULLY_CHARGED"|"NOT_CHARGING"}
//   {"signal":"battery.percentRemaining","below":0.2} or {…,"above":0.8}   (fraction 0..1)
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "oem/connector.h"

namespace dynhook::webhooks {

// Bounds enforced by ParseWebhookOptions.
inline constexpr core::Duration kMinDefaultInterval{5 * 60'000};      // PT5M
inline constexpr core::Duration kMaxDefaultInterval{24 * 3'600'000};  // PT24H
inline constexpr core::Duration kMinElevatedInterval{60'000};         // PT1M (max: default)
inline constexpr size_t kMinPayloadBytes = 1024;                      // 1 KiB
inline constexpr size_t kMaxPayloadBytes = 10 * 1024 * 1024;          // 10 MiB
inline constexpr size_t kMaxUriLength = 2048;

// The condition on a vehicle's data that elevates its delivery cadence.
struct Trigger {
  enum Op { kEquals, kBelow, kAbove };

  std::string signal = "charge.isPluggedIn";  // "<item>.<field>" (see the header comment)
  Op op = kEquals;
  boost::json::value operand = true;

  // The data path the signal is read from (/charge or /battery).
  oem::DataPath Path() const;
  std::vector<oem::DataPath> Paths() const { return {Path()}; }
  // Evaluates on the body of Path(); nullopt when the field is missing or has the wrong type
  // (e.g. the read failed: the caller keeps the previous trigger state).
  std::optional<bool> Evaluate(const boost::json::object& body) const;
  // Convenience: picks the body of Path() from a /charge and a /battery body.
  std::optional<bool> Evaluate(const boost::json::object& chargeBody,
                               const boost::json::object& batteryBody) const;

  boost::json::object ToJson() const;
  friend bool operator==(const Trigger&, const Trigger&) = default;
};

struct WebhookOptions {
  std::vector<std::string> data = {"/battery", "/charge", "/location"};  // canonical paths
  Trigger trigger;
  core::Duration defaultInterval{3'600'000};   // PT1H
  core::Duration elevatedInterval{1'800'000};  // PT30M
  size_t maxPayloadBytes = 262144;
  bool standardWebhooks = false;
  std::string errorCallbackUri;  // "" = none; vehicle errors then stay in the normal payload

  // `data` as DataPaths (already validated, so never fails).
  std::vector<oem::DataPath> DataPaths() const;
  friend bool operator==(const WebhookOptions&, const WebhookOptions&) = default;
};

// Whether `key` is an option member ("data", "trigger", "intervals", "maxPayloadBytes",
// "standardWebhooks", "errorCallbackUri").
bool IsOptionKey(std::string_view key);

// Applies the option members of `input` over `base` (create: base = defaults; PATCH: base = the
// webhook's current options; members absent keep base's value). The webhook's own fields
// "name", "type" and "callbackUri" are skipped (the caller handles them); any other unknown
// member is a VALIDATION:PARAMETER error, as is every malformed value, with a description
// naming the field: unknown or repeated data paths, an empty data list, a trigger with an
// unknown signal, not exactly one operator or a wrong operand type, intervals not ISO-8601 or
// outside the bounds above (elevated may not exceed default), maxPayloadBytes outside
// 1 KiB..10 MiB or not an integer, standardWebhooks not a boolean, errorCallbackUri not an
// http(s) URI (null or "" clears it; address safety, SPEC §7, is the API's check).
core::Result<WebhookOptions> ParseWebhookOptions(const boost::json::object& input,
                                                 const WebhookOptions& base = {});

// The webhook's API representation of the options (shape above, members in that order).
boost::json::object ToJson(const WebhookOptions& options);

// For store::Webhook::optionsJson. Deserialize("{}") gives the defaults; a stored value that no
// longer validates is an error (SERVER:INTERNAL is the caller's call; this returns VALIDATION).
std::string SerializeOptions(const WebhookOptions& options);
core::Result<WebhookOptions> DeserializeOptions(std::string_view optionsJson);

}  // namespace dynhook::webhooks
