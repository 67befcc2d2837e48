#!/usr/bin/env bash
# Fuzzes the pure parts of the crate with cargo-fuzz (nightly): redirect parsing, TikTok's
# answers, and request building. Each target runs for a bounded time, starting from the
# committed seeds in fuzz/seeds/ and the corpus it grew before (fuzz/corpus/, not committed).
#
# Usage: scripts/fuzz.sh [--if-available] [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, all)
#   --if-available: skip (and succeed) on a machine without nightly Rust or cargo-fuzz
#   FUZZ_SANITIZER=address scripts/fuzz.sh 600   also checks memory with AddressSanitizer
#   FUZZ_JOBS=2 scripts/fuzz.sh 600              runs two fuzzing processes per target
# A crash leaves its input in fuzz/artifacts/TARGET/; replay it with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

optional=0
if [ "${1:-}" = --if-available ]; then optional=1; shift; fi
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(redirect envelope url_build)
sanitizer=${FUZZ_SANITIZER:-none}
jobs=${FUZZ_JOBS:-1}

if ! rustup run nightly rustc --version >/dev/null 2>&1 || ! cargo fuzz --version >/dev/null 2>&1; then
  echo 'fuzz: needs the nightly toolchain and cargo-fuzz (`scripts/setup.sh --fuzz` installs cargo-fuzz when nightly is there)' >&2
  if [ "$optional" = 1 ]; then echo "fuzz: skipped"; exit 0; fi
  exit 1
fi

# The rest of the build (fuzz/target) stays apart from the crate's own target/.
if [ ${#targets[@]} -eq 1 ]; then
  cargo +nightly fuzz build -s "$sanitizer" "${targets[0]}"
else
  cargo +nightly fuzz build -s "$sanitizer"
fi

passed=0
failed=0
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  args=(-max_total_time="$seconds" -print_final_stats=1)
  [ -f "fuzz/$target.dict" ] && args+=(-dict="fuzz/$target.dict")
  [ "$jobs" -gt 1 ] && args+=(-fork="$jobs")
  log=$(mktemp)
  printf '\n==> fuzz %s for %ss\n' "$target" "$seconds"
  status=0
  cargo +nightly fuzz run -s "$sanitizer" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- "${args[@]}" \
    > "$log" 2>&1 || status=$?
  runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1 || true)
  [ -n "$runs" ] || runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -n 1 || true)
  cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -n 1 || true)
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz $target: ok, ${runs:-?} executions in ${seconds}s, ${cov:-cov: ?}, corpus $corpus inputs"
  else
    failed=$((failed + 1))
    grep -aE 'panicked|ERROR|SUMMARY|Test unit written|deadly signal' "$log" | head -n 20 || true
    tail -n 30 "$log"
    echo "fuzz $target: FAILED (exit $status) after ${runs:-?} executions; the input is in fuzz/artifacts/$target/"
  fi
  rm -f "$log"
done
# Counted by scripts/test.sh like node's test runner.
echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ]
