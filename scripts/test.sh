#!/usr/bin/env bash
# npm test: every check, in order — system packages, type check, unit and integration tests on
# SQLite and PostgreSQL, then end-to-end tests in Chromium against the production build.
# Ends with one line: "tests: N passed, N failed" (summed over every runner).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest-results.json .tmp/e2e-results.json .tmp/test-summary.txt
status=0

step() { printf '\n== %s ==\n' "$1"; }

step "system packages"
bash scripts/system-deps.sh || status=1

if [ $status -eq 0 ]; then
  step "type check (svelte-check)"
  npx svelte-kit sync && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings || status=1

  step "unit and integration tests (SQLite and PostgreSQL)"
  npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json || status=1

  step "end-to-end tests (Chromium)"
  npx playwright test || status=1
fi

node scripts/summary.mjs > .tmp/test-summary.txt || status=1
if [ $status -ne 0 ] && grep -q ' 0 failed' .tmp/test-summary.txt; then
  # A step failed without a failing test (type errors, a crash): count it as one failure.
  sed -i 's/ 0 failed/ 1 failed/' .tmp/test-summary.txt
fi
echo
cat .tmp/test-summary.txt
exit $status
