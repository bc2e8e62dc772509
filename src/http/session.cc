#include "http/session.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/beast/http.hpp>
#include <exception>
#include <utility>

#include "core/ids.h"
#include "http/session_sink.h"
#include "http/wire.h"

namespace dynhook::http::detail {
namespace {

namespace beast_http = boost::beast::http;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 8 * 1024;
// After answering and shutting down our side, how much of the client's unread input we drain
// (so the close does not reset the connection before the client has read the answer).
constexpr size_t kMaxLingerBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kMaxLinger{1'000};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Runs on a worker thread. A plain function, not a capturing lambda: a coroutine's parameters
// live in its frame, a lambda's captures do not.
asio::awaitable<Response> Dispatch(std::shared_ptr<const Router> router, Request* request) {
  co_return router->Dispatch(*request);
}

}  // namespace

Session::Session(tcp::socket socket, const SessionContext& context)
    : context_(context),
      socket_(std::move(socket)),
      deadline_(socket_.get_executor(), Clock::time_point::max()),
      streamWake_(socket_.get_executor(), Clock::time_point::max()) {
  boost::system::error_code ec;
  const auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) remoteAddress_ = endpoint.address().to_string();
}

Session::~Session() = default;

void Session::Start() {
  auto self = shared_from_this();
  asio::co_spawn(socket_.get_executor(), Watchdog(self), asio::detached);
  asio::co_spawn(socket_.get_executor(), Run(self), asio::detached);
}

void Session::Shutdown() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->shutdown_ = true;
    boost::system::error_code ec;
    if (self->phase_ == Phase::kIdle) self->socket_.cancel(ec);
    if (self->sink_) {
      self->sink_->MarkClosed();
      self->WakeStream();
    }
  });
}

void Session::ForceClose() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseSocket(); });
}

void Session::WakeStream() {
  streamWoken_ = true;
  streamWake_.cancel();
}

asio::awaitable<void> Session::Run(std::shared_ptr<Session> /*self: keeps the session alive*/) {
  try {
    while (co_await ServeOne()) {
    }
  } catch (const std::exception& e) {
    spdlog::error("http session from {} failed: {}", remoteAddress_, e.what());
  }
  if (sink_) {
    sink_->MarkClosed();
    CloseSocket();  // WatchDisconnect is still reading: no lingering read next to it
  }
  if (lingerOnClose_ && !closed_) co_await CloseGracefully();
  CloseSocket();
  context_.onClosed(this);
}

asio::awaitable<bool> Session::ServeOne() {
  const ServerOptions& options = context_.options;
  phase_ = Phase::kIdle;
  timedOut_ = false;
  if (shutdown_ || closed_) co_return false;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(options.maxHeaderBytes));
  parser_->body_limit(options.maxBodyBytes);
  SetDeadline(options.idleTimeout);
  if (buffer_.size() == 0) {
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kAwait);
    if (ec) co_return false;
    buffer_.commit(n);
  }
  phase_ = Phase::kReading;
  SetDeadline(options.requestTimeout);
  std::string requestId = core::NewUuid();
  if (auto ec = co_await ReadRequest()) {
    core::Error error;
    if (wire::ReadFailureError(ec, timedOut_, true, error)) co_await WriteError(error, requestId);
    co_return false;
  }
  const bool keepAlive = parser_->keep_alive();
  const bool headOnly = parser_->get().method() == beast_http::verb::head;
  auto request = wire::ToRequest(parser_->release(), requestId, remoteAddress_);
  if (!request) {
    co_await WriteError(request.error(), requestId);
    co_return false;
  }
  phase_ = Phase::kHandling;
  ClearDeadline();
  Response response = co_await RunHandler(*request);
  spdlog::debug("http {} {} -> {} (request {})", request->method, Printable(request->path),
                response.status, requestId);
  phase_ = Phase::kWriting;
  co_return co_await WriteResponse(std::move(response), requestId, keepAlive && !shutdown_,
                                   headOnly);
}

asio::awaitable<boost::system::error_code> Session::ReadRequest() {
  auto [ec, n] = co_await beast_http::async_read_header(socket_, buffer_, *parser_, kAwait);
  if (ec) co_return ec;
  const auto& header = parser_->get();
  if (!parser_->is_done() && header[beast_http::field::expect] == "100-continue") {
    auto [writeError, written] =
        co_await asio::async_write(socket_, asio::buffer(kContinue), kAwait);
    if (writeError) co_return writeError;
  }
  if (parser_->is_done()) co_return boost::system::error_code{};
  auto [bodyError, bodyBytes] = co_await beast_http::async_read(socket_, buffer_, *parser_, kAwait);
  co_return bodyError;
}

