#include "receiver/receiver.h"

#include <spdlog/spdlog.h>

#include <boost/json/value.hpp>
#include <cctype>
#include <chrono>

#include "core/crypto.h"
#include "core/json.h"
#include "http/router.h"

namespace dynhook::receiver {
namespace {

constexpr size_t kMaxChallengeChars = 512;

bool ValidChallenge(std::string_view challenge) {
  if (challenge.empty() || challenge.size() > kMaxChallengeChars) return false;
  for (const char c : challenge) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '.' && c != '_' && c != '~' && c != '-') return false;
  }
  return true;
}

// The string member `key` of `object`, or nullptr.
const boost::json::string* StringMember(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_string() : nullptr;
}

boost::json::value StringOrNull(const boost::json::object& object, std::string_view key) {
  const auto* text = StringMember(object, key);
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

size_t VehicleCount(const boost::json::object& body) {
  const auto* payload = body.if_contains("payload");
  const auto* object = payload ? payload->if_object() : nullptr;
  const auto* vehicles = object ? object->if_contains("vehicles") : nullptr;
  const auto* array = vehicles ? vehicles->if_array() : nullptr;
  return array ? array->size() : 0;
}

std::unique_ptr<core::Random> MakeRandom(const std::optional<uint64_t>& seed) {
  if (seed) return std::make_unique<core::SeededRandom>(*seed);
  return std::make_unique<core::SecureRandom>();
}

}  // namespace

Receiver::Receiver(ReceiverOptions options, std::ostream& out)
    : Receiver(std::move(options), out, std::make_unique<core::RealClock>(), nullptr) {}

Receiver::Receiver(ReceiverOptions options, std::ostream& out, const core::Clock& clock)
    : Receiver(std::move(options), out, nullptr, &clock) {}

Receiver::Receiver(ReceiverOptions options, std::ostream& out,
                   std::unique_ptr<core::Clock> ownedClock, const core::Clock* clock)
    : options_(std::move(options)),
      out_(out),
      ownedClock_(std::move(ownedClock)),
      clock_(clock ? *clock : *ownedClock_),
      random_(MakeRandom(options_.seed)),
      failRate_(options_.failRate),
      failStatus_(options_.status) {}

Receiver::~Receiver() { Stop(); }

