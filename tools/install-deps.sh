#!/usr/bin/env bash
# Installs the Debian packages dryport needs to build and test, and only those
# that are missing, so `make` stays fast on a machine that already has them.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3
  libpugixml-dev libxml2-dev libxml2-utils nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libzstd-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev liblemon-dev
  libhowardhinnant-date-dev tzdata
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
