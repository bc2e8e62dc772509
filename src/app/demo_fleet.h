// DemoFleet: the scripted part of `dynhook demo`. Against a running Platform it creates a demo
// application, connects three simulated owners through Connect over real HTTP (exactly what an
// application does), then reports every platform hour what the API returns for each vehicle,
// while a script plugs a vehicle in and out and changes an owner's OEM credentials.
//
// Threading: Create/Print*/Start/Stop from the demo's main thread; reporting runs on one
// background thread owned here.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "app/platform.h"
#include "core/result.h"

namespace dynhook::app {

class DemoFleet {
 public:
  static core::Result<std::unique_ptr<DemoFleet>> Create(Platform& platform, bool colour);
  ~DemoFleet();

  void PrintIntroduction(std::ostream& out) const;
  void StartReporting(std::ostream& out);
  void StopReporting();

  struct Vehicle {
    std::string id;
    std::string make;
    std::string accessToken;
  };

 private:
  DemoFleet(Platform& platform, bool colour) : platform_(platform), colour_(colour) {}
  core::Status Connect(const std::string& make, const std::string& username);
  void ReportLoop(std::ostream& out);
  void RunScript(int hour);
  std::string DescribeVehicle(const Vehicle& vehicle);

  Platform& platform_;
  bool colour_;
  std::string base_;  // "http://127.0.0.1:PORT"
  std::string clientId_, clientSecret_, amt_, redirectUri_;
  std::vector<Vehicle> vehicles_;  // written by Create only
  std::thread reporter_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
};

}  // namespace dynhook::app
