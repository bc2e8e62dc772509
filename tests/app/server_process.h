// ServerProcess: runs the real `dynhook serve` binary as a child process for end-to-end tests:
// port 0 on 127.0.0.1, a fresh temp data folder, an admin token, no simulated latency. Reads
// the "listening on http://HOST:PORT" line, then the test talks to it over real HTTP.
// Destruction sends SIGTERM and waits (bounded), then SIGKILL. One thread owns an instance.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace dynhook::testing {

class ServerProcess {
 public:
  static constexpr const char* kAdminToken = "test-admin-token";

  explicit ServerProcess(std::vector<std::string> extraArgs = {});
  // Uses (and keeps) `dataDir`, so a later ServerProcess can restart on the same database.
  ServerProcess(std::filesystem::path dataDir, std::vector<std::string> extraArgs);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base() const { return base_; }        // "http://127.0.0.1:PORT"
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  bool running() const;
  // SIGTERM, wait up to 10 s; returns the exit status (or -1 on timeout, then SIGKILL).
  int Terminate();
  void Kill();  // SIGKILL, as in a crash

  // Creates an application through the admin API; returns its JSON (with secrets).
  std::string CreateApplication(const std::string& redirectUri);

 private:
  void Start(std::vector<std::string> extraArgs);

  std::filesystem::path dir_;
  bool keepDir_ = false;
  pid_t pid_ = -1;
  std::string base_, address_;
};

// $DYNHOOK_BINARY (set by CTest) or build/src/dynhook.
std::string DynhookBinary();

}  // namespace dynhook::testing
