#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/session.h"

namespace dynhook::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Owns the I/O context and its threads, the worker pool, the acceptor and the registry of live
// sessions. Start/Stop/Wait come from the owning thread (Wait also from others); the accept loop
// runs on the acceptor's strand; the registry is shared with session strands under mu_.
class Server::Impl {
 public:
  Impl(ServerOptions options, std::shared_ptr<const Router> router)
      : acceptor_(asio::make_strand(ioc_)) {
    context_.options = std::move(options);
    context_.router = std::move(router);
    context_.onClosed = [this](detail::Session* session) { OnClosed(session); };
  }

  ~Impl() { Stop(); }

  core::Status Start();
  void Stop();
  void Wait();
  uint16_t port() const { return port_; }
  std::string address() const { return context_.options.host + ":" + std::to_string(port_); }

 private:
  enum class State { kNew, kRunning, kStopping, kStopped };

  core::Status Bind();
  asio::awaitable<void> AcceptLoop();
  void Admit(tcp::socket socket);
  void OnClosed(detail::Session* session);
  std::vector<std::shared_ptr<detail::Session>> LiveSessions();
  void WaitForSessions(std::chrono::milliseconds timeout);

  detail::SessionContext context_;  // outlives ioc_: sessions borrow it
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::optional<asio::thread_pool> workers_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> ioThreads_;
  uint16_t port_ = 0;

  std::mutex mu_;
  std::condition_variable changed_;  // signals state_ and sessions_ changes
  State state_ = State::kNew;        // guarded by mu_
  std::unordered_map<detail::Session*, std::weak_ptr<detail::Session>> sessions_;  // mu_
};

core::Status Server::Impl::Bind() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(context_.options.host, ec);
  if (ec) {
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(context_.options.host, "", ec);
    if (ec || results.empty()) {
      return core::errors::Internal("Cannot resolve listen host " + context_.options.host);
    }
    address = results.begin()->endpoint().address();
  }
  const tcp::endpoint endpoint(address, context_.options.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return core::errors::Internal("Cannot listen on " + context_.options.host + ":" +
                                  std::to_string(context_.options.port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return {};
}

core::Status Server::Impl::Start() {
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kNew) return core::errors::Internal("Server already started");
  }
  if (auto status = Bind(); !status) return status;
  workers_.emplace(static_cast<size_t>(std::max(1, context_.options.workerThreads)));
  context_.workers = &*workers_;
  work_.emplace(ioc_.get_executor());
  asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), asio::detached);
  for (int i = 0; i < std::max(1, context_.options.ioThreads); ++i) {
    ioThreads_.emplace_back([this] { ioc_.run(); });
  }
  {
    std::lock_guard lock(mu_);
    state_ = State::kRunning;
  }
  spdlog::info("http server listening on {}", address());
  return {};
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  asio::steady_timer backoff(co_await asio::this_coro::executor);
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_),
                                                        asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // Typically out of file descriptors: back off instead of spinning.
      spdlog::warn("http accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    Admit(std::move(socket));
  }
}

void Server::Impl::Admit(tcp::socket socket) {
  std::shared_ptr<detail::Session> session;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    if (sessions_.size() >= context_.options.maxConnections) {
      spdlog::warn("http connection refused: {} connections open", sessions_.size());
      return;  // the socket closes as it goes out of scope
    }
    session = std::make_shared<detail::Session>(std::move(socket), context_);
    sessions_.emplace(session.get(), session);
  }
  session->Start();
}

void Server::Impl::OnClosed(detail::Session* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
  changed_.notify_all();
}

std::vector<std::shared_ptr<detail::Session>> Server::Impl::LiveSessions() {
  std::vector<std::shared_ptr<detail::Session>> out;
  std::lock_guard lock(mu_);
  for (auto& [key, weak] : sessions_) {
    if (auto session = weak.lock()) out.push_back(std::move(session));
  }
  return out;
}

void Server::Impl::WaitForSessions(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
}

void Server::Impl::Stop() {
  {
    std::unique_lock lock(mu_);
    if (state_ == State::kNew) state_ = State::kStopped;
    if (state_ != State::kRunning) {
      changed_.wait(lock, [this] { return state_ == State::kStopped; });
      return;
    }
    state_ = State::kStopping;
  }
  std::promise<void> acceptorClosed;
  asio::post(acceptor_.get_executor(), [this, &acceptorClosed] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    acceptorClosed.set_value();
  });
  acceptorClosed.get_future().wait();
  for (auto& session : LiveSessions()) session->Shutdown();
  WaitForSessions(context_.options.shutdownGrace);
  for (auto& session : LiveSessions()) session->ForceClose();
  workers_->join();  // handlers still running finish (they cannot be interrupted)
  WaitForSessions(std::chrono::milliseconds(1'000));
  work_.reset();
  ioc_.stop();
  for (auto& thread : ioThreads_) thread.join();
  ioThreads_.clear();
  spdlog::info("http server on {} stopped", address());
  std::lock_guard lock(mu_);
  state_ = State::kStopped;
  changed_.notify_all();
}

void Server::Impl::Wait() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return state_ == State::kStopped || state_ == State::kNew; });
}

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() { Stop(); }

core::Status Server::Start() { return impl_->Start(); }
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }
uint16_t Server::port() const { return impl_->port(); }
std::string Server::address() const { return impl_->address(); }

}  // namespace dynhook::http
