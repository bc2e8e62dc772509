// core::Error is the one error type of the platform. Its taxonomy is Smartcar's v2.0 error
// model (SPEC §3): a `type` with its HTTP status, a `code` within the type, a human description
// and a resolution. OEM connectors, the store, Connect and the API all speak it, so an OEM fault
// flows unchanged from the simulator into an HTTP answer or a webhook payload. Libraries' own
// error codes (SQLite, libpq, CURLcode) are mapped to it once, at the edge.
#pragma once

#include <optional>
#include <string>

namespace dynhook::core {

struct Error {
  std::string type;         // "AUTHENTICATION", "VALIDATION", "VEHICLE_STATE", ...
  std::string code;         // "PARAMETER", "ASLEEP", ... ; empty when the type has none
  std::string description;  // for developers; never contains a secret
  int status = 500;         // HTTP status of the answer carrying this error
  std::string resolution = "RETRY_LATER";  // Smartcar resolution.type, or "" for null
  std::string suggestedUserMessage;
  std::optional<int> retryAfterSeconds;  // RATE_LIMIT: sent as Retry-After

  // The error's stable name, "TYPE:CODE" (or "TYPE" without a code), as used in logs and docs.
  std::string Name() const { return code.empty() ? type : type + ":" + code; }
};

// Factories for the errors the platform raises itself. Each sets Smartcar's status and
// resolution for that type/code pair.
namespace errors {
Error Authentication(std::string description);
Error Permission(std::string description);
Error NotFound(std::string description);                   // RESOURCE_NOT_FOUND:PATH
Error MethodNotAllowed(std::string description);           // RESOURCE_NOT_FOUND:PATH, 405
Error Validation(std::string description);                 // VALIDATION:PARAMETER
Error PayloadTooLarge(std::string description);            // VALIDATION:PARAMETER, 413
Error RateLimit(std::string code, int retryAfterSeconds);  // RATE_LIMIT:{SMARTCAR_API,VEHICLE}
Error Compatibility(std::string code, std::string description);             // 501
Error ConnectedServicesAccount(std::string code, std::string description);  // 400
Error VehicleState(std::string code, std::string description);              // 409
Error Upstream(std::string code, std::string description);                  // 502
Error Internal(std::string description);                                    // SERVER:INTERNAL 500
Error Conflict(std::string description);  // VALIDATION:CONFLICT 409 (dynhook's own, e.g. duplicate)
}  // namespace errors

}  // namespace dynhook::core
