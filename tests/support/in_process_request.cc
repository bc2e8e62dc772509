#include "support/in_process_request.h"

#include <utility>

#include "core/ids.h"

namespace dynhook::test {

http::Request MakeRequest(std::string method, std::string target, http::Fields headers,
                          std::string body) {
  http::Request request;
  request.method = std::move(method);
  request.target = target;
  const size_t question = target.find('?');
  request.path = http::PercentDecode(target.substr(0, question), false).value_or("");
  while (request.path.size() > 1 && request.path.back() == '/') request.path.pop_back();
  if (question != std::string::npos) {
    request.query = http::ParseUrlEncoded(target.substr(question + 1)).value_or(http::Fields{});
  }
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.requestId = core::NewUuid();
  request.remoteAddress = "127.0.0.1";
  return request;
}

}  // namespace dynhook::test
