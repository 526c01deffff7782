#!/usr/bin/env bash
# The main job: builds Descent and its `descent` program, which trains the bundled breast-cancer classifier and
# prints its test accuracy. Arguments go to `descent` (e.g. `scripts/demo.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target descent_cli
./build/cli/descent "$@"
