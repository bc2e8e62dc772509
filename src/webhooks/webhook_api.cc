#include "webhooks/webhook_api.h"

#include <boost/json.hpp>
#include <utility>

#include "api/input.h"
#include "api/respond.h"
#include "webhooks/caller.h"
#include "webhooks/options.h"

namespace dynhook::webhooks {
namespace {

constexpr const char* kCollection = "/api/webhooks";
constexpr const char* kOne = "/api/webhooks/{id}";

// verify / enable / disable take no parameters in the body.
core::Status CheckEmptyBody(const http::Request& request) {
  auto body = api::ParseBody(request, {}, true);
  if (!body) return body.take_error();
  return {};
}

core::Result<bool> ParseReplay(const http::Request& request) {
  const auto replay = request.Query("replay").value_or("held");
  if (replay == "held") return true;
  if (replay == "discard") return false;
  return core::errors::Validation("Query parameter 'replay' must be 'held' or 'discard'.");
}

}  // namespace

void WebhookApi::RegisterRoutes(http::Router& router) const {
  auto self = std::make_shared<const WebhookApi>(*this);
  auto route = [&](const char* method, const std::string& path, auto member) {
    router.Add(method, path,
               api::Wrap([self, member](const http::Request& r) { return (*self.*member)(r); }));
  };
  route("POST", kCollection, &WebhookApi::Create);
  route("GET", kCollection, &WebhookApi::List);
  route("GET", kOne, &WebhookApi::Get);
  route("PATCH", kOne, &WebhookApi::Patch);
  route("DELETE", kOne, &WebhookApi::Delete);
  route("POST", std::string(kOne) + "/verify", &WebhookApi::Verify);
  route("POST", std::string(kOne) + "/enable", &WebhookApi::Enable);
  route("POST", std::string(kOne) + "/disable", &WebhookApi::Disable);
}

core::Result<http::Response> WebhookApi::Answer(int status, const store::Webhook& webhook,
                                                const std::string& signingSecret) const {
  auto json = service_->Render(webhook);
  if (!json) return json.take_error();
  if (!signingSecret.empty()) (*json)["signingSecret"] = signingSecret;
  return api::JsonResponse(status, *json);
}

core::Result<http::Response> WebhookApi::Create(const http::Request& request) const {
  auto caller = AuthenticateCaller(deps_.store, request);
  if (!caller) return caller.take_error();
  auto input = ParseCreateBody(request, deps_.allowPrivateCallbacks);
  if (!input) return input.take_error();
  auto created = service_->Create(caller->app.id, caller->managementToken, std::move(*input));
  if (!created) return created.take_error();
  return Answer(201, created->webhook, created->signingSecret);
}

core::Result<http::Response> WebhookApi::List(const http::Request& request) const {
  auto caller = AuthenticateCaller(deps_.store, request);
  if (!caller) return caller.take_error();
  auto webhooks = deps_.store.ListWebhooks(caller->app.id);
  if (!webhooks) return webhooks.take_error();
  boost::json::array list;
  for (const auto& webhook : *webhooks) {
    auto json = service_->Render(webhook);
    if (!json) return json.take_error();
    list.emplace_back(std::move(*json));
  }
  return api::JsonResponse(200, boost::json::object{{"webhooks", std::move(list)}});
}

core::Result<http::Response> WebhookApi::Get(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  return Answer(200, target->webhook);
}

core::Result<http::Response> WebhookApi::Patch(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  auto current = DeserializeOptions(target->webhook.optionsJson);
  if (!current) {
    return core::errors::Internal("The stored options of the webhook are invalid.");
  }
  auto input = ParsePatchBody(request, *current, deps_.allowPrivateCallbacks);
  if (!input) return input.take_error();
  auto updated = service_->Update(target->webhook, target->caller.managementToken, *input);
  if (!updated) return updated.take_error();
  return Answer(200, updated->webhook, updated->signingSecret);
}

core::Result<http::Response> WebhookApi::Delete(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  if (auto ok = CheckEmptyBody(request); !ok) return ok.take_error();
  if (auto deleted = service_->Delete(target->webhook); !deleted) return deleted.take_error();
  return api::JsonResponse(200, boost::json::object{{"status", "success"}});
}

core::Result<http::Response> WebhookApi::Verify(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  if (auto ok = CheckEmptyBody(request); !ok) return ok.take_error();
  auto verified = service_->Verify(target->webhook, target->caller.managementToken);
  if (!verified) return verified.take_error();
  return Answer(200, *verified);
}

core::Result<http::Response> WebhookApi::Enable(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  auto replay = ParseReplay(request);
  if (!replay) return replay.take_error();
  if (auto ok = CheckEmptyBody(request); !ok) return ok.take_error();
  auto enabled = service_->Enable(target->webhook, target->caller.managementToken, *replay);
  if (!enabled) return enabled.take_error();
  return Answer(200, *enabled);
}

core::Result<http::Response> WebhookApi::Disable(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  if (auto ok = CheckEmptyBody(request); !ok) return ok.take_error();
  auto disabled = service_->Disable(target->webhook);
  if (!disabled) return disabled.take_error();
  return Answer(200, *disabled);
}

}  // namespace dynhook::webhooks
