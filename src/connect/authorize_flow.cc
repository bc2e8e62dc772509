#include "connect/authorize_flow.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <variant>

#include "connect/authorize_page.h"
#include "connect/authorize_request.h"
#include "core/crypto.h"
#include "core/ids.h"

namespace dynhook::connect {
namespace {

constexpr core::Duration kCodeLifetime = std::chrono::minutes(10);
constexpr size_t kMaxUsernameLength = 254;
constexpr size_t kMaxPasswordLength = 1024;

// A request that passed both validation steps.
struct AuthorizeContext {
  AuthorizeParams params;
  store::Application app;
  ValidAuthorize valid;
};

http::Response ErrorPage(const core::Error& error) {
  if (error.type == "VALIDATION") {
    return ConnectHtml(400,
                       RenderErrorPage("This connection request is invalid", error.description));
  }
  spdlog::error("connect: {} ({})", error.Name(), error.description);
  return ConnectHtml(
      500, RenderErrorPage("Something went wrong", "The server could not handle this request."));
}

std::variant<AuthorizeContext, http::Response> Prepare(const ConnectDeps& deps,
                                                       const http::Fields& fields) {
  AuthorizeParams params = ReadAuthorizeParams(fields);
  auto app = ResolveClient(deps.store, params);
  if (!app) return ErrorPage(app.error());
  auto valid = ValidateAuthorize(params, deps.connector);
  if (auto* error = std::get_if<OAuthError>(&valid)) return RedirectWithError(params, *error);
  return AuthorizeContext{std::move(params), std::move(*app),
                          std::move(std::get<ValidAuthorize>(valid))};
}

ConnectPage BasePage(const ConnectDeps& deps, const AuthorizeContext& context) {
  ConnectPage page;
  page.applicationName = context.app.name;
  page.makes = deps.connector.Makes();
  page.lockedMake = context.valid.lockedMake;
  page.permissions = context.valid.permissions;
  page.mode = context.valid.mode;
  page.hiddenFields = context.params.passthrough;
  return page;
}

std::vector<std::string> AllValues(const http::Fields& fields, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : fields) {
    if (key == name) values.push_back(value);
  }
  return values;
}

// The make to log in with: the locked one, the chosen one, or "" (any, simulated/test only).
core::Result<std::string> ChooseMake(const ConnectDeps& deps, const AuthorizeContext& context,
                                     std::string_view brand) {
  // A `make` on the URL locks the brand: the page offers no other, so any other value was not
  // chosen on it and is ignored.
  if (const auto& locked = context.valid.lockedMake) return locked->make;
  if (!brand.empty()) {
    auto info = FindMake(deps.connector, brand);
    if (!info) return core::errors::Validation("Choose a brand from the list.");
    return info->make;
  }
  if (context.valid.mode == "live") return core::errors::Validation("Choose your car's brand.");
  return std::string();
}

core::Result<oem::Account> LogIn(const ConnectDeps& deps, const AuthorizeContext& context,
                                 const std::string& make, std::string_view username,
                                 std::string_view password) {
  const bool createIfUnknown = context.valid.mode != "live";
  auto account = deps.connector.Authenticate(make, username, password, createIfUnknown);
  if (account) return account;
  const core::Error& error = account.error();
  if (error.type == "CONNECTED_SERVICES_ACCOUNT" && error.code == "AUTHENTICATION_FAILED") {
    return core::errors::Validation("The email or password is incorrect. Please try again.");
  }
  spdlog::warn("connect: OEM login failed: {} ({})", error.Name(), error.description);
  return core::errors::Validation(
      "We could not reach your car brand's connected services. Please try again later.");
}

// Stores the code for the approved vehicles and redirects the user back with it.
http::Response IssueCode(const ConnectDeps& deps, const AuthorizeContext& context,
                         const oem::Account& account, std::vector<std::string> vehicleIds) {
  const auto serverError = [&](const core::Error& error) {
    spdlog::error("connect: cannot issue a code: {} ({})", error.Name(), error.description);
    return RedirectWithError(context.params,
                             {"server_error", "The server could not complete the connection."});
  };
  auto userId = deps.store.UserIdFor(context.app.id, account.id, core::NewUuid(deps.random));
  if (!userId) return serverError(userId.error());
  const std::string code = core::RandomToken("ac_", deps.random);
  store::AuthorizationCode record;
  record.codeHash = core::Sha256Hex(code);
  record.applicationId = context.app.id;
  record.redirectUri = context.params.redirectUri;
  record.userId = std::move(*userId);
  record.oemAccountId = account.id;
  record.vehicleIds = std::move(vehicleIds);
  record.scopes = PermissionNames(context.valid.permissions);
  record.mode = context.valid.mode;
  record.expiresAt = deps.wallClock.Now() + kCodeLifetime;
  if (auto status = deps.store.SaveAuthorizationCode(record); !status) {
    return serverError(status.error());
  }
  return RedirectWithCode(context.params, code);
}

http::Response Approve(const ConnectDeps& deps, const AuthorizeContext& context,
                       const http::Fields& form) {
  ConnectPage page = BasePage(deps, context);
  const std::string username(http::Find(form, "username").value_or(""));
  const std::string_view password = http::Find(form, "password").value_or("");
  const std::string_view brand = http::Find(form, "brand").value_or("");
  if (username.size() <= kMaxUsernameLength) page.username = username;
  if (!context.valid.lockedMake && FindMake(deps.connector, brand)) {
    page.selectedMake = FindMake(deps.connector, brand)->make;
  }
  const auto fail = [&](std::string message) {
    page.errorMessage = std::move(message);
    return ConnectHtml(200, RenderConnectPage(page));
  };
  if (username.empty() || password.empty()) return fail("Enter your email and password.");
  if (username.size() > kMaxUsernameLength || password.size() > kMaxPasswordLength) {
    return fail("The email or password is too long.");
  }
  auto make = ChooseMake(deps, context, brand);
  if (!make) return fail(make.error().description);
  auto account = LogIn(deps, context, *make, username, password);
  if (!account) return fail(account.error().description);
  auto vehicles = deps.connector.ListVehicles(account->id);
  if (!vehicles) {
    return fail("We could not list the vehicles of this account. Please try again later.");
  }
  auto selected = SelectVehicles(*vehicles, AllValues(form, "vehicle"), context.params.singleSelect,
                                 context.params.singleSelectVin);
  if (!selected) return fail(selected.error().description);
  return IssueCode(deps, context, *account, std::move(*selected));
}

}  // namespace

