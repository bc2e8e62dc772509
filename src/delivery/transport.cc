#include "delivery/transport.h"

#include <future>
#include <memory>
#include <utility>

namespace dynhook::delivery {

TransportResult SendAndWait(Transport& transport, OutboundRequest request) {
  auto promise = std::make_shared<std::promise<TransportResult>>();
  auto future = promise->get_future();
  transport.Send(std::move(request),
                 [promise](TransportResult result) { promise->set_value(std::move(result)); });
  return future.get();
}

}  // namespace dynhook::delivery
