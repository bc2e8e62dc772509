#include "core/error.h"

#include <utility>

namespace dynhook::core::errors {
namespace {

Error Make(std::string type, std::string code, int status, std::string resolution,
           std::string description, std::string userMessage) {
  Error e;
  e.type = std::move(type);
  e.code = std::move(code);
  e.status = status;
  e.resolution = std::move(resolution);
  e.description = std::move(description);
  e.suggestedUserMessage = std::move(userMessage);
  return e;
}

constexpr const char* kRetryMessage =
    "Your vehicle is temporarily unable to connect. Please try again later.";

}  // namespace

Error Authentication(std::string description) {
  return Make("AUTHENTICATION", "", 401, "REAUTHENTICATE", std::move(description),
              "Please reconnect your vehicle.");
}
Error Permission(std::string description) {
  return Make("PERMISSION", "", 403, "REAUTHENTICATE", std::move(description),
              "This application does not have permission to access this data. "
              "Please reconnect your vehicle and grant the permission.");
}
Error NotFound(std::string description) {
  return Make("RESOURCE_NOT_FOUND", "PATH", 404, "", std::move(description),
              "The requested resource was not found.");
}
Error MethodNotAllowed(std::string description) {
  Error e = NotFound(std::move(description));
  e.status = 405;
  return e;
}
Error Validation(std::string description) {
  return Make("VALIDATION", "PARAMETER", 400, "", std::move(description),
              "The request could not be completed. Please contact the application developer.");
}
Error PayloadTooLarge(std::string description) {
  Error e = Validation(std::move(description));
  e.status = 413;
  return e;
}
Error RateLimit(std::string code, int retryAfterSeconds) {
  Error e = Make("RATE_LIMIT", std::move(code), 429, "RETRY_LATER",
                 "Too many requests. Retry after " + std::to_string(retryAfterSeconds) + " s.",
                 "Your vehicle is temporarily unable to connect. Please try again later.");
  e.retryAfterSeconds = retryAfterSeconds;
  return e;
}
Error Compatibility(std::string code, std::string description) {
  return Make("COMPATIBILITY", std::move(code), 501, "", std::move(description),
              "This feature is not available for your vehicle.");
}
Error ConnectedServicesAccount(std::string code, std::string description) {
  const bool reauth = code == "AUTHENTICATION_FAILED";
  return Make("CONNECTED_SERVICES_ACCOUNT", std::move(code), 400,
              reauth ? "REAUTHENTICATE" : "CONTACT_SUPPORT", std::move(description),
              reauth ? "Your vehicle account credentials changed. Please reconnect your vehicle."
                     : "There is an issue with your connected services account.");
}
Error VehicleState(std::string code, std::string description) {
  return Make("VEHICLE_STATE", std::move(code), 409, "RETRY_LATER", std::move(description),
              kRetryMessage);
}
Error Upstream(std::string code, std::string description) {
  return Make("UPSTREAM", std::move(code), 502, "RETRY_LATER", std::move(description),
              kRetryMessage);
}
Error Internal(std::string description) {
  return Make("SERVER", "INTERNAL", 500, "RETRY_LATER", std::move(description),
              "Something went wrong. Please try again later.");
}
Error Conflict(std::string description) {
  Error e = Validation(std::move(description));
  e.code = "CONFLICT";
  e.status = 409;
  return e;
}

}  // namespace dynhook::core::errors
