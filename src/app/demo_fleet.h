// DemoFleet: the scripted part of `dynhook demo`. Against a running Platform it does what an
// integrator does, over real HTTP: creates an application, connects three simulated owners
// through Connect, starts a sample receiver (receiver::Receiver), registers a dynamic webhook
// pointing at it (verified by challenge) and subscribes every vehicle. Then it prints one line
// per delivery the receiver gets, while a script plugs a vehicle in and out, changes an owner's
// OEM password and takes the receiver down for a while.
//
// Threading: Create/Print*/Start/Stop from the demo's main thread; the script runs on one
// background thread owned here; delivery lines are printed from receiver threads under a mutex.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "app/platform.h"
#include "core/result.h"
#include "receiver/receiver.h"

namespace dynhook::app {

class DemoFleet {
 public:
  static core::Result<std::unique_ptr<DemoFleet>> Create(Platform& platform, std::ostream& out,
                                                         bool colour);
  ~DemoFleet();

  void PrintIntroduction() const;
  void StartScript();
  void StopScript();

  struct Vehicle {
    std::string id;
    std::string make;
    std::string accessToken;
  };

 private:
  DemoFleet(Platform& platform, std::ostream& out, bool colour)
      : platform_(platform), out_(out), colour_(colour) {}
  core::Status Connect(const std::string& make, const std::string& username);
  core::Status StartReceiver();
  core::Status CreateWebhook();
  void RunScript();
  void Act(int minute);
  void Say(const std::string& text);
  void PrintDelivery(const boost::json::object& body);
  std::string Colour(const char* code, const std::string& text) const;

  Platform& platform_;
  std::ostream& out_;
  bool colour_;
  std::string base_;  // "http://127.0.0.1:PORT"
  std::string clientId_, clientSecret_, amt_, redirectUri_, webhookId_;
  std::vector<Vehicle> vehicles_;             // written by Create only
  std::map<std::string, std::string> makes_;  // vehicle id -> make
  std::unique_ptr<std::ostream> discard_;     // the receiver's JSON lines are not shown
  std::unique_ptr<receiver::Receiver> receiver_;
  std::thread script_;
  std::mutex mu_;  // guards out_ writes and stop_
  std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace dynhook::app
