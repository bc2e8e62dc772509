// WebhooksTestEnv: the webhooks module in process, over the api module's fixture (a migrated
// sqlite::memory: store, the fleet simulator, Connect on manual clocks): a router holding the
// webhooks routes (dispatched in process, or served by a real server for the event stream), a
// real CurlMultiTransport for verification challenges (loopback allowed), an EventBus, and a
// WebhookRuntime whose calls are recorded. Helpers make FakeReceiver handlers that answer
// challenges right, wrong, with an error or not at all.
// Not thread-safe except RuntimeRecorder (handlers may run on server worker threads).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/api_fixture.h"
#include "core/crypto.h"
#include "delivery/curl_transport.h"
#include "http/router.h"
#include "support/fake_receiver.h"
#include "webhooks/event_bus.h"
#include "webhooks/event_stream.h"
#include "webhooks/webhooks_deps.h"

namespace dynhook::webhooks::test {

using api::test::JsonOf;
using api::test::TextOf;

// Records every WebhookRuntime call. Thread-safe.
class RuntimeRecorder {
 public:
  WebhookRuntime Runtime();

  std::vector<store::Subscription> Subscribed() const;
  std::vector<std::pair<std::string, std::string>> Unsubscribed() const;
  std::vector<std::string> Changed() const;
  std::vector<std::pair<std::string, bool>> Enabled() const;
  std::vector<std::string> Resent() const;
  // What `enable` answers from now on.
  void FailEnable(core::Error error);

 private:
  mutable std::mutex mu_;
  std::vector<store::Subscription> subscribed_;                    // guarded by mu_
  std::vector<std::pair<std::string, std::string>> unsubscribed_;  // guarded by mu_
  std::vector<std::string> changed_;                               // guarded by mu_
  std::vector<std::pair<std::string, bool>> enabled_;              // guarded by mu_
  std::vector<std::string> resent_;                                // guarded by mu_
  std::optional<core::Error> enableError_;                         // guarded by mu_
};

// FakeReceiver handlers for verification challenges.
dynhook::test::FakeReceiver::Handler AnswerChallenges(std::string amt);
dynhook::test::FakeReceiver::Handler AnswerWrongly();
dynhook::test::FakeReceiver::Handler AnswerStatus(int status);
dynhook::test::FakeReceiver::Handler AnswerText(std::string body);
// Sleeps `delay` before answering correctly (beyond the verify timeout: "timeout").
dynhook::test::FakeReceiver::Handler AnswerLate(std::string amt, std::chrono::milliseconds delay);

struct EnvOptions {
  bool allowPrivateCallbacks = true;
  std::chrono::milliseconds verifyTimeout{10'000};
  EventStreamOptions streams{std::chrono::milliseconds(15'000), 1000};
};

class WebhooksTestEnv {
 public:
  explicit WebhooksTestEnv(EnvOptions options = {});
  ~WebhooksTestEnv();

  api::test::ApiTestEnv& api() { return *api_; }
  store::Store& store() { return api_->store(); }
  core::ManualClock& clock() { return api_->platformClock(); }
  RuntimeRecorder& runtime() { return runtime_; }
  EventBus& events() { return events_; }
  EventStreams& streams() { return *streams_; }
  const core::SecretBox& box() const { return box_; }
  std::shared_ptr<const http::Router> router() const { return router_; }
  WebhooksDeps Deps();

  http::Response Call(std::string method, std::string target, http::Fields headers = {},
                      std::string body = "");
  // Call with `Authorization: Bearer <token>` (an AMT or an access token).
  http::Response Bearer(std::string method, std::string target, std::string_view token,
                        std::string body = "");
  // POST /api/webhooks {"name":"Hook","type":"dynamic","callbackUri":uri, …extra}.
  http::Response CreateWebhook(std::string_view amt, std::string_view uri,
                               boost::json::object extra = {});
  // CreateWebhook that must answer 201; returns the webhook's id ("" on failure).
  std::string CreateWebhookId(std::string_view amt, std::string_view uri,
                              boost::json::object extra = {});

 private:
  EnvOptions options_;
  std::unique_ptr<api::test::ApiTestEnv> api_;
  core::SecretBox box_;
  RuntimeRecorder runtime_;
  EventBus events_;
  std::unique_ptr<delivery::CurlMultiTransport> transport_;
  std::shared_ptr<EventStreams> streams_;
  std::shared_ptr<http::Router> router_;
};

}  // namespace dynhook::webhooks::test
