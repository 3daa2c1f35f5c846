#!/usr/bin/env bash
# Instructions per bulk job of 100,000 numbers, natively, counted by
# callgrind (examples/bulk_instructions.rs): repeatable on a busy machine,
# so a change of a few percent shows, which timings here cannot.
#
#   bash tests/bench/instructions.sh          # plan (read, validate, plan) and send (also sign every chunk)
#
# Each figure is (3 jobs − 1 job) / 2, so building the input is not counted.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
# Optimised for speed like the server wasm (the crate's release profile is
# for size), in a target directory of its own so other builds keep theirs.
CARGO_PROFILE_RELEASE_OPT_LEVEL=3 cargo build -q --release --example bulk_instructions \
  --no-default-features --features signing --target-dir target/instructions
bin=target/instructions/release/examples/bulk_instructions
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
for mode in plan send; do
  one=$(count 1 "$mode")
  three=$(count 3 "$mode")
  echo "$mode: $(( (three - one) / 2 / 1000000 ))M instructions per job"
done
