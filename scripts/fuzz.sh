#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer) and
# runs each for a bounded time from the seed corpus; fails on any crash, hang, leak or out-of-memory.
# Usage: scripts/fuzz.sh [seconds per target, default 30]
# An input that finds a bug is left in build-fuzz/artifacts/; fix the bug, then copy the input into
# fuzz/regressions/<target>/ so the unit tests replay it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
targets="config weights csv preprocessing idx"
scripts/install-deps.sh clang libclang-rt-14-dev libomp-dev
jobs=$(nproc)
build=build-fuzz
rm -rf "$build/obj"  # sources may have been removed or renamed since the last run
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# The library is compiled here rather than through CMake so that clang's warnings stay warnings: the fuzzers judge
# behaviour, the regular builds judge warnings.
echo "== fuzz build ($build)"
mkdir -p "$build/obj"
flags=(-std=c++20 -O1 -g $sanitizers -fopenmp -I"$PWD/include" -isystem /usr/include/eigen3)
export build
# cli/preprocessing.cpp is the descent.json reader, the one file of the program that is fuzzed.
{ find core nn losses metrics optim data models trainers callbacks saving -name "*.cpp" 2>/dev/null; echo cli/preprocessing.cpp; } |
  xargs -P "$jobs" -I{} sh -c 'clang++ "$@" -fsanitize=fuzzer-no-link -c "{}" -o "$build/obj/$(echo "{}" | tr / _).o"' \
    sh "${flags[@]}"
rm -f "$build/libdescent-fuzz.a"
ar rcs "$build/libdescent-fuzz.a" "$build"/obj/*.o
for target in $targets; do
  clang++ "${flags[@]}" -fsanitize=fuzzer "fuzz/${target}_fuzzer.cpp" "$build/libdescent-fuzz.a" -lz -o "$build/${target}_fuzzer"
done

mkdir -p "$build/artifacts"
for target in $targets; do
  echo "== fuzzing the $target reader for ${seconds}s"
  work="$build/corpus-$target"
  mkdir -p "$work"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a leak or runaway allocation is a failure.
  log="$build/fuzz-$target.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/${target}_fuzzer" "$work" "fuzz/corpus/$target" "fuzz/regressions/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/${target}-" >"$log" 2>&1
  status=$?
  set -e
  grep -E "INITED|DONE|stat::number_of_executed_units|SUMMARY|ERROR|Test unit written" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz: the $target reader failed (exit $status); the input is in $build/artifacts/" >&2
    exit 1
  fi
done
echo "fuzz: no crash, hang or leak"