asio::awaitable<Response> Session::RunHandler(Request& request) {
  try {
    co_return co_await asio::co_spawn(*context_.workers, Dispatch(context_.router, &request),
                                      asio::use_awaitable);
  } catch (const std::exception& e) {
    spdlog::error("http dispatch failed: {} (request {})", e.what(), request.requestId);
  }
  co_return Response::Error(core::errors::Internal("The server failed to handle the request."),
                            request.requestId);
}

asio::awaitable<bool> Session::WriteResponse(Response response, const std::string& requestId,
                                             bool keepAlive, bool headOnly) {
  StreamStarter start = std::move(response.stream);
  const bool streamed = static_cast<bool>(start);
  response.stream = nullptr;
  auto message = wire::ToBeast(std::move(response), requestId, keepAlive && !streamed);
  if (streamed) message.chunked(true);
  beast_http::response_serializer<beast_http::string_body> serializer(message);
  SetDeadline(context_.options.requestTimeout);
  boost::system::error_code ec;
  if (headOnly || streamed) {
    std::tie(ec, std::ignore) =
        co_await beast_http::async_write_header(socket_, serializer, kAwait);
  } else {
    std::tie(ec, std::ignore) = co_await beast_http::async_write(socket_, serializer, kAwait);
  }
  if (ec) co_return false;
  if (streamed && !headOnly) {
    co_await Stream(std::move(start));
    co_return false;
  }
  co_return message.keep_alive();
}

asio::awaitable<void> Session::WriteError(const core::Error& error, const std::string& requestId) {
  spdlog::debug("http request from {} rejected: {} ({})", remoteAddress_, error.Name(),
                error.status);
  lingerOnClose_ = true;  // the client may still be sending what we refused to read
  co_await WriteResponse(Response::Error(error, requestId), requestId, false, false);
}

asio::awaitable<void> Session::Stream(StreamStarter start) {
  phase_ = Phase::kStreaming;
  sink_ = std::make_shared<SessionSink>(weak_from_this(), socket_.get_executor());
  asio::co_spawn(socket_.get_executor(), WatchDisconnect(shared_from_this()), asio::detached);
  try {
    start(sink_);
  } catch (const std::exception& e) {
    spdlog::error("http stream start failed: {}", e.what());
    sink_->Close();
  }
  if (shutdown_) sink_->MarkClosed();
  while (true) {
    bool open = false;
    for (const std::string& chunk : sink_->TakePending(open)) {
      if (chunk.empty()) continue;
      SetDeadline(context_.options.requestTimeout);
      auto [ec, n] =
          co_await asio::async_write(socket_, beast_http::make_chunk(asio::buffer(chunk)), kAwait);
      if (ec) co_return;
    }
    ClearDeadline();
    if (!open) break;
    if (!streamWoken_) {
      streamWake_.expires_at(Clock::time_point::max());
      co_await streamWake_.async_wait(kAwait);
    }
    streamWoken_ = false;
  }
  SetDeadline(context_.options.requestTimeout);
  co_await asio::async_write(socket_, beast_http::make_chunk_last(), kAwait);
}

asio::awaitable<void> Session::WatchDisconnect(
    std::shared_ptr<Session> /*self: keeps the session alive*/) {
  // A streaming client sends nothing more; any read completion other than data means it left.
  std::array<char, 512> scratch;
  while (!closed_) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(scratch), kAwait);
    if (ec) break;
  }
  if (sink_) sink_->MarkClosed();
  WakeStream();
}

asio::awaitable<void> Session::Watchdog(
    std::shared_ptr<Session> /*self: keeps the session alive*/) {
  while (!closed_) {
    co_await deadline_.async_wait(kAwait);
    if (closed_) break;
    if (deadline_.expiry() <= Clock::now()) {
      timedOut_ = true;
      boost::system::error_code ec;
      socket_.cancel(ec);
      deadline_.expires_at(Clock::time_point::max());
    }
  }
}

asio::awaitable<void> Session::CloseGracefully() {
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  SetDeadline(std::min(context_.options.requestTimeout, kMaxLinger));
  std::array<char, 4096> scratch;
  size_t drained = 0;
  while (!ec && !closed_ && drained < kMaxLingerBytes) {
    size_t n = 0;
    std::tie(ec, n) = co_await socket_.async_read_some(asio::buffer(scratch), kAwait);
    drained += n;
  }
  CloseSocket();
}

void Session::SetDeadline(std::chrono::milliseconds timeout) { deadline_.expires_after(timeout); }

void Session::ClearDeadline() { deadline_.expires_at(Clock::time_point::max()); }

void Session::CloseSocket() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  deadline_.cancel();
  streamWake_.cancel();
  if (sink_) sink_->MarkClosed();
}

}  // namespace dynhook::http::detail
