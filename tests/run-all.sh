#!/usr/bin/env bash
# The full test suite: the README's test command, and what CI runs (.ci/run).
# Every suite runs even when an earlier one fails; the last line counts them.
set -uo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup --tests || exit 1

passed=0
failed=0
failures=()
suite() {
  local name=$1
  shift
  printf '\n=== %s\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}
rust_lints() {
  cargo fmt --check &&
    cargo clippy --all-targets -- -D warnings &&
    cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings &&
    cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features signing -- -D warnings &&
    cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
}
rust_tests() {
  cargo test && cargo test --lib --no-default-features &&
    cargo test --features typescript --test typescript_types
}

suite "Rust format and lints" rust_lints
suite "Rust tests (core, properties, validation codes, types current)" rust_tests
suite "Build the package (size budget checked)" node pkg/build/build.mjs --check-size --test-hook
suite "Mock uSpeedo server (uspeedo-sms/mock)" node --test tests/mock/
suite "Package in Node (client, bulk, proxy, panic)" node --test tests/js/
suite "Types and packaging (tsc, attw, publint)" node tests/types/check.mjs
suite "Packed tarball in every runtime" node tests/package/run.mjs --no-build
suite "Reliability: fault matrix, secret leak scan, proxy abuse, load" node tests/reliability/run.mjs --quick --no-build
suite "Campaigns on Queues and Durable Objects (miniflare, 200,000 numbers, faults)" node --test tests/campaign/
suite "Demo page end to end in Chromium" node tests/e2e/run.mjs
suite "Fuzzing (30 s per target)" bash tests/fuzz/run.sh 30

echo
for name in "${failures[@]}"; do echo "FAILED: $name"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
