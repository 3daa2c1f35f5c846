#!/usr/bin/env bash
# Runs every fuzz target for a while and fails if any of them crashed.
#
#   bash tests/fuzz/run.sh [seconds-per-target] [target ...]
#
# Default: 30 s for each of the six targets. cargo-fuzz is installed from
# crates.io when missing. It needs nightly compiler flags (-Zsanitizer); on a
# stable toolchain RUSTC_BOOTSTRAP=1 unlocks them, which is what this script
# does when rustc is not a nightly.
#
# The seeds in tests/fuzz/seeds/<target>/ are copied into a working corpus,
# tests/fuzz/corpus/<target>/ (git-ignored, kept between runs so a later run
# starts where the last one stopped). Crashing inputs land in
# tests/fuzz/artifacts/<target>/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir tests/fuzz <target> <file>
# and minimise it with `cargo fuzz tmin` (same arguments).
#
# Environment: FUZZ_SANITIZER (address | none, default address),
# FUZZ_MAX_LEN (bytes per input, default 8192).
set -uo pipefail

seconds="${1:-30}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: $0 [seconds-per-target] [target ...]" >&2
    exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
all_targets=(response_parse validate phone sign preview reads_parse)
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=("${all_targets[@]}")
fi
sanitizer="${FUZZ_SANITIZER:-address}"
max_len="${FUZZ_MAX_LEN:-8192}"

if ! rustc -V | grep -q nightly; then
    export RUSTC_BOOTSTRAP=1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz (a few minutes)"
    cargo install cargo-fuzz --locked || exit 1
fi

cd "$root" || exit 1
echo "== building fuzz targets ($(rustc -V), sanitizer $sanitizer)"
if ! cargo fuzz build --fuzz-dir tests/fuzz --sanitizer "$sanitizer"; then
    echo "FAIL: the fuzz targets do not build" >&2
    exit 1
fi

bin_dir="$here/target/$(rustc -vV | sed -n 's/^host: //p')/release"
for target in "${targets[@]}"; do
    if [ ! -x "$bin_dir/$target" ]; then
        echo "FAIL: no fuzz target named $target (have: ${all_targets[*]})" >&2
        exit 2
    fi
done

failed=0
summary=()
for target in "${targets[@]}"; do
    corpus="$here/corpus/$target"
    artifacts="$here/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    if [ -d "$here/seeds/$target" ]; then
        cp -n "$here/seeds/$target"/* "$corpus"/ 2>/dev/null || true
    fi
    log="$here/artifacts/$target.log"
    echo "== $target: ${seconds}s"
    # The binary built above is run directly, so a source edit made while
    # this script runs does not rebuild it between targets.
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}" "$bin_dir/$target" "$corpus" \
        -artifact_prefix="$artifacts/" -max_total_time="$seconds" -max_len="$max_len" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    if [ -z "$execs" ]; then
        # A crash ends the run before the final stats; take the last status line.
        execs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')"
    fi
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    units="$(find "$corpus" -type f | wc -l)"
    if [ "$rc" -eq 0 ]; then
        line="ok     $target: ${execs:-?} execs (${rate:-?}/s), corpus $units inputs"
    else
        failed=1
        line="CRASH  $target: exit $rc after ${execs:-?} execs; log $log"
        grep -E "panicked at|^ERROR: libFuzzer|^SUMMARY:|Test unit written|^==[0-9]+==ERROR" "$log" | head -n 6 | sed 's/^/         /'
    fi
    echo "$line"
    summary+=("$line")
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
