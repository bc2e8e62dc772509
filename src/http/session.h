// Session: one accepted HTTP/1.1 connection of the Server (private to the http module). It reads
// requests one after another (keep-alive, pipelining), enforces the ServerOptions limits and
// timeouts, runs each request's handler on the worker pool and writes the answers in order,
// and serves streamed (server-sent events) bodies through a StreamSink.
//
// Threading: all state lives on the connection's strand (the socket's executor); the public
// methods below are thread-safe and post to it. A Session keeps itself alive (shared_ptr) while
// its coroutines run and reports its end through SessionContext::onClosed.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/router.h"
#include "http/server.h"

namespace dynhook::http::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Session;
class SessionSink;

// What a session borrows from its server; outlives every session.
struct SessionContext {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  asio::thread_pool* workers = nullptr;
  std::function<void(Session*)> onClosed;  // called once, on the session's strand
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const SessionContext& context);
  ~Session();

  void Start();
  // Graceful: an idle connection closes now, a request in progress is answered with
  // `Connection: close`, a stream ends.
  void Shutdown();
  // Closes the socket now.
  void ForceClose();
  // Wakes the stream writer (called by the sink through the strand).
  void WakeStream();

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kStreaming };
  using Clock = asio::steady_timer::clock_type;

  asio::awaitable<void> Run(std::shared_ptr<Session> self);
  asio::awaitable<bool> ServeOne();
  asio::awaitable<boost::system::error_code> ReadRequest();
  asio::awaitable<Response> RunHandler(Request& request);
  asio::awaitable<bool> WriteResponse(Response response, const std::string& requestId,
                                      bool keepAlive, bool headOnly);
  asio::awaitable<void> WriteError(const core::Error& error, const std::string& requestId);
  asio::awaitable<void> Stream(StreamStarter start);
  asio::awaitable<void> WatchDisconnect(std::shared_ptr<Session> self);
  asio::awaitable<void> Watchdog(std::shared_ptr<Session> self);
  asio::awaitable<void> CloseGracefully();
  void SetDeadline(std::chrono::milliseconds timeout);
  void ClearDeadline();
  void CloseSocket();

  const SessionContext& context_;
  tcp::socket socket_;
  asio::steady_timer deadline_;    // the current I/O deadline, watched by Watchdog
  asio::steady_timer streamWake_;  // cancelled to wake the stream writer
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<SessionSink> sink_;
  std::string remoteAddress_;
  Phase phase_ = Phase::kIdle;
  bool shutdown_ = false;
  bool timedOut_ = false;
  bool closed_ = false;
  bool streamWoken_ = false;
  bool lingerOnClose_ = false;  // drain the client's input before closing (after an error)
};

}  // namespace dynhook::http::detail
