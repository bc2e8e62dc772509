// Validation of the create and PATCH bodies of /api/webhooks (SPEC §4.1, §7). Every failure is
// VALIDATION:PARAMETER (400) naming the field:
//   name         string, 1–100 characters, not blank (required on create)
//   type         "dynamic" (optional; the only type)
//   callbackUri  delivery::ValidateCallbackUri (https, or http and private addresses only with
//                --allow-private-callbacks) (required on create)
//   options      ParseWebhookOptions (data, trigger, intervals, maxPayloadBytes,
//                standardWebhooks, errorCallbackUri — the latter also address-checked)
// Unknown top-level members are rejected (api::ParseBody). Stateless and thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/message.h"
#include "webhooks/options.h"

namespace dynhook::webhooks {

inline constexpr size_t kMaxWebhookNameLength = 100;

struct WebhookInput {
  std::optional<std::string> name;         // present in the body
  std::optional<std::string> callbackUri;  // present in the body
  WebhookOptions options;                  // the body's options over the base
};

// The create body: name and callbackUri required, options over the defaults.
core::Result<WebhookInput> ParseCreateBody(const http::Request& request, bool allowPrivate);
// The PATCH body: every member optional, options over `current`.
core::Result<WebhookInput> ParsePatchBody(const http::Request& request,
                                          const WebhookOptions& current, bool allowPrivate);

}  // namespace dynhook::webhooks
