// Server: the HTTP/1.1 server on Boost.Asio/Beast. Accepts on one address, keeps connections
// alive, enforces the limits below, assigns each request an id (UUID, echoed as SC-Request-Id),
// and dispatches to the Router on a pool of worker threads (handlers may block). Everything
// that goes wrong before a handler runs (bad request line, header or body too large, timeout,
// body not valid for the declared length) gets a Smartcar-format JSON error, never a crash.
//
// Threading: I/O runs on `ioThreads` threads, each connection on its own strand; handlers on
// `workerThreads`. Start/Stop are called from the owning thread. Stop() is graceful: it stops
// accepting, lets in-flight requests finish (up to `shutdownGrace`), then closes connections.
// Open streams (Response::Stream, server-sent events) are ended at once by Stop(). A handler
// still running after the grace period is waited for (it cannot be interrupted), so Stop()
// must not be called from inside a handler. Error answers (400/408/413/431) close the
// connection; a response sent while stopping carries `Connection: close`.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/router.h"

namespace dynhook::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                              // 0 picks a free port; see Server::port()
  size_t maxHeaderBytes = 16 * 1024;                 // request line + headers; 431 above
  size_t maxBodyBytes = 1024 * 1024;                 // 413 above
  std::chrono::milliseconds requestTimeout{30'000};  // whole request read; 408 after. Also
                                                     // bounds each response write.
  std::chrono::milliseconds idleTimeout{60'000};     // keep-alive idle connection closed after
  std::chrono::milliseconds shutdownGrace{5'000};
  int ioThreads = 1;
  int workerThreads = 8;
  size_t maxConnections = 10'000;
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();  // calls Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving in background threads. Fails with a core::Error when the address
  // cannot be bound.
  core::Status Start();
  void Stop();
  // Blocks until Stop() has completed (from another thread or a signal handler set up by the
  // caller).
  void Wait();

  uint16_t port() const;        // the bound port (the chosen one when options.port was 0)
  std::string address() const;  // "127.0.0.1:PORT"

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynhook::http
