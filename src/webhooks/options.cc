#include "webhooks/options.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include "core/json.h"

namespace dynhook::webhooks {
namespace {

using core::errors::Validation;

constexpr std::array<std::string_view, 6> kOptionKeys = {
    "data", "trigger", "intervals", "maxPayloadBytes", "standardWebhooks", "errorCallbackUri"};
constexpr std::array<std::string_view, 3> kWebhookOwnKeys = {"name", "type", "callbackUri"};
constexpr std::array<std::string_view, 3> kChargeStates = {"CHARGING", "FULLY_CHARGED",
                                                           "NOT_CHARGING"};

struct SignalSpec {
  std::string_view signal;
  oem::DataPath path;
  std::string_view field;
};
constexpr std::array<SignalSpec, 3> kSignals = {{
    {"charge.isPluggedIn", oem::DataPath::kCharge, "isPluggedIn"},
    {"charge.state", oem::DataPath::kCharge, "state"},
    {"battery.percentRemaining", oem::DataPath::kBattery, "percentRemaining"},
}};

const SignalSpec* FindSignal(std::string_view signal) {
  for (const auto& spec : kSignals) {
    if (spec.signal == signal) return &spec;
  }
  return nullptr;
}

std::string_view OpName(Trigger::Op op) {
  switch (op) {
    case Trigger::kBelow:
      return "below";
    case Trigger::kAbove:
      return "above";
    case Trigger::kEquals:
      break;
  }
  return "equals";
}

std::optional<double> AsNumber(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

core::Result<std::vector<std::string>> ParseData(const boost::json::value& v) {
  if (!v.is_array() || v.get_array().empty()) {
    return Validation("'data' must be a non-empty array of data paths, e.g. [\"/battery\"].");
  }
  std::vector<std::string> out;
  for (const auto& item : v.get_array()) {
    if (!item.is_string()) return Validation("'data' entries must be strings.");
    auto path = oem::ParseDataPath(item.get_string());
    if (!path) {
      return Validation("'data' lists an unknown data path '" +
                        std::string(std::string_view(item.get_string()).substr(0, 64)) + "'.");
    }
    std::string canonical(oem::PathOf(*path));
    if (std::find(out.begin(), out.end(), canonical) != out.end()) {
      return Validation("'data' lists '" + canonical + "' twice.");
    }
    out.push_back(std::move(canonical));
  }
  return out;
}

core::Status CheckOperand(const SignalSpec& spec, Trigger::Op op, const boost::json::value& v) {
  if (spec.field == "isPluggedIn") {
    if (op != Trigger::kEquals || !v.is_bool()) {
      return Validation("'trigger' on charge.isPluggedIn takes 'equals' with a boolean.");
    }
  } else if (spec.field == "state") {
    const bool known = v.is_string() && std::find(kChargeStates.begin(), kChargeStates.end(),
                                                  v.get_string()) != kChargeStates.end();
    if (op != Trigger::kEquals || !known) {
      return Validation(
          "'trigger' on charge.state takes 'equals' with one of CHARGING, FULLY_CHARGED, "
          "NOT_CHARGING.");
    }
  } else {
    auto number = AsNumber(v);
    if (op == Trigger::kEquals || !number || !(*number >= 0 && *number <= 1)) {
      return Validation(
          "'trigger' on battery.percentRemaining takes 'below' or 'above' with a number from 0 "
          "to 1.");
    }
  }
  return {};
}

core::Result<Trigger> ParseTrigger(const boost::json::value& v) {
  if (!v.is_object()) return Validation("'trigger' must be an object.");
  const auto& object = v.get_object();
  auto signal = object.find("signal");
  if (signal == object.end() || !signal->value().is_string()) {
    return Validation("'trigger.signal' must be a string.");
  }
  const SignalSpec* spec = FindSignal(signal->value().get_string());
  if (!spec) {
    return Validation(
        "'trigger.signal' must be one of charge.isPluggedIn, charge.state, "
        "battery.percentRemaining.");
  }
  Trigger trigger;
  trigger.signal = std::string(spec->signal);
  int operators = 0;
  for (const auto& member : object) {
    if (member.key() == "signal") continue;
    if (member.key() == "equals") {
      trigger.op = Trigger::kEquals;
    } else if (member.key() == "below") {
      trigger.op = Trigger::kBelow;
    } else if (member.key() == "above") {
      trigger.op = Trigger::kAbove;
    } else {
      return Validation("Unknown field 'trigger." + std::string(member.key().substr(0, 64)) +
                        "'; allowed: signal, equals, below, above.");
    }
    trigger.operand = member.value();
    ++operators;
  }
  if (operators != 1) {
    return Validation("'trigger' must have exactly one of 'equals', 'below', 'above'.");
  }
  if (auto status = CheckOperand(*spec, trigger.op, trigger.operand); !status) {
    return status.take_error();
  }
  return trigger;
}

core::Result<core::Duration> ParseInterval(const boost::json::object& object, std::string_view name,
                                           core::Duration fallback) {
  auto it = object.find(name);
  if (it == object.end()) return fallback;
  const std::string field = "'intervals." + std::string(name) + "'";
  if (!it->value().is_string()) {
    return Validation(field + " must be an ISO-8601 duration string such as \"PT30M\".");
  }
  auto duration = core::ParseIsoDuration(it->value().get_string());
  if (!duration) {
    return Validation(field + " is not an ISO-8601 duration (e.g. \"PT1H\", \"PT30M\").");
  }
  return *duration;
}

core::Status ParseIntervals(const boost::json::value& v, WebhookOptions& options) {
  if (!v.is_object()) return Validation("'intervals' must be an object.");
  const auto& object = v.get_object();
  for (const auto& member : object) {
    if (member.key() != "default" && member.key() != "elevated") {
      return Validation("Unknown field 'intervals." + std::string(member.key().substr(0, 64)) +
                        "'; allowed: default, elevated.");
    }
  }
  auto defaultInterval = ParseInterval(object, "default", options.defaultInterval);
  if (!defaultInterval) return defaultInterval.take_error();
  auto elevatedInterval = ParseInterval(object, "elevated", options.elevatedInterval);
  if (!elevatedInterval) return elevatedInterval.take_error();
  options.defaultInterval = *defaultInterval;
  options.elevatedInterval = *elevatedInterval;
  return {};
}

core::Status CheckIntervals(const WebhookOptions& options) {
  if (options.defaultInterval < kMinDefaultInterval ||
      options.defaultInterval > kMaxDefaultInterval) {
    return Validation("'intervals.default' must be from PT5M to PT24H.");
  }
  if (options.elevatedInterval < kMinElevatedInterval ||
      options.elevatedInterval > options.defaultInterval) {
    return Validation("'intervals.elevated' must be from PT1M to 'intervals.default' (" +
                      core::FormatIsoDuration(options.defaultInterval) + ").");
  }
  return {};
}

core::Result<size_t> ParseMaxPayloadBytes(const boost::json::value& v) {
  auto number = AsNumber(v);
  if (!number || std::floor(*number) != *number || *number < kMinPayloadBytes ||
      *number > kMaxPayloadBytes) {
    return Validation("'maxPayloadBytes' must be an integer from 1024 to 10485760.");
  }
  return static_cast<size_t>(*number);
}

core::Result<std::string> ParseErrorCallbackUri(const boost::json::value& v) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return Validation("'errorCallbackUri' must be a string or null.");
  std::string_view uri = v.get_string();
  if (uri.empty()) return std::string();
  const bool schemeOk = uri.starts_with("https://") || uri.starts_with("http://");
  const size_t hostStart = uri.find("://") + 3;
  if (!schemeOk || uri.size() > kMaxUriLength || hostStart >= uri.size() ||
      uri.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Validation("'errorCallbackUri' must be an http(s) URI of at most 2048 characters.");
  }
  return std::string(uri);
}

// Applies one option member to `options`.
core::Status ApplyMember(std::string_view key, const boost::json::value& v,
                         WebhookOptions& options) {
  if (key == "data") {
    auto data = ParseData(v);
    if (!data) return data.take_error();
    options.data = std::move(*data);
  } else if (key == "trigger") {
    auto trigger = ParseTrigger(v);
    if (!trigger) return trigger.take_error();
    options.trigger = std::move(*trigger);
  } else if (key == "intervals") {
    return ParseIntervals(v, options);
  } else if (key == "maxPayloadBytes") {
    auto bytes = ParseMaxPayloadBytes(v);
    if (!bytes) return bytes.take_error();
    options.maxPayloadBytes = *bytes;
  } else if (key == "standardWebhooks") {
    if (!v.is_bool()) return Validation("'standardWebhooks' must be a boolean.");
    options.standardWebhooks = v.get_bool();
  } else {
    auto uri = ParseErrorCallbackUri(v);
    if (!uri) return uri.take_error();
    options.errorCallbackUri = std::move(*uri);
  }
  return {};
}

}  // namespace

oem::DataPath Trigger::Path() const {
  const SignalSpec* spec = FindSignal(signal);
  return spec ? spec->path : oem::DataPath::kCharge;
}

std::optional<bool> Trigger::Evaluate(const boost::json::object& body) const {
  const SignalSpec* spec = FindSignal(signal);
  if (!spec) return std::nullopt;
  auto it = body.find(spec->field);
  if (it == body.end()) return std::nullopt;
  const boost::json::value& actual = it->value();
  if (op == kEquals) {
    if (actual.kind() != operand.kind() && !(AsNumber(actual) && AsNumber(operand))) {
      return std::nullopt;
    }
    if (auto a = AsNumber(actual), b = AsNumber(operand); a && b) return *a == *b;
    return actual == operand;
  }
  auto value = AsNumber(actual);
  auto bound = AsNumber(operand);
  if (!value || !bound) return std::nullopt;
  return op == kBelow ? *value < *bound : *value > *bound;
}

std::optional<bool> Trigger::Evaluate(const boost::json::object& chargeBody,
                                      const boost::json::object& batteryBody) const {
  return Evaluate(Path() == oem::DataPath::kBattery ? batteryBody : chargeBody);
}

boost::json::object Trigger::ToJson() const {
  boost::json::object out;
  out["signal"] = signal;
  out[OpName(op)] = operand;
  return out;
}

std::vector<oem::DataPath> WebhookOptions::DataPaths() const {
  std::vector<oem::DataPath> out;
  for (const auto& path : data) {
    if (auto parsed = oem::ParseDataPath(path)) out.push_back(*parsed);
  }
  return out;
}

bool IsOptionKey(std::string_view key) {
  return std::find(kOptionKeys.begin(), kOptionKeys.end(), key) != kOptionKeys.end();
}

core::Result<WebhookOptions> ParseWebhookOptions(const boost::json::object& input,
                                                 const WebhookOptions& base) {
  WebhookOptions options = base;
  for (const auto& member : input) {
    const std::string_view key = member.key();
    if (std::find(kWebhookOwnKeys.begin(), kWebhookOwnKeys.end(), key) != kWebhookOwnKeys.end()) {
      continue;
    }
    if (!IsOptionKey(key)) {
      return Validation("Unknown field '" + std::string(key.substr(0, 64)) +
                        "'; webhook options are data, trigger, intervals, maxPayloadBytes, "
                        "standardWebhooks, errorCallbackUri.");
    }
    if (auto status = ApplyMember(key, member.value(), options); !status) {
      return status.take_error();
    }
  }
  if (auto status = CheckIntervals(options); !status) return status.take_error();
  return options;
}

boost::json::object ToJson(const WebhookOptions& options) {
  boost::json::object out;
  boost::json::array data;
  for (const auto& path : options.data) data.emplace_back(path);
  out["data"] = std::move(data);
  out["trigger"] = options.trigger.ToJson();
  boost::json::object intervals;
  intervals["default"] = core::FormatIsoDuration(options.defaultInterval);
  intervals["elevated"] = core::FormatIsoDuration(options.elevatedInterval);
  out["intervals"] = std::move(intervals);
  out["maxPayloadBytes"] = static_cast<uint64_t>(options.maxPayloadBytes);
  out["standardWebhooks"] = options.standardWebhooks;
  if (!options.errorCallbackUri.empty()) out["errorCallbackUri"] = options.errorCallbackUri;
  return out;
}

std::string SerializeOptions(const WebhookOptions& options) {
  return core::Stringify(ToJson(options));
}

core::Result<WebhookOptions> DeserializeOptions(std::string_view optionsJson) {
  auto object = core::ParseJsonObject(optionsJson.empty() ? "{}" : optionsJson);
  if (!object) return object.take_error();
  return ParseWebhookOptions(*object, WebhookOptions{});
}

}  // namespace dynhook::webhooks
