#!/usr/bin/env bash
# Writes every ```cpp block of README.md that holds a whole program (has "int main") to OUT_DIR/readme_N.cpp,
# so the build compiles and the tests run each one: the README stays true.
set -euo pipefail
readme=$1 out=$2
mkdir -p "$out"
rm -f "$out"/readme_*.cpp
awk -v out="$out" '
  /^```cpp[[:space:]]*$/ { inside = 1; block = ""; next }
  /^```[[:space:]]*$/ && inside { inside = 0; if (block ~ /int main/) { n++; f = out "/readme_" n ".cpp"; printf "%s", block > f; close(f) } next }
  inside { block = block $0 "\n" }
' "$readme"
