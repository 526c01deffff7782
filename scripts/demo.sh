#!/usr/bin/env bash
# The main job: builds Descent and trains the bundled breast-cancer classifier, printing its test accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target breast_cancer
./build/examples/breast_cancer "$@"
