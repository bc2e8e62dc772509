#include "server_process.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "app/http_call.h"

namespace dynhook::testing {
namespace {

// Reads one line from `fd` within `timeoutMs`.
std::string ReadLine(int fd, int timeoutMs) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c;
    if (read(fd, &c, 1) != 1) break;
    if (c == '\n') return line;
    line.push_back(c);
  }
  return line;
}

}  // namespace

std::string DynhookBinary() {
  if (const char* env = std::getenv("DYNHOOK_BINARY")) return env;
  return "build/src/dynhook";
}

ServerProcess::ServerProcess(std::vector<std::string> extraArgs) {
  dir_ = std::filesystem::temp_directory_path() /
         ("dynhook-test-" + std::to_string(getpid()) + "-" +
          std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  Start(std::move(extraArgs));
}

ServerProcess::ServerProcess(std::filesystem::path dataDir, std::vector<std::string> extraArgs)
    : dir_(std::move(dataDir)), keepDir_(true) {
  Start(std::move(extraArgs));
}

void ServerProcess::Start(std::vector<std::string> extraArgs) {
  std::filesystem::create_directories(dir_);
  std::vector<std::string> args = {DynhookBinary(),
                                   "serve",
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--database",
                                   "sqlite:" + (dir_ / "dynhook.db").string(),
                                   "--admin-token",
                                   kAdminToken,
                                   "--sim-latency-min-ms",
                                   "0",
                                   "--sim-latency-max-ms",
                                   "0",
                                   "--log-format",
                                   "json",
                                   "--log-level",
                                   "warn"};
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test runner that was killed
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  const std::string line = ReadLine(out[0], 30'000);
  close(out[0]);  // later stdout writes fail with EPIPE (dynhook ignores SIGPIPE)
  constexpr std::string_view kPrefix = "listening on http://";
  if (line.rfind(kPrefix, 0) != 0) {
    Kill();
    throw std::runtime_error("dynhook serve did not start: '" + line + "'");
  }
  address_ = line.substr(kPrefix.size());
  base_ = "http://" + address_;
}

ServerProcess::~ServerProcess() {
  if (running()) Terminate();
  std::error_code ec;
  if (!keepDir_) std::filesystem::remove_all(dir_, ec);
}

bool ServerProcess::running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

int ServerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string ServerProcess::CreateApplication(const std::string& redirectUri) {
  auto reply = app::HttpCall(
      "POST", base_ + "/api/admin/applications",
      {"Authorization: Bearer " + std::string(kAdminToken), "Content-Type: application/json"},
      R"({"name":"e2e app","redirectUris":[")" + redirectUri + R"("]})");
  if (!reply || reply->status != 201) {
    throw std::runtime_error("admin create application failed: " +
                             (reply ? reply->body : reply.error().description));
  }
  return reply->body;
}

}  // namespace dynhook::testing