core::Status Receiver::Start() {
  if (auto valid = options_.Validate(); !valid) return valid;
  auto router = std::make_shared<http::Router>();
  router->SetFallback([this](const http::Request& request) { return Handle(request); });
  http::ServerOptions server;
  server.host = options_.ListenHost();
  server.port = options_.ListenPort();
  server.workerThreads = options_.workerThreads;
  server.maxBodyBytes = options_.maxBodyBytes;
  server.shutdownGrace = std::chrono::milliseconds(2'000);
  server_ = std::make_unique<http::Server>(server, std::move(router));
  return server_->Start();
}

void Receiver::Stop() {
  {
    std::lock_guard lock(stopMu_);
    stopping_ = true;
  }
  stopCv_.notify_all();
  if (server_) server_->Stop();
}

uint16_t Receiver::port() const { return server_ ? server_->port() : 0; }
std::string Receiver::address() const { return server_ ? server_->address() : ""; }
std::string Receiver::Url(std::string_view path) const {
  return "http://" + address() + std::string(path);
}

void Receiver::SetFailureMode(std::optional<double> failRate, std::optional<int> status) {
  std::lock_guard lock(mu_);
  failRate_ = failRate;
  failStatus_ = status;
}

void Receiver::SetObserver(Observer observer) {
  std::lock_guard lock(mu_);
  observer_ = std::move(observer);
}

void Receiver::Delay() {
  if (options_.delayMs <= 0) return;
  std::unique_lock lock(stopMu_);
  stopCv_.wait_for(lock, std::chrono::milliseconds(options_.delayMs), [this] { return stopping_; });
}

http::Response Receiver::Handle(const http::Request& request) {
  if (request.method != "POST") {
    return http::Response::Error(
               core::errors::MethodNotAllowed("the receiver accepts POST requests only"),
               request.requestId)
        .SetHeader("Allow", "POST");
  }
  Delay();
  core::ParseLimits limits;
  limits.maxBytes = options_.maxBodyBytes;
  auto body = core::ParseJsonObject(request.body, limits);
  if (body.ok()) {
    const auto* eventName = StringMember(*body, "eventName");
    if (eventName && *eventName == "verify") return AnswerChallenge(request, *body);
  }
  if (!SignatureValid(request)) {
    spdlog::warn("receiver: rejected a payload with a {} SC-Signature ({})",
                 request.Header("SC-Signature") ? "bad" : "missing", request.requestId);
    return http::Response::Error(
        core::errors::Authentication(
            "SC-Signature is missing or is not the HMAC-SHA256 of the body keyed with the AMT"),
        request.requestId);
  }
  if (!body.ok()) return http::Response::Error(body.error(), request.requestId);
  if (auto failure = DrawFailure(request)) return std::move(*failure);
  Accept(request, *body);
  return http::Response::Json(200, R"({"status":"success"})");
}

bool Receiver::SignatureValid(const http::Request& request) const {
  const auto given = request.Header("SC-Signature");
  if (!given) return false;
  std::string lower(*given);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return core::ConstantTimeEquals(core::HmacSha256Hex(options_.amt, request.body), lower);
}

http::Response Receiver::AnswerChallenge(const http::Request& request,
                                         const boost::json::object& body) {
  if (request.Header("SC-Signature") && !SignatureValid(request)) {
    spdlog::warn("receiver: rejected a challenge with a bad SC-Signature ({})", request.requestId);
    return http::Response::Error(
        core::errors::Authentication("SC-Signature on the challenge is not valid"),
        request.requestId);
  }
  const auto* payload = body.if_contains("payload");
  const auto* object = payload ? payload->if_object() : nullptr;
  const auto* challenge = object ? StringMember(*object, "challenge") : nullptr;
  if (!challenge || !ValidChallenge(*challenge)) {
    return http::Response::Error(
        core::errors::Validation("payload.challenge must be 1-512 characters of [A-Za-z0-9._~-]"),
        request.requestId);
  }
  boost::json::object answer;
  answer["challenge"] = core::HmacSha256Hex(options_.amt, *challenge);
  spdlog::info("receiver: answered a verification challenge ({})", request.requestId);
  return http::Response::Json(200, core::Stringify(answer));
}

std::optional<http::Response> Receiver::DrawFailure(const http::Request& request) {
  double probability = 0;
  int status = 500;
  {
    std::lock_guard lock(mu_);
    probability = failRate_ ? *failRate_ : failStatus_ ? 1.0 : 0.0;
    status = failStatus_.value_or(500);
  }
  if (probability <= 0 || (probability < 1 && random_->NextDouble() >= probability)) {
    return std::nullopt;
  }
  spdlog::info("receiver: simulated failure {} ({})", status, request.requestId);
  if (status < 400) {  // a redirect, which a webhook sender must not follow
    http::Response response;
    response.status = status;
    response.SetHeader("Location", "/moved");
    return response;
  }
  core::Error error = core::errors::Internal(
      "simulated failure (dynhook receiver --fail-rate or "
      "--status)");
  error.status = status;
  return http::Response::Error(error, request.requestId);
}

void Receiver::Accept(const http::Request& request, const boost::json::object& body) {
  boost::json::object line;
  line["receivedAt"] = core::FormatIso8601(clock_.Now());
  line["eventId"] = StringOrNull(body, "eventId");
  line["webhookId"] = StringOrNull(body, "webhookId");
  line["eventName"] = StringOrNull(body, "eventName");
  line["vehicles"] = VehicleCount(body);
  line["payload"] = body;
  std::string text = core::Stringify(line);
  text += '\n';
  {
    std::lock_guard lock(outMu_);
    out_ << text << std::flush;
  }
  accepted_.fetch_add(1);
  Observer observer;
  {
    std::lock_guard lock(mu_);
    observer = observer_;
  }
  if (observer) observer(request, body);
}

}  // namespace dynhook::receiver
