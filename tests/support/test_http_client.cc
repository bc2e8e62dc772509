#include "support/test_http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <limits>
#include <optional>

namespace dynhook::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();

template <class Message>
HttpResult FromMessage(const Message& message) {
  HttpResult result;
  result.ok = true;
  result.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  result.body = message.body();
  return result;
}

HttpResult Failure(std::string error) {
  HttpResult result;
  result.error = std::move(error);
  return result;
}

// Runs `task` on `ioc` until it completes. Exceptions become a failed result.
template <class T>
std::optional<T> RunSync(asio::io_context& ioc, asio::awaitable<T> task) {
  std::optional<T> out;
  asio::co_spawn(ioc, std::move(task), [&out](std::exception_ptr error, T value) {
    if (!error) out = std::move(value);
  });
  ioc.restart();
  ioc.run();
  return out;
}

}  // namespace

class HttpConnection::Impl {
 public:
  Impl(std::string host, uint16_t port, std::chrono::milliseconds timeout)
      : hostHeader(host + ":" + std::to_string(port)),
        host_(std::move(host)),
        port_(port),
        timeout_(timeout),
        stream_(ioc_) {}

  const std::string hostHeader;  // "HOST:PORT"
  bool connected = false;

  asio::awaitable<bool> Connect() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host_, ec);
    if (ec) co_return false;
    stream_.expires_after(timeout_);
    auto [connectError] = co_await stream_.async_connect(tcp::endpoint(address, port_), kAwait);
    co_return !connectError;
  }

  asio::awaitable<HttpResult> Exchange(bhttp::request<bhttp::string_body> request) {
    stream_.expires_after(timeout_);
    auto [writeError, written] = co_await bhttp::async_write(stream_, request, kAwait);
    if (writeError) co_return Failure("write: " + writeError.message());
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kNoLimit);
    parser.skip(request.method() == bhttp::verb::head);
    stream_.expires_after(timeout_);
    auto [readError, read] = co_await bhttp::async_read(stream_, buffer_, parser, kAwait);
    if (readError) co_return Failure("read: " + readError.message());
    co_return FromMessage(parser.get());
  }

  asio::io_context& ioc() { return ioc_; }

 private:
  std::string host_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

HttpConnection::HttpConnection(const std::string& host, uint16_t port,
                               std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(host, port, timeout)) {
  impl_->connected = RunSync(impl_->ioc(), impl_->Connect()).value_or(false);
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::connected() const { return impl_->connected; }

HttpResult HttpConnection::Send(const std::string& method, const std::string& target,
                                const std::string& body, const http::Fields& headers) {
  if (!impl_->connected) return Failure("not connected");
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, impl_->hostHeader);
  if (!body.empty() && !http::FindHeader(headers, "Content-Type")) {
    request.set(bhttp::field::content_type, "application/json");
  }
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = body;
  request.prepare_payload();
  auto result = RunSync(impl_->ioc(), impl_->Exchange(std::move(request)));
  if (!result) return Failure("exception in the client");
  if (!result->ok) impl_->connected = false;
  return std::move(*result);
}

HttpResult Request(const std::string& host, uint16_t port, const std::string& method,
                   const std::string& target, const std::string& body, const http::Fields& headers,
                   std::chrono::milliseconds timeout) {
  HttpConnection connection(host, port, timeout);
  if (!connection.connected()) return Failure("cannot connect");
  return connection.Send(method, target, body, headers);
}

namespace {

asio::awaitable<std::string> RawExchangeTask(tcp::endpoint endpoint, std::string bytes,
                                             std::chrono::milliseconds timeout, bool halfClose,
                                             bool* peerClosed) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  stream.expires_at(deadline);
  auto [connectError] = co_await stream.async_connect(endpoint, kAwait);
  if (connectError) co_return std::string();
  stream.expires_at(deadline);
  // A write error is fine: the server may answer and close before reading everything.
  co_await asio::async_write(stream, asio::buffer(bytes), kAwait);
  boost::system::error_code ignored;
  if (halfClose) stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::string received;
  std::array<char, 4096> chunk;
  while (true) {
    stream.expires_at(deadline);
    auto [readError, n] = co_await stream.async_read_some(asio::buffer(chunk), kAwait);
    received.append(chunk.data(), n);
    if (readError) {
      if (peerClosed) *peerClosed = readError != beast::error::timeout;
      break;
    }
  }
  co_return received;
}

}  // namespace

std::string RawExchange(const std::string& host, uint16_t port, std::string_view bytes,
                        std::chrono::milliseconds timeout, bool halfClose, bool* peerClosed) {
  if (peerClosed) *peerClosed = false;
  asio::io_context ioc;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return {};
  return RunSync(ioc, RawExchangeTask(tcp::endpoint(address, port), std::string(bytes), timeout,
                                      halfClose, peerClosed))
      .value_or(std::string());
}

std::vector<HttpResult> ParseResponses(std::string_view raw) {
  std::vector<HttpResult> out;
  while (!raw.empty()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(kNoLimit);
    boost::system::error_code ec;
    while (!parser.is_done()) {
      if (raw.empty()) {
        parser.put_eof(ec);
        break;
      }
      const size_t used = parser.put(asio::buffer(raw.data(), raw.size()), ec);
      raw.remove_prefix(used);
      if (ec == bhttp::error::need_more) {
        ec = {};
        if (used == 0) raw = {};  // an incomplete element and nothing more will come
        continue;
      }
      if (ec) break;
    }
    if (ec || !parser.is_done()) {
      out.push_back(Failure("incomplete response: " + ec.message()));
      break;
    }
    out.push_back(FromMessage(parser.get()));
  }
  return out;
}

}  // namespace dynhook::test
