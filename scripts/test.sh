#!/usr/bin/env bash
# npm test: every check, in order — system packages, type check and lint, unit and integration tests on
# SQLite and PostgreSQL, then end-to-end tests in Chromium against the production build,
# directly and behind nginx terminating TLS. The same unit and integration tests on Node 22 and
# 24 are `npm run test:nodes` (scripts/test-nodes.sh), which CI runs after this.
# Ends with one line: "tests: N passed, N failed" (summed over every runner).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest-results.json .tmp/vitest-node*-results.json .tmp/e2e-results.json .tmp/e2e-proxy-results.json .tmp/test-summary.txt
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
    && printf '\n-- build --\n' && node node_modules/tsx/dist/cli.mjs scripts/build-if-needed.ts; } > .tmp/svelte-check.log 2>&1 &
  check_pid=$!
  npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json || status=1
  wait $check_pid || status=1
  printf '\n-- svelte-check, eslint and build --\n'
  cat .tmp/svelte-check.log

  # The two suites use their own servers, ports and data: the short one behind nginx runs
  # beside the main one (its output is printed after).
  step "end-to-end tests (Chromium), and behind nginx (TLS, X-Forwarded-For) beside them"
  npx playwright test -c playwright.proxy.config.ts > .tmp/e2e-proxy.log 2>&1 &
  proxy_pid=$!
  npx playwright test || status=1
  wait $proxy_pid || status=1
  printf '\n-- end-to-end tests behind nginx --\n'
  cat .tmp/e2e-proxy.log
fi

node scripts/summary.mjs > .tmp/test-summary.txt || status=1
if [ $status -ne 0 ] && grep -q ' 0 failed' .tmp/test-summary.txt; then
  # A step failed without a failing test (type errors, a crash): count it as one failure.
  sed -i 's/ 0 failed/ 1 failed/' .tmp/test-summary.txt
fi
echo
cat .tmp/test-summary.txt
exit $status
