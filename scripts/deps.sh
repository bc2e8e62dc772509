#!/usr/bin/env bash
# Installs what building, running and testing dynhook needs on Debian 12: the Debian packages
# (only the missing ones; apt-get update runs only when something is missing) and the npm
# packages the SDK-compatibility and browser tests use. Idempotent; safe to run every time.
#   scripts/deps.sh          build + run dependencies
#   scripts/deps.sh --test   also test dependencies (node packages, PostgreSQL server, Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(
  g++ cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libssl-dev libsqlite3-dev libpq-dev
  libcli11-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
)
test_packages=(nodejs chromium)  # PostgreSQL joins when its tests do

want=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${test_packages[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs may come from another source than Debian (npm bundled); accept any working node+npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | sed '/^$/d'))

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if printf '%s\n' "${missing[@]}" | grep -qx nodejs; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
fi

if [[ "${1:-}" == "--test" ]]; then
  if [[ ! -d node_modules ]] || [[ package.json -nt node_modules/.package-lock.json ]]; then
    echo "deps: npm install (test packages)" >&2
    npm install --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
