#!/usr/bin/env bash
# The sync fault properties for an hour (NIGHTLY_SECONDS), far beyond what CI runs: the fault
# property (one device at a time, FAULT_RUNS cases per round) and the concurrency property
# (CONCURRENCY_RUNS cases per round) on PostgreSQL and on PGlite. Each round draws new seeds;
# the seed of every failure is printed (and kept in test-results/nightly-faults/), and the
# script exits non-zero if any round failed. Replay one with
#   CONCURRENCY_SEED=<seed> CONCURRENCY_SHRINK=1 npx vitest run --project faults tests/faults/sync-concurrency.property.test.ts
# (faults-pglite for PGlite); the fault property prints fast-check's own seed and path.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh || exit 1

SECONDS_BUDGET="${NIGHTLY_SECONDS:-3600}"
FAULT_RUNS="${FAULT_RUNS:-300}"
CONCURRENCY_RUNS="${CONCURRENCY_RUNS:-40}"
LOGS=test-results/nightly-faults
mkdir -p "$LOGS"
deadline=$(( $(date +%s) + SECONDS_BUDGET ))
round=0
failures=0

run() { # name, log, command...
  local name=$1 log=$2
  shift 2
  if "$@" >"$log" 2>&1; then
    echo "  ok    $name"
  else
    failures=$((failures + 1))
    echo "  FAIL  $name (log: $log)"
    grep -aE "seed|Counterexample|Caused by|AssertionError" "$log" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-600 | head -8 | sed 's/^/        /'
  fi
}

while [ "$(date +%s)" -lt "$deadline" ]; do
  round=$((round + 1))
  seed=$(( (RANDOM << 16 | RANDOM) ^ $(date +%s) ))
  seed=$(( seed & 0x7fffffff ))
  echo "=== round $round ($(date -u +%H:%M:%S)), concurrency seed $seed"
  run "fault property (PostgreSQL, $FAULT_RUNS cases)" "$LOGS/round-$round-faults.log" \
    env FAULT_RUNS="$FAULT_RUNS" npx vitest run --project faults tests/faults/sync-faults.property.test.ts
  [ "$(date +%s)" -lt "$deadline" ] || break
  run "concurrency property (PostgreSQL, $CONCURRENCY_RUNS cases, seed $seed)" "$LOGS/round-$round-concurrency-postgres.log" \
    env CONCURRENCY_RUNS="$CONCURRENCY_RUNS" CONCURRENCY_SEED="$seed" npx vitest run --project faults tests/faults/sync-concurrency.property.test.ts
  [ "$(date +%s)" -lt "$deadline" ] || break
  run "concurrency property (PGlite, $CONCURRENCY_RUNS cases, seed $seed)" "$LOGS/round-$round-concurrency-pglite.log" \
    env CONCURRENCY_RUNS="$CONCURRENCY_RUNS" CONCURRENCY_SEED="$seed" npx vitest run --project faults-pglite tests/faults/sync-concurrency.property.test.ts
done

echo "=== $round round(s), $failures failure(s)"
[ "$failures" -eq 0 ]