core::Result<std::vector<std::string>> SelectVehicles(
    const std::vector<oem::VehicleInfo>& accountVehicles, const std::vector<std::string>& requested,
    bool singleSelect, const std::string& singleSelectVin) {
  if (accountVehicles.empty()) {
    return core::errors::Validation("No vehicles were found in this account.");
  }
  std::vector<const oem::VehicleInfo*> candidates;
  for (const auto& id : requested) {
    auto it = std::find_if(accountVehicles.begin(), accountVehicles.end(),
                           [&](const oem::VehicleInfo& v) { return v.id == id; });
    if (it == accountVehicles.end()) {
      return core::errors::Validation("A selected vehicle does not belong to this account.");
    }
    if (std::find(candidates.begin(), candidates.end(), &*it) == candidates.end()) {
      candidates.push_back(&*it);
    }
  }
  if (requested.empty()) {
    for (const auto& vehicle : accountVehicles) candidates.push_back(&vehicle);
  }
  if (!singleSelectVin.empty()) {
    auto it = std::find_if(candidates.begin(), candidates.end(),
                           [&](const oem::VehicleInfo* v) { return v->vin == singleSelectVin; });
    if (it == candidates.end()) {
      return core::errors::Validation("The requested vehicle (VIN " + singleSelectVin +
                                      ") is not in this account.");
    }
    return std::vector<std::string>{(*it)->id};
  }
  if (singleSelect) candidates.resize(1);
  std::vector<std::string> ids;
  for (const auto* vehicle : candidates) ids.push_back(vehicle->id);
  return ids;
}

http::Response HandleAuthorizeGet(const ConnectDeps& deps, const http::Request& request) {
  auto prepared = Prepare(deps, request.query);
  if (auto* response = std::get_if<http::Response>(&prepared)) return std::move(*response);
  const auto& context = std::get<AuthorizeContext>(prepared);
  return ConnectHtml(200, RenderConnectPage(BasePage(deps, context)));
}

http::Response HandleAuthorizePost(const ConnectDeps& deps, const http::Request& request) {
  auto form = http::ParseUrlEncoded(request.body);
  if (!form) {
    return ErrorPage(core::errors::Validation("The submitted form is malformed."));
  }
  auto prepared = Prepare(deps, *form);
  if (auto* response = std::get_if<http::Response>(&prepared)) return std::move(*response);
  const auto& context = std::get<AuthorizeContext>(prepared);
  const std::string_view action = http::Find(*form, "action").value_or("");
  if (action == "deny") {
    return RedirectWithError(context.params,
                             {"access_denied", "The user denied access to the application."});
  }
  if (action != "approve") {
    ConnectPage page = BasePage(deps, context);
    page.errorMessage = "Choose Approve or Deny.";
    return ConnectHtml(200, RenderConnectPage(page));
  }
  return Approve(deps, context, *form);
}

}  // namespace dynhook::connect
