#include "http/wire.h"

#include <ctime>
#include <utility>

#include "core/clock.h"

namespace dynhook::http::wire {
namespace {

core::Error WithStatus(core::Error error, int status) {
  error.status = status;
  return error;
}

}  // namespace

core::Result<Request> ToRequest(BeastRequest&& message, std::string requestId,
                                std::string remoteAddress) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.requestId = std::move(requestId);
  request.remoteAddress = std::move(remoteAddress);
  const std::string_view target = request.target;
  if (target.empty() || target.front() != '/') {
    return core::errors::Validation("The request target must be an absolute path.");
  }
  const size_t question = target.find('?');
  auto path = PercentDecode(target.substr(0, question), false);
  if (!path) return core::errors::Validation("The request path has a malformed percent escape.");
  while (path->size() > 1 && path->back() == '/') path->pop_back();
  request.path = std::move(*path);
  if (question != std::string_view::npos) {
    auto query = ParseUrlEncoded(target.substr(question + 1));
    if (!query) return core::errors::Validation("The query string has a malformed percent escape.");
    request.query = std::move(*query);
  }
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

BeastResponse ToBeast(Response&& response, std::string_view requestId, bool keepAlive) {
  BeastResponse out;
  out.version(11);
  out.result(static_cast<unsigned>(response.status));
  for (auto& [name, value] : response.headers) out.insert(name, value);
  out.set(beast_http::field::date, HttpDate());
  out.set("SC-Request-Id", requestId);
  out.keep_alive(keepAlive);
  if (response.stream) {
    out.chunked(true);
  } else {
    out.body() = std::move(response.body);
    out.prepare_payload();
  }
  return out;
}

bool ReadFailureError(const boost::system::error_code& ec, bool timedOut, bool sawBytes,
                      core::Error& out) {
  if (timedOut) {
    if (!sawBytes) return false;  // an idle keep-alive connection: just close it
    out = WithStatus(core::errors::Validation("The request was not received in time."), 408);
    return true;
  }
  if (ec == beast_http::error::header_limit) {
    out = WithStatus(core::errors::Validation("The request header fields are too large."), 431);
    return true;
  }
  if (ec == beast_http::error::body_limit) {
    out = core::errors::PayloadTooLarge("The request body is too large.");
    return true;
  }
  const auto& httpCategory =
      beast_http::make_error_code(beast_http::error::end_of_stream).category();
  if (ec == beast_http::error::end_of_stream || ec.category() != httpCategory) {
    return false;  // clean close, reset, cancellation: nobody to answer
  }
  if (ec == beast_http::error::partial_message && !sawBytes) return false;
  out = core::errors::Validation("The request is malformed (" + ec.message() + ").");
  return true;
}

std::string HttpDate() {
  const auto now = core::RealClock().Now();
  const std::time_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  const size_t n = std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return std::string(buffer, n);
}

}  // namespace dynhook::http::wire
