#include <pthread.h>
#include <signal.h>

#include "app/commands.h"

namespace dynhook::app {

std::function<int()> BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A closed stdout (a supervisor that stopped reading) or peer must never kill the process.
  signal(SIGPIPE, SIG_IGN);
  return [set] {
    int signal = 0;
    sigwait(&set, &signal);
    return signal;
  };
}

}  // namespace dynhook::app
