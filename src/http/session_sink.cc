#include "http/session_sink.h"

#include <boost/asio/post.hpp>
#include <utility>

#include "http/session.h"

namespace dynhook::http::detail {

SessionSink::SessionSink(std::weak_ptr<Session> session, boost::asio::any_io_executor strand)
    : session_(std::move(session)), strand_(std::move(strand)) {}

bool SessionSink::Write(std::string chunk) {
  {
    std::lock_guard lock(mu_);
    if (!open_) return false;
    pendingBytes_ += chunk.size();
    if (pendingBytes_ > kMaxPendingBytes) {
      open_ = false;
      pending_.clear();
    } else {
      pending_.push_back(std::move(chunk));
    }
  }
  Wake();
  return IsOpen();
}

void SessionSink::Close() {
  {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  Wake();
}

bool SessionSink::IsOpen() const {
  std::lock_guard lock(mu_);
  return open_;
}

std::deque<std::string> SessionSink::TakePending(bool& open) {
  std::lock_guard lock(mu_);
  open = open_;
  pendingBytes_ = 0;
  return std::exchange(pending_, {});
}

void SessionSink::MarkClosed() {
  boost::asio::any_io_executor strand;
  {
    std::lock_guard lock(mu_);
    open_ = false;
    strand = std::exchange(strand_, boost::asio::any_io_executor());
  }
  // `strand` is released here, on the session's side, while the server is alive: a producer
  // may keep the sink after the server (and its strands) are gone.
}

void SessionSink::Wake() {
  std::lock_guard lock(mu_);  // post() never runs the handler inline
  if (!strand_) return;       // the session is done with the stream
  boost::asio::post(strand_, [session = session_] {
    if (auto locked = session.lock()) locked->WakeStream();
  });
}

}  // namespace dynhook::http::detail
