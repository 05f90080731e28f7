#!/usr/bin/env bash
# The sync fault property with many more cases than CI runs (default 3000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
FAULT_RUNS="${FAULT_RUNS:-3000}" npx vitest run --project faults
