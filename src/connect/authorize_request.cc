#include "connect/authorize_request.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace dynhook::connect {
namespace {

constexpr std::array<std::string_view, 5> kFormFields = {"username", "password", "vehicle", "brand",
                                                         "action"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsTrue(std::string_view value) { return EqualsIgnoreCase(value, "true") || value == "1"; }

std::string Value(const http::Fields& fields, std::string_view name) {
  return std::string(http::Find(fields, name).value_or(""));
}

}  // namespace

bool IsConnectFormField(std::string_view name) {
  return std::find(kFormFields.begin(), kFormFields.end(), name) != kFormFields.end();
}

AuthorizeParams ReadAuthorizeParams(const http::Fields& fields) {
  AuthorizeParams params;
  params.responseType = Value(fields, "response_type");
  params.clientId = Value(fields, "client_id");
  params.redirectUri = Value(fields, "redirect_uri");
  params.scope = Value(fields, "scope");
  if (auto state = http::Find(fields, "state")) params.state = std::string(*state);
  params.mode = Value(fields, "mode");
  params.make = Value(fields, "make");
  params.singleSelect = IsTrue(Value(fields, "single_select"));
  params.singleSelectVin = Value(fields, "single_select_vin");
  for (const auto& field : fields) {
    if (!IsConnectFormField(field.first)) params.passthrough.push_back(field);
  }
  return params;
}

core::Result<store::Application> ResolveClient(store::ApplicationStore& store,
                                               const AuthorizeParams& params) {
  if (params.clientId.empty()) {
    return core::errors::Validation("The client_id parameter is missing.");
  }
  auto app = store.FindApplicationByClientId(params.clientId);
  if (!app) {
    if (app.error().type != "RESOURCE_NOT_FOUND") return app.take_error();
    return core::errors::Validation("No application has this client_id.");
  }
  if (params.redirectUri.empty()) {
    return core::errors::Validation("The redirect_uri parameter is missing.");
  }
  const auto& allowed = app->redirectUris;
  if (std::find(allowed.begin(), allowed.end(), params.redirectUri) == allowed.end()) {
    return core::errors::Validation(
        "The redirect_uri is not one of the application's registered redirect URIs.");
  }
  return app;
}

std::optional<oem::MakeInfo> FindMake(const oem::Connector& connector, std::string_view make) {
  if (make.empty()) return std::nullopt;
  for (auto& info : connector.Makes()) {
    if (EqualsIgnoreCase(info.make, make)) return std::move(info);
  }
  return std::nullopt;
}

std::variant<ValidAuthorize, OAuthError> ValidateAuthorize(const AuthorizeParams& params,
                                                           const oem::Connector& connector) {
  if (params.responseType != "code") {
    return OAuthError{"invalid_request", "The response_type parameter must be 'code'."};
  }
  ValidAuthorize valid;
  valid.mode = params.mode.empty() ? "live" : params.mode;
  if (valid.mode != "live" && valid.mode != "test" && valid.mode != "simulated") {
    return OAuthError{"invalid_request",
                      "The mode parameter must be one of 'live', 'test' or 'simulated'."};
  }
  auto permissions = ParseScope(params.scope);
  if (!permissions) return OAuthError{"invalid_scope", permissions.error().description};
  valid.permissions = std::move(*permissions);
  valid.lockedMake = FindMake(connector, params.make);
  return valid;
}

std::string AppendQuery(std::string_view uri, const http::Fields& params) {
  std::string out(uri);
  const size_t question = out.find('?');
  bool needSeparator =
      question != std::string::npos && question + 1 < out.size() && out.back() != '&';
  if (question == std::string::npos) out += '?';
  for (const auto& [name, value] : params) {
    if (needSeparator) out += '&';
    out += http::PercentEncode(name);
    out += '=';
    out += http::PercentEncode(value);
    needSeparator = true;
  }
  return out;
}

http::Response RedirectWithCode(const AuthorizeParams& params, std::string_view code) {
  http::Fields query{{"code", std::string(code)}};
  if (params.state) query.emplace_back("state", *params.state);
  http::Response response = http::Response::Redirect(AppendQuery(params.redirectUri, query));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Referrer-Policy", "no-referrer");
  return response;
}

http::Response RedirectWithError(const AuthorizeParams& params, const OAuthError& error) {
  http::Fields query{{"error", error.error}, {"error_description", error.description}};
  if (params.state) query.emplace_back("state", *params.state);
  http::Response response = http::Response::Redirect(AppendQuery(params.redirectUri, query));
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Referrer-Policy", "no-referrer");
  return response;
}

}  // namespace dynhook::connect
