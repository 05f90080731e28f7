#!/usr/bin/env bash
# `npm test`: static checks, then every vitest suite (unit, renderer components, server on PGlite
# and on PostgreSQL, faults), then the end-to-end suite (the app in Chromium). Ends with one
# "N passed, N failed, N skipped" line summed over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json test-results/e2e.json
failed_steps=0

step() { echo; echo "=== $1"; }

step "services"
bash scripts/ensure-services.sh || failed_steps=$((failed_steps + 1))

step "typecheck"
npx tsc --noEmit -p tsconfig.json || failed_steps=$((failed_steps + 1))

step "lint"
npx eslint . --max-warnings 0 || failed_steps=$((failed_steps + 1))

step "vitest"
npx vitest run --project '!e2e' --maxWorkers=2 --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_rc=$?

step "end to end (Chromium)"
npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json=test-results/e2e.json
e2e_rc=$?

node scripts/summarize-tests.mjs "$failed_steps" "$((vitest_rc + e2e_rc))" test-results/vitest.json test-results/e2e.json
