#!/usr/bin/env bash
# Installs the fixture projects under compat/ (each its own package.json and lock) for the tests in test/compat/.
# `npm ci --ignore-scripts`, then the one install script a fixture needs: sqlite3's native module. Where the
# fixture's sqlite3 is the root's version, the root's build is copied (the same Node, the same ABI) instead of
# compiling it again (minutes on two cores); otherwise it is rebuilt there.
# Usage: compat/install.sh [--if-missing] [FOLDER…]   (--if-missing: only fixtures not installed since their lock changed;
# `npm test` runs it so, as its pretest)
set -euo pipefail
cd "$(dirname "$0")/.."
if_missing=false
if [ "${1:-}" = "--if-missing" ]; then
  if_missing=true
  shift
fi
root_sqlite=$(node -p "require('./node_modules/sqlite3/package.json').version" 2>/dev/null || echo none)
folders=("$@")
if [ ${#folders[@]} -eq 0 ]; then
  for manifest in compat/*/package.json; do folders+=("$(dirname "$manifest")"); done
fi
for dir in "${folders[@]}"; do
  if $if_missing && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then continue; fi
  echo "[compat] npm ci in $dir"
  npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund
  if [ -f "$dir/node_modules/sqlite3/package.json" ]; then
    version=$(node -p "require('./$dir/node_modules/sqlite3/package.json').version")
    if [ "$version" = "$root_sqlite" ] && [ -d node_modules/sqlite3/build/Release ]; then
      mkdir -p "$dir/node_modules/sqlite3/build"
      cp -a node_modules/sqlite3/build/Release "$dir/node_modules/sqlite3/build/"
    else
      (cd "$dir" && npm rebuild sqlite3)
    fi
  fi
  if [ -f "$dir/node_modules/esbuild/install.js" ]; then (cd "$dir/node_modules/esbuild" && node install.js); fi
done
