#include "webhooks/webhook_input.h"

#include <algorithm>
#include <utility>

#include "api/input.h"
#include "delivery/address_guard.h"

namespace dynhook::webhooks {
namespace {

using core::errors::Validation;

core::Result<boost::json::object> ParseWebhookBody(const http::Request& request) {
  return api::ParseBody(request, {"name", "type", "callbackUri", "data", "trigger", "intervals",
                                  "maxPayloadBytes", "standardWebhooks", "errorCallbackUri"});
}

core::Status CheckName(const boost::json::object& body, bool required,
                       std::optional<std::string>& out) {
  if (!required && !body.contains("name")) return {};
  auto name = api::RequireString(body, "name", kMaxWebhookNameLength);
  if (!name) return name.take_error();
  if (std::all_of(name->begin(), name->end(), [](char c) { return c == ' ' || c == '\t'; })) {
    return Validation("'name' must not be blank.");
  }
  out = std::move(*name);
  return {};
}

core::Status CheckType(const boost::json::object& body) {
  const auto* type = body.if_contains("type");
  if (!type) return {};
  if (!type->is_string() || type->get_string() != "dynamic") {
    return Validation("'type' must be \"dynamic\" (the only webhook type).");
  }
  return {};
}

core::Status CheckCallbackUri(const boost::json::object& body, bool required, bool allowPrivate,
                              std::optional<std::string>& out) {
  if (!required && !body.contains("callbackUri")) return {};
  auto uri = api::RequireString(body, "callbackUri", delivery::kMaxCallbackUriLength);
  if (!uri) return uri.take_error();
  if (auto safe = delivery::ValidateCallbackUri(*uri, allowPrivate); !safe) {
    return safe.take_error();
  }
  out = std::move(*uri);
  return {};
}

core::Result<WebhookOptions> CheckOptions(const boost::json::object& body,
                                          const WebhookOptions& base, bool allowPrivate) {
  auto options = ParseWebhookOptions(body, base);
  if (!options) return options.take_error();
  const bool errorUriGiven = body.contains("errorCallbackUri");
  if (errorUriGiven && !options->errorCallbackUri.empty()) {
    auto safe = delivery::ValidateCallbackUri(options->errorCallbackUri, allowPrivate);
    if (!safe) return Validation("'errorCallbackUri': " + safe.error().description);
  }
  return options;
}

core::Result<WebhookInput> Parse(const http::Request& request, bool create,
                                 const WebhookOptions& base, bool allowPrivate) {
  auto body = ParseWebhookBody(request);
  if (!body) return body.take_error();
  WebhookInput input;
  if (auto ok = CheckName(*body, create, input.name); !ok) return ok.take_error();
  if (auto ok = CheckType(*body); !ok) return ok.take_error();
  if (auto ok = CheckCallbackUri(*body, create, allowPrivate, input.callbackUri); !ok) {
    return ok.take_error();
  }
  auto options = CheckOptions(*body, base, allowPrivate);
  if (!options) return options.take_error();
  input.options = std::move(*options);
  return input;
}

}  // namespace

core::Result<WebhookInput> ParseCreateBody(const http::Request& request, bool allowPrivate) {
  return Parse(request, true, WebhookOptions{}, allowPrivate);
}

core::Result<WebhookInput> ParsePatchBody(const http::Request& request,
                                          const WebhookOptions& current, bool allowPrivate) {
  return Parse(request, false, current, allowPrivate);
}

}  // namespace dynhook::webhooks
