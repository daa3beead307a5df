#!/usr/bin/env bash
# npm test: every check, in order — system packages, type check, lint and formatting, unit and integration tests on
# SQLite and PostgreSQL, then end-to-end tests in Chromium against the production build,
# directly and behind nginx terminating TLS, then the cluster suite (three servers, one
# PostgreSQL, tests/cluster/run.ts). The same unit and integration tests on Node 22 and 24 are
# `npm run test:nodes` (scripts/test-nodes.sh), which CI runs after this.
# Ends with one line: "tests: N passed, N failed" (summed over every runner).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -rf .tmp/e2e-build.lock
rm -f .tmp/vitest-results.json .tmp/vitest-node*-results.json .tmp/e2e-results.json .tmp/e2e-proxy-results.json .tmp/cluster-results.json .tmp/test-summary.txt
status=0

step() { printf '\n== %s ==\n' "$1"; }

step "system packages"
bash scripts/system-deps.sh || status=1

if [ $status -eq 0 ]; then
  # Vitest uses about one core: beside it, on the other core, the type check, the lint and the
  # production build the end-to-end suites need, to their own log, printed once both are done.
  step "type check (svelte-check), lint (ESLint), build, and unit and integration tests (SQLite and PostgreSQL)"
  npx svelte-kit sync || status=1
  { npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings && printf '\n-- eslint --\n' && npx eslint . \
    && printf '\n-- prettier --\n' && npx prettier --check . \
    && printf '\n-- build --\n' && node node_modules/tsx/dist/cli.mjs scripts/build-if-needed.ts; } > .tmp/svelte-check.log 2>&1 &
  check_pid=$!
  npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json || status=1
  wait $check_pid || status=1
  printf '\n-- svelte-check, eslint and build --\n'
  cat .tmp/svelte-check.log

  # Two workers, each against its own server and demo data (playwright.config.ts).
  step "end-to-end tests (Chromium)"
  npx playwright test || status=1

  step "end-to-end tests behind nginx (TLS, X-Forwarded-For)"
  npx playwright test -c playwright.proxy.config.ts || status=1

  # Three production servers on one PostgreSQL behind nginx, one killed mid-import (PostgreSQL only).
  step "cluster: three servers, one PostgreSQL, one killed"
  node node_modules/tsx/dist/cli.mjs tests/cluster/run.ts || status=1
fi

node scripts/summary.mjs > .tmp/test-summary.txt || status=1
if [ $status -ne 0 ] && grep -q ' 0 failed' .tmp/test-summary.txt; then
  # A step failed without a failing test (type errors, a crash): count it as one failure.
  sed -i 's/ 0 failed/ 1 failed/' .tmp/test-summary.txt
fi
echo
cat .tmp/test-summary.txt
exit $status
