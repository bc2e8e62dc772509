// dynhook: one binary, several subcommands (SPEC §1). All wiring lives in the app module.
#include "app/cli.h"

int main(int argc, char** argv) { return dynhook::app::RunCli(argc, argv); }
