#!/usr/bin/env bash
# `npm test`: static checks, then every vitest suite (unit, server on PGlite and on
# PostgreSQL), then the end-to-end suite. Ends with one "N passed, N failed, N skipped" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
failed_steps=0

step() { echo; echo "=== $1"; }

step "services"
bash scripts/ensure-services.sh || failed_steps=$((failed_steps + 1))

step "typecheck"
npx tsc --noEmit -p tsconfig.json || failed_steps=$((failed_steps + 1))

step "lint"
npx eslint . --max-warnings 0 || failed_steps=$((failed_steps + 1))

step "vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_rc=$?

node scripts/summarize-tests.mjs test-results/vitest.json "$failed_steps" "$vitest_rc"
