// SessionSink: the StreamSink a Session hands to a streaming handler. Producers on any thread
// queue chunks; the session's strand takes them and writes them out. Thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "http/message.h"

namespace dynhook::http::detail {

class Session;

class SessionSink final : public StreamSink {
 public:
  // Pending output above this closes the stream: a client that does not read is dropped
  // rather than buffered without bound.
  static constexpr size_t kMaxPendingBytes = 4 * 1024 * 1024;

  SessionSink(std::weak_ptr<Session> session, boost::asio::any_io_executor strand);

  bool Write(std::string chunk) override;
  void Close() override;
  bool IsOpen() const override;

  // Session side: takes the queued chunks; `open` tells whether more may come.
  std::deque<std::string> TakePending(bool& open);
  // Session side: the connection is gone or the server stops; later writes are dropped and
  // the sink lets go of the session's strand (so it may outlive the server).
  void MarkClosed();

 private:
  void Wake();

  std::weak_ptr<Session> session_;
  mutable std::mutex mu_;
  boost::asio::any_io_executor strand_;  // guarded by mu_; empty once MarkClosed
  std::deque<std::string> pending_;      // guarded by mu_
  size_t pendingBytes_ = 0;              // guarded by mu_
  bool open_ = true;                     // guarded by mu_
};

}  // namespace dynhook::http::detail
