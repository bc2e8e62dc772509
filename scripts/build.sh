#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default" -> build/).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
dir=build
[[ "$preset" == "asan" ]] && dir=build-asan
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake --preset "$preset" >/dev/null
fi
jobs=$(nproc)
cmake --build --preset "$preset" -j "$jobs"
