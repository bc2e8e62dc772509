#include "support/fake_receiver.h"

#include <stdexcept>
#include <utility>

namespace dynhook::test {

FakeReceiver::FakeReceiver(Handler handler, http::ServerOptions options)
    : handler_(std::move(handler)) {
  auto router = std::make_shared<http::Router>();
  router->SetFallback([this](const http::Request& request) { return Handle(request); });
  options.host = "127.0.0.1";
  options.port = 0;
  server_ = std::make_unique<http::Server>(options, std::move(router));
  if (auto status = server_->Start(); !status) {
    throw std::runtime_error("FakeReceiver cannot start: " + status.error().description);
  }
}

FakeReceiver::~FakeReceiver() { Stop(); }

void FakeReceiver::Stop() { server_->Stop(); }

uint16_t FakeReceiver::port() const { return server_->port(); }

std::string FakeReceiver::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

void FakeReceiver::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<http::Request> FakeReceiver::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeReceiver::RequestCount() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool FakeReceiver::WaitForRequests(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

http::Response FakeReceiver::Handle(const http::Request& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    handler = handler_;
  }
  arrived_.notify_all();
  if (!handler) return http::Response::Json(200, "{}");
  return handler(request);
}

}  // namespace dynhook::test
