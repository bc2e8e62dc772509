// Receiver: the sample callback server of `dynhook receiver` (SPEC §1.2), the reference for
// how an integrator's endpoint should behave. It answers every POST, on any path:
//   - a verification challenge (eventName "verify", SPEC §4.2) with 200
//     {"challenge": hex HMAC-SHA256(amt, challenge)}. An SC-Signature on it is optional but, if
//     present, must be valid. Only challenges of 1–512 characters from [A-Za-z0-9._~-] are
//     answered (400 otherwise): the answer is an HMAC keyed with the AMT, and refusing JSON-like
//     challenges keeps it from serving as a signing oracle for forged payloads.
//   - any other payload only with a valid `SC-Signature` (hex HMAC-SHA256 of the exact body
//     keyed with the AMT, compared in constant time); a missing or bad one gets 401 in
//     Smartcar's error format, a body that is not a JSON object 400. Then, unless a simulated
//     failure is drawn (ReceiverOptions), it writes ONE line to `out` and answers 200
//     {"status":"success"}. The line is a JSON object:
//       {"receivedAt":"<ISO-8601>","eventId":…,"webhookId":…,"eventName":…,"vehicles":N,
//        "payload":<the body as received>}
//     (eventId/webhookId/eventName are null when absent; vehicles counts payload.vehicles).
//     The body is re-serialised with core::Stringify, byte-identical to what a JSON.stringify
//     sender signed, and always one line.
//   - other methods get 405. Every request waits `delayMs` (wall time) first; Stop() cuts
//     waits short.
// Rejections and simulated failures are logged (spdlog), never printed to `out`.
//
// Threading: handlers run on the HTTP server's worker threads; lines are written to `out`
// whole, under a mutex, and flushed. Start/Stop from the owning thread; SetFailureMode and
// the accessors from any thread.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "http/message.h"
#include "http/server.h"
#include "receiver/options.h"

namespace dynhook::receiver {

class Receiver {
 public:
  // Called for each accepted payload after its line is written (on a worker thread).
  using Observer = std::function<void(const http::Request&, const boost::json::object& body)>;

  // `out` and `clock` (receivedAt) must outlive the receiver; the first form uses wall time.
  Receiver(ReceiverOptions options, std::ostream& out);
  Receiver(ReceiverOptions options, std::ostream& out, const core::Clock& clock);
  ~Receiver();  // Stop()
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  // Validates the options and binds; VALIDATION error on bad options, another on bind failure.
  core::Status Start();
  void Stop();

  uint16_t port() const;
  std::string address() const;                   // "HOST:PORT"
  std::string Url(std::string_view path) const;  // "http://HOST:PORT" + path

  // Changes the simulated failure at run time (the demo takes its receiver down and back up);
  // arguments as ReceiverOptions::failRate / status.
  void SetFailureMode(std::optional<double> failRate, std::optional<int> status);
  void SetObserver(Observer observer);
  size_t AcceptedCount() const { return accepted_.load(); }

 private:
  Receiver(ReceiverOptions options, std::ostream& out, std::unique_ptr<core::Clock> ownedClock,
           const core::Clock* clock);
  http::Response Handle(const http::Request& request);
  http::Response AnswerChallenge(const http::Request& request, const boost::json::object& body);
  std::optional<http::Response> DrawFailure(const http::Request& request);
  void Accept(const http::Request& request, const boost::json::object& body);
  bool SignatureValid(const http::Request& request) const;
  void Delay();

  ReceiverOptions options_;
  std::ostream& out_;
  std::unique_ptr<core::Clock> ownedClock_;
  const core::Clock& clock_;
  std::unique_ptr<core::Random> random_;  // failure draws; thread-safe
  std::unique_ptr<http::Server> server_;

  mutable std::mutex mu_;
  std::optional<double> failRate_;  // guarded by mu_
  std::optional<int> failStatus_;   // guarded by mu_
  Observer observer_;               // guarded by mu_

  std::mutex outMu_;  // serialises lines written to out_

  std::mutex stopMu_;
  std::condition_variable stopCv_;  // wakes delayed requests on Stop
  bool stopping_ = false;           // guarded by stopMu_

  std::atomic<size_t> accepted_{0};
};

}  // namespace dynhook::receiver
