// A callback server built with Smartcar's Node SDK (smartcar_receiver.js: verifyPayload on the
// challenge, hashChallenge for the answer) verifies a dynhook webhook. Needs node and the npm
// `smartcar` package (label `node`).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

// The repository (for node_modules and the script): the test environment's
// DYNHOOK_SOURCE_DIR, else the source folder this test was built from.
std::string SourceDir() {
  const char* dir = std::getenv("DYNHOOK_SOURCE_DIR");
  return dir ? dir : DYNHOOK_TEST_SOURCE_DIR;
}

// `node tests/webhooks/smartcar_receiver.js` as a child process; the destructor closes its
// stdin (it then exits) and reaps it.
class NodeReceiver {
 public:
  explicit NodeReceiver(const std::string& amt) {
    // Everything the child needs is prepared before fork: the parent has threads, so the
    // child may only make async-signal-safe calls until exec.
    const std::string node = FindNode();
    const std::string dir = SourceDir();
    std::vector<std::string> env = {"AMT=" + amt};
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::string script = "tests/webhooks/smartcar_receiver.js";
    std::string argv0 = "node";
    char* argv[] = {argv0.data(), script.data(), nullptr};
    int in[2], out[2];
    if (node.empty() || pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      close(in[1]);
      close(out[0]);
      if (chdir(dir.c_str()) != 0) _exit(126);
      execve(node.c_str(), argv, envp.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    port_ = ReadPort();
  }
  ~NodeReceiver() {
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ >= 0) close(stdout_);
    if (pid_ > 0) {
      // Bounded wait for a clean exit, then make sure.
      for (int i = 0; i < 200; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        usleep(10'000);
      }
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  static std::string FindNode() {
    const char* path = std::getenv("PATH");
    std::string rest = path ? path : "/usr/bin:/bin";
    while (!rest.empty()) {
      const size_t colon = rest.find(':');
      std::string candidate = rest.substr(0, colon) + "/node";
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
      rest = colon == std::string::npos ? "" : rest.substr(colon + 1);
    }
    return "";
  }

  // Reads "listening <port>\n" (bounded: 10 s).
  int ReadPort() {
    std::string line;
    for (int i = 0; i < 100 && line.find('\n') == std::string::npos; ++i) {
      pollfd fd{stdout_, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char buf[64];
      const ssize_t n = read(stdout_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    if (line.rfind("listening ", 0) != 0) return 0;
    return std::atoi(line.c_str() + 10);
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

TEST(SmartcarNodeSdk, HashChallengeVerifiesADynhookWebhook) {
  ASSERT_EQ(std::system("node --version > /dev/null 2>&1"), 0) << "node is required";
  test::WebhooksTestEnv env;
  auto app = env.api().CreateApp();
  NodeReceiver receiver(app.managementToken);
  ASSERT_GT(receiver.port(), 0) << "the node receiver did not start";
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/webhook";

  auto created = env.CreateWebhook(app.managementToken, url);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(test::TextOf(test::JsonOf(created), "status"), "enabled") << created.body;

  const std::string id = test::TextOf(test::JsonOf(created), "id");
  auto verified = env.Bearer("POST", "/api/webhooks/" + id + "/verify", app.managementToken);
  EXPECT_EQ(verified.status, 200) << verified.body;

  // Another application's token answers differently: the SDK's receiver rejects the signature.
  auto other = env.api().CreateApp("Other");
  auto rejected = env.CreateWebhook(other.managementToken, url);
  ASSERT_EQ(rejected.status, 201) << rejected.body;
  EXPECT_EQ(test::TextOf(test::JsonOf(rejected), "verificationError"),
            "callback answered HTTP 401");
}

}  // namespace
}  // namespace dynhook::webhooks
