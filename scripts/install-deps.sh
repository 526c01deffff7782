#!/usr/bin/env bash
# Installs the Debian packages Descent builds with, when any is missing: with apt-get as root, otherwise it prints
# the exact command to run. Usage: scripts/install-deps.sh [extra packages...]
set -euo pipefail
# libopenblas-dev runs the larger matrix products (cmake -DDESCENT_OPENBLAS=OFF builds without it); libcli11-dev
# builds the descent program; gnuplot-nox draws its --plot curves (without it, descent says so and still writes the
# CSV log); zlib1g-dev lets data::read_idx read gzipped IDX files; dataset-fashion-mnist holds Fashion-MNIST
# (/usr/share/datasets/fashion-mnist), which data::load_fashion_mnist reads and the tests check.
packages=(g++ cmake ninja-build libeigen3-dev nlohmann-json3-dev doctest-dev libopenblas-dev libcli11-dev gnuplot-nox
          zlib1g-dev dataset-fashion-mnist "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "Installing: ${missing[*]}" >&2
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
