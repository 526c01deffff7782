#!/usr/bin/env bash
# Builds everything and runs every test: the float build (unit tests, examples, install check), then the double
# build, where the finite-difference gradient checks run with tight tolerances.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
for variant in float double; do
  dir=build; flags=()
  if [ "$variant" = double ]; then dir=build-double; flags=(-DDESCENT_DOUBLE=ON -DDESCENT_BUILD_BENCH=OFF); fi
  echo "== $variant build ($dir)"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${flags[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j "$jobs")
done
