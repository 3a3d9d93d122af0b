#!/usr/bin/env bash
# Installs the Debian 12 packages Data Factory needs to build, test and run its demo.
# Idempotent: when every package is already installed it prints nothing and exits 0.
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config ca-certificates
  clang-format clang-tidy
  clang libclang-rt-14-dev llvm openssl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libopencv-dev libjpeg62-turbo-dev prometheus-cpp-dev libgtest-dev libgmock-dev
  libbenchmark-dev libsqlite3-dev libhiredis-dev redis-server
  prometheus curl procps
  python3 python3-grpcio python3-scipy python3-opencv python3-yaml
  libcpp-httplib-dev
  chromium
  ffmpeg
)
# node and npm: Debian's (nodejs 18, npm 9) unless a node with its npm is already there.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
