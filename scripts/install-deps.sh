#!/usr/bin/env bash
# install-deps.sh — install every Debian 12 package FieldTrust needs to build, test, demo and bench.
# Idempotent: apt-get skips what is already installed. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates xxd python3 ccache
  clang clang-format clang-tidy libclang-rt-14-dev   # clang: libFuzzer targets
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  # test and bench frameworks
  libgtest-dev libgmock-dev libbenchmark-dev hyperfine python3-jsonschema python3-yaml  # python3-*: schema agreement test
  # libraries
  libssl-dev openssl libmbedtls-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libpqxx-dev libcli11-dev libfmt-dev libarchive-dev libtss2-dev libp11-kit-dev
  # real components used by tests
  softhsm2 opensc swtpm swtpm-tools tpm2-tools sqlite3 postgresql chromium
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
